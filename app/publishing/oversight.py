"""What an oversight body (a government department, a children's commissioner) sees, read-only: for the corporate
parents of its nation, whose report for the last year that ended is published, due or overdue, each one's latest
published plan, and the reports submitted to it. Organisations and their published documents only: nothing about
any young person (its members read the national figures, by sector and council area, on /charter, protected as
every figure is)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.core.errors import NotFound
from app.core.i18n import _
from app.organisations.labels import PARENT_KINDS
from app.organisations.tables import Organisation, OrganisationKind
from app.publishing.reports import Standing, nation_of, standing, year_ended
from app.publishing.tables import Plan, PublishedReport
from app.uptake.measures import LONDON, reporting_year


def last_ended_year(today: date) -> int:
    """The latest reporting year that has ended (on 31 March): the one whose report is due or overdue."""
    year = reporting_year(today) - 1
    assert year_ended(year, today)
    return year


def owes(approved_at: datetime, year: int) -> bool:
    """An organisation owes a year's report if it had signed up, and been approved, before that year ended."""
    return approved_at < datetime(year + 1, 4, 1, tzinfo=LONDON)


PLAN_YEARS = 3


def plan_due_on(approved_at: datetime, latest_start: int | None) -> date:
    """A first plan is due by the end of the reporting year in which the organisation was approved; each later one
    by the end of the first year after the last one's three."""
    first = reporting_year(approved_at.astimezone(LONDON).date())
    year = first if latest_start is None else latest_start + PLAN_YEARS
    return date(year + 1, 3, 31)


def plan_standing(approved_at: datetime, latest_start: int | None, today: date) -> Standing:
    if latest_start is not None and latest_start > reporting_year(today) - PLAN_YEARS:
        return Standing.published  # it covers this year
    return Standing.due if today <= plan_due_on(approved_at, latest_start) else Standing.overdue


@dataclass(frozen=True)
class Parent:
    """One corporate parent, as its oversight body sees it."""

    id: int
    name: str
    kind: str
    council_area: str
    report: Standing | None  # None: it signed up after the year ended, so owes no report for it
    report_version: int
    plan_start: int | None  # the first year of its latest published plan
    plan: Standing
    plan_due_on: date


@dataclass(frozen=True)
class Overview:
    nation: str
    year: int
    parents: list[Parent]

    def with_report(self, *standings: Standing) -> list[Parent]:
        return [parent for parent in self.parents if parent.report in standings]


async def overview(org_id: int, today: date) -> Overview:
    body = (
        await Organisation.select(Organisation.kind, Organisation.council_area).where(Organisation.id == org_id).first()
    )
    if body is None or body["kind"] != OrganisationKind.oversight:
        raise NotFound(_("This page is for oversight bodies."))
    nation = nation_of(body["council_area"])
    year = last_ended_year(today)
    rows = await Organisation.select(
        Organisation.id, Organisation.name, Organisation.kind, Organisation.council_area, Organisation.approved_at
    ).where(Organisation.approved_at.is_not_null() & Organisation.kind.is_in(list(PARENT_KINDS)))
    mine = [row for row in rows if nation_of(row["council_area"]) == nation]
    ids = [row["id"] for row in mine] or [0]
    reported = await PublishedReport.select(PublishedReport.organisation, PublishedReport.version).where(
        PublishedReport.organisation.is_in(ids) & (PublishedReport.year == year)
    )
    versions: dict[int, int] = {}
    for row in reported:
        versions[row["organisation"]] = max(versions.get(row["organisation"], 0), row["version"])
    planned = await Plan.select(Plan.organisation, Plan.start_year).where(
        Plan.organisation.is_in(ids) & Plan.signed_at.is_not_null()
    )
    plans: dict[int, int] = {}
    for row in planned:
        plans[row["organisation"]] = max(plans.get(row["organisation"], 0), row["start_year"])
    parents = [
        Parent(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            council_area=row["council_area"],
            report=standing(year, row["id"] in versions, today) if owes(row["approved_at"], year) else None,
            report_version=versions.get(row["id"], 0),
            plan_start=plans.get(row["id"]),
            plan=plan_standing(row["approved_at"], plans.get(row["id"]), today),
            plan_due_on=plan_due_on(row["approved_at"], plans.get(row["id"])),
        )
        for row in mine
    ]
    order = {Standing.overdue: 0, Standing.due: 1, Standing.published: 2, None: 3}
    parents.sort(key=lambda parent: (order.get(parent.report, 3), parent.name.casefold()))
    return Overview(nation, year, parents)
