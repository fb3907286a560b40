"""Raising a concern (anyone, from an offer's or an organisation's page) and the Cyfle team's queue of them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.params import FromPath, FromQuery, Parameter
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.concerns import service
from app.core.auth import Principal, platform_admin, public
from app.core.db import MAX_ID
from app.core.deps import Id, Provided
from app.core.errors import Conflict
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import current_locale
from app.core.paths import redirect_to
from app.core.ratelimit import client_ip
from app.core.search_engines import NOINDEX
from app.settings import Settings

# What a concern is about, named in the query string: ?offer=<id> or ?organisation=<id>.
About = Annotated[int | None, Parameter(gt=0, le=MAX_ID)]


@get("/new", name="concerns:new")
async def new(request: Request[Any, Any, Any], today: Provided[date], offer: About = None,
              organisation: About = None) -> Template:  # fmt: skip
    about = await service.subject(offer, organisation, today, current_locale())
    return page_or_fragment(request, "concerns/new.html", {"about": about, "form": {}, "errors": {}})


@post("/new", name="concerns:send")
async def send(request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date],
               offer: About = None, organisation: About = None) -> Template | Redirect:  # fmt: skip
    about = await service.subject(offer, organisation, today, current_locale())
    data = await request.form()
    try:
        token = await service.raise_concern(settings, about, Form(data), client_ip(request, settings))
    except FormInvalid as invalid:
        context = {"about": about, "form": data, "errors": invalid.errors}
        return page_or_fragment(request, "concerns/new.html", context, status_code=422)
    return redirect_to(request, "concerns:receipt", query={"sent": 1}, token=token)


@get("/receipt/{token:str}", name="concerns:receipt", opt={NOINDEX: True})
async def receipt(request: Request[Any, Any, Any], token: FromPath[str], settings: Provided[Settings]) -> Template:
    """Whoever raised the concern (the link is the only way back to it): where it stands, what the team said."""
    return await _receipt_page(request, settings, token)


@post("/receipt/{token:str}", name="concerns:add")
async def add(
    request: Request[Any, Any, Any], token: FromPath[str], settings: Provided[Settings]
) -> Template | Redirect:
    """Adding something to the concern, from its receipt page."""
    data = await request.form()
    try:
        await service.add(settings, token, Form(data), client_ip(request, settings))
    except FormInvalid as invalid:
        return await _receipt_page(request, settings, token, 422, form=data, errors=invalid.errors)
    return redirect_to(request, "concerns:receipt", query={"added": 1}, token=token)


async def _receipt_page(
    request: Request[Any, Any, Any], settings: Settings, token: str, status: int = 200, **extra: Any
) -> Template:
    params = request.query_params
    context: dict[str, Any] = {
        "receipt": await service.receipt(settings, token),
        "token": token,
        "sent": params.get("sent") == "1",
        "added": params.get("added") == "1",
        "form": {},
        "errors": {},
    }
    return page_or_fragment(request, "concerns/receipt.html", context | extra, status_code=status)


# The team's queue: /admin/concerns ------------------------------------------------------------------------------


@get("/", name="concerns:queue")
async def queue(request: Request[Any, Any, Any], status: FromQuery[str] = "open") -> Template:
    shown = status if status in service.SHOWN else "open"
    context = {"concerns": await service.queue(shown), "shown": shown, "choices": service.SHOWN}
    return page_or_fragment(request, "admin/concerns.html", context)


async def _concern_page(request: Request[Any, Any, Any], concern_id: int, status: int = 200, **extra: Any) -> Template:
    concern = await service.get(concern_id)
    form = {"status": concern.status, "response": concern.response, "reply": concern.reply}
    context = {"concern": concern, "form": form, "errors": {}}
    return page_or_fragment(request, "admin/concern.html", context | extra, status_code=status)


@get("/{concern_id:int}", name="concerns:one")
async def one(request: Request[Any, Any, Any], concern_id: Id) -> Template:
    return await _concern_page(request, concern_id)


@post("/{concern_id:int}", name="concerns:respond")
async def respond(request: Request[Any, Any, Any], concern_id: Id, who: Provided[Principal]) -> Template | Redirect:
    data = await request.form()
    try:
        await service.respond(who, concern_id, Form(data))
    except FormInvalid as invalid:
        return await _concern_page(request, concern_id, 422, form=data, errors=invalid.errors)
    except Conflict as problem:
        return await _concern_page(request, concern_id, 409, problem=str(problem))
    return redirect_to(request, "concerns:one", concern_id=concern_id, query={"saved": 1})


ROUTES: list[ControllerRouterHandler] = [
    Router("/concerns", guards=[public], route_handlers=[new, send, receipt, add]),
    Router("/admin/concerns", guards=[platform_admin], route_handlers=[queue, one, respond]),
]
