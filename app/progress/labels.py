"""Words for measures, objective statuses, months, reporting years and the rows of a report's tables."""

from collections.abc import Callable
from datetime import date
from typing import Any

from babel.dates import format_date

from app.core.charter import BY_ID
from app.core.i18n import N_, collation_key, current_locale, gettext, labeller
from app.offers.labels import type_label
from search.places import council_name

MEASURE_LABELS = {
    "offers": N_("Offers live"),
    "places": N_("Places offered"),
    "ring_fenced": N_("Offers live with ring-fenced places"),
    "guaranteed_interview": N_("Offers live with a guaranteed interview"),
    "applications": N_("Applications"),
    "starts": N_("Starts"),
    "completions": N_("Completions"),
    "claimed": N_("Codes claimed"),
    "redeemed": N_("Codes used"),
    "people": N_("Young people reached"),
    "suggested": N_("Taken up after an adviser's suggestion"),
}
STATUS_LABELS = {
    "met": N_("Met"),
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "too_few": N_("Too few to say yet"),
    "missed": N_("Missed"),
}
THEME_LABELS = {
    "confidence": N_("Confidence"),
    "skills": N_("Skills and learning"),
    "work": N_("Work and careers"),
    "people": N_("The people they met"),
    "getting_there": N_("Travel and cost"),
    "fun": N_("Enjoyment"),
}
measure_label = labeller(MEASURE_LABELS)
theme_label = labeller(THEME_LABELS)
objective_status = labeller(STATUS_LABELS)


def month_label(key: str, width: str = "MMM") -> str:
    """'2026-04' as 'Apr' (or 'Ebr' in Welsh)."""
    year, month = key.split("-")
    return format_date(date(int(year), int(month), 1), format=width, locale=current_locale())


def year_label(year: int) -> str:
    return gettext("April %(start)d to March %(end)d") % {"start": year, "end": year + 1}


def principle_name(key: str) -> str:
    return BY_ID[int(key)].name if key.isdigit() and int(key) in BY_ID else key


def area_name(code: str) -> str:
    return council_name(code, current_locale()) or gettext("Not known")


def type_name(key: str) -> str:
    return type_label(key) if key else gettext("Not known")


def by_name(rows: list[Any], label: Callable[[str], str | None]) -> list[Any]:
    """A table's rows in the alphabetical order of their names as shown (never of their counts, which may be
    hidden)."""
    return sorted(rows, key=lambda row: collation_key(label(row.key) or ""))
