"""Offers someone saved to come back to (the heart on a card), and whether they were reminded it closes soon."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz
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
