"""What happened, counted: uptake events and daily views. Never anything that says who (a keyed hash lets reports
count distinct people; once someone deletes their account it points at nobody)."""

from piccolo.columns import (
    JSONB,
    Array,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    SmallInt,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from app.offers.tables import Offer
from app.organisations.tables import Organisation
from app.sponsorship.tables import Sponsorship


class UptakeEvent(Table, tablename="uptake_event"):
    id: Serial
    at = Timestamptz(default=TimestamptzNow(), index=True)
    kind = Varchar(length=30, required=True, index=True, help_text="applied, a stage name, withdrawn, ...")
    offer = ForeignKey(references=Offer, null=True, index=True, on_delete=OnDelete.set_null)
    # Indexed with `at` (organisation, at), as council_area is, by a raw migration: a year's events for one
    # organisation or area, counted from the index alone (app.uptake.kept).
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.set_null)
    offer_type = Varchar(length=20, default="")
    principles = Array(SmallInt())
    council_area = Varchar(length=20, default="", help_text="Where the young person lives (an area, not an address).")
    person_key = Varchar(length=64, default="", help_text="Keyed hash, for counting distinct people only.")
    sponsorship = ForeignKey(
        references=Sponsorship,
        null=True,
        index=True,
        on_delete=OnDelete.set_null,
        help_text="Codes a sponsor paid for.",
    )
    suggested = Boolean(default=False, help_text="An application or claim that followed an adviser's suggestion.")


class OfferView(Table, tablename="offer_view"):
    """Views of an offer's page per day: how many, never who."""

    id: Serial
    offer = ForeignKey(references=Offer, null=False, on_delete=OnDelete.cascade)
    day = Date(required=True)
    views = Integer(default=0)
    one_a_day = Unique([offer, day])


class KeptFigures(Table, tablename="kept_figures"):
    """Figures worked out once and read by every page that shows them until what they count changes
    (app.uptake.kept). Counts only, never who."""

    id: Serial
    scope = Varchar(length=40, required=True, help_text='"organisation:12", "council:W06000015" or "national".')
    asked = Varchar(length=200, required=True, help_text="What was worked out (figures or a tally), as JSON.")
    version = Varchar(length=200, default="", help_text="What the scope's events, offers and feedback were then.")
    value = JSONB(default={})
    computed_at = Timestamptz(default=TimestamptzNow(), help_text="When they were last worked out whole.")
    settled_at = Timestamptz(null=True, default=None, help_text="They count the events before this time ...")
    max_event = BigInt(default=0, help_text="... up to this event (by id), and no other.")
    read_at = Timestamptz(default=TimestamptzNow())
    kept_once_each = Unique([scope, asked])
