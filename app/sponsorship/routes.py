"""Sponsorship pages (a sponsor's funding pages, a provider opening an offer to sponsors, the team confirming
invoices) and Stripe's webhook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.core.auth import OFFER_EDITORS, Members, platform_admin, public, require
from app.core.db import MAX_ID
from app.core.deps import Provided
from app.core.errors import Conflict, NotFound
from app.core.exports import csv_response
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import _
from app.settings import Settings
from app.sponsorship import events, ledger, offers, pledges, refunds
from app.sponsorship import impact as sponsor_impact
from app.sponsorship.gateway import PaymentsUnavailable

WEBHOOK = "/stripe/webhook"
FUNDING = "/organisations/{org_id:int}/funding"
editors = Members(*OFFER_EDITORS)
funders = Members("owner", "staff")


# A sponsor's pages ------------------------------------------------------------------------------------------------


@get("/sponsors/{org_id:int}/impact", name="sponsorship:impact", guards=[public])
async def impact(request: Request[Any, Any, Any], org_id: FromPath[int], today: Provided[date]) -> Template:
    """Shareable: what a sponsor's money did, in aggregate only."""
    sponsor = await sponsor_impact.public_sponsor(org_id)
    context = {"sponsor": sponsor, "impact": await sponsor_impact.impact(sponsor["id"], today)}
    return page_or_fragment(request, "sponsors/impact.html", context)


@get(FUNDING, name="sponsorship:funding", guards=[funders])
async def funding(request: Request[Any, Any, Any], org_id: FromPath[int], today: Provided[date]) -> Template:
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
    found = await offers.sponsorable(today, offer_id) if 0 < offer_id <= MAX_ID else []
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


@get(FUNDING + "/offers/{offer_id:int}", name="sponsorship:offer", guards=[funders])
async def offer(
    request: Request[Any, Any, Any], org_id: FromPath[int], offer_id: FromPath[int], today: Provided[date]
) -> Template:
    return await _offer_page(request, org_id, offer_id, today)


@post(FUNDING + "/offers/{offer_id:int}", name="sponsorship:pledge", guards=[funders])
async def pledge(
    request: Request[Any, Any, Any],
    org_id: FromPath[int],
    offer_id: FromPath[int],
    settings: Provided[Settings],
    today: Provided[date],
) -> Redirect | Template:
    data = await request.form()
    gateway = request.app.state.payments
    who = require(request)
    try:
        row = await pledges.pledge(who, org_id, offer_id, Form(data), today, takes_cards=gateway is not None)
    except FormInvalid as invalid:
        return await _offer_page(request, org_id, offer_id, today, 422, form=data, errors=invalid.errors)
    except pledges.PriceChanged as changed:
        return await _offer_page(request, org_id, offer_id, today, 409, form=data, price_changed=str(changed))
    if row["method"] == "card":
        try:
            url = await pledges.start_checkout(settings, gateway, who, row)
        except PaymentsUnavailable:
            problem = {"units": _("Card payments are not answering just now. Please try again, or pay by invoice.")}
            return await _offer_page(request, org_id, offer_id, today, 503, form=data, errors=problem)
        return Redirect(url, status_code=303)
    return Redirect(f"/organisations/{org_id}/funding/{row['id']}", status_code=303)


async def _sponsorship_page(
    request: Request[Any, Any, Any], org_id: int, sponsorship_id: int, today: date, status: int = 200, problem: str = ""
) -> Template:
    row = await pledges.one(org_id, sponsorship_id)
    left = await refunds.unclaimed(row["id"])
    context = {
        "org_id": org_id,
        "s": row,
        "figures": (await pledges.mine(org_id, row["id"]))[0],
        "can_refund": refunds.refundable(row, left, today),
        "left": left,
        "paid": request.query_params.get("paid") == "1",
        "cancelled": request.query_params.get("cancelled") == "1",
        "problem": problem,
    }
    return page_or_fragment(request, "organisations/funding/sponsorship.html", context, status_code=status)


@get(FUNDING + "/{sponsorship_id:int}", name="sponsorship:one", guards=[funders])
async def sponsorship(
    request: Request[Any, Any, Any], org_id: FromPath[int], sponsorship_id: FromPath[int], today: Provided[date]
) -> Template:
    return await _sponsorship_page(request, org_id, sponsorship_id, today)


@post(FUNDING + "/{sponsorship_id:int}/refund", name="sponsorship:refund", guards=[funders])
async def refund(
    request: Request[Any, Any, Any],
    org_id: FromPath[int],
    sponsorship_id: FromPath[int],
    settings: Provided[Settings],
    today: Provided[date],
) -> Redirect | Template:
    payments = request.app.state.payments
    try:
        await refunds.refund_unclaimed(settings, payments, require(request), org_id, sponsorship_id, today)
    except Conflict as problem:
        return await _sponsorship_page(request, org_id, sponsorship_id, today, problem.status_code, str(problem))
    except PaymentsUnavailable:
        unavailable = _("Card refunds are not answering just now. Nothing has changed; please try again later.")
        return await _sponsorship_page(request, org_id, sponsorship_id, today, 503, unavailable)
    return Redirect(f"/organisations/{org_id}/funding/{sponsorship_id}", status_code=303)


@post(FUNDING + "/{sponsorship_id:int}/cancel", name="sponsorship:cancel", guards=[funders])
async def cancel(
    request: Request[Any, Any, Any], org_id: FromPath[int], sponsorship_id: FromPath[int], today: Provided[date]
) -> Redirect | Template:
    try:
        await pledges.cancel_invoice(require(request), org_id, sponsorship_id)
    except Conflict as problem:
        return await _sponsorship_page(request, org_id, sponsorship_id, today, problem.status_code, str(problem))
    return Redirect(f"/organisations/{org_id}/funding/{sponsorship_id}", status_code=303)


# A provider opens a concession to sponsors -------------------------------------------------------------------------


async def _provider_page(
    request: Request[Any, Any, Any], org_id: int, offer_id: int, status: int = 200, **extra: Any
) -> Template:
    row = await offers.terms(org_id, offer_id)
    unit = row["sponsor_unit_pence"]
    form = {"unit_price": f"{unit / 100:.2f}" if unit else "", "cap": str(row["sponsor_cap"] or "")}
    context = {"org_id": org_id, "offer": row, "form": form, "errors": {}, "saved": False, **extra}
    return page_or_fragment(request, "organisations/offers/sponsorship.html", context, status_code=status)


@get("/organisations/{org_id:int}/offers/{offer_id:int}/sponsorship", name="sponsorship:provider", guards=[editors])
async def provider(request: Request[Any, Any, Any], org_id: FromPath[int], offer_id: FromPath[int]) -> Template:
    return await _provider_page(request, org_id, offer_id, saved=request.query_params.get("saved") == "1")


@post("/organisations/{org_id:int}/offers/{offer_id:int}/sponsorship", name="sponsorship:set", guards=[editors])
async def set_terms(
    request: Request[Any, Any, Any], org_id: FromPath[int], offer_id: FromPath[int]
) -> Redirect | Template:
    data = await request.form()
    try:
        await offers.open_to_sponsors(require(request), org_id, offer_id, Form(data))
    except FormInvalid as invalid:
        return await _provider_page(request, org_id, offer_id, 422, form=data, errors=invalid.errors)
    return Redirect(f"/organisations/{org_id}/offers/{offer_id}/sponsorship?saved=1", status_code=303)


# The team confirms invoices ---------------------------------------------------------------------------------------


@get("/admin/sponsorships", name="sponsorship:invoices", guards=[platform_admin])
async def invoices(request: Request[Any, Any, Any]) -> Template:
    context = {"invoices": await pledges.waiting_invoices(), "problem": ""}
    return page_or_fragment(request, "admin/sponsorships.html", context)


@post("/admin/sponsorships/{sponsorship_id:int}/paid", name="sponsorship:paid", guards=[platform_admin])
async def paid(
    request: Request[Any, Any, Any], sponsorship_id: FromPath[int], settings: Provided[Settings]
) -> Redirect | Template:
    try:
        await pledges.mark_invoice_paid(settings, require(request), sponsorship_id)
    except Conflict as problem:
        context = {"invoices": await pledges.waiting_invoices(), "problem": str(problem)}
        return page_or_fragment(request, "admin/sponsorships.html", context, status_code=409)
    return Redirect("/admin/sponsorships", status_code=303)


# What is owed ------------------------------------------------------------------------------------------------------

STATEMENT_HEADER = ("month", "offer_id", "offer", "units_used", "due_pence", "due")
PAYOUT_HEADER = ("organisation_id", "organisation", "units_used", "due_pence", "due", "funded_pence", "refunded_pence")


def _pounds(pence: int) -> Decimal:
    """A number, not text, so a spreadsheet adds it up (and a negative is not mistaken for a formula)."""
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


@get("/organisations/{org_id:int}/statement", name="sponsorship:statement", guards=[editors])
async def statement(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    context = {"org_id": org_id, "rows": await ledger.statement(org_id)}
    return page_or_fragment(request, "organisations/statement.html", context)


@get("/organisations/{org_id:int}/statement.csv", name="sponsorship:statement_csv", guards=[editors])
async def statement_csv(org_id: FromPath[int]) -> Response[bytes]:
    rows = await ledger.statement(org_id)
    lines = [(r["month"], r["offer_id"], r["title"], r["units"], r["due_pence"], _pounds(r["due_pence"])) for r in rows]
    return csv_response(f"cyfle-statement-{org_id}.csv", STATEMENT_HEADER, lines)


@get("/admin/payouts", name="sponsorship:payouts", guards=[platform_admin])
async def payouts(request: Request[Any, Any, Any]) -> Template:
    return page_or_fragment(request, "admin/payouts.html", {"rows": await ledger.payouts()})


@get("/admin/payouts.csv", name="sponsorship:payouts_csv", guards=[platform_admin])
async def payouts_csv() -> Response[bytes]:
    rows = await ledger.payouts()
    lines = [
        (
            r["id"],
            r["name"],
            r["units"],
            r["due_pence"],
            _pounds(r["due_pence"]),
            r["funded_pence"],
            r["refunded_pence"],
        )
        for r in rows
    ]
    return csv_response("cyfle-payouts.csv", PAYOUT_HEADER, lines)


# Stripe -----------------------------------------------------------------------------------------------------------


@post(WEBHOOK, name="sponsorship:webhook", guards=[public], status_code=200)
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
    *(impact, funding, offer, pledge, sponsorship, refund, cancel),
    *(provider, set_terms, statement, statement_csv),
    *(invoices, paid, payouts, payouts_csv),
    webhook,
]
