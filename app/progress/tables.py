"""An organisation's SMART objectives: a measure, a target, a deadline and the charter principle it serves."""

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Serial, SmallInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.accounts.tables import User
from app.organisations.tables import Organisation


class Objective(Table):
    id: Serial
    organisation = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    principle = SmallInt(required=True)
    measure = Varchar(length=20, required=True, help_text="One of app.uptake.measures.PEOPLE_COUNTS or offers.")
    offer_type = Varchar(length=20, default="", help_text="Counts only this type of offer; empty: every type.")
    target = Integer(required=True)
    deadline = Date(required=True)
    note = Text(default="", help_text="How the organisation means to get there.")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
