"""Offers someone saved to come back to (the heart on a card), searches they saved to hear what is new, and the
browsers they hear it in."""

from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from app.accounts.tables import User
from app.offers.tables import Offer


class SavedOffer(Table, tablename="saved_offer"):
    id: Serial
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    offer = ForeignKey(references=Offer, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
    reminded_at = Timestamptz(null=True, default=None, help_text="When we said it closes in three days (once).")
    saved_offer_once = Unique([user, offer])  # constraint names are schema-wide: never reuse one


class Frequency(StrEnum):
    now = "now"
    daily = "daily"
    weekly = "weekly"


class SavedSearch(Table, tablename="saved_search"):
    """A search someone saved to hear about new offers that match it."""

    id: Serial
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=80, required=True)
    query = Varchar(length=600, default="", help_text="The search page's query string, as query.page_query makes it.")
    frequency = Varchar(length=10, choices=Frequency, default=Frequency.daily)
    paused = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    seen_at = Timestamptz(default=TimestamptzNow(), help_text="Its results last looked at: newer offers are new.")
    told_at = Timestamptz(default=TimestamptzNow(), help_text="Its last alert: offers published since are news.")


class AlertSent(Table, tablename="alert_sent"):
    """An offer a saved search's alert has told about: never again for that search."""

    id: Serial
    saved_search = ForeignKey(references=SavedSearch, null=False, on_delete=OnDelete.cascade)
    offer = ForeignKey(references=Offer, null=False, on_delete=OnDelete.cascade)
    sent_at = Timestamptz(default=TimestamptzNow())
    alert_sent_once = Unique([saved_search, offer])


class PushSubscription(Table, tablename="push_subscription"):
    """A browser someone turned notifications on in: where its push service takes our notes, and the keys to
    encrypt them to (RFC 8291)."""

    id: Serial
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    endpoint = Varchar(length=1000, unique=True)
    p256dh = Varchar(length=200)
    auth = Varchar(length=50)
    created_at = Timestamptz(default=TimestamptzNow())
