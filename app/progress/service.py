"""Progress against the charter: whose figures a dashboard shows, SMART objectives and how they are going, and the
annual corporate parenting progress report. Every number comes from app.uptake.measures, protected the same way
on every page, CSV, JSON and PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.audit import service as audit
from app.core.auth import Principal
from app.core.charter import BY_ID
from app.core.counts import SMALL, Cell
from app.core.db import MAX_ID
from app.core.errors import BadRequest, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.feedback.tables import Feedback
from app.offers.tables import OfferType
from app.organisations.tables import Organisation
from app.progress.tables import Objective
from app.uptake import kept, measures, published
from app.uptake.measures import Scope, reporting_year
from app.uptake.published import Report

FIRST_YEAR = 2025  # the service's first reporting year
OBJECTIVE_MEASURES = ("starts", "completions", "applications", "claimed", "redeemed", "people")


def scope_of(org: dict[str, Any]) -> Scope:
    """A council's dashboard is about young people living in its area and offers there; anyone else's, its own
    offers."""
    if org["kind"] == "council":
        return Scope("council", area=org["council_area"])
    return Scope("organisation", organisation=org["id"])


def years(today: date) -> list[int]:
    return list(range(reporting_year(today), FIRST_YEAR - 1, -1))


def period(params: Any, today: date) -> tuple[int, int | None]:
    """The year and principle asked for in a query string (?year=2026&principle=5); a clear 400 otherwise."""
    raw_year, raw_principle = params.get("year") or "", params.get("principle") or ""
    try:
        year = int(raw_year) if raw_year else reporting_year(today)
        principle = int(raw_principle) if raw_principle else None
    except ValueError:
        raise BadRequest(_("Choose a year and a principle from the lists.")) from None
    if year not in years(today):
        raise BadRequest(
            _("There are figures for the years %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": reporting_year(today)}
        )
    if principle is not None and principle not in BY_ID:
        raise BadRequest(_("Choose a principle from the list."))
    return year, principle


async def organisation(org_id: int) -> dict[str, Any]:
    found = await Organisation.select().where(Organisation.id == org_id).first() if 0 < org_id <= MAX_ID else None
    if found is None:
        raise NotFound(_("We could not find that organisation."))
    return found


async def dashboard(scope: Scope, year: int, principle: int | None) -> Report:
    return published.report(await kept.figures(scope, year, principle))


async def names(report: Report) -> dict[str, str]:
    """Organisation names for a report's table by organisation (shown for a council's area only)."""
    if report.figures.scope.kind != "council":
        return {}
    ids = [int(row.key) for row in report.tables["organisation"] if row.key.isdigit()]
    found = (
        await Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.is_in(ids)) if ids else []
    )
    named = {str(row["id"]): row["name"] for row in found}
    return {row.key: named.get(row.key) or _("Not known") for row in report.tables["organisation"]}


def as_json(report: Report) -> dict[str, Any]:
    """The same protected cells as the page: a count not shown is null, with the reason beside it."""

    def cells(row: Any) -> dict[str, Any]:
        return {m: {"value": c.value, "suppressed": c.why or None} for m, c in row.cells.items()}

    figures = report.figures
    return {
        "year": figures.year,
        "principle": figures.principle,
        "total": cells(report.total),
        "median_days_application_to_start": report.median_days,
        "feedback_score": report.score,
        "tables": {name: [{"key": row.key, **cells(row)} for row in table] for name, table in report.tables.items()},
    }


def rows(report: Report) -> list[list[Any]]:
    """Every table of a report as rows of (table, key, measure...), protected: for CSV."""
    out = [["total", "", *(report.total.cells[m].exported for m in measures.MEASURES)]]
    for name, table in report.tables.items():
        out += [[name, row.key, *(row.cells[m].exported for m in measures.MEASURES)] for row in table]
    return out


# SMART objectives ---------------------------------------------------------------------------------------------


@dataclass
class Progress:
    objective: dict[str, Any]
    count: Cell
    status: str  # met, on_track, at_risk, missed
    expected: int


def _status(count: Cell, target: int, deadline: date, today: date) -> tuple[str, int]:
    """On track when the published count is at least the share of the target that the time gone says it should be.
    Worked out from the published count, never the true one; "fewer than 6" says only that the count is 1 to 5
    (or none), so the status says no more than that either."""
    start = measures.bounds(reporting_year(deadline))[0].date()
    days = max((deadline - start).days + 1, 1)
    gone = min(max((today - start).days + 1, 0), days)
    expected = -(-target * gone // days)  # rounded up
    if count.value is None:  # 1 to 5
        if today > deadline:
            return ("missed" if target >= SMALL else "too_few"), target
        return ("at_risk" if expected >= SMALL else "too_few"), expected
    if count.value >= target:
        return "met", target
    if today > deadline:
        return "missed", target
    return ("on_track" if count.value >= expected else "at_risk"), expected


async def objective_progress(org_id: int, objective: dict[str, Any], today: date) -> Progress:
    """Counted from the start of the deadline's reporting year to the deadline, and published like any count (two
    objectives with different deadlines differ by noise, not by people)."""
    year, measure, deadline = reporting_year(objective["deadline"]), objective["measure"], objective["deadline"]
    asked = (Scope("organisation", organisation=org_id), year, objective["principle"], objective["offer_type"])
    tally = await kept.tally(*asked, until=deadline)
    cell = Cell.of(tally[measure], tally[f"{measure}_key"])
    status, expected = _status(cell, objective["target"], deadline, today)
    return Progress(objective, cell, status, expected)


async def objectives(org_id: int, today: date, year: int | None = None) -> list[Progress]:
    found = await Objective.select().where(Objective.organisation == org_id).order_by(Objective.deadline)
    if year is not None:
        found = [o for o in found if reporting_year(o["deadline"]) == year]
    return [await objective_progress(org_id, objective, today) for objective in found]


def read_objective(form: Form, today: date) -> dict[str, Any]:
    principle = form.choice("principle", [str(p) for p in BY_ID], message=_("Choose the principle it serves."))
    measure = form.choice("measure", OBJECTIVE_MEASURES, message=_("Choose what you will count."))
    offer_type = form.choice("offer_type", list(OfferType), required=False)
    target = form.number("target", 1, 100_000)
    deadline = form.day("deadline")
    if deadline is None and "deadline" not in form.errors:
        form.error("deadline", _("Enter the date you mean to reach it by, like 2027-03-31."))
    elif deadline is not None and not today <= deadline <= date(today.year + 3, 12, 31):
        form.error("deadline", _("Choose a date from today to the end of %(year)d.") % {"year": today.year + 3})
    note = form.text("note", 500, multiline=True)
    form.check()
    return {
        "principle": int(principle),
        "measure": measure,
        "offer_type": offer_type,
        "target": target,
        "deadline": deadline,
        "note": note,
    }


async def set_objective(who: Principal, org_id: int, form: Form, today: date) -> int:
    values = read_objective(form, today)
    async with Objective._meta.db.transaction():
        row = Objective(organisation=org_id, created_by=who.user_id, **values)
        await row.save()
        await audit.record(
            "objective.set",
            actor=who.user_id,
            organisation=org_id,
            subject=("objective", row.id),
            measure=values["measure"],
            target=values["target"],
            deadline=values["deadline"].isoformat(),
        )
    return int(row.id)


async def remove_objective(who: Principal, org_id: int, objective_id: int) -> None:
    """Removing one already gone does nothing (a second tap, or a colleague first)."""
    async with Objective._meta.db.transaction():
        deleted = (
            await Objective.delete()
            .where((Objective.id == objective_id) & (Objective.organisation == org_id))
            .returning(Objective.id)
            if 0 < objective_id <= MAX_ID
            else []
        )
        if deleted:
            await audit.record(
                "objective.removed", actor=who.user_id, organisation=org_id, subject=("objective", objective_id)
            )


# The annual report ------------------------------------------------------------------------------------------------

# Feedback themes: what young people's words are about, counted (never quoted: words can say who wrote them).
THEMES = {
    "confidence": ("confiden", "hyder", "believe", "brave"),
    "skills": ("skill", "learn", "sgil", "dysgu", "train"),
    "work": ("job", "work", "career", "apprentice", "swydd", "gwaith"),
    "people": ("staff", "mentor", "friend", "kind", "welcom", "ffrind"),
    "getting_there": ("travel", "bus", "train fare", "cost", "money", "teithio", "arian"),
    "fun": ("fun", "enjoy", "swim", "gym", "hwyl", "mwynhau"),
}


async def feedback_themes(scope: Scope, year: int) -> dict[str, Any]:
    """Ratings 1 to 5 and themes in the year, each protected like any count: on an organisation's offers, or for a
    council from young people living in its area."""
    start, end = measures.bounds(year)
    whose, value = (
        ("yp.home_council", scope.area) if scope.kind == "council" else ("o.organisation", scope.organisation)
    )
    rows = await Feedback.raw(
        f"SELECT f.rating, f.words, {measures.FEEDBACK_HASH} AS hash"
        " FROM feedback f JOIN offer o ON o.id = f.offer"
        " JOIN young_person yp ON yp.id = f.young_person"
        f" WHERE {whose} = {{}} AND f.created_at >= {{}} AND f.created_at < {{}}",
        value,
        start,
        end,
    )
    ratings = [_answers([r for r in rows if r["rating"] == n]) for n in range(1, 6)]
    themes = [_answers([r for r in rows if any(k in r["words"].lower() for k in keys)]) for keys in THEMES.values()]
    return {"ratings": ratings, "themes": list(zip(THEMES, themes, strict=True))}


def _answers(rows: list[dict[str, Any]]) -> Cell:
    """A count of answers, published like any count: each answer's record key is read off its row's hash."""
    return Cell.of(len(rows), sum(row["hash"] for row in rows))


async def year_report(org_id: int, year: int, today: date) -> tuple[dict[str, Any], Report]:
    """An organisation and its figures for a reporting year: the dashboard's, so the report's numbers are the
    dashboard's for the same year."""
    if year not in years(today):
        raise NotFound(_("There is no report for that year."))
    org = await organisation(org_id)
    return org, await dashboard(scope_of(org), year, None)


async def annual(org_id: int, year: int, today: date) -> dict[str, Any]:
    """The corporate parenting progress report for one organisation and reporting year."""
    org, report = await year_report(org_id, year, today)
    return {
        "org": org,
        "year": year,
        "today": today,
        "report": report,
        "names": await names(report),
        "objectives": [] if org["kind"] == "council" else await objectives(org_id, today, year),
        "feedback": await feedback_themes(report.figures.scope, year),
    }
