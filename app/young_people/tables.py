"""A young person's profile: the least we need to match them with offers and their council. Nothing about their
care history is asked or kept, ever."""

from piccolo.columns import Boolean, Date, ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.accounts.tables import User


class YoungPerson(Table, tablename="young_person"):
    id: Serial
    user = ForeignKey(references=User, null=False, unique=True, on_delete=OnDelete.cascade)
    date_of_birth = Date(required=True)
    home_council = Varchar(length=20, required=True, help_text="Gazetteer code of their council area.")
    email_updates = Boolean(default=True, help_text="Email about things they started here.")
    created_at = Timestamptz(default=TimestamptzNow())
