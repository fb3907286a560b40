"""The rules of sponsorship: which offers take it, pledging units (never past the offer's cap), paying (a card
through Stripe, or an invoice an admin marks paid), the funded codes joining the pool exactly once, refunds of
what was never claimed, and the ledger that must always balance."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.accounts.tables import User
from app.audit import service as audit
from app.codes import service as codes
from app.codes.tables import Code
from app.core.auth import Principal
from app.core.db import MAX_ID
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.labels import money
from app.offers.tables import Offer, OfferStatus
from app.organisations.tables import Organisation, OrganisationKind
from app.settings import Settings
from app.sponsorship.gateway import PaymentsUnavailable, StripeGateway
from app.sponsorship.tables import EntryKind, LedgerEntry, Method, Sponsorship, SponsorshipStatus, StripeEvent
from app.uptake import kept, measures

MAX_UNIT_PENCE = 100_000  # £1,000 a unit: anything above is a typing slip
MAX_CAP = 10_000  # as many codes as a pool takes at once
CARD_MIN_PENCE, CARD_MAX_PENCE = 30, 99_999_999  # what Stripe takes in one payment, in pounds
REFERENCE_LENGTH = 8
log = logging.getLogger("app.sponsorship")


# Offers open to sponsors ----------------------------------------------------------------------------------------


def _held_sql() -> str:
    """Units of an offer that sponsors hold: paid (less refunded) and still on their way (pending)."""
    return (
        "coalesce((SELECT sum(s.units - s.refunded_units) FROM sponsorship s WHERE s.offer = o.id"
        " AND s.status IN ('pending', 'paid')), 0)"
    )


async def _lock_and_count(offer_id: int, any_price: bool = False) -> list[dict[str, Any]]:
    """Within a transaction: lock the offer's row, then count what sponsors hold in a second statement. One
    statement would count from a snapshot taken before it waited for the lock, and miss a pledge that had just
    committed."""
    await Offer.raw("SELECT id FROM offer WHERE id = {} FOR UPDATE", offer_id)
    return await Offer.raw(
        f"SELECT o.id, o.title, o.organisation, o.sponsor_unit_pence, o.sponsor_cap, {_held_sql()} AS held"
        " FROM offer o WHERE o.id = {} AND ({} OR o.sponsor_unit_pence IS NOT NULL)",
        offer_id,
        any_price,
    )


async def sponsorable(today: date, offer_id: int | None = None) -> list[dict[str, Any]]:
    """Open concessions with a unit price, newest first (or just the one asked for), each with the units `left`
    under its cap (0 when sponsors hold them all)."""
    rows = await Offer.raw(
        "SELECT o.id, o.title, o.summary, o.type, o.principles, o.location_name, o.council_area, o.closes_on,"
        f" o.sponsor_unit_pence, o.sponsor_cap, {_held_sql()} AS held, org.name AS organisation_name"
        " FROM offer o JOIN organisation org ON org.id = o.organisation"
        " WHERE o.status = {} AND (o.closes_on IS NULL OR o.closes_on >= {}) AND o.sponsor_unit_pence IS NOT NULL"
        " AND o.sponsor_cap > 0 AND ({} = 0 OR o.id = {}) ORDER BY o.published_at DESC NULLS LAST, o.id DESC",
        OfferStatus.published.value,
        today,
        offer_id or 0,
        offer_id or 0,
    )
    return [dict(row) | {"left": row["sponsor_cap"] - row["held"]} for row in rows]


def read_pounds(form: Form, name: str, label: str) -> int | None:
    """Pounds as typed ("5", "5.50", "£5") to pence; records an error on the form otherwise."""
    raw = form.raw(name).replace("£", "").replace(",", "").strip()
    if not raw:
        form.error(name, _("Enter %(label)s.") % {"label": label})
        return None
    try:
        pence = Decimal(raw) * 100
    except ArithmeticError:  # not a number, or one too big for a Decimal ("9e999999")
        pence = Decimal(-1)
    if pence != pence.to_integral_value() or not 0 < pence <= MAX_UNIT_PENCE:
        form.error(name, _("Enter %(label)s in pounds and pence, like 5 or 4.50, up to £1,000.") % {"label": label})
        return None
    return int(pence)


async def terms(org_id: int, offer_id: int) -> dict[str, Any]:
    """One of this organisation's concessions, with its terms for sponsors (404 for anything else)."""
    rows = await Offer.select(Offer.id, Offer.title, Offer.type, Offer.sponsor_unit_pence, Offer.sponsor_cap).where(
        (Offer.id == (offer_id if 0 < offer_id <= MAX_ID else 0)) & (Offer.organisation == org_id)
    )
    if not rows or rows[0]["type"] not in codes.CONCESSIONS:
        raise NotFound(_("We could not find that concession."))
    return dict(rows[0])


async def open_to_sponsors(who: Principal, org_id: int, offer_id: int, form: Form) -> None:
    """A provider sets (or clears) the unit price and cap of one of its concessions."""
    offer_id = (await terms(org_id, offer_id))["id"]
    unit_pence: int | None = None
    cap: int | None = 0
    if not form.flag("stop"):
        unit_pence = read_pounds(form, "unit_price", _("the price of one unit"))
        cap = form.number("cap", 1, MAX_CAP)
    form.check()
    async with Offer._meta.db.transaction():
        held = (await _lock_and_count(offer_id, any_price=True))[0]["held"]
        if unit_pence is not None and cap is not None and cap < held:
            form.error("cap", _("Sponsors already hold %(held)s units: the cap cannot be lower.") % {"held": held})
            form.check()
        await Offer.update({Offer.sponsor_unit_pence: unit_pence, Offer.sponsor_cap: cap or 0}).where(
            Offer.id == offer_id
        )
        await audit.record(
            "offer.sponsorship_set", actor=who.user_id, organisation=org_id, subject=("offer", offer_id),
            unit_pence=unit_pence, cap=cap,
        )  # fmt: skip


# Pledging and paying --------------------------------------------------------------------------------------------


async def _sponsor(who: Principal, org_id: int) -> dict[str, Any]:
    org = await Organisation.select(Organisation.id, Organisation.kind, Organisation.approved_at).where(
        Organisation.id == org_id
    )
    if not org or org[0]["kind"] != OrganisationKind.sponsor:
        raise NotFound(_("Only sponsor organisations fund codes."))
    if org[0]["approved_at"] is None:
        raise Forbidden(_("Your organisation can fund codes once the Cyfle team has approved it."))
    return dict(org[0])


class PriceChanged(Conflict):
    """The offer's unit price is not the one the sponsor saw when they chose: nothing is pledged, they are asked
    again at the new price."""

    def __init__(self, seen: int | None, now: int) -> None:
        if seen is None:
            message = _("Check the price of one unit, %(now)s, and choose again to confirm it.") % {"now": money(now)}
        else:
            message = _(
                "The price of one unit changed from %(was)s to %(now)s after this page was opened. Nothing has"
                " been pledged: check the new price and choose again to confirm it."
            ) % {"was": money(seen), "now": money(now)}
        super().__init__(message)
        self.seen, self.now = seen, now


def _seen_price(form: Form) -> int | None:
    """The unit price the form showed the sponsor (a hidden field), in pence; None if missing or garbled."""
    raw = form.raw("unit_pence")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_UNIT_PENCE else None


def new_reference() -> str:
    return "SP-" + "".join(secrets.choice(codes.ALPHABET) for _ in range(REFERENCE_LENGTH))


async def pledge(
    who: Principal, org_id: int, offer_id: int, form: Form, today: date, takes_cards: bool = True
) -> dict[str, Any]:
    """A pending sponsorship of N units at the unit price the sponsor saw and agreed to (the form carries it),
    by the method the form chose (by invoice when cards are not taken here). If the offer's price is no longer
    that one, PriceChanged: nothing is pledged. The cap and the price are checked with the offer's row locked,
    so two sponsors at once never pass the cap and a price changed meanwhile is never bound to."""
    await _sponsor(who, org_id)
    found = await sponsorable(today, offer_id) if 0 < offer_id <= MAX_ID else []
    if not found:
        raise NotFound(_("This offer is not open to sponsors now."))
    seen = _seen_price(form)
    if seen != found[0]["sponsor_unit_pence"]:
        raise PriceChanged(seen, found[0]["sponsor_unit_pence"])
    units = form.number("units", 1, MAX_CAP)
    method = form.raw("method") if takes_cards else Method.invoice
    if method not in (Method.card, Method.invoice):
        form.error("method", _("Choose to pay by card or by invoice."))
    offer_price = found[0]["sponsor_unit_pence"]
    if method == Method.card and units and not CARD_MIN_PENCE <= units * offer_price <= CARD_MAX_PENCE:
        form.error(
            "units", _("By card, a payment must be from £0.30 to £999,999. Choose fewer units, or pay by invoice.")
        )
    form.check()
    assert units is not None
    async with Sponsorship._meta.db.transaction():
        rows = await _lock_and_count(offer_id)
        if not rows:
            raise NotFound(_("This offer is not open to sponsors now."))
        offer = rows[0]
        left = offer["sponsor_cap"] - offer["held"]
        if units > left:
            form.error("units", _("There is room for %(left)s more units on this offer.") % {"left": max(left, 0)})
            form.check()
        unit_pence = offer["sponsor_unit_pence"]
        if unit_pence != seen:  # changed while this request waited for the lock
            raise PriceChanged(seen, unit_pence)
        created = await Sponsorship.insert(
            Sponsorship(
                sponsor=org_id, offer=offer_id, units=units, unit_pence=unit_pence, amount_pence=units * unit_pence,
                method=method, reference=new_reference(), created_by=who.user_id,
            )
        ).returning(Sponsorship.id)  # fmt: skip
        await audit.record(
            "sponsorship.pledged", actor=who.user_id, organisation=org_id, subject=("sponsorship", created[0]["id"]),
            units=units, method=method,
        )  # fmt: skip
    return await one(org_id, created[0]["id"])


async def one(sponsor_id: int, sponsorship_id: int) -> dict[str, Any]:
    """A sponsor's own sponsorship, with its offer's title (404 for anyone else's)."""
    rows = await Sponsorship.raw(
        "SELECT s.*, o.title, o.organisation AS provider, o.status AS offer_status, o.closes_on"
        " FROM sponsorship s JOIN offer o ON o.id = s.offer WHERE s.id = {} AND s.sponsor = {}",
        sponsorship_id if 0 < sponsorship_id <= MAX_ID else 0,
        sponsor_id,
    )
    if not rows:
        raise NotFound(_("We could not find that sponsorship."))
    return dict(rows[0])


async def start_checkout(settings: Settings, gateway: StripeGateway, who: Principal, row: dict[str, Any]) -> str:
    """Stripe's payment page for a pending card sponsorship; its address. If Stripe cannot be reached the
    pledge lapses, so its units are not held back from other sponsors."""
    base = f"{settings.base_url}/organisations/{row['sponsor']}/funding/{row['id']}"
    try:
        session = await gateway.checkout(
            sponsorship_id=row["id"], reference=row["reference"], name=row["title"], units=row["units"],
            unit_pence=row["unit_pence"], email=who.email, success_url=f"{base}?paid=1",
            cancel_url=f"{base}?cancelled=1",
        )  # fmt: skip
    except PaymentsUnavailable:
        await Sponsorship.update({Sponsorship.status: SponsorshipStatus.expired}).where(
            (Sponsorship.id == row["id"]) & (Sponsorship.status == SponsorshipStatus.pending)
        )
        raise
    await Sponsorship.update({Sponsorship.checkout_session: session["id"]}).where(Sponsorship.id == row["id"])
    return str(session["url"])


async def settle_paid(
    settings: Settings, sponsorship_id: int, *, amount_pence: int, currency: str, payment_intent: str | None,
    actor: int | None, via: str, session_id: str | None = None,
) -> bool:  # fmt: skip
    """Paid: its codes join the pool and the money is in the ledger, exactly once (the row is locked and must
    still be pending). A card payment must be for the Checkout Session we made for it. A payment of any other
    amount, or one for a pledge no longer pending (cancelled or expired here), funds nothing and is left for
    the team (audited)."""
    async with Sponsorship._meta.db.transaction():
        rows = await _locked(sponsorship_id)
        if not rows or rows[0]["status"] == SponsorshipStatus.paid:
            return False
        row = rows[0]
        if session_id is not None and session_id != row["checkout_session"]:
            return False  # not our session for it (another deployment sharing the Stripe account)
        problem = ""
        if amount_pence != row["amount_pence"] or currency.lower() != row["currency"]:
            problem = "sponsorship.amount_mismatch"
        elif row["status"] != SponsorshipStatus.pending:
            problem = "sponsorship.paid_when_not_pending"  # its units may have gone to others: the team decides
        if problem:
            await audit.record(
                problem, actor=actor, organisation=row["sponsor"], subject=("sponsorship", row["id"]),
                paid=amount_pence, currency=currency, via=via,
            )  # fmt: skip
            return False
        await Sponsorship.update(
            {
                Sponsorship.status: SponsorshipStatus.paid,
                Sponsorship.paid_at: datetime.now(UTC),
                Sponsorship.payment_intent: payment_intent,
            }
        ).where(Sponsorship.id == row["id"])
        await codes.insert_codes(row["offer"], codes.new_codes(row["units"]), "sponsored", funded_by=row["id"])
        await LedgerEntry.insert(
            LedgerEntry(
                kind=EntryKind.funding_in, sponsorship=row["id"], provider=row["provider"],
                amount_pence=row["amount_pence"], note=via,
            )
        )  # fmt: skip
        await audit.record(
            "sponsorship.paid", actor=actor, organisation=row["sponsor"], subject=("sponsorship", row["id"]), via=via
        )
        await codes.tell_waiters(settings, {"id": row["offer"], "title": row["title"]})
        await _tell_sponsor(settings, row, "sponsorship_paid", units=row["units"], amount=money(row["amount_pence"]))
    return True


async def _tell_sponsor(settings: Settings, row: dict[str, Any], template: str, **context: Any) -> None:
    """Email whoever made the pledge (if they still have an account), in the change's own transaction."""
    who = await User.select(User.email).where(User.id == row["created_by"]).first() if row["created_by"] else None
    if who is None:
        return
    link = f"{settings.base_url}/organisations/{row['sponsor']}/funding/{row['id']}"
    await mail.send(who["email"], template, title=row["title"], reference=row["reference"], link=link, **context)


async def settle_expired(sponsorship_id: int, session_id: str | None = None) -> bool:
    """Nothing was paid: its units go back to other sponsors. When Stripe says a Checkout Session ran out, it
    must be the session we made for this pledge (its current one): any other changes nothing."""
    where = (Sponsorship.id == sponsorship_id) & (Sponsorship.status == SponsorshipStatus.pending)
    if session_id is not None:
        where &= Sponsorship.checkout_session == session_id
    done = (
        await Sponsorship.update({Sponsorship.status: SponsorshipStatus.expired}).where(where).returning(Sponsorship.id)
    )
    return bool(done)


async def mark_invoice_paid(settings: Settings, who: Principal, sponsorship_id: int) -> None:
    """A platform admin saw the money arrive: the same effect as a card payment."""
    sponsorship_id = sponsorship_id if 0 < sponsorship_id <= MAX_ID else 0
    rows = await Sponsorship.select(Sponsorship.amount_pence, Sponsorship.currency, Sponsorship.method).where(
        (Sponsorship.id == sponsorship_id) & (Sponsorship.status == SponsorshipStatus.pending)
    )
    if not rows or rows[0]["method"] != Method.invoice:
        raise Conflict(_("Only a pledge waiting for its invoice to be paid can be marked paid."))
    paid = await settle_paid(
        settings, sponsorship_id, amount_pence=rows[0]["amount_pence"], currency=rows[0]["currency"],
        payment_intent=None, actor=who.user_id, via="invoice",
    )  # fmt: skip
    if not paid:
        raise Conflict(_("Only a pledge waiting for its invoice to be paid can be marked paid."))


# Stripe's events ------------------------------------------------------------------------------------------------


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
    paid = await settle_paid(
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
    if await settle_expired(found, session_id):
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
    rows = await _locked(str(charge.get("payment_intent") or ""), by="payment_intent")
    if not rows or rows[0]["status"] != SponsorshipStatus.paid:
        return "ignored"
    row = rows[0]
    extra = int(charge.get("amount_refunded") or 0) - row["refunded_pence"]
    if extra <= 0:
        return "ignored"
    units = await _withdraw_unclaimed(row, extra // row["unit_pence"])
    backed = units * row["unit_pence"]
    if units:
        await _record_refund(settings, row, units, backed, actor=None, via="stripe")
    if extra > backed:
        # More went back than the unclaimed codes paid for (an odd amount, or codes already claimed): real money
        # out that no held unit covers. Booked on its own so the balance stays checkable; the team must look.
        await _record_refund(settings, row, 0, extra - backed, actor=None, via="stripe", kind=EntryKind.refund_unbacked)
    return "refunded"


# Refunds --------------------------------------------------------------------------------------------------------


async def _withdraw_unclaimed(row: dict[str, Any], most: int) -> int:
    """Take up to `most` of this sponsorship's unclaimed codes out of the pool; how many were taken."""
    if most <= 0:
        return 0
    taken = await Code.raw(
        "DELETE FROM concession_code WHERE id IN (SELECT id FROM concession_code WHERE funded_by = {}"
        " AND claimed_at IS NULL ORDER BY id DESC LIMIT {} FOR UPDATE SKIP LOCKED) RETURNING id",
        row["id"],
        most,
    )
    return len(taken)


async def _record_refund(
    settings: Settings, row: dict[str, Any], units: int, pence: int, actor: int | None, via: str,
    kind: EntryKind = EntryKind.refund_out,
) -> None:  # fmt: skip
    """Money back to the sponsor: on the sponsorship, in the ledger and the audit log, and (for unclaimed units)
    by email. refund_unbacked is money no unclaimed unit covered: audited for the team, no email."""
    await Sponsorship.raw(
        "UPDATE sponsorship SET refunded_units = refunded_units + {}, refunded_pence = refunded_pence + {}"
        " WHERE id = {}",
        units,
        pence,
        row["id"],
    )
    await LedgerEntry.insert(
        LedgerEntry(kind=kind, sponsorship=row["id"], provider=row["provider"], amount_pence=pence, note=via)
    )
    action = "sponsorship.refunded" if kind == EntryKind.refund_out else "sponsorship.refund_unbacked"
    await audit.record(
        action, actor=actor, organisation=row["sponsor"], subject=("sponsorship", row["id"]),
        units=units, pence=pence, via=via,
    )  # fmt: skip
    if kind == EntryKind.refund_out:
        await _tell_sponsor(settings, row, "sponsorship_refunded", units=units, amount=money(pence))


def refundable(row: dict[str, Any], unclaimed: int, today: date) -> bool:
    ended = row["offer_status"] in (OfferStatus.closed, OfferStatus.archived)
    closed = ended or (row["closes_on"] is not None and row["closes_on"] < today)
    return row["status"] == SponsorshipStatus.paid and closed and unclaimed > 0


async def unclaimed(sponsorship_id: int) -> int:
    return int(await Code.count().where((Code.funded_by == sponsorship_id) & Code.claimed_at.is_null()))


async def refund_unclaimed(
    settings: Settings, gateway: StripeGateway | None, who: Principal, org_id: int, sponsorship_id: int, today: date
) -> int:
    """Once the offer has closed, the sponsor gets back what was never claimed: a partial Stripe refund for a
    card, a credit for an invoice. Returns the units refunded. With the sponsorship locked, the unclaimed codes
    leave the pool first and exactly those are refunded; if Stripe refuses, the transaction rolls back and the
    codes are as they were. Never more than is unclaimed, however many ask at once."""
    row = await one(org_id, sponsorship_id)
    if not refundable(row, await unclaimed(sponsorship_id), today):
        raise Conflict(_("There is nothing to refund: the offer is still open, or every code was claimed."))
    if row["method"] == Method.card and (gateway is None or not row["payment_intent"]):
        raise Conflict(_("Card refunds cannot be made here right now. Please contact the Cyfle team."))
    async with Sponsorship._meta.db.transaction():
        locked = (await _locked(row["id"]))[0]
        units = await _withdraw_unclaimed(locked, locked["units"]) if locked["status"] == SponsorshipStatus.paid else 0
        if not units:
            raise Conflict(_("There is nothing to refund: the offer is still open, or every code was claimed."))
        pence = units * locked["unit_pence"]
        if gateway is not None and locked["method"] == Method.card:
            # The key names this state, so a retry of the same refund is the same refund at Stripe.
            key = f"refund-{locked['id']}-{locked['refunded_units']}-{units}"
            await gateway.refund(payment_intent=locked["payment_intent"], amount_pence=pence, key=key)
        await _record_refund(settings, locked, units, pence, actor=who.user_id, via=locked["method"])
    return units


async def _locked(value: int | str, by: str = "id") -> list[dict[str, Any]]:
    """Within a transaction: the sponsorship (by its id or its payment_intent), locked, with its offer's title
    and provider."""
    assert by in ("id", "payment_intent")
    return await Sponsorship.raw(
        "SELECT s.*, o.title, o.organisation AS provider FROM sponsorship s JOIN offer o ON o.id = s.offer"
        f" WHERE s.{by} = {{}} FOR UPDATE OF s",
        value,
    )


# The ledger -----------------------------------------------------------------------------------------------------


async def balance(sponsorship_id: int | None = None) -> dict[str, int]:
    """Funding in, due to providers, refunded, and held (funded codes not yet redeemed, at their unit price).
    funding_in == due_to_provider + refund_out + held, always."""
    where = "WHERE s.id = {}" if sponsorship_id else "WHERE {} = 0"
    rows = await LedgerEntry.raw(
        "SELECT"
        " coalesce((SELECT sum(l.amount_pence) FROM ledger_entry l JOIN sponsorship s ON s.id = l.sponsorship"
        f" {where} AND l.kind = 'funding_in'), 0) AS funding_in,"
        " coalesce((SELECT sum(l.amount_pence) FROM ledger_entry l JOIN sponsorship s ON s.id = l.sponsorship"
        f" {where} AND l.kind = 'due_to_provider'), 0) AS due_to_provider,"
        " coalesce((SELECT sum(l.amount_pence) FROM ledger_entry l JOIN sponsorship s ON s.id = l.sponsorship"
        f" {where} AND l.kind = 'refund_out'), 0) AS refund_out,"
        " coalesce((SELECT sum(s.unit_pence) FROM concession_code c JOIN sponsorship s ON s.id = c.funded_by"
        f" {where} AND c.redeemed_at IS NULL), 0) AS held",
        *([sponsorship_id or 0] * 4),
    )
    return {key: int(value) for key, value in dict(rows[0]).items()}


# What sponsors see ----------------------------------------------------------------------------------------------


async def mine(sponsor_id: int, sponsorship_id: int = 0) -> list[dict[str, Any]]:
    """A sponsor's sponsorships (or just the one asked for), newest first, with what their money did: funded,
    claimed, redeemed, left."""
    rows = await Sponsorship.raw(
        "SELECT s.id, s.units, s.amount_pence, s.method, s.status, s.reference, s.refunded_units, s.created_at,"
        " o.title, o.id AS offer_id,"
        " count(c.id) FILTER (WHERE c.claimed_at IS NOT NULL) AS claimed,"
        " count(c.id) FILTER (WHERE c.redeemed_at IS NOT NULL) AS redeemed,"
        " count(c.id) FILTER (WHERE c.claimed_at IS NULL) AS left"
        " FROM sponsorship s JOIN offer o ON o.id = s.offer LEFT JOIN concession_code c ON c.funded_by = s.id"
        " WHERE s.sponsor = {} AND ({} = 0 OR s.id = {}) GROUP BY s.id, o.id ORDER BY s.id DESC",
        sponsor_id,
        sponsorship_id,
        sponsorship_id,
    )
    return [dict(row) for row in rows]


async def waiting_invoices() -> list[dict[str, Any]]:
    """Pledges by invoice the team has not yet seen paid, oldest first."""
    rows = await Sponsorship.raw(
        "SELECT s.id, s.reference, s.units, s.amount_pence, s.created_at, o.title, org.name AS sponsor_name"
        " FROM sponsorship s JOIN offer o ON o.id = s.offer JOIN organisation org ON org.id = s.sponsor"
        " WHERE s.method = 'invoice' AND s.status = 'pending' ORDER BY s.id"
    )
    return [dict(row) for row in rows]


async def cancel_invoice(who: Principal, org_id: int, sponsorship_id: int) -> None:
    """A sponsor withdraws a pledge not yet paid: its units go back to other sponsors."""
    row = await one(org_id, sponsorship_id)
    if row["method"] != Method.invoice or not await settle_expired(row["id"]):
        raise Conflict(_("Only a pledge not yet paid can be cancelled."))
    await audit.record(
        "sponsorship.cancelled", actor=who.user_id, organisation=org_id, subject=("sponsorship", row["id"])
    )


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
            done["expired"] += await settle_expired(row["id"])
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
            done["expired"] += await settle_expired(row["id"], row["checkout_session"])
        else:
            done["still_open"] += 1
    return done


# Statements -----------------------------------------------------------------------------------------------------


async def statement(provider_id: int) -> list[dict[str, Any]]:
    """What we owe a provider for funded codes used at its door, by month (UK time) and offer, newest first."""
    rows = await LedgerEntry.raw(
        "SELECT to_char(date_trunc('month', l.at AT TIME ZONE 'Europe/London'), 'YYYY-MM') AS month,"
        " o.id AS offer_id, o.title, sum(sign(l.amount_pence))::int AS units, sum(l.amount_pence)::int AS due_pence"
        " FROM ledger_entry l JOIN sponsorship s ON s.id = l.sponsorship JOIN offer o ON o.id = s.offer"
        " WHERE l.kind = 'due_to_provider' AND l.provider = {}"
        " GROUP BY 1, o.id, o.title ORDER BY 1 DESC, o.title",
        provider_id,
    )
    return [dict(row) for row in rows]


async def payouts() -> list[dict[str, Any]]:
    """For the team: what is due to each provider in all, with the funding and refunds behind it."""
    rows = await LedgerEntry.raw(
        "SELECT org.id, org.name,"
        " coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'due_to_provider'), 0)::int AS due_pence,"
        " coalesce(sum(sign(l.amount_pence)) FILTER (WHERE l.kind = 'due_to_provider'), 0)::int AS units,"
        " coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'funding_in'), 0)::int AS funded_pence,"
        " coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'refund_out'), 0)::int AS refunded_pence"
        " FROM ledger_entry l JOIN organisation org ON org.id = l.provider GROUP BY org.id ORDER BY org.name"
    )
    return [dict(row) for row in rows]


# What a sponsor's money did, in aggregate -------------------------------------------------------------------------


async def impact(sponsor_id: int, today: date) -> dict[str, Any]:
    """Paid sponsorships: units funded, and what young people took up with them this reporting year, through the
    same measures (and the same protection of small counts) as every other dashboard."""
    totals = await Sponsorship.raw(
        "SELECT coalesce(sum(s.units), 0)::int AS funded, count(DISTINCT s.offer)::int AS offers"
        " FROM sponsorship s WHERE s.sponsor = {} AND s.status = 'paid'",
        sponsor_id,
    )
    offers = await Sponsorship.raw(
        "SELECT DISTINCT o.id, o.title, org.name AS organisation_name FROM sponsorship s"
        " JOIN offer o ON o.id = s.offer JOIN organisation org ON org.id = o.organisation"
        " WHERE s.sponsor = {} AND s.status = 'paid' ORDER BY o.title",
        sponsor_id,
    )
    year = measures.reporting_year(today)
    found = await kept.figures(measures.Scope("sponsor", organisation=sponsor_id), year)
    return {
        "totals": dict(totals[0]),
        "year": year,
        "report": measures.report(found),
        "offers": [dict(r) for r in offers],
    }


async def public_sponsor(org_id: int) -> dict[str, Any]:
    """An approved sponsor organisation, for its public impact page (404 for anything else)."""
    rows = await Organisation.select(Organisation.id, Organisation.name).where(
        (Organisation.id == (org_id if 0 < org_id <= MAX_ID else 0))
        & (Organisation.kind == OrganisationKind.sponsor)
        & Organisation.approved_at.is_not_null()
    )
    if not rows:
        raise NotFound(_("We could not find that sponsor."))
    return dict(rows[0])
