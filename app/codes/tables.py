"""Concession codes: a pool per offer, each claimed by one young person and redeemed once at the door.
A code looks like any other discount code and says nothing about care."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from app.accounts.tables import User
from app.offers.tables import Offer
from app.sponsorship.tables import Sponsorship
from app.young_people.tables import YoungPerson


class Code(Table, tablename="concession_code"):
    id: Serial
    offer = ForeignKey(references=Offer, null=False, index=True, on_delete=OnDelete.cascade)
    code = Varchar(length=40, required=True, index=True)
    source = Varchar(length=10, default="generated", help_text="generated or uploaded")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(null=True, default=None)
    # Who claimed it is kept only while they have an account; when it was claimed is kept for the counts.
    claimed_by = ForeignKey(references=YoungPerson, null=True, index=True, on_delete=OnDelete.set_null)
    claimed_at = Timestamptz(null=True, default=None)
    claimed_key = Varchar(
        length=64, default="", help_text="The claimant's keyed hash (as in uptake_event), for counting a redemption."
    )
    redeemed_at = Timestamptz(null=True, default=None)
    redeemed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    feedback_asked_at = Timestamptz(null=True, default=None, help_text="When the young person was asked how it went.")
    funded_by = ForeignKey(
        references=Sponsorship,
        null=True,
        index=True,
        on_delete=OnDelete.restrict,
        help_text="The sponsorship that paid for it; empty: the provider.",
    )
    code_once_per_offer = Unique([offer, code])


class CodeWaiter(Table, tablename="code_waiter"):
    """Someone who asked to be told when more codes for an offer are available."""

    id: Serial
    offer = ForeignKey(references=Offer, null=False, on_delete=OnDelete.cascade)
    young_person = ForeignKey(references=YoungPerson, null=False, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
    code_waiter_once = Unique([offer, young_person])  # constraint names are schema-wide: never reuse one
