"""Sponsorships, the money ledger, and the Stripe events already applied."""

from enum import StrEnum

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.accounts.tables import User
from app.offers.tables import Offer
from app.organisations.tables import Organisation


class SponsorshipStatus(StrEnum):
    pending = "pending"  # checkout started or invoice sent; its units are held back from other sponsors
    paid = "paid"  # its codes are in the pool
    expired = "expired"  # the checkout ran out, or the pledge was cancelled: nothing was paid


class Method(StrEnum):
    card = "card"
    invoice = "invoice"


class Sponsorship(Table):
    id: Serial
    # Money records outlive nothing silently: deleting an organisation or offer with sponsorships is refused.
    sponsor = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.restrict)
    offer = ForeignKey(references=Offer, null=False, index=True, on_delete=OnDelete.restrict)
    units = Integer(required=True)
    unit_pence = Integer(required=True, help_text="The offer's unit price when the sponsor chose: fixed from then.")
    amount_pence = Integer(required=True, help_text="units × unit_pence, always computed here, never sent to us.")
    currency = Varchar(length=3, default="gbp")
    method = Varchar(length=10, choices=Method, required=True)
    status = Varchar(length=10, choices=SponsorshipStatus, default=SponsorshipStatus.pending, index=True)
    reference = Varchar(length=20, unique=True, required=True, help_text="On invoices and bank transfers.")
    checkout_session = Varchar(length=255, null=True, default=None, unique=True)
    payment_intent = Varchar(length=255, null=True, default=None, unique=True)
    refunded_units = Integer(default=0)
    refunded_pence = Integer(default=0)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    paid_at = Timestamptz(null=True, default=None)


class EntryKind(StrEnum):
    funding_in = "funding_in"  # a sponsor paid us
    due_to_provider = "due_to_provider"  # a funded code was redeemed: we owe the provider one unit (negative: undone)
    refund_out = "refund_out"  # we gave a sponsor back money for units never claimed
    refund_unbacked = "refund_unbacked"  # refunded at Stripe beyond what unclaimed units covered: the team looks


class LedgerEntry(Table):
    """Append-only. Funding in = due to providers + refunded + held (funded units not yet redeemed or refunded);
    refund_unbacked is money out beyond that, which the team must settle by hand."""

    id: Serial
    at = Timestamptz(default=TimestamptzNow(), index=True)
    kind = Varchar(length=20, choices=EntryKind, required=True)
    sponsorship = ForeignKey(references=Sponsorship, null=False, index=True, on_delete=OnDelete.restrict)
    provider = ForeignKey(
        references=Organisation,
        null=False,
        index=True,
        on_delete=OnDelete.restrict,
        help_text="The offer's organisation.",
    )
    amount_pence = Integer(required=True)
    code_id = Integer(null=True, default=None, help_text="The redeemed code, for due_to_provider.")
    note = Varchar(length=200, default="")


class StripeEvent(Table):
    """Each Stripe event id once: a delivery seen before changes nothing."""

    id: Serial
    event_id = Varchar(length=255, unique=True, required=True)
    type = Varchar(length=60, required=True)
    received_at = Timestamptz(default=TimestamptzNow())
