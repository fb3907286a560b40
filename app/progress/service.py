"""Progress against the charter: whose figures a dashboard shows, SMART objectives and how they are going, and the
annual corporate parenting progress report. Every number comes from app.uptake.measures, protected the same way
on every page, CSV, JSON and PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, Literal, TypedDict

from app.audit import service as audit
from app.core.auth import Principal
from app.core.charter import BY_ID
from app.core.counts import SMALL, Cell
from app.core.errors import BadRequest, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.feedback.tables import Feedback
from app.offers.tables import OfferType
from app.organisations.service import statements_of
from app.organisations.tables import Organisation, OrganisationKind
from app.progress.tables import Objective
from app.uptake import kept, measures, published
from app.uptake.measures import Scope, reporting_year
from app.uptake.published import Report, Row
from app.verdicts import service as verdicts
from app.verdicts.service import Verdict

FIRST_YEAR = 2025  # the service's first reporting year
OBJECTIVE_MEASURES = ("starts", "completions", "applications", "claimed", "redeemed", "people")


@dataclass(frozen=True)
class Org:
    """An organisation as its dashboard and its report show it."""

    id: int
    name: str
    slug: str
    kind: OrganisationKind
    council_area: str
    pledged_principles: list[int]
    pledged_at: datetime | None
    pledge_statements: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Dashboard:
    """A dashboard's figures for the year and principle asked for, the years there are, and (for a council) the
    names of the organisations in its table by organisation."""

    report: Report
    year: int
    principle: int | None
    years: list[int]
    names: dict[str, str]


def scope_of(org: Org) -> Scope:
    """A council's dashboard is about young people living in its area and offers there; anyone else's, its own
    offers."""
    if org.kind == "council":
        return Scope("council", area=org.council_area)
    return Scope("organisation", organisation=org.id)


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


async def organisation(org_id: int) -> Org:
    found = (
        await Organisation.select(
            Organisation.id, Organisation.name, Organisation.slug, Organisation.kind, Organisation.council_area,
            Organisation.pledged_principles, Organisation.pledged_at, Organisation.pledge_statements,
        )
        .where(Organisation.id == org_id)
        .first()
    )  # fmt: skip
    if found is None:
        raise NotFound(_("We could not find that organisation."))
    statements = statements_of(found["pledge_statements"])
    return Org(**(found | {"kind": OrganisationKind(found["kind"]), "pledge_statements": statements}))


async def dashboard(scope: Scope, year: int, principle: int | None) -> Report:
    return published.report(await kept.figures(scope, year, principle))


async def dashboard_for(scope: Scope, params: Any, today: date) -> Dashboard:
    """The dashboard for the year and principle in a query string (a clear 400 for any other)."""
    year, principle = period(params, today)
    report = await dashboard(scope, year, principle)
    return Dashboard(report, year, principle, years(today), await names(report))


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


class CellJson(TypedDict):
    value: int | None
    suppressed: str | None  # why it is not shown


class ReportJson(TypedDict):
    year: int
    principle: int | None
    total: dict[str, CellJson]
    median_days_application_to_start: str
    feedback_score: str
    tables: dict[str, list[dict[str, str | CellJson]]]  # each row: its "key", and a cell for each measure


def as_json(report: Report) -> ReportJson:
    """The same protected cells as the page: a count not shown is null, with the reason beside it."""

    def cells(row: Row) -> dict[str, CellJson]:
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


Status = Literal["met", "on_track", "at_risk", "too_few", "missed"]


@dataclass(frozen=True)
class Aim:
    """An objective: a count (`measure`, of one type of offer or, empty, of every type) to reach `target` by
    `deadline`, for a charter principle; `id` 0 until it is saved."""

    principle: int
    measure: str
    offer_type: str
    target: int
    deadline: date
    note: str = ""
    id: int = 0


@dataclass(frozen=True)
class Progress:
    objective: Aim
    count: Cell
    status: Status
    expected: int


def _status(count: Cell, target: int, deadline: date, today: date) -> tuple[Status, int]:
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


async def objective_progress(org_id: int, objective: Aim, today: date) -> Progress:
    """Counted from the start of the deadline's reporting year to the deadline, and published like any count (two
    objectives with different deadlines differ by noise, not by people)."""
    year, measure, deadline = reporting_year(objective.deadline), objective.measure, objective.deadline
    asked = (Scope("organisation", organisation=org_id), year, objective.principle, objective.offer_type)
    tally = await kept.tally(*asked, until=deadline)
    cell = Cell.of(tally[measure], tally[f"{measure}_key"])
    status, expected = _status(cell, objective.target, deadline, today)
    return Progress(objective, cell, status, expected)


async def objectives(org_id: int, today: date, year: int | None = None) -> list[Progress]:
    rows = await Objective.select(
        Objective.principle, Objective.measure, Objective.offer_type, Objective.target, Objective.deadline,
        Objective.note, Objective.id,
    ).where(Objective.organisation == org_id).order_by(Objective.deadline)  # fmt: skip
    found = [Aim(**row) for row in rows]
    if year is not None:
        found = [o for o in found if reporting_year(o.deadline) == year]
    return [await objective_progress(org_id, objective, today) for objective in found]


def read_objective(form: Form, today: date) -> Aim:
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
    assert target is not None and deadline is not None  # form.check() passed
    return Aim(int(principle), measure, offer_type, target, deadline, note)


async def set_objective(who: Principal, org_id: int, form: Form, today: date) -> int:
    aim = read_objective(form, today)
    async with Objective._meta.db.transaction():
        row = Objective(
            organisation=org_id, created_by=who.user_id, principle=aim.principle, measure=aim.measure,
            offer_type=aim.offer_type, target=aim.target, deadline=aim.deadline, note=aim.note,
        )  # fmt: skip
        await row.save()
        await audit.record(
            "objective.set",
            actor=who.user_id,
            organisation=org_id,
            subject=("objective", row.id),
            measure=aim.measure,
            target=aim.target,
            deadline=aim.deadline.isoformat(),
        )
    return int(row.id)


async def remove_objective(who: Principal, org_id: int, objective_id: int) -> None:
    """Removing one already gone does nothing (a second tap, or a colleague first)."""
    async with Objective._meta.db.transaction():
        deleted = (
            await Objective.delete()
            .where((Objective.id == objective_id) & (Objective.organisation == org_id))
            .returning(Objective.id)
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


# Whose feedback the themes count: from young people living in a council's area, or on an organisation's offers.
FROM_HOME_COUNCIL: Final = "yp.home_council"
ON_ORGANISATION: Final = "o.organisation"


@dataclass(frozen=True)
class Themes:
    """Answers in a year: how many gave each rating (1 to 5), and how many mentioned each theme."""

    ratings: list[Cell]
    themes: list[tuple[str, Cell]]


async def feedback_themes(scope: Scope, year: int) -> Themes:
    """Ratings 1 to 5 and themes in the year, each protected like any count: on an organisation's offers, or for a
    council from young people living in its area."""
    start, end = measures.bounds(year)
    whose, value = (FROM_HOME_COUNCIL, scope.area) if scope.kind == "council" else (ON_ORGANISATION, scope.organisation)
    rows = await Feedback.raw(  # S608: FEEDBACK_HASH and whose are constants, and the values go as parameters
        f"SELECT f.rating, f.words, {measures.FEEDBACK_HASH} AS hash"  # noqa: S608
        " FROM feedback f JOIN offer o ON o.id = f.offer"
        " JOIN young_person yp ON yp.id = f.young_person"
        f" WHERE {whose} = {{}} AND f.created_at >= {{}} AND f.created_at < {{}}",
        value,
        start,
        end,
    )
    ratings = [_answers([r for r in rows if r["rating"] == n]) for n in range(1, 6)]
    themes = [_answers([r for r in rows if any(k in r["words"].lower() for k in keys)]) for keys in THEMES.values()]
    return Themes(ratings, list(zip(THEMES, themes, strict=True)))


def _answers(rows: list[dict[str, Any]]) -> Cell:
    """A count of answers, published like any count: each answer's record key is read off its row's hash."""
    return Cell.of(len(rows), sum(row["hash"] for row in rows))


async def year_report(org_id: int, year: int, today: date) -> tuple[Org, Report]:
    """An organisation and its figures for a reporting year: the dashboard's, so the report's numbers are the
    dashboard's for the same year."""
    if year not in years(today):
        raise NotFound(_("There is no report for that year."))
    org = await organisation(org_id)
    return org, await dashboard(scope_of(org), year, None)


@dataclass(frozen=True)
class Annual:
    """The corporate parenting progress report of one organisation for one reporting year, made on `today`."""

    org: Org
    year: int
    today: date
    report: Report
    names: dict[str, str]
    objectives: list[Progress]
    feedback: Themes
    verdict: Verdict | None = None  # young people's verdict on the organisation: None until enough have answered
    enough: int = verdicts.ENOUGH


async def annual(org_id: int, year: int, today: date) -> Annual:
    """The corporate parenting progress report for one organisation and reporting year."""
    org, report = await year_report(org_id, year, today)
    return Annual(
        org=org,
        year=year,
        today=today,
        report=report,
        names=await names(report),
        objectives=[] if org.kind == "council" else await objectives(org_id, today, year),
        feedback=await feedback_themes(report.figures.scope, year),
        verdict=await verdicts.verdict(org_id, year),
    )
