"""A young person's own pages: their space, their profile, their data, and leaving."""

import json
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from app.core.auth import SESSION_COOKIE, public, require, signed_in
from app.core.deps import Provided
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.organisations import members
from app.verification import service as verification
from app.young_people import service
from search.places import councils


def _profile_page(
    request: Request[Any, Any, Any], form: Any, errors: dict[str, str], today: date, status: int = 200
) -> Template:
    context = {
        "form": form,
        "errors": errors,
        "councils": [(place.code, place.name) for place in councils()],
        "age_problem": service.outside_age_range(str(form.get("date_of_birth") or ""), today),
        "next": request.query_params.get("next", ""),
    }
    return page_or_fragment(request, "me/profile.html", context, status_code=status)


@get("/me", name="me:index", guards=[signed_in])
async def index(request: Request[Any, Any, Any], today: Provided[date]) -> Template | Redirect:
    who = require(request)
    profile = await service.get(who.user_id)
    if profile is None:
        return Redirect("/me/profile", status_code=303)
    context = {"profile": profile, "active": await verification.active(profile["id"], today)}
    return page_or_fragment(request, "me/index.html", context)


@get("/me/profile", name="me:profile", guards=[signed_in])
async def profile(request: Request[Any, Any, Any], today: Provided[date]) -> Template:
    who = require(request)
    row = await service.get(who.user_id)
    form = {"display_name": who.display_name, "email_updates": "on"}
    if row is not None:
        form |= {
            "date_of_birth": row["date_of_birth"].isoformat(),
            "home_council": row["home_council"],
            "email_updates": "on" if row["email_updates"] else "",
        }
    return _profile_page(request, form, {}, today)


@post("/me/profile", name="me:save_profile", guards=[signed_in])
async def save_profile(request: Request[Any, Any, Any], today: Provided[date]) -> Template | Redirect:
    data = await request.form()
    try:
        await service.save(require(request), Form(data), today)
    except FormInvalid as invalid:
        return _profile_page(request, data, invalid.errors, today, 422)
    return Redirect("/me/verification", status_code=303)


@get("/me/data", name="me:data", guards=[signed_in])
async def download(request: Request[Any, Any, Any]) -> Response[bytes]:
    everything = await service.everything(require(request).user_id)
    body = json.dumps(everything, indent=2, ensure_ascii=False, default=str).encode()
    headers = {"Content-Disposition": 'attachment; filename="cyfle-my-data.json"', "Cache-Control": "no-store"}
    return Response(body, media_type="application/json", headers=headers)


@get("/me/delete", name="me:delete", guards=[signed_in])
async def delete_page(request: Request[Any, Any, Any]) -> Template:
    hand_over = await members.only_owner_of(require(request).user_id)
    return page_or_fragment(request, "me/delete.html", {"hand_over": hand_over})


@post("/me/delete", name="me:erase", guards=[signed_in])
async def erase(request: Request[Any, Any, Any]) -> Template | Redirect:
    try:
        await service.erase(require(request).user_id)
    except service.StillOwns as still:
        context = {"hand_over": still.organisations, "refused": True}
        return page_or_fragment(request, "me/delete.html", context, status_code=409)
    return Redirect("/?deleted=1", status_code=303, cookies=[Cookie(key=SESSION_COOKIE, value="", max_age=0)])


@get("/privacy", name="privacy", guards=[public])
async def privacy(request: Request[Any, Any, Any]) -> Template:
    return page_or_fragment(request, "privacy/index.html", {})


ROUTES = [index, profile, save_profile, download, delete_page, erase, privacy]
