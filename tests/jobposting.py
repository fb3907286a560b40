"""A JobPosting checked against Google's job posting guidance and schema.org's vocabulary, written out here from
their pages (developers.google.com/search/docs/appearance/structured-data/job-posting, schema.org/JobPosting),
so a test fails on a missing property, a wrong type or a value they do not allow."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bs4 import BeautifulSoup

# Google: required, and recommended (the beta education and experience properties aside: offers do not say).
REQUIRED = ("datePosted", "description", "hiringOrganization", "jobLocation", "title")
RECOMMENDED = (
    "applicantLocationRequirements",
    "baseSalary",
    "directApply",
    "employmentType",
    "identifier",
    "jobLocationType",
    "validThrough",
)
# schema.org: each property we give, the types its value may have (a JSON type, or an "@type" of the vocabulary;
# Country and subtypes of AdministrativeArea and Place are what the ranges allow).
RANGES: dict[str, tuple[str, ...]] = {
    "title": ("Text",),
    "description": ("Text",),
    "datePosted": ("Date", "DateTime"),
    "validThrough": ("Date", "DateTime"),
    "hiringOrganization": ("Organization", "Person"),
    "jobLocation": ("Place",),
    "jobLocationType": ("Text",),
    "applicantLocationRequirements": ("AdministrativeArea", "Country", "State", "City"),
    "baseSalary": ("MonetaryAmount", "Number", "PriceSpecification"),
    "employmentType": ("Text",),
    "identifier": ("PropertyValue", "Text", "URL"),
    "directApply": ("Boolean",),
}
EMPLOYMENT_TYPES = {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"}
SALARY_UNITS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
DESCRIPTION_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "code", "pre", "hr"}


def _fits(value: Any, kind: str) -> bool:
    if isinstance(value, dict):
        return value.get("@type") == kind
    if kind == "Text":
        return isinstance(value, str) and value.strip() != ""
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind == "Number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "Date":
        return isinstance(value, str) and _date(value)
    if kind == "DateTime":
        return isinstance(value, str) and _datetime(value)
    return False


def _date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _datetime(value: str) -> bool:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value and moment.tzinfo is not None  # ISO 8601 with its offset


def problems(posting: dict[str, Any]) -> list[str]:
    """Everything wrong with `posting` for Google's job search; empty when it is right."""
    found: list[str] = []
    if posting.get("@context") not in ("https://schema.org", "https://schema.org/"):
        found.append("@context is not schema.org")
    if posting.get("@type") != "JobPosting":
        found.append("@type is not JobPosting")
    remote = posting.get("jobLocationType") == "TELECOMMUTE"
    for name in REQUIRED:
        # A job done wholly from home has no place: TELECOMMUTE and where applicants must live instead.
        if name == "jobLocation" and remote and "applicantLocationRequirements" in posting:
            continue
        if name not in posting:
            found.append(f"{name} is required")
    for name, value in posting.items():
        if name.startswith("@"):
            continue
        if name not in RANGES:
            found.append(f"{name} is not a JobPosting property we expect")
            continue
        values = value if isinstance(value, list) and name == "employmentType" else [value]
        for each in values:
            if not any(_fits(each, kind) for kind in RANGES[name]):
                found.append(f"{name}: {each!r} is none of {RANGES[name]}")
    found += _values(posting)
    return found


def _values(posting: dict[str, Any]) -> list[str]:
    found: list[str] = []
    kinds = posting.get("employmentType", [])
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if kind not in EMPLOYMENT_TYPES:
            found.append(f"employmentType {kind!r} is not one Google knows")
    if "jobLocationType" in posting and posting["jobLocationType"] != "TELECOMMUTE":
        found.append("jobLocationType can only be TELECOMMUTE")
    if posting.get("jobLocationType") == "TELECOMMUTE" and "applicantLocationRequirements" not in posting:
        found.append("a TELECOMMUTE job needs applicantLocationRequirements")
    if "applicantLocationRequirements" in posting and not posting["applicantLocationRequirements"].get("name"):
        found.append("applicantLocationRequirements needs a name")
    if not posting.get("hiringOrganization", {}).get("name"):
        found.append("hiringOrganization needs a name")
    place = posting.get("jobLocation")
    if place is not None:
        address = place.get("address", {})
        if address.get("@type") != "PostalAddress":
            found.append("jobLocation.address must be a PostalAddress")
        if not address.get("addressLocality"):
            found.append("jobLocation.address needs addressLocality")
        country = address.get("addressCountry", "")
        if not (isinstance(country, str) and len(country) == 2 and country.isupper()):
            found.append("addressCountry must be an ISO 3166-1 alpha-2 code")
    salary = posting.get("baseSalary")
    if salary is not None:
        value = salary.get("value", {})
        if salary.get("currency") != "GBP":
            found.append("baseSalary.currency must be GBP (ISO 4217)")
        if value.get("@type") != "QuantitativeValue" or not _fits(value.get("value"), "Number"):
            found.append("baseSalary.value must be a QuantitativeValue with a number")
        elif value["value"] <= 0:
            found.append("baseSalary must be more than nothing")
        if value.get("unitText") not in SALARY_UNITS:
            found.append(f"baseSalary unitText {value.get('unitText')!r} is not HOUR, DAY, WEEK, MONTH or YEAR")
    identifier = posting.get("identifier")
    if isinstance(identifier, dict) and not (identifier.get("name") and identifier.get("value")):
        found.append("identifier needs a name and a value")
    description = posting.get("description", "")
    if description == posting.get("title"):
        found.append("description must not be the title")
    tags = {tag.name for tag in BeautifulSoup(description, "html.parser").find_all(True)}
    if tags - DESCRIPTION_TAGS:
        found.append(f"description has tags {sorted(tags - DESCRIPTION_TAGS)}")
    return found


def postings_in(html: str) -> list[dict[str, Any]]:
    """Every JSON-LD block of a page, parsed."""
    page = BeautifulSoup(html, "html.parser")
    return [json.loads(script.string or "") for script in page.find_all("script", type="application/ld+json")]
