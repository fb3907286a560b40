"""Links between a young person and their adviser, what they share, and what the adviser suggested. Every row
hangs from the link (or the adviser's membership), so unlinking, leaving the organisation or deleting an account
takes it all away at once."""

from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from app.applications.tables import Application
from app.codes.tables import Code
from app.offers.tables import Offer
from app.organisations.tables import Membership
from app.young_people.tables import YoungPerson


class LinkStatus(StrEnum):
    asked = "asked"  # the young person asked; the adviser has not accepted yet
    linked = "linked"


class AdviserLink(Table, tablename="adviser_link"):
    id: Serial
    young_person = ForeignKey(references=YoungPerson, null=False, index=True, on_delete=OnDelete.cascade)
    membership = ForeignKey(
        references=Membership, null=False, index=True, on_delete=OnDelete.cascade, help_text="The adviser, at work."
    )
    status = Varchar(length=10, choices=LinkStatus, default=LinkStatus.asked)
    share_applications = Boolean(default=False, help_text="Every application, new ones too.")
    share_codes = Boolean(default=False, help_text="Every code, new ones too.")
    email_suggestions = Boolean(default=False, help_text="Email the young person when the adviser suggests one.")
    created_at = Timestamptz(default=TimestamptzNow())
    linked_at = Timestamptz(null=True, default=None)
    adviser_link_once = Unique([young_person, membership])  # constraint names are schema-wide: never reuse one


class SharedItem(Table, tablename="adviser_shared"):
    """One application or code shared with one adviser (when not sharing them all)."""

    id: Serial
    link = ForeignKey(references=AdviserLink, null=False, index=True, on_delete=OnDelete.cascade)
    application = ForeignKey(references=Application, null=True, on_delete=OnDelete.cascade)
    code = ForeignKey(references=Code, null=True, on_delete=OnDelete.cascade)


class Suggestion(Table, tablename="adviser_suggestion"):
    id: Serial
    link = ForeignKey(references=AdviserLink, null=False, index=True, on_delete=OnDelete.cascade)
    offer = ForeignKey(references=Offer, null=False, index=True, on_delete=OnDelete.cascade)
    note = Text(default="", help_text="A few words from the adviser to the young person.")
    created_at = Timestamptz(default=TimestamptzNow())
    opened_at = Timestamptz(null=True, default=None)
    dismissed_at = Timestamptz(null=True, default=None)
    suggested_once = Unique([link, offer])


class LinkCode(Table, tablename="adviser_code"):
    """The short code an adviser shows a young person, who types it to ask to link them."""

    id: Serial
    membership = ForeignKey(references=Membership, null=False, unique=True, on_delete=OnDelete.cascade)
    code = Varchar(length=12, unique=True, required=True)
    created_at = Timestamptz(default=TimestamptzNow())


class NudgeSent(Table, tablename="adviser_nudge"):
    """The weekly email to an adviser went for this week (its Monday): never twice, whoever runs the worker."""

    id: Serial
    membership = ForeignKey(references=Membership, null=False, on_delete=OnDelete.cascade)
    week = Date(required=True)
    sent_at = Timestamptz(default=TimestamptzNow())
    nudged_once_a_week = Unique([membership, week])


class NudgesOff(Table, tablename="adviser_nudges_off"):
    """An adviser (a membership) who asked for no weekly email of what needs a look; the page still shows it."""

    id: Serial
    membership = ForeignKey(references=Membership, null=False, unique=True, on_delete=OnDelete.cascade)
    since = Timestamptz(default=TimestamptzNow())
