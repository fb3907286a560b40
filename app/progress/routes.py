"""Dashboards (an organisation's, a council's, the public charter in numbers), SMART objectives and the annual
progress report, with CSV, JSON and PDF of the same protected figures. Each format of a download is its own
route, so each has a name to link to."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.core.auth import OFFER_EDITORS, Members, Principal, public
from app.core.charter import BY_ID
from app.core.deps import Id, Provided
from app.core.exports import csv_response
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.paths import redirect_to
from app.core.search_engines import CANONICAL_QUERY
from app.offers.labels import TYPE_LABELS, type_label
from app.progress import pdf, service
from app.progress.labels import measure_label
from app.publishing import reports
from app.uptake.measures import MEASURES, Scope
from app.uptake.published import Report, principle_order

viewers = Members("owner", "staff", "verifier")  # verifiers belong to councils only
editors = Members(*OFFER_EDITORS)


def _exports(report: Report, name: str, as_json: bool) -> Response[Any]:
    if as_json:
        return Response(service.as_json(report))
    return csv_response(f"{name}.csv", ["table", "key", *(measure_label(m) for m in MEASURES)], service.rows(report))


# An organisation's figures and its annual report: /organisations/{org_id} ------------------------------------------


@get("/uptake", name="progress:dashboard")
async def dashboard(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    org = await service.organisation(org_id)
    found = await service.dashboard_for(service.scope_of(org), request.query_params, today)
    context = {**vars(found), "org": org}
    if org.kind != "council":
        context["objectives"] = await service.objectives(org_id, today, found.year)
    return page_or_fragment(request, "organisations/uptake.html", context)


async def _dashboard_export(request: Request[Any, Any, Any], org_id: int, today: date, as_json: bool) -> Response[Any]:
    org = await service.organisation(org_id)
    found = await service.dashboard_for(service.scope_of(org), request.query_params, today)
    return _exports(found.report, f"uptake-{org.slug}-{found.year}", as_json)


@get("/uptake.csv", name="progress:dashboard_export")
async def dashboard_csv(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Response[Any]:
    return await _dashboard_export(request, org_id, today, as_json=False)


@get("/uptake.json", name="progress:dashboard_json")
async def dashboard_json(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Response[Any]:
    return await _dashboard_export(request, org_id, today, as_json=True)


@get("/report/{year:int}", name="progress:report")
async def report(
    request: Request[Any, Any, Any], org_id: Id, year: FromPath[int], today: Provided[date], who: Provided[Principal]
) -> Template:
    found = await service.annual(org_id, year, today)
    context = dict(vars(found))
    context["publishing"] = await reports.for_members(org_id, year, today, who.role_in(org_id))
    return page_or_fragment(request, "organisations/report.html", context)


@get("/report/{year:int}/figures.csv", name="progress:report_export")
async def report_csv(org_id: Id, year: FromPath[int], today: Provided[date]) -> Response[Any]:
    """The report's figures alone."""
    org, found = await service.year_report(org_id, year, today)
    return _exports(found, f"corporate-parenting-report-{org.slug}-{year}", as_json=False)


@get("/report/{year:int}/report.pdf", name="progress:report_pdf")
async def report_pdf(org_id: Id, year: FromPath[int], today: Provided[date]) -> Response[bytes]:
    found = await service.annual(org_id, year, today)
    name = f"corporate-parenting-report-{found.org.slug}-{year}"
    return Response(
        pdf.render(found),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


# Objectives: /organisations/{org_id}/objectives -------------------------------------------------------------------


async def _objectives_page(
    request: Request[Any, Any, Any], org_id: int, today: date, form: Any = None, errors: Any = None, status: int = 200
) -> Template:
    context = {
        "org": await service.organisation(org_id),
        "objectives": await service.objectives(org_id, today),
        "measure_options": [(m, measure_label(m)) for m in service.OBJECTIVE_MEASURES],
        "type_options": [(t, type_label(t)) for t in TYPE_LABELS],
        "principle_choices": [(p, BY_ID[p].name) for p in principle_order()],
        "form": form or {"principle": "5", "measure": "starts"},
        "errors": errors or {},
    }
    return page_or_fragment(request, "organisations/objectives.html", context, status_code=status)


@get("/", name="progress:objectives")
async def objectives(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    return await _objectives_page(request, org_id, today)


@post("/", name="progress:set_objective")
async def set_objective(
    request: Request[Any, Any, Any], org_id: Id, today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await service.set_objective(who, org_id, Form(data), today)
    except FormInvalid as invalid:
        return await _objectives_page(request, org_id, today, data, invalid.errors, status=422)
    return redirect_to(request, "progress:objectives", org_id=org_id)


@post("/{objective_id:int}/remove", name="progress:remove_objective")
async def remove_objective(
    request: Request[Any, Any, Any], org_id: Id, objective_id: Id, who: Provided[Principal]
) -> Redirect:
    await service.remove_objective(who, org_id, objective_id)
    return redirect_to(request, "progress:objectives", org_id=org_id)


# Anyone: the charter in numbers, and how small numbers are protected -----------------------------------------------


@get("/charter", name="progress:charter", opt={CANONICAL_QUERY: ("year", "principle")})
async def charter(request: Request[Any, Any, Any], today: Provided[date]) -> Template:
    found = await service.dashboard_for(Scope("national"), request.query_params, today)
    return page_or_fragment(request, "charter/index.html", dict(vars(found)))


async def _charter_export(request: Request[Any, Any, Any], today: date, as_json: bool) -> Response[Any]:
    found = await service.dashboard_for(Scope("national"), request.query_params, today)
    return _exports(found.report, f"charter-in-numbers-{found.year}", as_json)


@get("/charter.csv", name="progress:charter_export")
async def charter_csv(request: Request[Any, Any, Any], today: Provided[date]) -> Response[Any]:
    return await _charter_export(request, today, as_json=False)


@get("/charter.json", name="progress:charter_json")
async def charter_json(request: Request[Any, Any, Any], today: Provided[date]) -> Response[Any]:
    return await _charter_export(request, today, as_json=True)


@get("/small-numbers", name="progress:small_numbers")
async def small_numbers(request: Request[Any, Any, Any]) -> Template:
    """How every figure is protected, in plain words (the method, never the perturbation table's values)."""
    return page_or_fragment(request, "small_numbers/index.html", {})


ROUTES = [
    Router(
        "/organisations/{org_id:int}",
        guards=[viewers],
        route_handlers=[dashboard, dashboard_csv, dashboard_json, report, report_csv, report_pdf],
    ),
    Router(
        "/organisations/{org_id:int}/objectives",
        guards=[editors],
        route_handlers=[objectives, set_objective, remove_objective],
    ),
    Router("/", guards=[public], route_handlers=[charter, charter_csv, charter_json, small_numbers]),
]
