"""Applying, and the young person's list of what they applied for."""

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.applications import service
from app.applications.labels import stage_label
from app.core.auth import require, signed_in
from app.core.errors import Conflict, Forbidden
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.verification import service as verification


async def _apply_page(request: Request[Any, Any, Any], offer_id: int, status: int = 200, **extra: Any) -> Template:
    offer = await service.open_offer(offer_id, date.today())
    context = {
        "offer": offer,
        "verified": await verification.is_verified(require(request).user_id, date.today()),
        "form": {"contact_by": "email"},
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "offers/apply.html", "content", context, status_code=status)


@get("/offers/{offer_id:int}/apply", name="applications:new", guards=[signed_in])
async def new(request: Request[Any, Any, Any], offer_id: FromPath[int]) -> Template:
    return await _apply_page(request, offer_id)


@post("/offers/{offer_id:int}/apply", name="applications:create", guards=[signed_in])
async def create(request: Request[Any, Any, Any], offer_id: FromPath[int]) -> Redirect | Template:
    data = await request.form()
    try:
        await service.apply(request.app.state.settings, require(request), offer_id, Form(data), date.today())
    except FormInvalid as invalid:
        return await _apply_page(request, offer_id, 422, form=data, errors=invalid.errors)
    except (Conflict, Forbidden) as problem:
        return await _apply_page(request, offer_id, problem.status_code, form=data, problem=str(problem))
    return Redirect("/me/applications", status_code=303)


@get("/me/applications", name="applications:mine", guards=[signed_in])
async def mine(request: Request[Any, Any, Any]) -> Template:
    context = {"applications": await service.mine(require(request).user_id), "stage_label": stage_label}
    return page_or_fragment(request, "me/applications.html", "content", context)


ROUTES = [new, create, mine]
