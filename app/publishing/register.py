"""The public register of signatories (/signatories, with CSV and JSON of the same rows): every organisation the
team has approved (not the team, nor oversight bodies), with its sector, area, the date it pledged, its pledge in
its words, its live offers, how its objectives stand, its latest published plan and report, and the concerns
upheld about it (a protected count, as every count of people's doings is), and young people's verdict once
enough have answered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.concerns import service as concerns
from app.core.counts import Cell
from app.core.errors import BadRequest
from app.core.i18n import _
from app.offers.service import OPEN_SQL
from app.organisations.labels import SIGN_UP_KINDS
from app.organisations.service import statements_of
from app.organisations.tables import Organisation
from app.progress import service as progress
from app.publishing.tables import Plan, PublishedReport
from app.settings import Settings
from app.uptake.measures import reporting_year
from app.verdicts import service as verdicts

LISTED = tuple(kind for kind in SIGN_UP_KINDS if kind != "oversight")


@dataclass(frozen=True)
class Signatory:
    id: int
    name: str
    kind: str
    council_area: str
    pledged_at: datetime | None
    pledged: list[int]
    statements: dict[str, dict[str, str]]
    live_offers: int
    objectives: dict[str, int]  # how many objectives stand where: met, on_track, at_risk, too_few, missed
    report_year: int | None  # its latest published report
    plan_year: int | None  # the first year of its latest published plan
    upheld: Cell
    verdict: verdicts.Verdict | None = None  # young people's, for the latest year with enough answers


def read_filters(params: Any, areas: set[str]) -> tuple[str, str]:
    """?sector=health&area=W06000015: a clear 400 for anything else."""
    sector, area = (params.get("sector") or "").strip(), (params.get("area") or "").strip()
    if sector and sector not in LISTED:
        raise BadRequest(_("Choose a sector from the list."))
    if area and area not in areas:
        raise BadRequest(_("Choose a council area from the list."))
    return sector, area


async def signatories(settings: Settings, today: date, sector: str = "", area: str = "") -> list[Signatory]:
    where = Organisation.approved_at.is_not_null() & Organisation.kind.is_in(list(LISTED))
    if sector:
        where &= Organisation.kind == sector
    if area:
        where &= Organisation.council_area == area
    rows = await Organisation.select(
        Organisation.id, Organisation.name, Organisation.kind, Organisation.council_area, Organisation.pledged_at,
        Organisation.pledged_principles, Organisation.pledge_statements,
    ).where(where)  # fmt: skip
    ids = [row["id"] for row in rows] or [0]
    live = await Organisation.raw(
        f"SELECT organisation, count(*)::int AS n FROM offer WHERE organisation = ANY({{}}::int[]) AND {OPEN_SQL}"  # noqa: S608 (a constant)
        " GROUP BY organisation",
        ids,
        today,
    )
    offers = {row["organisation"]: row["n"] for row in live}
    reports = await PublishedReport.select(PublishedReport.organisation, PublishedReport.year).where(
        PublishedReport.organisation.is_in(ids)
    )
    latest_report: dict[int, int] = {}
    for row in reports:
        latest_report[row["organisation"]] = max(latest_report.get(row["organisation"], 0), row["year"])
    planned = await Plan.select(Plan.organisation, Plan.start_year).where(
        Plan.organisation.is_in(ids) & Plan.signed_at.is_not_null()
    )
    latest_plan: dict[int, int] = {}
    for row in planned:
        latest_plan[row["organisation"]] = max(latest_plan.get(row["organisation"], 0), row["start_year"])
    upheld = await concerns.upheld_by_organisation(settings, ids)
    found = []
    for row in rows:
        verdict = await verdicts.verdict(row["id"], reporting_year(today)) or await verdicts.verdict(
            row["id"], reporting_year(today) - 1
        )
        standing: Counter[str] = Counter(str(item.status) for item in await progress.objectives(row["id"], today))
        found.append(
            Signatory(
                id=row["id"], name=row["name"], kind=row["kind"], council_area=row["council_area"],
                pledged_at=row["pledged_at"], pledged=list(row["pledged_principles"] or []),
                statements=statements_of(row["pledge_statements"]), live_offers=offers.get(row["id"], 0),
                objectives=dict(standing), report_year=latest_report.get(row["id"]),
                plan_year=latest_plan.get(row["id"]), upheld=upheld[row["id"]], verdict=verdict,
            )
        )  # fmt: skip
    return sorted(found, key=lambda one: one.name.casefold())


HEADER = (
    "id", "name", "sector", "council_area", "pledged_on", "principles", "live_offers", "objectives_met",
    "objectives_on_track", "objectives_at_risk", "latest_report", "latest_plan", "concerns_upheld", "verdict_year",
    "verdict_answered", "verdict_kept_promise", "verdict_would_recommend",
)  # fmt: skip


def as_row(one: Signatory, site: str) -> dict[str, Any]:
    """One signatory as the CSV and JSON give it: the page's facts, the report and plan as addresses."""
    return {
        "id": one.id,
        "name": one.name,
        "sector": one.kind,
        "council_area": one.council_area,
        "pledged_on": one.pledged_at.date().isoformat() if one.pledged_at else "",
        "principles": " ".join(str(p) for p in sorted(one.pledged)),
        "live_offers": one.live_offers,
        "objectives_met": one.objectives.get("met", 0),
        "objectives_on_track": one.objectives.get("on_track", 0),
        "objectives_at_risk": one.objectives.get("at_risk", 0),
        "latest_report": f"{site}/reports/{one.id}/{one.report_year}" if one.report_year else "",
        "latest_plan": f"{site}/plans/{one.id}/{one.plan_year}" if one.plan_year else "",
        "concerns_upheld": one.upheld.exported,
        "verdict_year": one.verdict.year if one.verdict else "",
        "verdict_answered": one.verdict.answered.exported if one.verdict else "",
        "verdict_kept_promise": one.verdict.kept_promise.exported if one.verdict else "",
        "verdict_would_recommend": one.verdict.recommend.exported if one.verdict else "",
    }
