"""Councils confirm that a young person can use Cyfle: on request, or by an invitation code handed over in
person. What is kept is who decided, when, and until when; never why the young person is eligible."""

from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, OnDelete, Serial, SmallInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.accounts.tables import User
from app.organisations.tables import Organisation
from app.young_people.tables import YoungPerson


class VerificationStatus(StrEnum):
    requested = "requested"
    verified = "verified"  # active until expires_on (inclusive)
    refused = "refused"
    revoked = "revoked"
    withdrawn = "withdrawn"  # the young person moved council or asked again elsewhere


class Invitation(Table):
    """A single-use code a verifier hands to a young person; only a keyed hash of it is kept."""

    id: Serial
    council = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    code_hash = Varchar(length=64, unique=True, required=True)
    minted_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(required=True)
    used_at = Timestamptz(null=True, default=None)
    link_adviser = Boolean(default=False, help_text="Whoever made it offers to be the young person's adviser.")


class Verification(Table):
    id: Serial
    young_person = ForeignKey(references=YoungPerson, null=False, index=True, on_delete=OnDelete.cascade)
    council = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    status = Varchar(length=20, choices=VerificationStatus, default=VerificationStatus.requested, index=True)
    adviser_name = Varchar(length=100, default="", help_text="Their personal adviser, if they named one.")
    via_invitation = ForeignKey(references=Invitation, null=True, on_delete=OnDelete.set_null)
    requested_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    expires_on = Date(null=True, default=None, help_text="The last day it is active.")
    reason = Text(default="", help_text="Why it was refused or revoked, as the young person sees it.")
    reminders_sent = SmallInt(default=0, help_text="Expiry reminders sent: 1 at four weeks, 2 at one week.")
