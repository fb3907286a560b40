"""Concerns anyone raised about an organisation or one of its offers, and what the Cyfle team did about them.

Nothing is kept about who raised one: no account, no address, only the contact they chose to type."""

from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.accounts.tables import User
from app.offers.tables import Offer
from app.organisations.tables import Organisation


class ConcernStatus(StrEnum):
    new = "new"
    looking = "looking"
    upheld = "upheld"
    not_upheld = "not_upheld"
    closed = "closed"


class Concern(Table):
    id: Serial
    organisation = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    offer = ForeignKey(references=Offer, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    what_happened = Text(required=True)
    contact = Varchar(length=200, default="", help_text="An email or phone as typed, if they gave one: team only.")
    safety = Boolean(default=False, help_text="Marked as a worry about someone's safety: urgent.")
    status = Varchar(length=20, choices=ConcernStatus, default=ConcernStatus.new, index=True)
    response = Text(default="", help_text="The team's response; the team alone reads it.")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())
    handled_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    # Whoever raised it keeps a link to a receipt page (app/concerns/service.py): its token's keyed hash, and what
    # the team chose to tell them there.
    receipt = Varchar(length=64, null=True, default=None, unique=True, help_text="Keyed hash of the receipt token.")
    reply = Text(default="", help_text="What the team tells whoever raised it, on their receipt page.")
    replied_at = Timestamptz(null=True, default=None)


class ConcernAddition(Table, tablename="concern_addition"):
    """Something whoever raised a concern added later, from its receipt page (an answer to the team's question,
    what happened next). Like the concern, nothing about who wrote it."""

    id: Serial
    concern = ForeignKey(references=Concern, null=False, index=True, on_delete=OnDelete.cascade)
    said = Text(required=True)
    created_at = Timestamptz(default=TimestamptzNow())
