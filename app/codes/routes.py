"""Concession code pages: the provider's pool, claiming and "My codes", and redeeming at the door."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Router, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.codes import claiming
from app.codes import door as redeeming
from app.codes import pool as code_pool
from app.core.auth import OFFER_EDITORS, Members, Principal, signed_in
from app.core.deps import Id, Provided
from app.core.errors import Conflict, Forbidden
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import current_locale
from app.core.paths import redirect_to
from app.core.qr import qr
from app.core.security import CAMERA
from app.settings import Settings

editors = Members(*OFFER_EDITORS)
at_the_door = Members("owner", "staff", "redeemer")
UK_TIME = ZoneInfo("Europe/London")


async def _pool_page(
    request: Request[Any, Any, Any], org_id: int, offer_id: int, status: int = 200, **extra: Any
) -> Template:
    offer = await code_pool.concession(org_id, offer_id)
    context = {
        "org_id": org_id,
        "offer": offer,
        "pool": await code_pool.pool(offer_id),
        "form": {"count": "100"},
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "organisations/offers/codes.html", context, status_code=status)


@get("/", name="codes:pool")
async def pool(request: Request[Any, Any, Any], org_id: Id, offer_id: Id) -> Template:
    return await _pool_page(request, org_id, offer_id)


@post("/generate", name="codes:generate")
async def generate(
    request: Request[Any, Any, Any], org_id: Id, offer_id: Id, settings: Provided[Settings], who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    try:
        await code_pool.generate(settings, who, org_id, offer_id, Form(data))
    except FormInvalid as invalid:
        return await _pool_page(request, org_id, offer_id, 422, form=data, errors=invalid.errors)
    return redirect_to(request, "codes:pool", org_id=org_id, offer_id=offer_id)


@post("/upload", name="codes:upload")
async def upload(
    request: Request[Any, Any, Any], org_id: Id, offer_id: Id, settings: Provided[Settings], who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    file = data.get("file")
    content = await file.read() if isinstance(file, UploadFile) else b""
    form = Form({key: value for key, value in data.items() if key != "file"})
    try:
        await code_pool.upload(settings, who, org_id, offer_id, form, content)
    except FormInvalid as invalid:
        return await _pool_page(request, org_id, offer_id, 422, errors=invalid.errors)
    return redirect_to(request, "codes:pool", org_id=org_id, offer_id=offer_id)


@post("/claim", name="codes:claim")
async def claim(
    request: Request[Any, Any, Any],
    offer_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Redirect | Template:
    try:
        await claiming.claim(settings, who, offer_id, today)
    except claiming.PoolEmpty as empty:
        context = {"offer_id": offer_id, "problem": str(empty), "empty": True}
        return page_or_fragment(request, "offers/claim.html", context, status_code=409)
    except (Conflict, Forbidden) as problem:
        context = {"offer_id": offer_id, "problem": str(problem), "empty": False}
        return page_or_fragment(request, "offers/claim.html", context, status_code=problem.status_code)
    return redirect_to(request, "codes:mine")


@post("/wait", name="codes:wait")
async def wait(
    request: Request[Any, Any, Any], offer_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect:
    await claiming.wait_for_more(who, offer_id, today)
    return redirect_to(request, "offers:detail", query={"waiting": 1}, offer_id=offer_id)


@get("/me/codes", name="codes:mine", guards=[signed_in])
async def mine(request: Request[Any, Any, Any], who: Provided[Principal]) -> Template:
    codes = [(held, qr(held.code)) for held in await claiming.mine(who.user_id, current_locale())]
    # The phone may keep this page for use without signal (templates/pwa/sw.js): the copy says when it was made.
    return page_or_fragment(request, "me/codes.html", {"codes": codes, "saved_at": datetime.now(UK_TIME)})


def _door_page(request: Request[Any, Any, Any], org_id: int, outcome: redeeming.Outcome | None) -> Template:
    context = {"org_id": org_id, "form": {}, "errors": {}, "outcome": outcome}
    return page_or_fragment(request, "organisations/redeem.html", context)


@get("/", name="codes:door")
async def door(request: Request[Any, Any, Any], org_id: Id) -> Template:
    return _door_page(request, org_id, None)


@post("/", name="codes:redeem")
async def redeem(request: Request[Any, Any, Any], org_id: Id, who: Provided[Principal]) -> Template:
    data = await request.form()
    try:
        outcome = await redeeming.redeem(who, org_id, Form(data))
    except FormInvalid as invalid:
        context = {"org_id": org_id, "form": data, "errors": invalid.errors, "outcome": None}
        return page_or_fragment(request, "organisations/redeem.html", context, status_code=422)
    return _door_page(request, org_id, outcome)


@post("/{code_id:int}/undo", name="codes:undo")
async def undo(request: Request[Any, Any, Any], org_id: Id, code_id: Id, who: Provided[Principal]) -> Template:
    outcome = redeeming.Outcome(redeeming.Result.undone)
    try:
        await redeeming.undo(who, org_id, code_id)
    except Conflict as problem:
        outcome = redeeming.Outcome(redeeming.Result.cannot_undo, problem=str(problem))
    return _door_page(request, org_id, outcome)


ROUTES: list[ControllerRouterHandler] = [
    Router(
        "/organisations/{org_id:int}/offers/{offer_id:int}/codes",
        guards=[editors],
        route_handlers=[pool, generate, upload],
    ),
    Router("/offers/{offer_id:int}", guards=[signed_in], route_handlers=[claim, wait]),
    mine,
    # Each of these answers with the door page, whose "Scan a code" uses the camera.
    Router(
        "/organisations/{org_id:int}/redeem",
        guards=[at_the_door],
        route_handlers=[door, redeem, undo],
        opt={CAMERA: True},
    ),
]
