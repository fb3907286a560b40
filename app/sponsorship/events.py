"""Stripe's events, applied once each and in any order, and reconciling with Stripe when an event was lost;
also releasing pledges by invoice left unpaid too long."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from app.audit import service as audit
from app.settings import Settings
from app.sponsorship import pledges, refunds
from app.sponsorship.gateway import Charge, Event, PaymentsUnavailable, Session, StripeGateway
from app.sponsorship.tables import EntryKind, Method, Sponsorship, SponsorshipStatus, StripeEvent

log = logging.getLogger("app.sponsorship")


class Outcome(StrEnum):
    """What an event did, as the webhook answers Stripe."""

    duplicate = "duplicate"  # seen before: nothing changed
    ignored = "ignored"
    paid = "paid"
    expired = "expired"
    refunded = "refunded"


async def apply_event(settings: Settings, gateway: StripeGateway, event: Event) -> Outcome:
    """Apply one verified event, once: its id is recorded in the same transaction as its effect, so a repeat
    (or five at once) changes nothing. Events may come in any order; each one settles from what it says."""
    kind, obj = event.type, event.object
    session = None
    if kind == "charge.refunded":
        session = await _session_behind_charge(gateway, Charge.of(obj))  # network first, never inside the transaction
    async with StripeEvent._meta.db.transaction():
        inserted = await StripeEvent.raw(
            "INSERT INTO stripe_event (event_id, type, received_at) VALUES ({}, {}, now())"
            " ON CONFLICT (event_id) DO NOTHING RETURNING id",
            event.id,
            kind[:60],
        )
        if not inserted:
            return Outcome.duplicate
        if kind == "checkout.session.completed":
            return await _completed(settings, Session.of(obj))
        if kind == "checkout.session.expired":
            return await _expired(Session.of(obj))
        if kind == "charge.refunded":
            if session is not None:
                await _completed(settings, session)  # a refund that overtook its payment: settle the payment first
            return await _refunded_at_stripe(settings, Charge.of(obj))
    return Outcome.ignored


async def _completed(settings: Settings, session: Session, via: str = "card") -> Outcome:
    """A Checkout Session Stripe says is paid: settle its sponsorship (named in its metadata) from its amount."""
    found = session.sponsorship_id
    if found is None or session.payment_status != "paid":
        return Outcome.ignored
    paid = await pledges.settle_paid(
        settings, found, amount_pence=session.amount_total, currency=session.currency,
        payment_intent=session.payment_intent, actor=None, via=via, session_id=session.id,
    )  # fmt: skip
    return Outcome.paid if paid else Outcome.ignored


async def _expired(session: Session) -> Outcome:
    """A Checkout Session ran out: release its pledge, if it is the session we made for that pledge. One we did
    not make (another deployment sharing the Stripe account) or an earlier one is acknowledged and ignored, so
    Stripe stops sending it."""
    found, session_id = session.sponsorship_id, session.id
    if found is None or not session_id or session.status not in (None, "expired"):
        return Outcome.ignored
    if await pledges.settle_expired(found, session_id):
        return Outcome.expired
    log.info("checkout.session.expired for a session that is not sponsorship %s's: ignored", found)
    return Outcome.ignored


async def _session_behind_charge(gateway: StripeGateway, charge: Charge) -> Session | None:
    """For a refund of a payment we have not yet seen completed: its Checkout Session, asked of Stripe."""
    intent = charge.payment_intent
    if not intent:
        return None
    known = await Sponsorship.select(Sponsorship.status).where(Sponsorship.payment_intent == intent)
    if known and known[0]["status"] == SponsorshipStatus.paid:
        return None
    sessions = await gateway.sessions_paid_by(intent)
    return sessions[0] if sessions else None


async def _refunded_at_stripe(settings: Settings, charge: Charge) -> Outcome:
    """Stripe says this much of the payment has been refunded in all. Refunds we made are already counted; a
    refund made in Stripe's dashboard takes back as many unclaimed codes as it paid for."""
    row = await pledges.locked(charge.payment_intent, by="payment_intent")
    if row is None or row.status != SponsorshipStatus.paid:
        return Outcome.ignored
    extra = charge.amount_refunded - row.refunded_pence
    if extra <= 0:
        return Outcome.ignored
    units = await refunds.withdraw_unclaimed(row, extra // row.unit_pence)
    backed = units * row.unit_pence
    if units:
        await refunds.record_refund(settings, row, units, backed, actor=None, via="stripe")
    if extra > backed:
        # More went back than the unclaimed codes paid for (an odd amount, or codes already claimed): real money
        # out that no held unit covers. Booked on its own so the balance stays checkable; the team must look.
        await refunds.record_refund(
            settings, row, 0, extra - backed, actor=None, via="stripe", kind=EntryKind.refund_unbacked
        )
    return Outcome.refunded


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
        if session.payment_status == "paid":
            done["paid"] += await _completed(settings, session, via="reconcile") == Outcome.paid
        elif session.status == "expired":
            done["expired"] += await pledges.settle_expired(row["id"], row["checkout_session"])
        else:
            done["still_open"] += 1
    return done
