"""Applying, and the young person's list of what they applied for."""

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.applications import provider, service
from app.applications.labels import provider_stage_label, stage_label
from app.core.auth import OFFER_EDITORS, Members, principal_of, public, require, signed_in
from app.core.deps import Provided
from app.core.errors import Conflict, Forbidden
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.offers import editing
from app.settings import Settings
from app.verification import service as verification


async def _apply_page(
    request: Request[Any, Any, Any], offer_id: int, today: date, status: int = 200, **extra: Any
) -> Template:
    offer = await service.open_offer(offer_id, today)
    context = {
        "offer": offer,
        "verified": await verification.is_verified(require(request).user_id, today),
        "form": {"contact_by": "email"},
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "offers/apply.html", context, status_code=status)


@get("/offers/{offer_id:int}/apply", name="applications:new", guards=[signed_in])
async def new(request: Request[Any, Any, Any], offer_id: FromPath[int], today: Provided[date]) -> Template:
    return await _apply_page(request, offer_id, today)


@post("/offers/{offer_id:int}/apply", name="applications:create", guards=[signed_in])
async def create(
    request: Request[Any, Any, Any], offer_id: FromPath[int], settings: Provided[Settings], today: Provided[date]
) -> Redirect | Template:
    data = await request.form()
    try:
        await service.apply(settings, require(request), offer_id, Form(data), today)
    except FormInvalid as invalid:
        return await _apply_page(request, offer_id, today, 422, form=data, errors=invalid.errors)
    except (Conflict, Forbidden) as problem:
        return await _apply_page(request, offer_id, today, problem.status_code, form=data, problem=str(problem))
    return Redirect("/me/applications", status_code=303)


@get("/offers/{offer_id:int}/go", name="applications:go", guards=[public])
async def go(
    request: Request[Any, Any, Any], offer_id: FromPath[int], settings: Provided[Settings], today: Provided[date]
) -> Redirect:
    """Applying on the provider's own website: we note that a young person went (a count, not who) and send
    them on."""
    url = await service.went_to_apply(settings, principal_of(request), offer_id, today)
    return Redirect(url, status_code=303)


@get("/me/applications", name="applications:mine", guards=[signed_in])
async def mine(request: Request[Any, Any, Any]) -> Template:
    context = {"applications": await service.mine(require(request).user_id), "stage_label": stage_label}
    return page_or_fragment(request, "me/applications.html", context)


@post("/me/applications/{application_id:int}/withdraw", name="applications:withdraw", guards=[signed_in])
async def withdraw(
    request: Request[Any, Any, Any], application_id: FromPath[int], settings: Provided[Settings]
) -> Redirect:
    await provider.withdraw(settings, require(request), application_id)
    return Redirect("/me/applications", status_code=303)


# The provider's pages -----------------------------------------------------------------------------------------

editors = Members(*OFFER_EDITORS)


@get("/organisations/{org_id:int}/offers/{offer_id:int}/applicants", name="applications:applicants", guards=[editors])
async def applicants(request: Request[Any, Any, Any], org_id: FromPath[int], offer_id: FromPath[int]) -> Template:
    offer = await editing.get(org_id, offer_id)
    context = {"org_id": org_id, "offer": offer, "applicants": await provider.for_offer(org_id, offer_id)}
    context["stage_label"] = provider_stage_label
    return page_or_fragment(request, "organisations/offers/applicants.html", context)


async def _application_page(
    request: Request[Any, Any, Any], org_id: int, application_id: int, status: int = 200, **extra: Any
) -> Template:
    row = await provider.one(org_id, application_id)
    context = {
        "org_id": org_id,
        "application": row,
        "stage_label": provider_stage_label,
        "stage_options": [(stage, provider_stage_label(stage)) for stage in row["next"]],
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "organisations/applications/detail.html", context, status_code=status)


@get("/organisations/{org_id:int}/applications/{application_id:int}", name="applications:one", guards=[editors])
async def application(
    request: Request[Any, Any, Any], org_id: FromPath[int], application_id: FromPath[int]
) -> Template:
    return await _application_page(request, org_id, application_id)


@post("/organisations/{org_id:int}/applications/{application_id:int}/stage", name="applications:move", guards=[editors])
async def move(
    request: Request[Any, Any, Any], org_id: FromPath[int], application_id: FromPath[int], settings: Provided[Settings]
) -> Redirect | Template:
    try:
        await provider.move(settings, require(request), org_id, application_id, Form(await request.form()))
    except FormInvalid as invalid:
        return await _application_page(request, org_id, application_id, 422, errors=invalid.errors)
    except Conflict as problem:
        return await _application_page(request, org_id, application_id, 409, problem=str(problem))
    return Redirect(f"/organisations/{org_id}/applications/{application_id}", status_code=303)


ROUTES = [new, create, go, mine, withdraw, applicants, application, move]
