from enum import StrEnum

from piccolo.columns import Array, Serial, SmallInt, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OrganisationKind(StrEnum):
    employer = "employer"
    cultural = "cultural"
    third_sector = "third_sector"
    leisure = "leisure"
    council = "council"
    sponsor = "sponsor"
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
    approved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
