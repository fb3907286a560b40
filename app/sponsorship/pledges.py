"""Pledging and paying: a sponsor pledges units at the price they saw (never past the offer's cap), pays by
card through Stripe or by an invoice an admin marks paid, and the funded codes join the pool exactly once.
Also what sponsors see of their own pledges, and withdrawing one not yet paid."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final, Literal

from app.accounts.tables import User
from app.audit import service as audit
from app.codes import pool
from app.core.auth import Principal
from app.core.db import MAX_ID
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.labels import money
from app.offers.service import titles as offer_titles
from app.organisations.tables import Organisation, OrganisationKind
from app.settings import Settings
from app.sponsorship import offers
from app.sponsorship.gateway import PaymentsUnavailable, StripeGateway
from app.sponsorship.tables import EntryKind, LedgerEntry, Method, Sponsorship, SponsorshipStatus

CARD_MIN_PENCE, CARD_MAX_PENCE = 30, 99_999_999  # what Stripe takes in one payment, in pounds
REFERENCE_LENGTH = 8


@dataclass(frozen=True)
class Pledge:
    """A sponsorship as its row has it, with its offer's title and provider; read for its sponsor, also the
    offer's state (whether what was never claimed can be refunded yet)."""

    id: int
    sponsor: int
    offer: int
    units: int
    unit_pence: int
    amount_pence: int
    currency: str
    method: Method
    status: SponsorshipStatus
    reference: str
    checkout_session: str | None
    payment_intent: str | None
    refunded_units: int
    refunded_pence: int
    created_by: int | None
    created_at: datetime
    paid_at: datetime | None
    title: str
    provider: int
    offer_status: str = ""
    closes_on: date | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Pledge:
        return cls(**{**row, "method": Method(row["method"]), "status": SponsorshipStatus(row["status"])})


@dataclass(frozen=True)
class Funded:
    """One of a sponsor's sponsorships and what its money did so far: codes claimed, used, and not yet claimed."""

    id: int
    units: int
    amount_pence: int
    method: Method
    status: SponsorshipStatus
    reference: str
    refunded_units: int
    created_at: datetime
    title: str
    offer_id: int
    claimed: int
    redeemed: int
    left: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> Funded:
        return cls(**{**row, "method": Method(row["method"]), "status": SponsorshipStatus(row["status"])})


@dataclass(frozen=True)
class Invoice:
    """A pledge by invoice waiting for the team to see the money arrive."""

    id: int
    reference: str
    units: int
    amount_pence: int
    created_at: datetime
    title: str
    sponsor_name: str


async def _sponsor(who: Principal, org_id: int) -> None:
    org = await Organisation.select(Organisation.id, Organisation.kind, Organisation.approved_at).where(
        Organisation.id == org_id
    )
    if not org or org[0]["kind"] != OrganisationKind.sponsor:
        raise NotFound(_("Only sponsor organisations fund codes."))
    if org[0]["approved_at"] is None:
        raise Forbidden(_("Your organisation can fund codes once the Cyfle team has approved it."))


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
    return int(raw) if raw.isdigit() and 0 < int(raw) <= offers.MAX_UNIT_PENCE else None


def new_reference() -> str:
    return "SP-" + "".join(secrets.choice(pool.ALPHABET) for _ in range(REFERENCE_LENGTH))


async def pledge(
    who: Principal, org_id: int, offer_id: int, form: Form, today: date, takes_cards: bool = True
) -> Pledge:
    """A pending sponsorship of N units at the unit price the sponsor saw and agreed to (the form carries it),
    by the method the form chose (by invoice when cards are not taken here). If the offer's price is no longer
    that one, PriceChanged: nothing is pledged. The cap and the price are checked with the offer's row locked,
    so two sponsors at once never pass the cap and a price changed meanwhile is never bound to."""
    await _sponsor(who, org_id)
    found = await offers.sponsorable(today, offer_id)
    if not found:
        raise NotFound(_("This offer is not open to sponsors now."))
    seen, offer_price = _seen_price(form), found[0].sponsor_unit_pence
    if seen != offer_price:
        raise PriceChanged(seen, offer_price)
    units = form.number("units", 1, offers.MAX_CAP)
    method = form.raw("method") if takes_cards else Method.invoice
    if method not in (Method.card, Method.invoice):
        form.error("method", _("Choose to pay by card or by invoice."))
    if method == Method.card and units and not CARD_MIN_PENCE <= units * offer_price <= CARD_MAX_PENCE:
        form.error(
            "units", _("By card, a payment must be from £0.30 to £999,999. Choose fewer units, or pay by invoice.")
        )
    form.check()
    assert units is not None
    async with Sponsorship._meta.db.transaction():
        offer = await offers.lock_and_count(offer_id)
        if offer is None or offer.sponsor_unit_pence is None:
            raise NotFound(_("This offer is not open to sponsors now."))
        left = offer.sponsor_cap - offer.held
        if units > left:
            form.error("units", _("There is room for %(left)s more units on this offer.") % {"left": max(left, 0)})
            form.check()
        unit_pence = offer.sponsor_unit_pence
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


async def one(sponsor_id: int, sponsorship_id: int) -> Pledge:
    """A sponsor's own sponsorship, with its offer's title (404 for anyone else's)."""
    rows = await Sponsorship.raw(
        "SELECT s.*, o.title, o.organisation AS provider, o.status AS offer_status, o.closes_on"
        " FROM sponsorship s JOIN offer o ON o.id = s.offer WHERE s.id = {} AND s.sponsor = {}",
        sponsorship_id,
        sponsor_id,
    )
    if not rows:
        raise NotFound(_("We could not find that sponsorship."))
    return Pledge.of(rows[0])


async def start_checkout(settings: Settings, gateway: StripeGateway, who: Principal, row: Pledge) -> str:
    """Stripe's payment page for a pending card sponsorship; its address. If Stripe cannot be reached the
    pledge lapses, so its units are not held back from other sponsors."""
    base = _link(settings, row)
    try:
        session = await gateway.checkout(
            sponsorship_id=row.id, reference=row.reference, name=row.title, units=row.units,
            unit_pence=row.unit_pence, email=who.email, success_url=f"{base}?paid=1",
            cancel_url=f"{base}?cancelled=1",
        )  # fmt: skip
    except PaymentsUnavailable:
        await Sponsorship.update({Sponsorship.status: SponsorshipStatus.expired}).where(
            (Sponsorship.id == row.id) & (Sponsorship.status == SponsorshipStatus.pending)
        )
        raise
    await Sponsorship.update({Sponsorship.checkout_session: session.id}).where(Sponsorship.id == row.id)
    return session.url


def _link(settings: Settings, row: Pledge) -> str:
    """The sponsorship's page, for Stripe to send the sponsor back to and for emails (no request to build it
    from by route name)."""
    return f"{settings.base_url}/organisations/{row.sponsor}/funding/{row.id}"


async def settle_paid(
    settings: Settings, sponsorship_id: int, *, amount_pence: int, currency: str, payment_intent: str | None,
    actor: int | None, via: str, session_id: str | None = None,
) -> bool:  # fmt: skip
    """Paid: its codes join the pool and the money is in the ledger, exactly once (the row is locked and must
    still be pending). A card payment must be for the Checkout Session we made for it. A payment of any other
    amount, or one for a pledge no longer pending (cancelled or expired here), funds nothing and is left for
    the team (audited)."""
    async with Sponsorship._meta.db.transaction():
        row = await locked(sponsorship_id)
        if row is None or row.status == SponsorshipStatus.paid:
            return False
        if session_id is not None and session_id != row.checkout_session:
            return False  # not our session for it (another deployment sharing the Stripe account)
        problem = ""
        if amount_pence != row.amount_pence or currency.lower() != row.currency:
            problem = "sponsorship.amount_mismatch"
        elif row.status != SponsorshipStatus.pending:
            problem = "sponsorship.paid_when_not_pending"  # its units may have gone to others: the team decides
        if problem:
            await audit.record(
                problem, actor=actor, organisation=row.sponsor, subject=("sponsorship", row.id),
                paid=amount_pence, currency=currency, via=via,
            )  # fmt: skip
            return False
        await Sponsorship.update(
            {
                Sponsorship.status: SponsorshipStatus.paid,
                Sponsorship.paid_at: datetime.now(UTC),
                Sponsorship.payment_intent: payment_intent,
            }
        ).where(Sponsorship.id == row.id)
        await pool.insert_codes(row.offer, pool.new_codes(row.units), "sponsored", funded_by=row.id)
        await LedgerEntry.insert(
            LedgerEntry(
                kind=EntryKind.funding_in, sponsorship=row.id, provider=row.provider, amount_pence=row.amount_pence,
                note=via,
            )
        )  # fmt: skip
        await audit.record(
            "sponsorship.paid", actor=actor, organisation=row.sponsor, subject=("sponsorship", row.id), via=via
        )
        await pool.tell_waiters(settings, row.offer)
        await tell_sponsor(settings, row, "sponsorship_paid", units=row.units, amount=money(row.amount_pence))
    return True


async def tell_sponsor(settings: Settings, row: Pledge, template: str, **context: Any) -> None:
    """Email whoever made the pledge (if they still have an account), in the change's own transaction."""
    who = await User.select(User.email).where(User.id == row.created_by).first() if row.created_by else None
    if who is None:
        return
    link = _link(settings, row)
    title = await offer_titles(row.offer)
    await mail.send(who["email"], template, title=title, reference=row.reference, link=link, **context)


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


LOCKED: Final = {
    "id": "SELECT s.*, o.title, o.organisation AS provider FROM sponsorship s JOIN offer o ON o.id = s.offer"
    " WHERE s.id = {} FOR UPDATE OF s",
    "payment_intent": "SELECT s.*, o.title, o.organisation AS provider FROM sponsorship s JOIN offer o"
    " ON o.id = s.offer WHERE s.payment_intent = {} FOR UPDATE OF s",
}


async def locked(value: int | str, by: Literal["id", "payment_intent"] = "id") -> Pledge | None:
    """Within a transaction: the sponsorship (by its id or its payment_intent), locked, with its offer's title
    and provider."""
    rows = await Sponsorship.raw(LOCKED[by], value)
    return Pledge.of(rows[0]) if rows else None


# What sponsors see ----------------------------------------------------------------------------------------------


async def mine(sponsor_id: int, sponsorship_id: int = 0) -> list[Funded]:
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
    return [Funded.of(row) for row in rows]


async def waiting_invoices() -> list[Invoice]:
    """Pledges by invoice the team has not yet seen paid, oldest first."""
    rows = await Sponsorship.raw(
        "SELECT s.id, s.reference, s.units, s.amount_pence, s.created_at, o.title, org.name AS sponsor_name"
        " FROM sponsorship s JOIN offer o ON o.id = s.offer JOIN organisation org ON org.id = s.sponsor"
        " WHERE s.method = 'invoice' AND s.status = 'pending' ORDER BY s.id"
    )
    return [Invoice(**row) for row in rows]


async def cancel_invoice(who: Principal, org_id: int, sponsorship_id: int) -> None:
    """A sponsor withdraws a pledge not yet paid: its units go back to other sponsors."""
    row = await one(org_id, sponsorship_id)
    if row.method != Method.invoice or not await settle_expired(row.id):
        raise Conflict(_("Only a pledge not yet paid can be cancelled."))
    await audit.record("sponsorship.cancelled", actor=who.user_id, organisation=org_id, subject=("sponsorship", row.id))
