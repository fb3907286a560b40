"""Corporate parenting plans, every three years: the organisation's SMART objectives grouped by principle, an
action plan for each, and "what young people told us and what we changed", written beside its protected feedback
figures. Owners and staff write the draft; an owner signs it off and it is published as it was then, at
/plans/<organisation>/<first year>; a revision is a new version that says what it changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from app.audit import service as audit
from app.core.auth import Principal
from app.core.errors import NotFound
from app.core.forms import Form
from app.core.i18n import _, speaking
from app.core.templating import make_environment
from app.progress import service as progress
from app.publishing.tables import Plan, PlanAction
from app.uptake.measures import reporting_year
from app.uptake.published import principle_order

YEARS = 3
TEXT_LENGTH = 2000
_env = make_environment()


def period_of(today: date) -> int:
    """The first reporting year of the plan written now."""
    return reporting_year(today)


@dataclass(frozen=True)
class Action:
    objective: progress.Progress
    en: str
    cy: str


@dataclass(frozen=True)
class Draft:
    """The plan being written (or the last published one, until someone changes it), with its objectives."""

    org: progress.Org
    start_year: int
    version: int
    published: bool
    heard_en: str
    heard_cy: str
    by_principle: list[tuple[int, list[Action]]]
    feedback: progress.Themes
    versions: list[dict[str, Any]]


async def _latest(org_id: int, start_year: int) -> dict[str, Any] | None:
    return await (
        Plan.select()
        .where((Plan.organisation == org_id) & (Plan.start_year == start_year))
        .order_by(Plan.version, ascending=False)
        .first()
    )


async def draft(org_id: int, today: date) -> Draft:
    org = await progress.organisation(org_id)
    start = period_of(today)
    latest = await _latest(org_id, start)
    kept = {}
    if latest:
        rows = await PlanAction.select().where(PlanAction.plan == latest["id"])
        kept = {row["objective"]: row for row in rows}
    groups: dict[int, list[Action]] = {}
    for item in await progress.objectives(org_id, today):
        said = kept.get(item.objective.id) or {}
        groups.setdefault(item.objective.principle, []).append(
            Action(item, said.get("action_en", ""), said.get("action_cy", ""))
        )
    order = [p for p in principle_order() if p in groups]
    versions = await (
        Plan.select(Plan.version, Plan.signed_at, Plan.revision)
        .where((Plan.organisation == org_id) & (Plan.start_year == start) & Plan.signed_at.is_not_null())
        .order_by(Plan.version, ascending=False)
    )
    return Draft(
        org=org,
        start_year=start,
        version=latest["version"] if latest else 1,
        published=bool(latest and latest["signed_at"]),
        heard_en=latest["heard_en"] if latest else "",
        heard_cy=latest["heard_cy"] if latest else "",
        by_principle=[(p, groups[p]) for p in order],
        feedback=await progress.feedback_themes(progress.scope_of(org), reporting_year(today)),
        versions=versions,
    )


async def _open_draft(org_id: int, start: int) -> int:
    """The draft's row: the latest version while unsigned, else a new version beginning as a copy of it."""
    latest = await _latest(org_id, start)
    if latest and latest["signed_at"] is None:
        return int(latest["id"])
    version = latest["version"] + 1 if latest else 1
    rows = await Plan.insert(
        Plan(organisation=org_id, start_year=start, version=version,
             heard_en=latest["heard_en"] if latest else "", heard_cy=latest["heard_cy"] if latest else "")
    ).returning(Plan.id)  # fmt: skip
    if latest:
        actions = await PlanAction.select().where(PlanAction.plan == latest["id"])
        if actions:
            await PlanAction.insert(
                *[PlanAction(plan=rows[0]["id"], objective=row["objective"], action_en=row["action_en"],
                             action_cy=row["action_cy"]) for row in actions]
            )  # fmt: skip
    return int(rows[0]["id"])


async def save(who: Principal, org_id: int, form: Form, today: date) -> None:
    """Keep what was written in the draft (nothing is public until an owner signs it off)."""
    current = await draft(org_id, today)
    ids = [action.objective.objective.id for _p, actions in current.by_principle for action in actions]
    heard = {lang: form.text(f"heard_{lang}", TEXT_LENGTH, multiline=True) for lang in ("en", "cy")}
    actions = {
        objective: {lang: form.text(f"action_{objective}_{lang}", TEXT_LENGTH, multiline=True) for lang in ("en", "cy")}
        for objective in ids
    }
    form.check()
    async with Plan._meta.db.transaction():
        await Plan.raw("SELECT id FROM organisation WHERE id = {} FOR UPDATE", org_id)
        plan_id = await _open_draft(org_id, current.start_year)
        await Plan.update({Plan.heard_en: heard["en"], Plan.heard_cy: heard["cy"]}).where(Plan.id == plan_id)
        await PlanAction.delete().where(PlanAction.plan == plan_id)
        written = [PlanAction(plan=plan_id, objective=objective, action_en=said["en"], action_cy=said["cy"])
                   for objective, said in actions.items() if said["en"] or said["cy"]]  # fmt: skip
        if written:
            await PlanAction.insert(*written)
        await audit.record("plan.saved", actor=who.user_id, organisation=org_id, start_year=current.start_year)


Paths = Callable[..., str]


async def publish(who: Principal, org_id: int, form: Form, today: date, paths: Paths) -> int:
    """An owner signs off the plan as written: kept as it is now, in both languages. Returns its version."""
    if not form.flag("confirm"):
        form.error("confirm", _("Tick the box to confirm you are signing it off for your organisation."))
    revision = form.text("revision", TEXT_LENGTH, multiline=True)
    start = period_of(today)
    published_before = await Plan.exists().where(
        (Plan.organisation == org_id) & (Plan.start_year == start) & Plan.signed_at.is_not_null()
    )
    if published_before and not revision:
        form.error("revision", _("Say what this version changes: it is published with it."))
    form.check()
    async with Plan._meta.db.transaction():
        await Plan.raw("SELECT id FROM organisation WHERE id = {} FOR UPDATE", org_id)
        plan_id = await _open_draft(org_id, start)
        current = await draft(org_id, today)
        frozen = {}
        for lang in ("en", "cy"):
            with speaking(lang):
                frozen[lang] = _env.get_template("plans/_body.html").render(plan=current, url_for=paths)
        await Plan.update(
            {Plan.signed_by: who.user_id, Plan.signed_at: datetime.now(UTC), Plan.html_en: frozen["en"],
             Plan.html_cy: frozen["cy"], Plan.revision: revision if current.versions else ""}
        ).where(Plan.id == plan_id)  # fmt: skip
        await audit.record("plan.published", actor=who.user_id, organisation=org_id, start_year=current.start_year,
                           version=current.version)  # fmt: skip
    return current.version


@dataclass(frozen=True)
class PublishedPlan:
    organisation: str
    org_id: int
    start_year: int
    version: int
    revision: str
    signed_at: datetime
    html: str
    versions: list[int]


async def published(org_id: int, start_year: int, version: int | None, reader: str) -> PublishedPlan:
    rows = await (
        Plan.select(
            Plan.version, Plan.revision, Plan.signed_at, Plan.html_en, Plan.html_cy,
            Plan.organisation._.name.as_alias("name"),
        )
        .where(
            (Plan.organisation == org_id) & (Plan.start_year == start_year) & Plan.signed_at.is_not_null()
            & Plan.organisation._.approved_at.is_not_null()
        )
        .order_by(Plan.version, ascending=False)
    )  # fmt: skip
    chosen = next((row for row in rows if version is None or row["version"] == version), None)
    if chosen is None:
        raise NotFound(_("There is no published plan here."))
    html = chosen["html_cy"] if reader == "cy" else chosen["html_en"]
    return PublishedPlan(chosen["name"], org_id, start_year, chosen["version"], chosen["revision"],
                         chosen["signed_at"], html, [row["version"] for row in rows])  # fmt: skip
