"""schema.org JobPosting for a work offer's page, as Google's job search reads it (JSON-LD, built here as a dict
and written into the page with Jinja's `tojson`, which escapes <, > and & so nothing in it can end the script).

Only what the page itself says goes in: the offer's words in the reader's language, its organisation's name, where
it happens, pay, the closing date, and whether applying happens here. Nothing about the people it is for.

Which offers are job postings: apprenticeships, internships, traineeships and work experience, where a young person
does the work (paid or not). Work shadowing is watching someone else work for a day or a few, with no work done
and no post to fill: calling it a job opening would mislead people searching for jobs, which Google's job posting
policies forbid. Mentoring, sport, leisure and culture are not jobs either."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Final
from zoneinfo import ZoneInfo

from markupsafe import escape

from app.offers.markdown import render
from app.offers.rows import OfferPage
from search.places import council_name

LONDON: Final = ZoneInfo("Europe/London")
COUNTRY: Final = "GB"  # ISO 3166-1 alpha-2 (the United Kingdom): every offer is in Wales or England

# Google's employmentType values: FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, VOLUNTEER, PER_DIEM, OTHER.
# An apprenticeship is a job with training (30 hours a week or more, as a rule); internships, traineeships and
# work experience are fixed-term placements to learn on the job, which is what INTERN means.
EMPLOYMENT_TYPES: Final[dict[str, list[str]]] = {
    "apprenticeship": ["FULL_TIME"],
    "internship": ["INTERN"],
    "traineeship": ["INTERN"],
    "work_experience": ["INTERN"],
}
JOB_TYPES: Final = frozenset(EMPLOYMENT_TYPES)
SALARY_UNITS: Final = {"hour": "HOUR", "week": "WEEK", "month": "MONTH", "year": "YEAR"}  # not "once": no period


def description_html(offer: OfferPage) -> str:
    """The summary and the description as the page shows them (Markdown rendered and sanitised), as HTML."""
    parts = [f"<p>{escape(offer['summary'])}</p>"] if offer["summary"] else []
    if offer["description"] and offer["description"] != offer["summary"]:
        parts.append(str(render(offer["description"])))
    return "".join(parts)


def valid_through(closes_on: date) -> str:
    """The end of the closing day in the UK, ISO 8601 with its offset (applications close at midnight there)."""
    return datetime.combine(closes_on, time(23, 59, 59), tzinfo=LONDON).isoformat()


def _location(offer: OfferPage, reader: str) -> dict[str, Any]:
    if offer["remote"]:
        return {
            "jobLocationType": "TELECOMMUTE",
            "applicantLocationRequirements": {"@type": "Country", "name": "United Kingdom"},
        }
    address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": offer["location_name"]}
    region = council_name(offer["council_area"], reader)
    if region:
        address["addressRegion"] = region
    address["addressCountry"] = COUNTRY
    return {"jobLocation": {"@type": "Place", "address": address}}


def _salary(offer: OfferPage) -> dict[str, Any]:
    unit = SALARY_UNITS.get(offer["pay_per"] or "")
    if not offer["pay_pence"] or unit is None:  # no pay, or a one-off sum: not a salary
        return {}
    value = {"@type": "QuantitativeValue", "value": offer["pay_pence"] / 100, "unitText": unit}
    return {"baseSalary": {"@type": "MonetaryAmount", "currency": "GBP", "value": value}}


def job_posting(offer: OfferPage, reader: str) -> dict[str, Any] | None:
    """The JobPosting of an offer's page, or None: not a job, no longer open, or nothing to describe it with (a
    description is required, and the title alone would not do). `reader` is the page's language."""
    posted = offer["live_since"] or offer["published_at"]
    description = description_html(offer)
    if offer["type"] not in JOB_TYPES or not offer["is_open"] or posted is None or not description:
        return None
    if not offer["remote"] and not offer["location_name"]:
        return None  # a place is required unless it is done from home
    posting: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": offer["title"],
        "description": description,
        "datePosted": posted.replace(microsecond=0).isoformat(),
        "hiringOrganization": {"@type": "Organization", "name": offer["organisation_name"]},
        **_location(offer, reader),
        "employmentType": EMPLOYMENT_TYPES[offer["type"]],
        "identifier": {"@type": "PropertyValue", "name": offer["organisation_name"], "value": str(offer["id"])},
        "directApply": offer["apply_method"] == "in_app",
        **_salary(offer),
    }
    if offer["closes_on"] is not None:
        posting["validThrough"] = valid_through(offer["closes_on"])
    return posting
