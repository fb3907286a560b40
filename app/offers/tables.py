from enum import StrEnum

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.organisations.tables import Organisation


class OfferType(StrEnum):
    apprenticeship = "apprenticeship"
    internship = "internship"
    traineeship = "traineeship"
    work_experience = "work_experience"
    work_shadowing = "work_shadowing"
    mentoring = "mentoring"
    sport = "sport"
    leisure = "leisure"
    culture = "culture"


# Offers taken up with a code at a venue (a pool of codes, claims, sponsors), not by applying.
CONCESSIONS: frozenset[str] = frozenset({OfferType.sport, OfferType.leisure, OfferType.culture})


class OfferStatus(StrEnum):
    draft = "draft"
    in_review = "in_review"
    published = "published"
    closed = "closed"
    archived = "archived"


class ApplyMethod(StrEnum):
    in_app = "in_app"
    external = "external"


class PayPer(StrEnum):
    hour = "hour"
    week = "week"
    month = "month"
    year = "year"
    once = "once"


class Offer(Table):
    id: Serial  # added by Piccolo; declared for type checkers
    organisation = ForeignKey(references=Organisation, null=False, index=True)
    type = Varchar(length=20, choices=OfferType, required=True)
    title = Varchar(length=120, required=True)
    summary = Varchar(length=280, default="")
    description = Text(default="", help_text="Markdown, rendered to sanitised HTML.")
    # Offers are written in English, Welsh or both: title, summary and description are in `language` (the one the
    # provider wrote first, never empty); the *_alt columns hold the other language's, empty when there is none.
    language = Varchar(length=2, default="en", help_text="en or cy: the language of title, summary, description.")
    title_alt = Varchar(length=120, default="")
    summary_alt = Varchar(length=280, default="")
    description_alt = Text(default="", help_text="Markdown, in the language that is not `language`.")
    principles = Array(SmallInt(), help_text="Charter principle ids; defaults come from the type.")
    # Support a young person can count on.
    travel_paid = Boolean(default=False)
    equipment_provided = Boolean(default=False)
    mentor = Boolean(default=False)
    flexible_hours = Boolean(default=False)
    accessible_venue = Boolean(default=False)
    free = Boolean(default=False)
    # Kept for care-experienced young people (work offers only: app/offers/writing.py): places only they can take,
    # and an interview for each of them who meets the essential requirements.
    ring_fenced = Boolean(default=False)
    guaranteed_interview = Boolean(default=False)
    # Pay for work offers; price for concessions (all in pence).
    pay_pence = Integer(null=True, default=None)
    pay_per = Varchar(length=10, choices=PayPer, null=True, default=None)
    price_pence = Integer(null=True, default=None, help_text="What a young person pays; 0 is free.")
    usual_price_pence = Integer(null=True, default=None)
    min_age = SmallInt(default=16)
    max_age = SmallInt(default=25)
    places = Integer(null=True, default=None, help_text="Empty means no fixed limit.")
    location_name = Varchar(length=120, default="")
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    remote = Boolean(default=False)
    council_area = Varchar(length=80, default="", index=True)
    closes_on = Date(null=True, default=None, index=True)
    starts_on = Date(null=True, default=None)
    status = Varchar(length=20, choices=OfferStatus, default=OfferStatus.draft, index=True)
    apply_method = Varchar(length=10, choices=ApplyMethod, default=ApplyMethod.in_app)
    apply_url = Varchar(length=500, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    live_since = Timestamptz(
        null=True,
        default=None,
        help_text="When it last became findable: first approved, or approved again after it was taken down or closed.",
    )
    submitted_at = Timestamptz(null=True, default=None)
    reviewed_at = Timestamptz(null=True, default=None, help_text="When an admin last approved or returned it.")
    review_note = Text(default="", help_text="Why an admin returned it; shown to the provider.")
    changed_since_review = Boolean(default=False, help_text="An edit of a live offer waits in the team's queue.")
    pending = JSONB(
        null=True,
        default=None,
        help_text="A live offer's edited fields, waiting for the team; the approved ones stay live.",
    )
    # Concessions: how many codes one young person may claim, once ever or per calendar month.
    claim_limit = SmallInt(default=1)
    claim_period = Varchar(length=10, default="once", help_text="once or month")
    # Concessions open to sponsors: what one unit (one code) costs a sponsor, and how many units at most.
    sponsor_unit_pence = Integer(null=True, default=None, help_text="Empty: not open to sponsorship.")
    sponsor_cap = Integer(default=0, help_text="Units sponsors may fund in all, paid or on their way.")
    # What anyone can see of the offer last changed (its approved words, dates, place, status): a trigger sets it
    # (migrations, "public_changed_at"), so a waiting edit, a returned one or a review note never moves it. The open
    # data (app/openreferral) publishes it as last_modified and filters on it.
    public_changed_at = Timestamptz(default=TimestamptzNow(), index=True)
