"""Signing off a year's report (owners), and published reports at stable public addresses:
/reports/<organisation>/<year> (the latest version), /reports/<organisation>/<year>/<version> and its PDF."""

from datetime import date
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.core.areas import council_choices
from app.core.auth import EVERYONE_IN_ORG, OFFER_EDITORS, Members, Principal, public
from app.core.deps import Id, Provided
from app.core.errors import Conflict
from app.core.exports import csv_response
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import current_locale
from app.core.paths import redirect_to
from app.organisations.labels import kind_label
from app.progress import service as progress
from app.publishing import oversight, plans, register, reports
from app.settings import Settings

owners = Members("owner")
editors = Members(*OFFER_EDITORS)
members = Members(*EVERYONE_IN_ORG)


@post("/{year:int}/sign", name="publishing:sign")
async def sign(
    request: Request[Any, Any, Any], org_id: Id, year: FromPath[int], today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await reports.sign(who, org_id, year, Form(data), today, request.app.route_reverse)
    except (FormInvalid, Conflict) as problem:
        errors = problem.errors if isinstance(problem, FormInvalid) else {"confirm": str(problem)}
        context = dict(vars(await progress.annual(org_id, year, today)))
        context["publishing"] = await reports.for_members(org_id, year, today, "owner", data, errors)
        return page_or_fragment(request, "organisations/report.html", context, status_code=422)
    return redirect_to(request, "publishing:report", org_id=org_id, year=year)


async def _public_page(request: Request[Any, Any, Any], org_id: int, year: int, version: int | None) -> Template:
    found = await reports.published(org_id, year, version, current_locale())
    return page_or_fragment(request, "reports/detail.html", {"found": found, "year": year})


@get("/{year:int}", name="publishing:report")
async def latest(request: Request[Any, Any, Any], org_id: Id, year: FromPath[int]) -> Template:
    return await _public_page(request, org_id, year, None)


@get("/{year:int}/{version:int}", name="publishing:version")
async def one_version(request: Request[Any, Any, Any], org_id: Id, year: FromPath[int], version: Id) -> Template:
    return await _public_page(request, org_id, year, version)


@get("/{year:int}/{version:int}/pdf", name="publishing:pdf")
async def version_pdf(org_id: Id, year: FromPath[int], version: Id) -> Response[bytes]:
    body = await reports.published_pdf(org_id, year, version, current_locale())
    name = f"corporate-parenting-report-{org_id}-{year}-v{version}"
    return Response(
        body, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}.pdf"'}
    )


# Plans: written by owners and staff, signed off by an owner, then public -----------------------------------------


async def _plan_page(
    request: Request[Any, Any, Any], org_id: int, today: date, who: Principal, form: Any = None, errors: Any = None
) -> Template:
    plan = await plans.draft(org_id, today)
    if form is None:
        form = {"heard_en": plan.heard_en, "heard_cy": plan.heard_cy}
        for _principle, actions in plan.by_principle:
            for action in actions:
                aim = action.objective.objective.id
                form |= {f"action_{aim}_en": action.en, f"action_{aim}_cy": action.cy}
    context = {"plan": plan, "form": form, "errors": errors or {}, "can_publish": who.role_in(org_id) == "owner"}
    return page_or_fragment(request, "organisations/plan.html", context, status_code=422 if errors else 200)


@get("/", name="publishing:plan")
async def plan(
    request: Request[Any, Any, Any], org_id: Id, today: Provided[date], who: Provided[Principal]
) -> Template:
    return await _plan_page(request, org_id, today, who)


@post("/", name="publishing:save_plan")
async def save_plan(
    request: Request[Any, Any, Any], org_id: Id, today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await plans.save(who, org_id, Form(data), today)
    except FormInvalid as invalid:
        return await _plan_page(request, org_id, today, who, data, invalid.errors)
    return redirect_to(request, "publishing:plan", org_id=org_id)


@post("/publish", name="publishing:publish_plan")
async def publish_plan(
    request: Request[Any, Any, Any], org_id: Id, today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await plans.publish(who, org_id, Form(data), today, request.app.route_reverse)
    except FormInvalid as invalid:
        return await _plan_page(request, org_id, today, who, data, invalid.errors)
    return redirect_to(request, "publishing:plan_public", org_id=org_id, start_year=plans.period_of(today))


async def _public_plan(request: Request[Any, Any, Any], org_id: int, start_year: int, version: int | None) -> Template:
    found = await plans.published(org_id, start_year, version, current_locale())
    return page_or_fragment(request, "plans/detail.html", {"found": found})


@get("/{start_year:int}", name="publishing:plan_public")
async def public_plan(request: Request[Any, Any, Any], org_id: Id, start_year: FromPath[int]) -> Template:
    return await _public_plan(request, org_id, start_year, None)


@get("/{start_year:int}/{version:int}", name="publishing:plan_version")
async def plan_version(request: Request[Any, Any, Any], org_id: Id, start_year: FromPath[int], version: Id) -> Template:
    return await _public_plan(request, org_id, start_year, version)


# An oversight body's view: /organisations/{org_id}/oversight ---------------------------------------------------------


@get("/", name="publishing:oversight")
async def oversight_page(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    """Read-only: which corporate parents of its nation have published, owe or are late with last year's report,
    their plans, and the way to the national figures."""
    found = await oversight.overview(org_id, today)
    context = {"org_id": org_id, "found": found, "due_on": reports.due_on(found.year)}
    return page_or_fragment(request, "organisations/oversight.html", context)


# The public register of signatories: /signatories, .csv and .json ---------------------------------------------


async def _register(request: Request[Any, Any, Any], settings: Settings, today: date) -> list[register.Signatory]:
    sector, area = register.read_filters(request.query_params, {code for code, _name in council_choices()})
    return await register.signatories(settings, today, sector, area)


@get("/signatories", name="publishing:register")
async def signatories(request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date]) -> Template:
    found = await _register(request, settings, today)
    context = {
        "found": found,
        "form": {"sector": request.query_params.get("sector", ""), "area": request.query_params.get("area", "")},
        "sectors": [(kind, kind_label(kind)) for kind in register.LISTED],
        "areas": council_choices(),
        "query": request.url.query,
    }
    return page_or_fragment(request, "signatories/index.html", context)


@get("/signatories.csv", name="publishing:register_csv")
async def signatories_csv(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date]
) -> Response[bytes]:
    rows = [register.as_row(one, settings.base_url) for one in await _register(request, settings, today)]
    return csv_response("signatories.csv", register.HEADER, [[row[key] for key in register.HEADER] for row in rows])


@get("/signatories.json", name="publishing:register_json")
async def signatories_json(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date]
) -> Response[Any]:
    found = await _register(request, settings, today)
    return Response([register.as_row(one, settings.base_url) | {"pledge": one.statements} for one in found])


ROUTES: list[ControllerRouterHandler] = [
    Router("/organisations/{org_id:int}/report", guards=[owners], route_handlers=[sign]),
    Router("/reports/{org_id:int}", guards=[public], route_handlers=[latest, one_version, version_pdf]),
    Router("/organisations/{org_id:int}/plan", guards=[editors], route_handlers=[plan, save_plan]),
    Router("/organisations/{org_id:int}/plan", guards=[owners], route_handlers=[publish_plan]),
    Router("/plans/{org_id:int}", guards=[public], route_handlers=[public_plan, plan_version]),
    Router("/", guards=[public], route_handlers=[signatories, signatories_csv, signatories_json]),
    Router("/organisations/{org_id:int}/oversight", guards=[members], route_handlers=[oversight_page]),
]
