"""Verification pages: the young person's (ask, use a code, renew) and the council's (queue, decide, revoke,
invitation codes, decisions log)."""

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

from litestar import Request, Router, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.core.auth import Members, Principal, public, signed_in
from app.core.deps import Id, Provided
from app.core.errors import Conflict
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import alphabetical
from app.core.paths import path_to, redirect_to
from app.core.qr import qr
from app.core.ratelimit import client_ip
from app.core.search_engines import NOINDEX
from app.organisations import service as organisations
from app.settings import Settings
from app.verification import asking, deciding, invitations
from app.young_people import service as young_people

verifiers = Members("verifier")
INVITE_COOKIE = "invite"


async def _my_page(
    request: Request[Any, Any, Any], who: Principal, today: date, status: int = 200, **extra: Any
) -> Template | Redirect:
    profile = await young_people.get(who.user_id)
    if profile is None:
        return redirect_to(request, "me:profile")
    latest = await asking.latest(profile.id)
    active = await asking.active(profile.id, today)
    choices = await asking.councils()
    home = next((council.id for council in choices if council.council_area == profile.home_council), "")
    context = {
        "profile": profile,
        "latest": latest,
        "active": active,
        "can_renew": asking.can_renew(latest, active, today),
        "verified": await asking.is_verified(who.user_id, today),
        "council_options": [(council.id, council.name) for council in alphabetical(choices, lambda c: c.name)],
        "home_on_cyfle": bool(home),
        "form": {"council": str(home), "code": request.cookies.get(INVITE_COOKIE, "")[:40]},
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "me/verification.html", context, status_code=status)


@get("/", name="me:verification")
async def mine(request: Request[Any, Any, Any], today: Provided[date], who: Provided[Principal]) -> Template | Redirect:
    return await _my_page(request, who, today)


@post("/", name="me:ask")
async def ask(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await asking.ask(settings, who, Form(data))
    except FormInvalid as invalid:
        return await _my_page(request, who, today, 422, form=data, errors=invalid.errors)
    return redirect_to(request, "me:verification")


@post("/code", name="me:use_code")
async def use_code(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await invitations.use(settings, who, Form(data), client_ip(request, settings), today)
    except FormInvalid as invalid:
        return await _my_page(request, who, today, 422, form=data, errors=invalid.errors)
    return redirect_to(request, "me:index", cookies=[Cookie(key=INVITE_COOKIE, value="", max_age=0)])


@post("/renew", name="me:renew")
async def renew(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    try:
        await asking.renew(settings, who)
    except Conflict as problem:
        return await _my_page(request, who, today, 409, problem=str(problem))
    return redirect_to(request, "me:verification")


@get("/join", name="join", guards=[public], opt={NOINDEX: True})
async def join(request: Request[Any, Any, Any], settings: Provided[Settings], code: FromQuery[str] = "") -> Template:
    """Where an invitation's QR code leads: sign in (or up), then the code is filled in for you. The code waits
    in a short-lived cookie on this phone, so it is never written down on our side (not even in a sign-in link)."""
    code = invitations.grouped(code[:40])
    sign_in = path_to(request, "accounts:sign_in", query={"next": path_to(request, "me:verification")})
    response = page_or_fragment(request, "join/index.html", {"code": code, "sign_in": sign_in})
    if code:
        secure = settings.is_prod
        response.cookies.append(
            Cookie(key=INVITE_COOKIE, value=code, max_age=3600, httponly=True, secure=secure, samesite="lax")
        )
    return response


# The council's pages ------------------------------------------------------------------------------------------


@get("/verification", name="verification:queue")
async def queue(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    context = {
        "org": await organisations.get(org_id),
        "waiting": await deciding.queue(org_id),
        "counts": await deciding.counts(org_id, today),
        "people": await deciding.verified_people(org_id, today),
        "now": datetime.now(UTC),
    }
    return page_or_fragment(request, "organisations/verification/index.html", context)


async def _request_page(
    request: Request[Any, Any, Any], org_id: int, verification_id: int, status: int = 200, **extra: Any
) -> Template:
    row = await deciding.one(org_id, verification_id)
    context = {
        "org": await organisations.get(org_id),
        "request_": row,
        "form": {"expires_on": row.latest_expiry.isoformat()},
        "errors": {},
        "now": datetime.now(UTC),
        **extra,
    }
    return page_or_fragment(request, "organisations/verification/detail.html", context, status_code=status)


@get("/verification/{verification_id:int}", name="verification:one")
async def one(request: Request[Any, Any, Any], org_id: Id, verification_id: Id) -> Template:
    return await _request_page(request, org_id, verification_id)


Decide = Callable[[Settings, Principal, int, int, Form], Awaitable[None]]


async def _decide(
    request: Request[Any, Any, Any],
    settings: Settings,
    who: Principal,
    org_id: int,
    verification_id: int,
    action: Decide,
) -> Redirect | Template:
    data = await request.form()
    try:
        await action(settings, who, org_id, verification_id, Form(data))
    except FormInvalid as invalid:
        return await _request_page(request, org_id, verification_id, 422, form=data, errors=invalid.errors)
    except Conflict as problem:
        return await _request_page(request, org_id, verification_id, 409, problem=str(problem))
    return redirect_to(request, "verification:queue", org_id=org_id)


@post("/verification/{verification_id:int}/approve", name="verification:approve")
async def approve(
    request: Request[Any, Any, Any],
    org_id: Id,
    verification_id: Id,
    settings: Provided[Settings],
    who: Provided[Principal],
) -> Redirect | Template:
    return await _decide(request, settings, who, org_id, verification_id, deciding.approve)


@post("/verification/{verification_id:int}/refuse", name="verification:refuse")
async def refuse(
    request: Request[Any, Any, Any],
    org_id: Id,
    verification_id: Id,
    settings: Provided[Settings],
    who: Provided[Principal],
) -> Redirect | Template:
    return await _decide(request, settings, who, org_id, verification_id, deciding.refuse)


@post("/verification/{verification_id:int}/revoke", name="verification:revoke")
async def revoke(
    request: Request[Any, Any, Any],
    org_id: Id,
    verification_id: Id,
    settings: Provided[Settings],
    who: Provided[Principal],
) -> Redirect | Template:
    return await _decide(request, settings, who, org_id, verification_id, deciding.revoke)


@get("/verification/log", name="verification:log")
async def log(request: Request[Any, Any, Any], org_id: Id) -> Template:
    context = {"org": await organisations.get(org_id), "decisions": await deciding.decisions(org_id)}
    return page_or_fragment(request, "organisations/verification/log.html", context)


async def _invitations_page(request: Request[Any, Any, Any], org_id: int, status: int = 200, **extra: Any) -> Template:
    context = {"org": await organisations.get(org_id), "form": {"count": "1", "days": "30"}, "errors": {}, "codes": []}
    return page_or_fragment(request, "organisations/invitations/index.html", context | extra, status_code=status)


@get("/invitations", name="invitations:new")
async def new_invitations(request: Request[Any, Any, Any], org_id: Id) -> Template:
    return await _invitations_page(request, org_id)


@post("/invitations", name="invitations:mint")
async def mint(
    request: Request[Any, Any, Any], org_id: Id, settings: Provided[Settings], who: Provided[Principal]
) -> Template:
    """Shown once: the page is for printing, and the codes are not kept in a form anyone can read back."""
    data = await request.form()
    try:
        codes = await invitations.mint(settings, who, org_id, Form(data))
    except FormInvalid as invalid:
        return await _invitations_page(request, org_id, 422, form=data, errors=invalid.errors)
    join_url = settings.base_url + path_to(request, "join")
    printed = [
        {"code": code, "qr": qr(settings.base_url + path_to(request, "join", query={"code": code}))} for code in codes
    ]
    response = await _invitations_page(request, org_id, codes=printed, join_url=join_url)
    response.headers["Cache-Control"] = "no-store"
    return response


ROUTES: list[ControllerRouterHandler] = [
    Router("/me/verification", guards=[signed_in], route_handlers=[mine, ask, use_code, renew]),
    join,
    Router(
        "/organisations/{org_id:int}",
        guards=[verifiers],
        route_handlers=[queue, one, approve, refuse, revoke, log, new_invitations, mint],
    ),
]
