from enum import StrEnum

from piccolo.columns import JSONB, Array, ForeignKey, OnDelete, Serial, SmallInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from app.accounts.tables import User


class OrganisationKind(StrEnum):
    """Its sector: the corporate parents the charter and the inquiry name, and sponsors."""

    employer = "employer"  # a business
    cultural = "cultural"  # arts and culture
    third_sector = "third_sector"  # a charity or community group
    leisure = "leisure"  # sport and leisure
    council = "council"
    sponsor = "sponsor"
    health = "health"  # NHS bodies
    education = "education"  # schools, colleges, universities
    housing = "housing"  # housing associations
    employment = "employment"  # public employment services
    emergency = "emergency"  # police and fire
    transport = "transport"
    oversight = "oversight"  # a government department or commissioner: reads plans, reports and figures
    platform = "platform"


class Organisation(Table):
    id: Serial  # added by Piccolo; declared for type checkers
    name = Varchar(length=200, required=True)
    slug = Varchar(length=80, unique=True, index=True, required=True)
    kind = Varchar(length=20, choices=OrganisationKind, required=True)
    website = Varchar(length=300, default="")
    council_area = Varchar(length=80, default="", help_text="Gazetteer code of the area it is based in.")
    charity_number = Varchar(length=20, default="")
    company_number = Varchar(length=20, default="")
    pledged_principles = Array(SmallInt(), help_text="Charter principle ids the organisation pledged to.")
    pledged_at = Timestamptz(null=True, default=None)
    pledge_statements = JSONB(
        default={},
        help_text='What it will do for each principle pledged, in its words: {"5": {"en": "...", "cy": "..."}}.',
    )
    approved_at = Timestamptz(null=True, default=None)
    review_note = Text(default="", help_text="Why an admin returned it (or its last change); cleared on approval.")
    proposed = JSONB(
        null=True,
        default=None,
        help_text="Name, kind or area an approved organisation asked to change to: waits for the team.",
    )
    created_at = Timestamptz(default=TimestamptzNow())
    # When what the open data shows of it (name, kind, approval, pledge) last changed: set by a trigger, as offer's.
    public_changed_at = Timestamptz(default=TimestamptzNow())


class MemberRole(StrEnum):
    owner = "owner"
    staff = "staff"
    redeemer = "redeemer"
    verifier = "verifier"  # councils only
    adviser = "adviser"  # councils and leaving-care services (charities): young people link them


class Membership(Table):
    id: Serial
    user = ForeignKey(references=User, null=False, index=True, on_delete=OnDelete.cascade)
    organisation = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    role = Varchar(length=20, choices=MemberRole, required=True)
    created_at = Timestamptz(default=TimestamptzNow())
    one_role_each = Unique([user, organisation])
