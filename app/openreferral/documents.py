"""Offer rows → Open Referral UK 3.0 objects (HSDS 3.0). Pure functions, so tests can call them without a server.

Only what the offer's public page shows goes out: its approved words (a waiting edit lives in `pending`, which no
query here reads), type, principles, support, ages, price, dates, place and organisation's name. Nothing about who
applied, claimed or was confirmed, no counts of people, no pay or places left, no contact details."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from app.core.i18n import LOCALES, N_, _, current_locale, gettext
from app.core.money import as_text
from app.core.templating import long_date
from app.offers.languages import words_for, written
from app.openreferral.ids import Kind, named_uuid, row_uuid
from app.openreferral.links import Links
from app.openreferral.taxonomies import term_doc, terms_of
from app.organisations.labels import kind_label
from search.places import council_name

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")  # ONS statistical geography codes, as the gazetteer's councils have
GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
LANGUAGE_NAMES = {"en": N_("English"), "cy": N_("Welsh")}


def status_of(row: Mapping[str, Any], today: date) -> str:
    """active while it can be taken up (published, not past its closing date); inactive once closed (its page
    stays readable, so shared links still explain themselves)."""
    closes_on = row.get("closes_on")
    open_now = row["status"] == "published" and (closes_on is None or closes_on >= today)
    return "active" if open_now else "inactive"


def stamp(when: datetime) -> str:
    """RFC 3339 in UTC, always to the microsecond (so the stamps sort as text too)."""
    return when.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def organization_doc(row: Mapping[str, Any]) -> dict[str, Any]:
    kind = kind_label(row["org_kind"])
    pledged = _("%(kind)s that has signed up to the corporate parenting charter.") % {"kind": kind}
    return {
        "id": row_uuid(Kind.organization, row["organisation"]),
        "name": row["org_name"],
        "description": pledged if row.get("org_pledged_at") else kind,
    }


def _description(summary: str, description: str) -> str:
    """The summary and the description (Markdown, as written), as the offer's page shows them: once each."""
    if not description or description == summary:
        return summary
    if not summary or description.startswith(summary):
        return description
    return f"{summary}\n\n{description}"


def service_list_doc(row: Mapping[str, Any], links: Links, today: date) -> dict[str, Any]:
    """A service with its one-to-one fields only (the profile's service_list), its organization nested."""
    service_id = row_uuid(Kind.service, row["id"])
    words = words_for(row, current_locale())
    return {
        "id": service_id,
        "organization_id": row_uuid(Kind.organization, row["organisation"]),
        "name": words.title,
        "description": _description(words.summary, words.description),
        "url": links.to("offers:detail", offer_id=row["id"]),
        "status": status_of(row, today),
        "minimum_age": row["min_age"],
        "maximum_age": row["max_age"],
        "last_modified": stamp(row["changed"]),
        "organization": organization_doc(row),
    }


def location_doc(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """Where the offer happens: online (virtual), a place (physical), or nowhere said (None)."""
    location_id = named_uuid("service", row["id"], "location")
    if row.get("remote"):
        return {"id": location_id, "location_type": "virtual", "name": gettext("Online or from home")}
    lat, lng = row.get("latitude"), row.get("longitude")
    if not row.get("location_name") and (lat is None or lng is None):
        return None
    location: dict[str, Any] = {"id": location_id, "location_type": "physical"}
    if row.get("location_name"):
        location["name"] = row["location_name"]
    if lat is not None and lng is not None:
        location |= {"latitude": lat, "longitude": lng}
    return location


def service_at_location_list_doc(row: Mapping[str, Any], links: Links, today: date) -> dict[str, Any] | None:
    location = location_doc(row)
    if location is None:
        return None
    return {
        "id": row_uuid(Kind.service_at_location, row["id"]),
        "service_id": row_uuid(Kind.service, row["id"]),
        "location_id": location["id"],
        "location": location,
        "service": service_list_doc(row, links, today),
    }


def _languages(row: Mapping[str, Any], service_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": named_uuid("service", row["id"], "language", code),
            "service_id": service_id,
            "name": gettext(LANGUAGE_NAMES[code]),
            "code": code,
        }
        for code in written(row)
        if code in LOCALES
    ]


def _service_areas(row: Mapping[str, Any], service_id: str) -> list[dict[str, Any]]:
    code = row.get("council_area") or ""
    name = council_name(code, current_locale())
    if not name:
        return []
    area: dict[str, Any] = {
        "id": named_uuid("service", row["id"], "service_area"),
        "service_id": service_id,
        "name": name,
        "service_area": name,
    }
    if GSS_CODE.match(code):
        area["uri"] = GSS_URI + code
    return [area]


def _cost_options(row: Mapping[str, Any], service_id: str) -> list[dict[str, Any]]:
    if row.get("price_pence") is None:
        return []
    cost: dict[str, Any] = {
        "id": named_uuid("service", row["id"], "cost_option"),
        "service_id": service_id,
        "option": gettext("You pay"),
        "amount": row["price_pence"] / 100,
    }
    if row.get("usual_price_pence"):
        cost["amount_description"] = _("usually %(price)s") % {"price": as_text(row["usual_price_pence"])}
    return [cost]


def _schedules(row: Mapping[str, Any], service_id: str) -> list[dict[str, Any]]:
    closes_on, starts_on = row.get("closes_on"), row.get("starts_on")
    if closes_on is None and starts_on is None:
        return []
    schedule: dict[str, Any] = {"id": named_uuid("service", row["id"], "schedule"), "service_id": service_id}
    said = []
    if closes_on is not None:
        schedule["valid_to"] = closes_on.isoformat()
        said.append(_("Closes on %(date)s.") % {"date": long_date(closes_on)})
    if starts_on is not None:
        said.append(_("Starts on %(date)s.") % {"date": long_date(starts_on)})
    schedule["description"] = " ".join(said)
    return [schedule]


def _attributes(row: Mapping[str, Any], service_id: str, links: Links) -> list[dict[str, Any]]:
    attributes = []
    for found in terms_of(row):
        term = term_doc(found, links)
        attributes.append(
            {
                "id": named_uuid("service", row["id"], "attribute", term["id"]),
                "link_id": service_id,
                "link_type": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": term,
            }
        )
    return attributes


def service_doc(row: Mapping[str, Any], links: Links, today: date, with_locations: bool = True) -> dict[str, Any]:
    """The fully nested service: its terms, languages, area, price, dates and (unless it is the service of a
    service_at_location) where it happens."""
    service = service_list_doc(row, links, today)
    service_id = service["id"]
    service |= {
        "languages": _languages(row, service_id),
        "service_areas": _service_areas(row, service_id),
        "cost_options": _cost_options(row, service_id),
        "schedules": _schedules(row, service_id),
        "attributes": _attributes(row, service_id, links),
    }
    if with_locations:
        located = service_at_location_doc(row, links, today, nested=True)
        service["service_at_locations"] = [located] if located else []
    return service


def service_at_location_doc(
    row: Mapping[str, Any], links: Links, today: date, nested: bool = False
) -> dict[str, Any] | None:
    """The offer at its place, with the full service (nested inside a service, the service is left out)."""
    listed = service_at_location_list_doc(row, links, today)
    if listed is None:
        return None
    if nested:
        del listed["service"]
    else:
        listed["service"] = service_doc(row, links, today, with_locations=False)
    return listed
