"""Concession code pages: the provider's pool, claiming and "My codes", and redeeming at the door."""

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.codes import claiming
from app.codes import door as redeeming
from app.codes import pool as code_pool
from app.core.auth import OFFER_EDITORS, Members, require, signed_in
from app.core.deps import Provided
from app.core.errors import Conflict, Forbidden
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.qr import qr
from app.settings import Settings

editors = Members(*OFFER_EDITORS)
at_the_door = Members("owner", "staff", "redeemer")


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


@get("/organisations/{org_id:int}/offers/{offer_id:int}/codes", name="codes:pool", guards=[editors])
async def pool(request: Request[Any, Any, Any], org_id: FromPath[int], offer_id: FromPath[int]) -> Template:
    return await _pool_page(request, org_id, offer_id)


@post("/organisations/{org_id:int}/offers/{offer_id:int}/codes/generate", name="codes:generate", guards=[editors])
async def generate(
    request: Request[Any, Any, Any], org_id: FromPath[int], offer_id: FromPath[int], settings: Provided[Settings]
) -> Redirect | Template:
    data = await request.form()
    try:
        await code_pool.generate(settings, require(request), org_id, offer_id, Form(data))
    except FormInvalid as invalid:
        return await _pool_page(request, org_id, offer_id, 422, form=data, errors=invalid.errors)
    return Redirect(f"/organisations/{org_id}/offers/{offer_id}/codes", status_code=303)


@post("/organisations/{org_id:int}/offers/{offer_id:int}/codes/upload", name="codes:upload", guards=[editors])
async def upload(
    request: Request[Any, Any, Any], org_id: FromPath[int], offer_id: FromPath[int], settings: Provided[Settings]
) -> Redirect | Template:
    data = await request.form()
    file = data.get("file")
    content = await file.read() if isinstance(file, UploadFile) else b""
    form = Form({key: value for key, value in data.items() if key != "file"})
    try:
        await code_pool.upload(settings, require(request), org_id, offer_id, form, content)
    except FormInvalid as invalid:
        return await _pool_page(request, org_id, offer_id, 422, errors=invalid.errors)
    return Redirect(f"/organisations/{org_id}/offers/{offer_id}/codes", status_code=303)


@post("/offers/{offer_id:int}/claim", name="codes:claim", guards=[signed_in])
async def claim(
    request: Request[Any, Any, Any], offer_id: FromPath[int], settings: Provided[Settings], today: Provided[date]
) -> Redirect | Template:
    try:
        await claiming.claim(settings, require(request), offer_id, today)
    except claiming.PoolEmpty as empty:
        context = {"offer_id": offer_id, "problem": str(empty), "empty": True}
        return page_or_fragment(request, "offers/claim.html", context, status_code=409)
    except (Conflict, Forbidden) as problem:
        context = {"offer_id": offer_id, "problem": str(problem), "empty": False}
        return page_or_fragment(request, "offers/claim.html", context, status_code=problem.status_code)
    return Redirect("/me/codes", status_code=303)


@post("/offers/{offer_id:int}/wait", name="codes:wait", guards=[signed_in])
async def wait(request: Request[Any, Any, Any], offer_id: FromPath[int], today: Provided[date]) -> Redirect:
    await claiming.wait_for_more(require(request), offer_id, today)
    return Redirect(f"/offers/{offer_id}?waiting=1", status_code=303)


@get("/me/codes", name="codes:mine", guards=[signed_in])
async def mine(request: Request[Any, Any, Any]) -> Template:
    codes = [row | {"qr": qr(row["code"])} for row in await claiming.mine(require(request).user_id)]
    return page_or_fragment(request, "me/codes.html", {"codes": codes})


@get("/organisations/{org_id:int}/redeem", name="codes:door", guards=[at_the_door])
async def door(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    context = {"org_id": org_id, "form": {}, "errors": {}, "outcome": None}
    return page_or_fragment(request, "organisations/redeem.html", context)


@post("/organisations/{org_id:int}/redeem", name="codes:redeem", guards=[at_the_door])
async def redeem(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    data = await request.form()
    try:
        outcome = await redeeming.redeem(require(request), org_id, Form(data))
    except FormInvalid as invalid:
        context = {"org_id": org_id, "form": data, "errors": invalid.errors, "outcome": None}
        return page_or_fragment(request, "organisations/redeem.html", context, status_code=422)
    context = {"org_id": org_id, "form": {}, "errors": {}, "outcome": outcome}
    return page_or_fragment(request, "organisations/redeem.html", context)


@post("/organisations/{org_id:int}/redeem/{code_id:int}/undo", name="codes:undo", guards=[at_the_door])
async def undo(request: Request[Any, Any, Any], org_id: FromPath[int], code_id: FromPath[int]) -> Template:
    outcome: dict[str, Any] = {"result": "undone"}
    try:
        await redeeming.undo(require(request), org_id, code_id)
    except Conflict as problem:
        outcome = {"result": "cannot_undo", "problem": str(problem)}
    context = {"org_id": org_id, "form": {}, "errors": {}, "outcome": outcome}
    return page_or_fragment(request, "organisations/redeem.html", context)


ROUTES = [pool, generate, upload, claim, wait, mine, door, redeem, undo]
