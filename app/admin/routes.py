"""The Cyfle team's pages: organisations waiting for approval, finding any organisation, and the outbox's troubles."""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from litestar import Request, Router, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from app.concerns import service as concerns
from app.core.auth import Principal, platform_admin
from app.core.db import together
from app.core.deps import Id, Provided
from app.core.errors import Conflict, NotFound
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import _
from app.core.paths import redirect_to
from app.offers import moderation
from app.offers.languages import written
from app.offers.writing import as_view
from app.organisations import members
from app.organisations import service as organisations
from app.outbox import jobs
from app.outbox import service as outbox
from app.settings import Settings


@get("/", name="admin:index")
async def index(request: Request[Any, Any, Any]) -> Template:
    waiting, queue, concerns_waiting, troubled = await together(
        organisations.waiting(), moderation.queue(), concerns.waiting(), outbox.troubled_count()
    )
    context = {"waiting": waiting, "queue": queue, "concerns": concerns_waiting, "outbox_troubled": troubled}
    return page_or_fragment(request, "admin/index.html", context)


@get("/organisations", name="admin:organisations")
async def find_organisations(request: Request[Any, Any, Any], q: FromQuery[str] = "") -> Template:
    text = q.strip()[:100]
    context = {"q": text, "found": await organisations.find(text)}
    return page_or_fragment(request, "admin/organisations.html", context, block="results")


async def _organisation_page(request: Request[Any, Any, Any], org_id: int, status: int = 200, **extra: Any) -> Template:
    context = {
        "org": await organisations.get(org_id),
        "members": await members.of(org_id),
        "form": {},
        "errors": {},
        **extra,
    }
    return page_or_fragment(request, "admin/organisation.html", context, status_code=status)


@get("/organisations/{org_id:int}", name="admin:organisation")
async def organisation(request: Request[Any, Any, Any], org_id: Id) -> Template:
    return await _organisation_page(request, org_id)


@post("/organisations/{org_id:int}/approve", name="admin:approve_organisation")
async def approve_organisation(
    request: Request[Any, Any, Any], org_id: Id, settings: Provided[Settings], who: Provided[Principal]
) -> Redirect | Template:
    try:
        version = (await request.form()).get("version", "")
        await organisations.approve(settings, who, org_id, version)
    except Conflict as problem:
        return await _organisation_page(request, org_id, 409, problem=str(problem))
    return redirect_to(request, "admin:index")


@post("/organisations/{org_id:int}/return", name="admin:return_organisation")
async def return_organisation(
    request: Request[Any, Any, Any], org_id: Id, settings: Provided[Settings], who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    try:
        await organisations.send_back(settings, who, org_id, Form(data))
    except FormInvalid as invalid:
        return await _organisation_page(request, org_id, 422, form=data, errors=invalid.errors)
    except Conflict as problem:
        return await _organisation_page(request, org_id, 409, problem=str(problem))
    return redirect_to(request, "admin:index")


async def _offer_page(
    request: Request[Any, Any, Any], offer_id: int, today: date, status: int = 200, **extra: Any
) -> Template:
    offer = await moderation.for_review(offer_id)
    shown, changes = moderation.under_review(offer)
    # The team reads every language the offer is written in: one preview each.
    previews = [
        as_view(shown, offer["organisation_name"], today, offer_id=offer["id"], reader=lang) for lang in written(shown)
    ]
    context = {"offer": offer, "changes": changes, "previews": previews}
    context |= {"form": {}, "errors": {}, **extra}
    return page_or_fragment(request, "admin/offer.html", context, status_code=status)


@get("/offers/{offer_id:int}", name="admin:offer")
async def offer(request: Request[Any, Any, Any], offer_id: Id, today: Provided[date]) -> Template:
    return await _offer_page(request, offer_id, today)


@post("/offers/{offer_id:int}/approve", name="admin:approve_offer")
async def approve_offer(
    request: Request[Any, Any, Any],
    offer_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Redirect | Template:
    try:
        version = (await request.form()).get("version", "")
        await moderation.approve(settings, who, offer_id, version, today)
    except Conflict as problem:
        return await _offer_page(request, offer_id, today, 409, problem=str(problem))
    return redirect_to(request, "admin:index")


@post("/offers/{offer_id:int}/return", name="admin:return_offer")
async def return_offer(
    request: Request[Any, Any, Any],
    offer_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Redirect | Template:
    data = await request.form()
    try:
        await moderation.send_back(settings, who, offer_id, Form(data))
    except FormInvalid as invalid:
        return await _offer_page(request, offer_id, today, 422, form=data, errors=invalid.errors)
    except Conflict as problem:
        return await _offer_page(request, offer_id, today, 409, problem=str(problem))
    return redirect_to(request, "admin:index")


# Work that keeps failing: what it is and why (never what it says), the jobs' health, retry or drop -----------------


async def _outbox_page(request: Request[Any, Any, Any], status: int = 200, problem: str = "") -> Template:
    rows, job_rows = await together(outbox.troubled(), jobs.status())
    context = {"rows": rows, "jobs": job_rows, "problem": problem}
    context["done"] = request.query_params.get("done", "") if status == 200 else ""
    return page_or_fragment(request, "admin/outbox.html", context, status_code=status)


@get("/outbox", name="admin:outbox")
async def outbox_page(request: Request[Any, Any, Any]) -> Template:
    return await _outbox_page(request)


@post("/outbox/{outbox_id:int}/retry", name="admin:outbox_retry")
async def retry_outbox(request: Request[Any, Any, Any], outbox_id: Id, who: Provided[Principal]) -> Redirect | Template:
    return await _by_the_team(request, outbox.retry, outbox_id, who, "retried")


@post("/outbox/{outbox_id:int}/drop", name="admin:outbox_drop")
async def drop_outbox(request: Request[Any, Any, Any], outbox_id: Id, who: Provided[Principal]) -> Redirect | Template:
    return await _by_the_team(request, outbox.drop, outbox_id, who, "dropped")


async def _by_the_team(
    request: Request[Any, Any, Any],
    act: Callable[[int, int], Awaitable[bool]],
    outbox_id: int,
    who: Principal,
    done: str,
) -> Redirect | Template:
    try:
        if not await act(outbox_id, who.user_id):
            raise NotFound
    except outbox.BeingTried:
        return await _outbox_page(request, 409, _("A worker is trying it right now. Look again in a minute."))
    return redirect_to(request, "admin:outbox", query={"done": done})


ROUTES = [
    Router(
        "/admin",
        guards=[platform_admin],
        route_handlers=[
            index,
            find_organisations,
            organisation,
            approve_organisation,
            return_organisation,
            offer,
            approve_offer,
            return_offer,
            outbox_page,
            retry_outbox,
            drop_outbox,
        ],
    )
]
