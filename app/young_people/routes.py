"""A young person's own pages: their space, their profile, their data, and leaving."""

import json
from datetime import date
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.advisers import suggestions
from app.core.areas import council_choices
from app.core.auth import FORGET_THIS_BROWSER, SESSION_COOKIE, Principal, public, signed_in
from app.core.deps import Provided
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import current_locale
from app.core.paths import redirect_to
from app.organisations import members
from app.settings import Settings
from app.verdicts import service as verdicts
from app.verification import asking
from app.young_people import service


def _profile_page(
    request: Request[Any, Any, Any], form: Any, errors: dict[str, str], today: date, status: int = 200
) -> Template:
    context = {
        "form": form,
        "errors": errors,
        "councils": council_choices(),
        "age_problem": service.outside_age_range(str(form.get("date_of_birth") or ""), today),
        "next": request.query_params.get("next", ""),
    }
    return page_or_fragment(request, "me/profile.html", context, status_code=status)


@get("/", name="me:index")
async def index(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    profile = await service.get(who.user_id)
    if profile is None:
        return redirect_to(request, "me:profile")
    context = {
        "profile": profile,
        "active": await asking.active(profile.id, today),
        "suggestions": await suggestions.for_me(who.user_id, current_locale()),
        "verdicts": await verdicts.waiting_count(settings, who, today),
    }
    return page_or_fragment(request, "me/index.html", context)


@get("/profile", name="me:profile")
async def profile(request: Request[Any, Any, Any], today: Provided[date], who: Provided[Principal]) -> Template:
    row = await service.get(who.user_id)
    form = {"display_name": who.display_name, "email_updates": "on"}
    if row is not None:
        form |= {
            "date_of_birth": row.date_of_birth.isoformat(),
            "home_council": row.home_council,
            "email_updates": "on" if row.email_updates else "",
        }
    return _profile_page(request, form, {}, today)


@post("/profile", name="me:save_profile")
async def save_profile(
    request: Request[Any, Any, Any], today: Provided[date], who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await service.save(who, Form(data), today)
    except FormInvalid as invalid:
        return _profile_page(request, data, invalid.errors, today, 422)
    return redirect_to(request, "me:verification")


@get("/data", name="me:data")
async def download(who: Provided[Principal]) -> Response[bytes]:
    everything = await service.everything(who.user_id)
    body = json.dumps(everything, indent=2, ensure_ascii=False, default=str).encode()
    headers = {"Content-Disposition": 'attachment; filename="cyfle-my-data.json"', "Cache-Control": "no-store"}
    return Response(body, media_type="application/json", headers=headers)


@get("/delete", name="me:delete")
async def delete_page(request: Request[Any, Any, Any], who: Provided[Principal]) -> Template:
    hand_over = await members.only_owner_of(who.user_id)
    return page_or_fragment(request, "me/delete.html", {"hand_over": hand_over})


@post("/delete", name="me:erase")
async def erase(request: Request[Any, Any, Any], who: Provided[Principal]) -> Template | Redirect:
    try:
        await service.erase(who.user_id)
    except service.StillOwns as still:
        context = {"hand_over": still.organisations, "refused": True}
        return page_or_fragment(request, "me/delete.html", context, status_code=409)
    signed_out = [Cookie(key=SESSION_COOKIE, value="", max_age=0)]
    return redirect_to(request, "home", query={"deleted": 1}, cookies=signed_out, headers=FORGET_THIS_BROWSER)


@get("/privacy", name="privacy", guards=[public])
async def privacy(request: Request[Any, Any, Any]) -> Template:
    return page_or_fragment(request, "privacy/index.html", {})


ROUTES: list[ControllerRouterHandler] = [
    Router("/me", guards=[signed_in], route_handlers=[index, profile, save_profile, download, delete_page, erase]),
    privacy,
]
