"""Stripe's events, applied once each and in any order, and reconciling with Stripe when an event was lost;
also releasing pledges by invoice left unpaid too long."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from app.audit import service as audit
from app.core.db import MAX_ID
from app.settings import Settings
from app.sponsorship import pledges, refunds
from app.sponsorship.gateway import PaymentsUnavailable, StripeGateway
from app.sponsorship.tables import EntryKind, Method, Sponsorship, SponsorshipStatus, StripeEvent

log = logging.getLogger("app.sponsorship")


def _sponsorship_id(obj: dict[str, Any]) -> int | None:
    raw = str((obj.get("metadata") or {}).get("sponsorship_id", ""))
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


async def apply_event(settings: Settings, gateway: StripeGateway, event: dict[str, Any]) -> str:
    """Apply one verified event, once: its id is recorded in the same transaction as its effect, so a repeat
    (or five at once) changes nothing. Events may come in any order; each one settles from what it says."""
    kind, obj = str(event.get("type", "")), dict(event.get("data", {}).get("object", {}))
    session = None
    if kind == "charge.refunded":
        session = await _session_behind_charge(gateway, obj)  # network first, never inside the transaction
    async with StripeEvent._meta.db.transaction():
        inserted = await StripeEvent.raw(
            "INSERT INTO stripe_event (event_id, type, received_at) VALUES ({}, {}, now())"
            " ON CONFLICT (event_id) DO NOTHING RETURNING id",
            str(event.get("id", "")),
            kind[:60],
        )
        if not inserted:
            return "duplicate"
        if kind == "checkout.session.completed":
            return await _completed(settings, obj)
        if kind == "checkout.session.expired":
            return await _expired(obj)
        if kind == "charge.refunded":
            if session is not None:
                await _completed(settings, session)  # a refund that overtook its payment: settle the payment first
            return await _refunded_at_stripe(settings, obj)
    return "ignored"


async def _completed(settings: Settings, session: dict[str, Any], via: str = "card") -> str:
    """A Checkout Session Stripe says is paid: settle its sponsorship (named in its metadata) from its amount."""
    found = _sponsorship_id(session)
    if found is None or session.get("payment_status") != "paid":
        return "ignored"
    paid = await pledges.settle_paid(
        settings, found, amount_pence=int(session.get("amount_total") or 0), currency=str(session.get("currency", "")),
        payment_intent=session.get("payment_intent"), actor=None, via=via, session_id=str(session.get("id", "")),
    )  # fmt: skip
    return "paid" if paid else "ignored"


async def _expired(session: dict[str, Any]) -> str:
    """A Checkout Session ran out: release its pledge, if it is the session we made for that pledge. One we did
    not make (another deployment sharing the Stripe account) or an earlier one is acknowledged and ignored, so
    Stripe stops sending it."""
    found, session_id = _sponsorship_id(session), str(session.get("id") or "")
    if found is None or not session_id or session.get("status", "expired") != "expired":
        return "ignored"
    if await pledges.settle_expired(found, session_id):
        return "expired"
    log.info("checkout.session.expired for a session that is not sponsorship %s's: ignored", found)
    return "ignored"


async def _session_behind_charge(gateway: StripeGateway, charge: dict[str, Any]) -> dict[str, Any] | None:
    """For a refund of a payment we have not yet seen completed: its Checkout Session, asked of Stripe."""
    intent = charge.get("payment_intent")
    if not intent:
        return None
    known = await Sponsorship.select(Sponsorship.status).where(Sponsorship.payment_intent == intent)
    if known and known[0]["status"] == SponsorshipStatus.paid:
        return None
    sessions = await gateway.sessions_paid_by(str(intent))
    return sessions[0] if sessions else None


async def _refunded_at_stripe(settings: Settings, charge: dict[str, Any]) -> str:
    """Stripe says this much of the payment has been refunded in all. Refunds we made are already counted; a
    refund made in Stripe's dashboard takes back as many unclaimed codes as it paid for."""
    rows = await pledges.locked(str(charge.get("payment_intent") or ""), by="payment_intent")
    if not rows or rows[0]["status"] != SponsorshipStatus.paid:
        return "ignored"
    row = rows[0]
    extra = int(charge.get("amount_refunded") or 0) - row["refunded_pence"]
    if extra <= 0:
        return "ignored"
    units = await refunds.withdraw_unclaimed(row, extra // row["unit_pence"])
    backed = units * row["unit_pence"]
    if units:
        await refunds.record_refund(settings, row, units, backed, actor=None, via="stripe")
    if extra > backed:
        # More went back than the unclaimed codes paid for (an odd amount, or codes already claimed): real money
        # out that no held unit covers. Booked on its own so the balance stays checkable; the team must look.
        await refunds.record_refund(
            settings, row, 0, extra - backed, actor=None, via="stripe", kind=EntryKind.refund_unbacked
        )
    return "refunded"


# Reconciling with Stripe ----------------------------------------------------------------------------------------

STALE = timedelta(hours=1)
INVOICE_DAYS = 30  # an invoice unpaid this long lets its units go to other sponsors


async def release_unpaid_invoices(now: datetime) -> int:
    """Pledges by invoice still unpaid after INVOICE_DAYS: released, so they do not hold an offer's cap for
    ever (audited). Money that arrives later cannot be marked paid here: the team settles it by hand."""
    released = await Sponsorship.update({Sponsorship.status: SponsorshipStatus.expired}).where(
        (Sponsorship.status == SponsorshipStatus.pending)
        & (Sponsorship.method == Method.invoice)
        & (Sponsorship.created_at < now - timedelta(days=INVOICE_DAYS))
    ).returning(Sponsorship.id, Sponsorship.sponsor)  # fmt: skip
    for row in released:
        await audit.record(
            "sponsorship.invoice_lapsed", actor=None, organisation=row["sponsor"], subject=("sponsorship", row["id"])
        )
    return len(released)


async def reconcile(settings: Settings, gateway: StripeGateway) -> dict[str, int]:
    """Card pledges still pending an hour on (a webhook lost or not yet retried): ask Stripe and settle them.
    Paid ones are funded, expired ones released; a checkout never started is released too."""
    done = {"paid": 0, "expired": 0, "still_open": 0}
    stale = await Sponsorship.select(Sponsorship.id, Sponsorship.checkout_session).where(
        (Sponsorship.status == SponsorshipStatus.pending)
        & (Sponsorship.method == Method.card)
        & (Sponsorship.created_at < datetime.now(UTC) - STALE)
    )
    for row in stale:
        if not row["checkout_session"]:
            done["expired"] += await pledges.settle_expired(row["id"])
            continue
        try:
            session = await gateway.session(row["checkout_session"])
        except PaymentsUnavailable:  # one session Stripe will not show us must not stop the others
            log.warning("reconcile: Stripe would not show session %s", row["checkout_session"], exc_info=True)
            done["still_open"] += 1
            continue
        if session.get("payment_status") == "paid":
            done["paid"] += await _completed(settings, session, via="reconcile") == "paid"
        elif session.get("status") == "expired":
            done["expired"] += await pledges.settle_expired(row["id"], row["checkout_session"])
        else:
            done["still_open"] += 1
    return done
