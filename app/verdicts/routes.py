"""Young people's verdict: their three questions about each organisation they dealt with this year, and the
organisation's own page of its verdict and what young people said it should change."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Router, get, post
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.core.auth import OFFER_EDITORS, Members, Principal, signed_in
from app.core.deps import Id, Provided
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.paths import redirect_to
from app.settings import Settings
from app.verdicts import service

BLANK = {"kept_promise": "", "recommend": "", "change": ""}


@get("/", name="verdicts:mine")
async def mine(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    found = await service.mine(settings, who, today)
    if found is None:
        return redirect_to(request, "me:profile")
    context = {"mine": found, "thanks": "thanks" in request.query_params}
    return page_or_fragment(request, "me/verdicts/index.html", context)


@get("/{org_id:int}", name="verdicts:form")
async def form(
    request: Request[Any, Any, Any],
    org_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Template:
    org = await service.to_answer(settings, who, org_id, today)
    context = {"org": org, "form": BLANK, "errors": {}, "change_max": service.CHANGE_MAX}
    return page_or_fragment(request, "me/verdicts/give.html", context)


@post("/{org_id:int}", name="verdicts:give")
async def give(
    request: Request[Any, Any, Any],
    org_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Template | Redirect:
    data = await request.form()
    try:
        await service.give(settings, who, org_id, Form(data), today)
    except FormInvalid as invalid:
        org = await service.to_answer(settings, who, org_id, today)
        context = {"org": org, "form": data, "errors": invalid.errors, "change_max": service.CHANGE_MAX}
        return page_or_fragment(request, "me/verdicts/give.html", context, status_code=422)
    return redirect_to(request, "verdicts:mine", query={"thanks": 1})


@get("/organisations/{org_id:int}/verdict", name="verdicts:organisation", guards=[Members(*OFFER_EDITORS)])
async def organisation(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    year = service.year_asked(request.query_params.get("year"), today)
    context = {
        "org_id": org_id,
        "year": year,
        "years": service.years(today),
        "verdict": await service.verdict(org_id, year),
        "changes": await service.changes(org_id, year),
        "enough": service.ENOUGH,
    }
    return page_or_fragment(request, "organisations/verdict.html", context)


ROUTES: list[ControllerRouterHandler] = [
    Router("/me/verdicts", guards=[signed_in], route_handlers=[mine, form, give]),
    organisation,
]
