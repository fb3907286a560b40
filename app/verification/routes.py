"""Verification pages: the young person's (ask, use a code, renew) and the council's (queue, decide, revoke,
invitation codes, decisions log)."""

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.core.auth import Members, public, require, signed_in
from app.core.deps import Provided
from app.core.errors import Conflict
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.qr import qr
from app.core.ratelimit import client_ip
from app.organisations import service as organisations
from app.settings import Settings
from app.verification import invitations, service
from app.young_people import service as young_people

verifiers = Members("verifier")
INVITE_COOKIE = "invite"


async def _my_page(
    request: Request[Any, Any, Any], today: date, status: int = 200, **extra: Any
) -> Template | Redirect:
    who = require(request)
    profile = await young_people.get(who.user_id)
    if profile is None:
        return Redirect("/me/profile", status_code=303)
    latest = await service.latest(profile["id"])
    active = await service.active(profile["id"], today)
    choices = await service.councils()
    home = next((row["id"] for row in choices if row["council_area"] == profile["home_council"]), "")
    context = {
        "profile": profile,
        "latest": latest,
        "active": active,
        "can_renew": service.can_renew(latest, active, today),
        "verified": await service.is_verified(who.user_id, today),
        "council_options": [(row["id"], row["name"]) for row in choices],
        "home_on_cyfle": bool(home),
        "form": {"council": str(home), "code": request.cookies.get(INVITE_COOKIE, "")[:40]},
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "me/verification.html", context, status_code=status)


@get("/me/verification", name="me:verification", guards=[signed_in])
async def mine(request: Request[Any, Any, Any], today: Provided[date]) -> Template | Redirect:
    return await _my_page(request, today)


@post("/me/verification", name="me:ask", guards=[signed_in])
async def ask(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date]
) -> Template | Redirect:
    data = await request.form()
    try:
        await service.ask(settings, require(request), Form(data))
    except FormInvalid as invalid:
        return await _my_page(request, today, 422, form=data, errors=invalid.errors)
    return Redirect("/me/verification", status_code=303)


@post("/me/verification/code", name="me:use_code", guards=[signed_in])
async def use_code(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date]
) -> Template | Redirect:
    data = await request.form()
    try:
        await invitations.use(settings, require(request), Form(data), client_ip(request, settings), today)
    except FormInvalid as invalid:
        return await _my_page(request, today, 422, form=data, errors=invalid.errors)
    return Redirect("/me", status_code=303, cookies=[Cookie(key=INVITE_COOKIE, value="", max_age=0)])


@post("/me/verification/renew", name="me:renew", guards=[signed_in])
async def renew(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date]
) -> Template | Redirect:
    try:
        await service.renew(settings, require(request))
    except Conflict as problem:
        return await _my_page(request, today, 409, problem=str(problem))
    return Redirect("/me/verification", status_code=303)


@get("/join", name="join", guards=[public])
async def join(request: Request[Any, Any, Any], settings: Provided[Settings], code: FromQuery[str] = "") -> Template:
    """Where an invitation's QR code leads: sign in (or up), then the code is filled in for you. The code waits
    in a short-lived cookie on this phone, so it is never written down on our side (not even in a sign-in link)."""
    code = invitations.grouped(code[:40])
    context = {"code": code, "sign_in": "/sign-in?" + urlencode({"next": "/me/verification"})}
    response = page_or_fragment(request, "join/index.html", context)
    if code:
        secure = settings.is_prod
        response.cookies.append(
            Cookie(key=INVITE_COOKIE, value=code, max_age=3600, httponly=True, secure=secure, samesite="lax")
        )
    return response


# The council's pages ------------------------------------------------------------------------------------------


@get("/organisations/{org_id:int}/verification", name="verification:queue", guards=[verifiers])
async def queue(request: Request[Any, Any, Any], org_id: FromPath[int], today: Provided[date]) -> Template:
    context = {
        "org": await organisations.get(org_id),
        "waiting": await service.queue(org_id),
        "counts": await service.counts(org_id, today),
        "people": await service.verified_people(org_id, today),
        "now": datetime.now(UTC),
    }
    return page_or_fragment(request, "organisations/verification/index.html", context)


async def _request_page(
    request: Request[Any, Any, Any], org_id: int, verification_id: int, status: int = 200, **extra: Any
) -> Template:
    row = await service.one(org_id, verification_id)
    context = {
        "org": await organisations.get(org_id),
        "request_": row,
        "form": {"expires_on": row["latest_expiry"].isoformat()},
        "errors": {},
        "now": datetime.now(UTC),
        **extra,
    }
    return page_or_fragment(request, "organisations/verification/detail.html", context, status_code=status)


@get("/organisations/{org_id:int}/verification/{verification_id:int}", name="verification:one", guards=[verifiers])
async def one(request: Request[Any, Any, Any], org_id: FromPath[int], verification_id: FromPath[int]) -> Template:
    return await _request_page(request, org_id, verification_id)


async def _decide(
    request: Request[Any, Any, Any], settings: Settings, org_id: int, verification_id: int, action: Any
) -> Any:
    data = await request.form()
    try:
        await action(settings, require(request), org_id, verification_id, Form(data))
    except FormInvalid as invalid:
        return await _request_page(request, org_id, verification_id, 422, form=data, errors=invalid.errors)
    except Conflict as problem:
        return await _request_page(request, org_id, verification_id, 409, problem=str(problem))
    return Redirect(f"/organisations/{org_id}/verification", status_code=303)


@post(
    "/organisations/{org_id:int}/verification/{verification_id:int}/approve",
    name="verification:approve",
    guards=[verifiers],
)
async def approve(
    request: Request[Any, Any, Any], org_id: FromPath[int], verification_id: FromPath[int], settings: Provided[Settings]
) -> Redirect | Template:
    return await _decide(request, settings, org_id, verification_id, service.approve)


@post(
    "/organisations/{org_id:int}/verification/{verification_id:int}/refuse",
    name="verification:refuse",
    guards=[verifiers],
)
async def refuse(
    request: Request[Any, Any, Any], org_id: FromPath[int], verification_id: FromPath[int], settings: Provided[Settings]
) -> Redirect | Template:
    return await _decide(request, settings, org_id, verification_id, service.refuse)


@post(
    "/organisations/{org_id:int}/verification/{verification_id:int}/revoke",
    name="verification:revoke",
    guards=[verifiers],
)
async def revoke(
    request: Request[Any, Any, Any], org_id: FromPath[int], verification_id: FromPath[int], settings: Provided[Settings]
) -> Redirect | Template:
    return await _decide(request, settings, org_id, verification_id, service.revoke)


@get("/organisations/{org_id:int}/verification/log", name="verification:log", guards=[verifiers])
async def log(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    context = {"org": await organisations.get(org_id), "decisions": await service.decisions(org_id)}
    return page_or_fragment(request, "organisations/verification/log.html", context)


def _invitations_page(
    request: Request[Any, Any, Any], org: organisations.Org, status: int = 200, **extra: Any
) -> Template:
    context = {"org": org, "form": {"count": "1", "days": "30"}, "errors": {}, "codes": [], **extra}
    return page_or_fragment(request, "organisations/invitations/index.html", context, status_code=status)


@get("/organisations/{org_id:int}/invitations", name="invitations:new", guards=[verifiers])
async def new_invitations(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    return _invitations_page(request, await organisations.get(org_id))


@post("/organisations/{org_id:int}/invitations", name="invitations:mint", guards=[verifiers])
async def mint(request: Request[Any, Any, Any], org_id: FromPath[int], settings: Provided[Settings]) -> Template:
    """Shown once: the page is for printing, and the codes are not kept in a form anyone can read back."""
    org = await organisations.get(org_id)
    data = await request.form()
    try:
        codes = await invitations.mint(settings, require(request), org_id, Form(data))
    except FormInvalid as invalid:
        return _invitations_page(request, org, 422, form=data, errors=invalid.errors)
    printed = [{"code": code, "qr": qr(f"{settings.base_url}/join?{urlencode({'code': code})}")} for code in codes]
    response = _invitations_page(request, org, codes=printed, join_url=f"{settings.base_url}/join")
    response.headers["Cache-Control"] = "no-store"
    return response


ROUTES = [mine, ask, use_code, renew, join, queue, one, approve, refuse, revoke, log, new_invitations, mint]
