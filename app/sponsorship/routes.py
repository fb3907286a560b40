"""Sponsorship pages (a sponsor's funding pages, a provider opening an offer to sponsors, the team confirming
invoices) and Stripe's webhook."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.response import Redirect, Template

from app.core.auth import OFFER_EDITORS, Members, Principal, platform_admin, public
from app.core.deps import Id, Provided
from app.core.errors import Conflict, NotFound
from app.core.exports import csv_response
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import _
from app.core.money import as_field, as_number
from app.core.paths import redirect_to
from app.settings import Settings
from app.sponsorship import events, ledger, offers, pledges, refunds
from app.sponsorship import impact as sponsor_impact
from app.sponsorship.gateway import PaymentsUnavailable
from app.sponsorship.tables import Method

WEBHOOK = "/stripe/webhook"
editors = Members(*OFFER_EDITORS)
funders = Members("owner", "staff")


# A sponsor's pages: /organisations/{org_id}/funding ---------------------------------------------------------------


@get("/", name="sponsorship:funding")
async def funding(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    context = {
        "impact": await sponsor_impact.impact(org_id, today),
        "org_id": org_id,
        "offers": await offers.sponsorable(today),
        "sponsorships": await pledges.mine(org_id),
        "takes_cards": request.app.state.payments is not None,
    }
    return page_or_fragment(request, "organisations/funding/index.html", context)


async def _offer_page(
    request: Request[Any, Any, Any], org_id: int, offer_id: int, today: date, status: int = 200, **extra: Any
) -> Template:
    found = await offers.sponsorable(today, offer_id)
    if not found:
        raise NotFound(_("This offer is not open to sponsors now."))
    context = {
        "org_id": org_id,
        "offer": found[0],
        "takes_cards": request.app.state.payments is not None,
        "form": {"units": "10"},
        "errors": {},
        "price_changed": "",
        **extra,
    }
    return page_or_fragment(request, "organisations/funding/offer.html", context, status_code=status)


@get("/offers/{offer_id:int}", name="sponsorship:offer")
async def offer(request: Request[Any, Any, Any], org_id: Id, offer_id: Id, today: Provided[date]) -> Template:
    return await _offer_page(request, org_id, offer_id, today)


@post("/offers/{offer_id:int}", name="sponsorship:pledge")
async def pledge(
    request: Request[Any, Any, Any],
    org_id: Id,
    offer_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Redirect | Template:
    data = await request.form()
    gateway = request.app.state.payments
    try:
        row = await pledges.pledge(who, org_id, offer_id, Form(data), today, takes_cards=gateway is not None)
    except FormInvalid as invalid:
        return await _offer_page(request, org_id, offer_id, today, 422, form=data, errors=invalid.errors)
    except pledges.PriceChanged as changed:
        return await _offer_page(request, org_id, offer_id, today, 409, form=data, price_changed=str(changed))
    if row.method == Method.card:
        try:
            url = await pledges.start_checkout(settings, gateway, who, row)
        except PaymentsUnavailable:
            problem = {"units": _("Card payments are not answering just now. Please try again, or pay by invoice.")}
            return await _offer_page(request, org_id, offer_id, today, 503, form=data, errors=problem)
        return Redirect(url, status_code=303)  # Stripe's payment page
    return redirect_to(request, "sponsorship:one", org_id=org_id, sponsorship_id=row.id)


async def _sponsorship_page(
    request: Request[Any, Any, Any], org_id: int, sponsorship_id: int, today: date, status: int = 200, problem: str = ""
) -> Template:
    row = await pledges.one(org_id, sponsorship_id)
    left = await refunds.unclaimed(row.id)
    context = {
        "org_id": org_id,
        "s": row,
        "figures": (await pledges.mine(org_id, row.id))[0],
        "can_refund": refunds.refundable(row, left, today),
        "left": left,
        "paid": request.query_params.get("paid") == "1",
        "cancelled": request.query_params.get("cancelled") == "1",
        "problem": problem,
    }
    return page_or_fragment(request, "organisations/funding/sponsorship.html", context, status_code=status)


@get("/{sponsorship_id:int}", name="sponsorship:one")
async def sponsorship(
    request: Request[Any, Any, Any], org_id: Id, sponsorship_id: Id, today: Provided[date]
) -> Template:
    return await _sponsorship_page(request, org_id, sponsorship_id, today)


@post("/{sponsorship_id:int}/refund", name="sponsorship:refund")
async def refund(
    request: Request[Any, Any, Any],
    org_id: Id,
    sponsorship_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Redirect | Template:
    payments = request.app.state.payments
    try:
        await refunds.refund_unclaimed(settings, payments, who, org_id, sponsorship_id, today)
    except Conflict as problem:
        return await _sponsorship_page(request, org_id, sponsorship_id, today, problem.status_code, str(problem))
    except PaymentsUnavailable:
        unavailable = _("Card refunds are not answering just now. Nothing has changed; please try again later.")
        return await _sponsorship_page(request, org_id, sponsorship_id, today, 503, unavailable)
    return redirect_to(request, "sponsorship:one", org_id=org_id, sponsorship_id=sponsorship_id)


@post("/{sponsorship_id:int}/cancel", name="sponsorship:cancel")
async def cancel(
    request: Request[Any, Any, Any], org_id: Id, sponsorship_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect | Template:
    try:
        await pledges.cancel_invoice(who, org_id, sponsorship_id)
    except Conflict as problem:
        return await _sponsorship_page(request, org_id, sponsorship_id, today, problem.status_code, str(problem))
    return redirect_to(request, "sponsorship:one", org_id=org_id, sponsorship_id=sponsorship_id)


# A provider opens a concession to sponsors, and reads what it is owed: /organisations/{org_id} ----------------------


async def _provider_page(
    request: Request[Any, Any, Any], org_id: int, offer_id: int, status: int = 200, **extra: Any
) -> Template:
    row = await offers.terms(org_id, offer_id)
    unit = row.sponsor_unit_pence
    form = {"unit_price": as_field(unit or None), "cap": str(row.sponsor_cap or "")}
    context = {"org_id": org_id, "offer": row, "form": form, "errors": {}, "saved": False, **extra}
    return page_or_fragment(request, "organisations/offers/sponsorship.html", context, status_code=status)


@get("/offers/{offer_id:int}/sponsorship", name="sponsorship:provider")
async def provider(request: Request[Any, Any, Any], org_id: Id, offer_id: Id) -> Template:
    return await _provider_page(request, org_id, offer_id, saved=request.query_params.get("saved") == "1")


@post("/offers/{offer_id:int}/sponsorship", name="sponsorship:set")
async def set_terms(
    request: Request[Any, Any, Any], org_id: Id, offer_id: Id, who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    try:
        await offers.open_to_sponsors(who, org_id, offer_id, Form(data))
    except FormInvalid as invalid:
        return await _provider_page(request, org_id, offer_id, 422, form=data, errors=invalid.errors)
    return redirect_to(request, "sponsorship:provider", query={"saved": 1}, org_id=org_id, offer_id=offer_id)


STATEMENT_HEADER = ("month", "offer_id", "offer", "units_used", "due_pence", "due")
PAYOUT_HEADER = ("organisation_id", "organisation", "units_used", "due_pence", "due", "funded_pence", "refunded_pence")


@get("/statement", name="sponsorship:statement")
async def statement(request: Request[Any, Any, Any], org_id: Id) -> Template:
    context = {"org_id": org_id, "rows": await ledger.statement(org_id)}
    return page_or_fragment(request, "organisations/statement.html", context)


@get("/statement.csv", name="sponsorship:statement_csv")
async def statement_csv(org_id: Id) -> Response[bytes]:
    rows = await ledger.statement(org_id)
    lines = [(r.month, r.offer_id, r.title, r.units, r.due_pence, as_number(r.due_pence)) for r in rows]
    return csv_response(f"cyfle-statement-{org_id}.csv", STATEMENT_HEADER, lines)


# The team confirms invoices and reads what is owed: /admin ---------------------------------------------------------


@get("/sponsorships", name="sponsorship:invoices")
async def invoices(request: Request[Any, Any, Any]) -> Template:
    context = {"invoices": await pledges.waiting_invoices(), "problem": ""}
    return page_or_fragment(request, "admin/sponsorships.html", context)


@post("/sponsorships/{sponsorship_id:int}/paid", name="sponsorship:paid")
async def paid(
    request: Request[Any, Any, Any], sponsorship_id: Id, settings: Provided[Settings], who: Provided[Principal]
) -> Redirect | Template:
    try:
        await pledges.mark_invoice_paid(settings, who, sponsorship_id)
    except Conflict as problem:
        context = {"invoices": await pledges.waiting_invoices(), "problem": str(problem)}
        return page_or_fragment(request, "admin/sponsorships.html", context, status_code=409)
    return redirect_to(request, "sponsorship:invoices")


@get("/payouts", name="sponsorship:payouts")
async def payouts(request: Request[Any, Any, Any]) -> Template:
    return page_or_fragment(request, "admin/payouts.html", {"rows": await ledger.payouts()})


@get("/payouts.csv", name="sponsorship:payouts_csv")
async def payouts_csv() -> Response[bytes]:
    rows = await ledger.payouts()
    lines = [
        (r.id, r.name, r.units, r.due_pence, as_number(r.due_pence), r.funded_pence, r.refunded_pence) for r in rows
    ]
    return csv_response("cyfle-payouts.csv", PAYOUT_HEADER, lines)


# Anyone: a sponsor's impact page, and Stripe's webhook ----------------------------------------------------------


@get("/sponsors/{org_id:int}/impact", name="sponsorship:impact")
async def impact(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    """Shareable: what a sponsor's money did, in aggregate only."""
    sponsor = await sponsor_impact.public_sponsor(org_id)
    context = {"sponsor": sponsor, "impact": await sponsor_impact.impact(sponsor.id, today)}
    return page_or_fragment(request, "sponsors/impact.html", context)


@post(WEBHOOK, name="sponsorship:webhook", status_code=200)
async def webhook(request: Request[Any, Any, Any], settings: Provided[Settings]) -> Response[dict[str, str]]:
    """Stripe's events, verified on the raw body; anything unsigned, forged or stale is refused with 400 and
    changes nothing. A failure on our side answers 503, and Stripe sends the event again later."""
    gateway = request.app.state.payments
    if gateway is None:
        return Response({"error": _("Card payments are not set up here.")}, status_code=400)
    try:
        event = gateway.verify(await request.body(), request.headers.get("stripe-signature"))
    except ValueError:
        return Response({"error": _("The signature does not match this event.")}, status_code=400)
    try:
        outcome = await events.apply_event(settings, gateway, event)
    except PaymentsUnavailable:
        return Response({"error": _("Stripe could not be reached; send it again later.")}, status_code=503)
    return Response({"received": outcome})


ROUTES = [
    Router(
        "/organisations/{org_id:int}/funding",
        guards=[funders],
        route_handlers=[funding, offer, pledge, sponsorship, refund, cancel],
    ),
    Router(
        "/organisations/{org_id:int}",
        guards=[editors],
        route_handlers=[provider, set_terms, statement, statement_csv],
    ),
    Router("/admin", guards=[platform_admin], route_handlers=[invoices, paid, payouts, payouts_csv]),
    Router("/", guards=[public], route_handlers=[impact, webhook]),
]
