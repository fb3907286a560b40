"""Sign in by email link, sign out, and your account."""

from dataclasses import replace
from typing import Any

from litestar import Request, Router, get, post
from litestar.datastructures import Cookie
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.accounts import service
from app.accounts.sessions import SESSION_TTL
from app.core.auth import (
    DEVICE_COOKIE,
    FORGET_THIS_BROWSER,
    SESSION_COOKIE,
    Principal,
    principal_of,
    public,
    signed_in,
)
from app.core.deps import Provided
from app.core.errors import Invalid
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.paths import path_to, redirect_to, safe_next
from app.core.ratelimit import client_ip
from app.core.search_engines import NOINDEX
from app.organisations import service as organisations
from app.settings import Settings

DEVICE_MAX_AGE = 400 * 24 * 3600
ASKED_COOKIE = "asked"  # the browser that asked for a sign-in link: only it signs in with one press


def _cookie(settings: Settings, key: str, value: str, max_age: int) -> Cookie:
    return Cookie(key=key, value=value, max_age=max_age, httponly=True, secure=settings.is_prod, samesite="lax")


def _asked_cookie(request: Request[Any, Any, Any], settings: Settings, nonce: str, max_age: int) -> Cookie:
    """Sent back only to the sign-in pages (the paths under accounts:sign_in's)."""
    cookie = _cookie(settings, ASKED_COOKIE, nonce, max_age)
    return replace(cookie, path=path_to(request, "accounts:sign_in"))


def _browser_nonce(request: Request[Any, Any, Any]) -> str | None:
    nonce = request.cookies.get(ASKED_COOKIE)
    return nonce if nonce and 20 <= len(nonce) <= 64 else None


@get("/", name="accounts:sign_in")
async def sign_in(request: Request[Any, Any, Any], next: FromQuery[str | None] = None) -> Template:
    context = {"form": {"next": safe_next(next)}, "errors": {}, "who": principal_of(request)}
    return page_or_fragment(request, "accounts/sign_in.html", context)


@post("/", name="accounts:send_link")
async def send_link(request: Request[Any, Any, Any], settings: Provided[Settings]) -> Template:
    data = await request.form()
    nonce = _browser_nonce(request) or service.new_browser_nonce()  # one per browser: every link it asks for
    try:
        email = await service.request_link(settings, Form(data), client_ip(request, settings), nonce)
    except FormInvalid as invalid:
        context = {"form": data, "errors": invalid.errors, "who": None}
        return page_or_fragment(request, "accounts/sign_in.html", context, status_code=422)
    sent = page_or_fragment(request, "accounts/sent.html", {"email": email})
    sent.cookies.append(_asked_cookie(request, settings, nonce, int(service.LINK_TTL.total_seconds())))
    return sent


@get("/{token:str}", name="accounts:link")
async def link(request: Request[Any, Any, Any], token: FromPath[str], settings: Provided[Settings]) -> Template:
    """Only shows a button, saying who it signs in as: mail scanners that open links must not use them up."""
    try:
        email = await service.link_email(settings, token)
    except Invalid as invalid:  # a page that says so (200, as before: opening a link is never an error of yours)
        return page_or_fragment(request, "accounts/link.html", {"problem": str(invalid)})
    return page_or_fragment(request, "accounts/link.html", {"token": token, "email": email})


@post("/{token:str}", name="accounts:use_link")
async def use_link(
    request: Request[Any, Any, Any], token: FromPath[str], settings: Provided[Settings]
) -> Redirect | Template:
    device = request.cookies.get(DEVICE_COOKIE) or service.new_device_id()
    confirmed = (await request.form()).get("confirm") == "yes"
    try:
        signed = await service.redeem_link(settings, token, device, _browser_nonce(request), confirmed)
    except service.AskedElsewhere as elsewhere:
        context = {"token": token, "email": elsewhere.email, "elsewhere": True}
        return page_or_fragment(request, "accounts/link.html", context)
    except Invalid as invalid:
        return page_or_fragment(request, "accounts/link.html", {"problem": str(invalid)}, status_code=400)
    cookies = [
        _cookie(settings, SESSION_COOKIE, signed.session_token, int(SESSION_TTL.total_seconds())),
        _cookie(settings, DEVICE_COOKIE, device, DEVICE_MAX_AGE),
        _asked_cookie(request, settings, "", 0),
    ]
    # Whoever used this browser before (a session that ran out, someone who never signed out) leaves nothing here.
    return Redirect(signed.next_path, status_code=303, cookies=cookies, headers=FORGET_THIS_BROWSER)


@post("/sign-out", name="accounts:sign_out", guards=[public])
async def sign_out(request: Request[Any, Any, Any], settings: Provided[Settings]) -> Redirect:
    if token := request.cookies.get(SESSION_COOKIE):
        await service.sign_out(settings, token)
    signed_out = [Cookie(key=SESSION_COOKIE, value="", max_age=0)]
    return redirect_to(request, "home", cookies=signed_out, headers=FORGET_THIS_BROWSER)


@post("/sign-out/everywhere", name="accounts:sign_out_everywhere", guards=[signed_in])
async def sign_out_everywhere(request: Request[Any, Any, Any], who: Provided[Principal]) -> Redirect:
    await service.sign_out_everywhere(who.user_id)
    signed_out = [Cookie(key=SESSION_COOKIE, value="", max_age=0)]
    return redirect_to(request, "home", cookies=signed_out, headers=FORGET_THIS_BROWSER)


@get("/", name="accounts:account")
async def account(request: Request[Any, Any, Any], who: Provided[Principal]) -> Template:
    context = {"who": who, "form": {"display_name": who.display_name}, "errors": {}}
    context["organisations"] = await organisations.of_user(who.user_id)
    return page_or_fragment(request, "accounts/account.html", context)


@post("/", name="accounts:update")
async def update(request: Request[Any, Any, Any], who: Provided[Principal]) -> Redirect | Template:
    data = await request.form()
    try:
        await service.update_profile(who.user_id, Form(data))
    except FormInvalid as invalid:
        context = {"who": who, "form": data, "errors": invalid.errors}
        context["organisations"] = await organisations.of_user(who.user_id)
        return page_or_fragment(request, "accounts/account.html", context, status_code=422)
    return redirect_to(request, "accounts:account")


ROUTES: list[Router | HTTPRouteHandler] = [
    Router("/sign-in", guards=[public], route_handlers=[sign_in, send_link, link, use_link], opt={NOINDEX: True}),
    sign_out,
    sign_out_everywhere,
    Router("/account", guards=[signed_in], route_handlers=[account, update]),
]
