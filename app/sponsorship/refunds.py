"""Refunds: once an offer has closed, a sponsor gets back what was never claimed (a partial Stripe refund for
a card, a credit for an invoice), and every refund is booked on the sponsorship, in the ledger and the audit
log."""

from __future__ import annotations

from datetime import date

from app.audit import service as audit
from app.codes.tables import Code
from app.core.auth import Principal
from app.core.errors import Conflict
from app.core.i18n import _
from app.offers.labels import money
from app.offers.tables import OfferStatus
from app.settings import Settings
from app.sponsorship import pledges
from app.sponsorship.gateway import StripeGateway
from app.sponsorship.pledges import Pledge
from app.sponsorship.tables import EntryKind, LedgerEntry, Method, Sponsorship, SponsorshipStatus


async def withdraw_unclaimed(row: Pledge, most: int) -> int:
    """Take up to `most` of this sponsorship's unclaimed codes out of the pool; how many were taken."""
    if most <= 0:
        return 0
    # Picked once (a MATERIALIZED CTE): "id IN (SELECT ... LIMIT ... SKIP LOCKED)" may be run again while a claim
    # takes codes, and take more than `most`.
    taken = await Code.raw(
        "WITH picked AS MATERIALIZED (SELECT id FROM concession_code WHERE funded_by = {} AND claimed_at IS NULL"
        " ORDER BY id DESC LIMIT {} FOR UPDATE SKIP LOCKED)"
        " DELETE FROM concession_code c USING picked WHERE c.id = picked.id RETURNING c.id",
        row.id,
        most,
    )
    return len(taken)


async def record_refund(
    settings: Settings, row: Pledge, units: int, pence: int, actor: int | None, via: str,
    kind: EntryKind = EntryKind.refund_out,
) -> None:  # fmt: skip
    """Money back to the sponsor: on the sponsorship, in the ledger and the audit log, and (for unclaimed units)
    by email. refund_unbacked is money no unclaimed unit covered: audited for the team, no email."""
    await Sponsorship.raw(
        "UPDATE sponsorship SET refunded_units = refunded_units + {}, refunded_pence = refunded_pence + {}"
        " WHERE id = {}",
        units,
        pence,
        row.id,
    )
    await LedgerEntry.insert(
        LedgerEntry(kind=kind, sponsorship=row.id, provider=row.provider, amount_pence=pence, note=via)
    )
    action = "sponsorship.refunded" if kind == EntryKind.refund_out else "sponsorship.refund_unbacked"
    await audit.record(
        action, actor=actor, organisation=row.sponsor, subject=("sponsorship", row.id),
        units=units, pence=pence, via=via,
    )  # fmt: skip
    if kind == EntryKind.refund_out:
        await pledges.tell_sponsor(settings, row, "sponsorship_refunded", units=units, amount=money(pence))


def refundable(row: Pledge, unclaimed: int, today: date) -> bool:
    ended = row.offer_status in (OfferStatus.closed, OfferStatus.archived)
    closed = ended or (row.closes_on is not None and row.closes_on < today)
    return row.status == SponsorshipStatus.paid and closed and unclaimed > 0


async def unclaimed(sponsorship_id: int) -> int:
    return int(await Code.count().where((Code.funded_by == sponsorship_id) & Code.claimed_at.is_null()))


async def refund_unclaimed(
    settings: Settings, gateway: StripeGateway | None, who: Principal, org_id: int, sponsorship_id: int, today: date
) -> int:
    """Once the offer has closed, the sponsor gets back what was never claimed: a partial Stripe refund for a
    card, a credit for an invoice. Returns the units refunded. With the sponsorship locked, the unclaimed codes
    leave the pool first and exactly those are refunded; if Stripe refuses, the transaction rolls back and the
    codes are as they were. Never more than is unclaimed, however many ask at once."""
    row = await pledges.one(org_id, sponsorship_id)
    if not refundable(row, await unclaimed(sponsorship_id), today):
        raise Conflict(_("There is nothing to refund: the offer is still open, or every code was claimed."))
    if row.method == Method.card and (gateway is None or not row.payment_intent):
        raise Conflict(_("Card refunds cannot be made here right now. Please contact the Cyfle team."))
    async with Sponsorship._meta.db.transaction():
        locked = await pledges.locked(row.id)
        assert locked is not None  # one() found it just now
        units = await withdraw_unclaimed(locked, locked.units) if locked.status == SponsorshipStatus.paid else 0
        if not units:
            raise Conflict(_("There is nothing to refund: the offer is still open, or every code was claimed."))
        pence = units * locked.unit_pence
        if gateway is not None and locked.method == Method.card:
            assert locked.payment_intent  # checked above: a card pledge's payment is set once, when it is paid
            # The key names this state, so a retry of the same refund is the same refund at Stripe.
            key = f"refund-{locked.id}-{locked.refunded_units}-{units}"
            await gateway.refund(payment_intent=locked.payment_intent, amount_pence=pence, key=key)
        await record_refund(settings, locked, units, pence, actor=who.user_id, via=locked.method)
    return units
