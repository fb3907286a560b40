"""Applying, the young person's list of what they applied for, and the provider's applicants."""

from datetime import date
from typing import Any

from litestar import Request, Router, get, post
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.applications import provider, service
from app.applications.labels import provider_stage_label, stage_label
from app.core.auth import OFFER_EDITORS, Members, Principal, principal_of, public, signed_in
from app.core.deps import Id, Provided
from app.core.errors import Conflict, Forbidden
from app.core.forms import Form, FormInvalid
from app.core.head import only_looking
from app.core.htmx import page_or_fragment
from app.core.i18n import current_locale
from app.core.paths import redirect_to
from app.offers import editing
from app.settings import Settings
from app.verification import asking as verification


async def _apply_page(
    request: Request[Any, Any, Any], who: Principal, offer_id: int, today: date, status: int = 200, **extra: Any
) -> Template:
    offer = await service.open_offer(offer_id, today)
    context = {
        "offer": offer,
        "verified": await verification.is_verified(who.user_id, today),
        "form": {"contact_by": "email"},
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "offers/apply.html", context, status_code=status)


@get("/apply", name="applications:new")
async def new(
    request: Request[Any, Any, Any], offer_id: Id, today: Provided[date], who: Provided[Principal]
) -> Template:
    return await _apply_page(request, who, offer_id, today)


@post("/apply", name="applications:create")
async def create(
    request: Request[Any, Any, Any],
    offer_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Redirect | Template:
    data = await request.form()
    try:
        await service.apply(settings, who, offer_id, Form(data), today)
    except FormInvalid as invalid:
        return await _apply_page(request, who, offer_id, today, 422, form=data, errors=invalid.errors)
    except (Conflict, Forbidden) as problem:
        return await _apply_page(request, who, offer_id, today, problem.status_code, form=data, problem=str(problem))
    return redirect_to(request, "applications:mine")


@get("/offers/{offer_id:int}/go", name="applications:go", guards=[public])
async def go(
    request: Request[Any, Any, Any], offer_id: Id, settings: Provided[Settings], today: Provided[date]
) -> Redirect:
    """Applying on the provider's own website: we note that a young person went (a count, not who) and send
    them on. A HEAD (a link checker) is answered as for someone not signed in: nothing is noted."""
    who = None if only_looking(request) else principal_of(request)
    url = await service.went_to_apply(settings, who, offer_id, today)
    return Redirect(url, status_code=303)


@get("/", name="applications:mine")
async def mine(request: Request[Any, Any, Any], who: Provided[Principal]) -> Template:
    context = {"applications": await service.mine(who.user_id, current_locale()), "stage_label": stage_label}
    return page_or_fragment(request, "me/applications.html", context)


@post("/{application_id:int}/withdraw", name="applications:withdraw")
async def withdraw(
    request: Request[Any, Any, Any], application_id: Id, settings: Provided[Settings], who: Provided[Principal]
) -> Redirect:
    await provider.withdraw(settings, who, application_id)
    return redirect_to(request, "applications:mine")


# The provider's pages -----------------------------------------------------------------------------------------

editors = Members(*OFFER_EDITORS)


@get("/offers/{offer_id:int}/applicants", name="applications:applicants")
async def applicants(request: Request[Any, Any, Any], org_id: Id, offer_id: Id) -> Template:
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
        "stage_options": [(stage, provider_stage_label(stage)) for stage in row.next],
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "organisations/applications/detail.html", context, status_code=status)


@get("/applications/{application_id:int}", name="applications:one")
async def application(request: Request[Any, Any, Any], org_id: Id, application_id: Id) -> Template:
    return await _application_page(request, org_id, application_id)


@post("/applications/{application_id:int}/stage", name="applications:move")
async def move(
    request: Request[Any, Any, Any],
    org_id: Id,
    application_id: Id,
    settings: Provided[Settings],
    who: Provided[Principal],
) -> Redirect | Template:
    try:
        await provider.move(settings, who, org_id, application_id, Form(await request.form()))
    except FormInvalid as invalid:
        return await _application_page(request, org_id, application_id, 422, errors=invalid.errors)
    except Conflict as problem:
        return await _application_page(request, org_id, application_id, 409, problem=str(problem))
    return redirect_to(request, "applications:one", org_id=org_id, application_id=application_id)


ROUTES: list[ControllerRouterHandler] = [
    Router("/offers/{offer_id:int}", guards=[signed_in], route_handlers=[new, create]),
    go,
    Router("/me/applications", guards=[signed_in], route_handlers=[mine, withdraw]),
    Router("/organisations/{org_id:int}", guards=[editors], route_handlers=[applicants, application, move]),
]
