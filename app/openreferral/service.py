"""The open data's rules: which offers are published, in what order, through which filters, and when the data
last changed. Everything is read from PostgreSQL by id through the `offer_open_data` indexes (migration
2026-11-28T06:31), never from Meilisearch, so the API answers the same thing as the offers' own pages.

Paging: services are in the order their offers were first published (`published_at`, set once when the team first
approves an offer and never again; then the id), so an offer published for the first time comes after every other.
`page` and `per_page` work as the profile says (an offset into the live offers), but an offer that closes while
someone walks the pages moves every later one back by one, so an offset walk can skip one. So each page that has a
next one says where it is in its `Link: <...>; rel="next"` header: the next page number with `after=<the last
service's id>`, and that page starts right after that service in this order, wherever it now is in the count. A
walk that follows the links finds every offer that stays live throughout exactly once, and every offer first
published meanwhile, however many close. (One taken down or closed and approved again keeps its place: if the walk
has passed it, it is not found again.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from urllib.parse import urlencode

from app.core.charter import BY_SLUG
from app.core.errors import BadRequest
from app.core.i18n import _
from app.offers.documents import SUPPORT_FLAGS
from app.offers.service import open_sql
from app.offers.tables import Offer
from app.openreferral.documents import (
    service_at_location_doc,
    service_at_location_list_doc,
    service_doc,
    service_list_doc,
)
from app.openreferral.ids import Kind, row_uuid
from app.openreferral.links import Links
from app.openreferral.params import Filters, Paging
from app.openreferral.taxonomies import Found, Taxonomy
from app.openreferral.totals import TOTALS, monotonic

STARTED: Final = datetime.now(UTC)  # what this code says (taxonomies, wording) changes only when it is deployed
DEGREE_M = 111_320.0

LIST_COLUMNS: Final = (
    "o.id, o.organisation, o.type, o.title, o.summary, o.description, o.language, o.title_alt, o.summary_alt,"
    " o.description_alt, o.min_age, o.max_age, o.status, o.closes_on, o.remote, o.location_name, o.latitude,"
    " o.longitude, greatest(o.public_changed_at, g.public_changed_at) AS changed, g.name AS org_name,"
    " g.kind AS org_kind, g.pledged_at AS org_pledged_at"
)
FULL_COLUMNS: Final = (
    LIST_COLUMNS + ", o.principles, o.travel_paid, o.equipment_provided, o.mentor, o.flexible_hours,"
    " o.accessible_venue, o.free, o.price_pence, o.usual_price_pence, o.council_area, o.starts_on"
)
FROM: Final = " FROM offer o JOIN organisation g ON g.id = o.organisation"
# Live: open today (the offers' own rule, today as its parameter), from an organisation the team approved; the
# organisations waiting for approval are a parameter, so lists are read from offer_open_data alone, with no join.
LIVE: Final = open_sql("o.") + " AND o.published_at IS NOT NULL AND o.organisation <> ALL({}::int[])"
ORDER: Final = " ORDER BY o.published_at, o.id"
# After the service a next link names: its offer's place in ORDER (published_at never changes once set). Only an
# offer anyone may still read by its id (live, or closed) names a place: a hidden one's would tell when it was
# first published (a next link naming one taken down since says to start again).
AFTER: Final = (
    " AND (o.published_at, o.id) > ((SELECT published_at FROM offer WHERE id = {}"
    " AND status IN ('published', 'closed')), {})"
)
PLACE: Final = "SELECT 1 FROM offer WHERE id = {} AND status IN ('published', 'closed') AND published_at IS NOT NULL"
# Shown by id: live, or closed after it was once approved (its page stays readable; it is marked inactive).
SHOWN: Final = (
    "o.id = {} AND o.status IN ('published', 'closed') AND o.published_at IS NOT NULL AND g.approved_at IS NOT NULL"
)
LOCATED: Final = "(o.remote OR o.latitude IS NOT NULL OR o.location_name <> '')"
# The same expression as the index offer_open_data_words, or the index is not used.
WORDS: Final = (
    "to_tsvector('simple'::regconfig, o.title || ' ' || o.summary || ' ' || o.title_alt || ' ' || o.summary_alt)"
    " @@ plainto_tsquery('simple'::regconfig, {})"
)
FLAG_CLAUSES: Final = {flag: f"o.{flag}" for flag in SUPPORT_FLAGS}
ANY_SUPPORT: Final = "(" + " OR ".join(FLAG_CLAUSES.values()) + ")"
NEAR: Final = (
    "o.latitude BETWEEN {} AND {} AND o.longitude BETWEEN {} AND {} AND 2 * 6371008.8 * asin(sqrt("
    "power(sin(radians(o.latitude - {}) / 2), 2) + cos(radians({})) * cos(radians(o.latitude))"
    " * power(sin(radians(o.longitude - {}) / 2), 2))) <= {}"
)
# When any offer's or organisation's public columns last changed (max is one index lookup), and which
# organisations are waiting for the team's approval (a handful at most).
STATE: Final = (
    "SELECT greatest((SELECT max(public_changed_at) FROM offer), (SELECT max(public_changed_at) FROM organisation))"
    " AS changed, ARRAY(SELECT id FROM organisation WHERE approved_at IS NULL) AS waiting"
)
CHANGED_SINCE: Final = (
    "(o.public_changed_at >= {} OR o.organisation IN (SELECT id FROM organisation WHERE public_changed_at >= {}))"
)


def _term_clause(found: Found) -> tuple[str, list[Any]]:
    slug = found.taxonomy.slug
    if slug == "offer-type":
        return "o.type = {}", [found.term.slug]
    if slug == "charter-principle":
        return "{}::smallint = ANY(o.principles)", [BY_SLUG[found.term.slug].id]
    return FLAG_CLAUSES[found.term.slug], []


def _taxonomy_clause(taxonomy: Taxonomy) -> str:
    if taxonomy.slug == "offer-type":
        return "TRUE"  # every offer has a type
    if taxonomy.slug == "charter-principle":
        return "cardinality(o.principles) > 0"
    return ANY_SUPPORT


def where(filters: Filters, today: date, waiting: list[int], located: bool) -> tuple[str, list[Any]]:
    """The WHERE clause over offers alone (built from this module's constants only) and its parameters, in order;
    `waiting` are the organisations not approved."""
    clauses: list[str] = [LIVE]
    args: list[Any] = [today, waiting]
    if located:
        clauses.append(LOCATED)
    if filters.words:
        clauses.append(WORDS)
        args.append(filters.words)
    if filters.term is not None:
        clause, values = _term_clause(filters.term)
        clauses.append(clause)
        args += values
    if filters.taxonomy is not None:
        clauses.append(_taxonomy_clause(filters.taxonomy))
    if filters.organisation is not None:
        clauses.append("o.organisation = {}")
        args.append(filters.organisation)
    if filters.modified_after is not None:
        clauses.append(CHANGED_SINCE)
        args += [filters.modified_after, filters.modified_after]
    if filters.minimum_age is not None:
        clauses.append("o.min_age >= {}::float8")
        args.append(filters.minimum_age)
    if filters.maximum_age is not None:
        clauses.append("o.max_age <= {}::float8")
        args.append(filters.maximum_age)
    if filters.near is not None:
        near = filters.near
        dlat = near.metres / DEGREE_M
        dlng = near.metres / (DEGREE_M * max(math.cos(math.radians(near.lat)), 0.01))
        clauses.append(NEAR)
        args += [near.lat - dlat, near.lat + dlat, near.lng - dlng, near.lng + dlng]
        args += [near.lat, near.lat, near.lng, float(near.metres)]
    return " WHERE " + " AND ".join(clauses), args


@dataclass(frozen=True)
class Listing:
    total: int
    rows: list[dict[str, Any]]
    has_more: bool
    changed: datetime  # when anything the list shows may last have changed


async def listing(filters: Filters, paging: Paging, today: date, located: bool = False) -> Listing:
    """One page of live offers in ORDER (starting after `paging.after` when given), and how many there are."""
    state = (await Offer.raw(STATE))[0]
    clause, args = where(filters, today, sorted(state["waiting"]), located)
    key = (clause, *(tuple(arg) if isinstance(arg, list) else arg for arg in args))
    total = TOTALS.get(key, state["changed"], monotonic())
    if total is None:
        total = int((await Offer.raw("SELECT count(*) AS n FROM offer o" + clause, *args))[0]["n"])  # noqa: S608
        TOTALS.keep(key, state["changed"], total, monotonic())
    page_args = list(args)
    if paging.after is not None:
        if not await Offer.raw(PLACE, paging.after):
            raise BadRequest(_("The service this page starts after is no longer published: start again from page 1."))
        clause += AFTER
        page_args += [paging.after, paging.after]
    # The page's ids from the index alone (a deep page skips its offset there), then those rows in full.
    ids = "SELECT o.id FROM offer o" + clause + ORDER + " LIMIT {} OFFSET {}"  # noqa: S608 (constants only)
    rows = await Offer.raw(
        "SELECT " + LIST_COLUMNS + FROM + " WHERE o.id IN (" + ids + ")" + ORDER,  # noqa: S608 (constants only)
        *page_args,
        paging.per_page + 1,
        paging.offset,
    )
    changed = data_changed(state["changed"], today)
    return Listing(total, rows[: paging.per_page], len(rows) > paging.per_page, changed)


async def shown(offer_id: int) -> dict[str, Any] | None:
    """An offer as /services/{id} shows it: live, or closed once it had been approved; None otherwise."""
    rows = await Offer.raw("SELECT " + FULL_COLUMNS + FROM + " WHERE " + SHOWN, offer_id)  # noqa: S608 (constants)
    return rows[0] if rows else None


def midnight(day: date) -> datetime:
    """The start of `day` where the server is: when an offer closing the day before stopped being live."""
    return datetime.combine(day, time.min).astimezone(UTC)


def data_changed(changed: datetime | None, today: date) -> datetime:
    """When anything the lists show may last have changed: an offer's or organisation's public columns
    (`changed`), the day (offers past their closing date drop out at midnight) or this code (a deploy)."""
    return max(changed or STARTED, midnight(today), STARTED)


def row_changed(row: dict[str, Any], today: date) -> datetime:
    """When one service last changed: its row or organisation, the midnight it closed by date, or this code."""
    closes_on = row.get("closes_on")
    closed = midnight(closes_on + timedelta(days=1)) if closes_on is not None and closes_on < today else STARTED
    return max(row["changed"], closed, STARTED)


def page_doc(total: int, paging: Paging, contents: Sequence[Mapping[str, Any]], has_more: bool) -> dict[str, Any]:
    """The profile's paging envelope around `contents`."""
    return {
        "total_items": total,
        "total_pages": math.ceil(total / paging.per_page),
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1 and paging.after is None,
        "last_page": not has_more,
        "empty": not contents,
        "contents": contents,
    }


def next_link(url: str, query: Iterable[tuple[str, str]], paging: Paging, last_id: int | None = None) -> str:
    """The next page's address: the same filters, the next page number, and (a list of services) after the last
    service shown."""
    kept = [(name, value) for name, value in query if name not in ("page", "per_page", "after")]
    kept += [("page", str(paging.page + 1)), ("per_page", str(paging.per_page))]
    if last_id is not None:
        kept.append(("after", row_uuid(Kind.service, last_id)))
    return f"{url}?{urlencode(kept)}"


@dataclass(frozen=True)
class Page:
    doc: dict[str, Any]  # the envelope with its contents
    changed: datetime
    last: int  # the offer id the page ends with, when there is a next page; else 0


async def services_page(filters: Filters, paging: Paging, today: date, links: Links) -> Page:
    found = await listing(filters, paging, today)
    contents = [service_list_doc(row, links, today) for row in found.rows]
    last = found.rows[-1]["id"] if found.has_more else 0
    return Page(page_doc(found.total, paging, contents, found.has_more), found.changed, last)


async def service_at_locations_page(filters: Filters, paging: Paging, today: date, links: Links) -> Page:
    found = await listing(filters, paging, today, located=True)
    contents = [doc for row in found.rows if (doc := service_at_location_list_doc(row, links, today))]
    last = found.rows[-1]["id"] if found.has_more else 0
    return Page(page_doc(found.total, paging, contents, found.has_more), found.changed, last)


def static_page(items: Sequence[Mapping[str, Any]], paging: Paging) -> dict[str, Any]:
    """A page of a list that is the same for everyone until the next deploy (taxonomies, terms)."""
    shown = items[paging.offset : paging.offset + paging.per_page]
    return page_doc(len(items), paging, shown, paging.offset + paging.per_page < len(items))


async def service(offer_id: int, today: date, links: Links) -> tuple[dict[str, Any], datetime] | None:
    row = await shown(offer_id)
    if row is None:
        return None
    return service_doc(row, links, today), row_changed(row, today)


async def service_at_location(offer_id: int, today: date, links: Links) -> tuple[dict[str, Any], datetime] | None:
    row = await shown(offer_id)
    doc = service_at_location_doc(row, links, today) if row else None
    if row is None or doc is None:
        return None
    return doc, row_changed(row, today)
