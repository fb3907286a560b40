"""Asking young people how it went, and showing providers the answers."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.core.auth import OFFER_EDITORS, Members, require, signed_in
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.feedback import service

THING = "/me/feedback/{kind:str}/{item_id:int}"


@get("/me/feedback", name="feedback:waiting", guards=[signed_in])
async def waiting(request: Request[Any, Any, Any]) -> Template | Redirect:
    things = await service.waiting(require(request))
    if things is None:
        return Redirect("/me/profile", status_code=303)
    context = {"things": things, "thanks": "thanks" in request.query_params}
    return page_or_fragment(request, "me/feedback/index.html", context)


@get(THING, name="feedback:form", guards=[signed_in])
async def form(request: Request[Any, Any, Any], kind: FromPath[str], item_id: FromPath[int]) -> Template:
    found = await service.thing(require(request), kind, item_id)
    given = found["given"] or {}
    context = {"thing": found, "form": {k: str(given.get(k, "")) for k in ("rating", "words")}, "errors": {}}
    context["form"]["share_name"] = "on" if given.get("share_name") else ""
    return page_or_fragment(request, "me/feedback/give.html", context)


@post(THING, name="feedback:give", guards=[signed_in])
async def give(request: Request[Any, Any, Any], kind: FromPath[str], item_id: FromPath[int]) -> Template | Redirect:
    data = await request.form()
    try:
        await service.give(require(request), kind, item_id, Form(data))
    except FormInvalid as invalid:
        context = {
            "thing": await service.thing(require(request), kind, item_id),
            "form": data,
            "errors": invalid.errors,
        }
        return page_or_fragment(request, "me/feedback/give.html", context, status_code=422)
    return Redirect("/me/feedback?thanks=1", status_code=303)


@get("/organisations/{org_id:int}/feedback", name="feedback:provider", guards=[Members(*OFFER_EDITORS)])
async def provider(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    found = await service.for_provider(org_id)
    context = {"org_id": org_id, "answers": found.answers, "held_back": found.held_back, "floor": service.FLOOR}
    return page_or_fragment(request, "organisations/feedback.html", context)


ROUTES = [waiting, form, give, provider]
