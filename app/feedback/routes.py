"""Asking young people how it went, and showing providers the answers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.core.auth import OFFER_EDITORS, Members, Principal, signed_in
from app.core.deps import Id, Provided
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.paths import redirect_to
from app.feedback import service

THING = "/{kind:str}/{item_id:int}"


@get("/", name="feedback:waiting")
async def waiting(request: Request[Any, Any, Any], who: Provided[Principal]) -> Template | Redirect:
    things = await service.waiting(who)
    if things is None:
        return redirect_to(request, "me:profile")
    context = {"things": things, "thanks": "thanks" in request.query_params}
    return page_or_fragment(request, "me/feedback/index.html", context)


@get(THING, name="feedback:form")
async def form(request: Request[Any, Any, Any], kind: FromPath[str], item_id: Id, who: Provided[Principal]) -> Template:
    found = await service.thing(who, kind, item_id)
    given = found.given
    form = {"rating": "", "words": "", "share_name": ""}
    if given is not None:
        form = {"rating": str(given.rating), "words": given.words, "share_name": "on" if given.share_name else ""}
    context = {"thing": found, "form": form, "errors": {}}
    return page_or_fragment(request, "me/feedback/give.html", context)


@post(THING, name="feedback:give")
async def give(
    request: Request[Any, Any, Any], kind: FromPath[str], item_id: Id, who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await service.give(who, kind, item_id, Form(data))
    except FormInvalid as invalid:
        context = {"thing": await service.thing(who, kind, item_id), "form": data, "errors": invalid.errors}
        return page_or_fragment(request, "me/feedback/give.html", context, status_code=422)
    return redirect_to(request, "feedback:waiting", query={"thanks": 1})


@get("/organisations/{org_id:int}/feedback", name="feedback:provider", guards=[Members(*OFFER_EDITORS)])
async def provider(request: Request[Any, Any, Any], org_id: Id) -> Template:
    found = await service.for_provider(org_id)
    context = {"org_id": org_id, "answers": found.answers, "held_back": found.held_back, "floor": service.FLOOR}
    return page_or_fragment(request, "organisations/feedback.html", context)


ROUTES: list[ControllerRouterHandler] = [
    Router("/me/feedback", guards=[signed_in], route_handlers=[waiting, form, give]),
    provider,
]
