"""Dashboards (an organisation's, a council's, the public charter in numbers), SMART objectives and the annual
progress report, with CSV, JSON and PDF of the same protected figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.core.auth import OFFER_EDITORS, Members, public, require
from app.core.charter import BY_ID
from app.core.deps import Provided
from app.core.exports import csv_response
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.offers.labels import TYPE_LABELS, type_label
from app.progress import pdf, service
from app.progress.labels import measure_label
from app.uptake.measures import MEASURES, Scope
from app.uptake.published import principle_order

viewers = Members("owner", "staff", "verifier")  # verifiers belong to councils only
editors = Members(*OFFER_EDITORS)
UPTAKE = "/organisations/{org_id:int}/uptake"
OBJECTIVES = "/organisations/{org_id:int}/objectives"
REPORT = "/organisations/{org_id:int}/report/{year:int}"


async def _dashboard(request: Request[Any, Any, Any], scope: Scope, today: date) -> dict[str, Any]:
    year, principle = service.period(request.query_params, today)
    report = await service.dashboard(scope, year, principle)
    return {
        "report": report,
        "year": year,
        "principle": principle,
        "years": service.years(today),
        "names": await service.names(report),
    }


def _exports(report: Any, name: str, as_json: bool) -> Response[Any]:
    if as_json:
        return Response(service.as_json(report))
    return csv_response(f"{name}.csv", ["table", "key", *(measure_label(m) for m in MEASURES)], service.rows(report))


@get(UPTAKE, name="progress:dashboard", guards=[viewers])
async def dashboard(request: Request[Any, Any, Any], org_id: FromPath[int], today: Provided[date]) -> Template:
    org = await service.organisation(org_id)
    context = await _dashboard(request, service.scope_of(org), today) | {"org": org}
    if org["kind"] != "council":
        context["objectives"] = await service.objectives(org_id, today, context["year"])
    return page_or_fragment(request, "organisations/uptake.html", context)


@get([UPTAKE + ".csv", UPTAKE + ".json"], name="progress:dashboard_export", guards=[viewers])
async def dashboard_export(
    request: Request[Any, Any, Any], org_id: FromPath[int], today: Provided[date]
) -> Response[Any]:
    org = await service.organisation(org_id)
    context = await _dashboard(request, service.scope_of(org), today)
    return _exports(context["report"], f"uptake-{org['slug']}-{context['year']}", request.url.path.endswith(".json"))


@get("/charter", name="progress:charter", guards=[public])
async def charter(request: Request[Any, Any, Any], today: Provided[date]) -> Template:
    context = await _dashboard(request, Scope("national"), today)
    return page_or_fragment(request, "charter/index.html", context)


@get("/small-numbers", name="progress:small_numbers", guards=[public])
async def small_numbers(request: Request[Any, Any, Any]) -> Template:
    """How every figure is protected, in plain words (the method, never the perturbation table's values)."""
    return page_or_fragment(request, "small_numbers/index.html", {})


@get(["/charter.csv", "/charter.json"], name="progress:charter_export", guards=[public])
async def charter_export(request: Request[Any, Any, Any], today: Provided[date]) -> Response[Any]:
    context = await _dashboard(request, Scope("national"), today)
    return _exports(context["report"], f"charter-in-numbers-{context['year']}", request.url.path.endswith(".json"))


# Objectives -----------------------------------------------------------------------------------------------------


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


@get(OBJECTIVES, name="progress:objectives", guards=[editors])
async def objectives(request: Request[Any, Any, Any], org_id: FromPath[int], today: Provided[date]) -> Template:
    return await _objectives_page(request, org_id, today)


@post(OBJECTIVES, name="progress:set_objective", guards=[editors])
async def set_objective(
    request: Request[Any, Any, Any], org_id: FromPath[int], today: Provided[date]
) -> Template | Redirect:
    data = await request.form()
    try:
        await service.set_objective(require(request), org_id, Form(data), today)
    except FormInvalid as invalid:
        return await _objectives_page(request, org_id, today, data, invalid.errors, status=422)
    return Redirect(f"/organisations/{org_id}/objectives", status_code=303)


@post(OBJECTIVES + "/{objective_id:int}/remove", name="progress:remove_objective", guards=[editors])
async def remove_objective(
    request: Request[Any, Any, Any], org_id: FromPath[int], objective_id: FromPath[int]
) -> Redirect:
    await service.remove_objective(require(request), org_id, objective_id)
    return Redirect(f"/organisations/{org_id}/objectives", status_code=303)


# The annual report ----------------------------------------------------------------------------------------------


@get(REPORT, name="progress:report", guards=[viewers])
async def report(
    request: Request[Any, Any, Any], org_id: FromPath[int], year: FromPath[int], today: Provided[date]
) -> Template:
    context = await service.annual(org_id, year, today)
    return page_or_fragment(request, "organisations/report.html", context)


@get([REPORT + "/figures.csv", REPORT + "/report.pdf"], name="progress:report_export", guards=[viewers])
async def report_export(
    request: Request[Any, Any, Any], org_id: FromPath[int], year: FromPath[int], today: Provided[date]
) -> Response[Any]:
    if request.url.path.endswith(".csv"):  # the figures alone
        org, report = await service.year_report(org_id, year, today)
        return _exports(report, f"corporate-parenting-report-{org['slug']}-{year}", as_json=False)
    context = await service.annual(org_id, year, today)
    name = f"corporate-parenting-report-{context['org']['slug']}-{year}"
    return Response(
        pdf.render(context),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


ROUTES = [
    dashboard,
    dashboard_export,
    charter,
    charter_export,
    small_numbers,
    objectives,
    set_objective,
    remove_objective,
    report,
    report_export,
]
