"""Applications: a young person asks for a place; the provider moves them through stages, with a history."""

from enum import StrEnum

from piccolo.columns import ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from app.accounts.tables import User
from app.offers.tables import Offer
from app.young_people.tables import YoungPerson


class Stage(StrEnum):
    new = "new"
    in_review = "in_review"
    contacted = "contacted"
    offered = "offered"
    started = "started"
    completed = "completed"
    unsuccessful = "unsuccessful"
    withdrawn = "withdrawn"


class ContactBy(StrEnum):
    email = "email"
    phone = "phone"


class Application(Table):
    id: Serial
    offer = ForeignKey(references=Offer, null=False, index=True, on_delete=OnDelete.cascade)
    young_person = ForeignKey(references=YoungPerson, null=False, index=True, on_delete=OnDelete.cascade)
    message = Text(default="", help_text="What they chose to tell the provider.")
    contact_by = Varchar(length=10, choices=ContactBy, default=ContactBy.email)
    phone = Varchar(length=20, default="", help_text="Only when they asked to be phoned.")
    stage = Varchar(length=20, choices=Stage, default=Stage.new, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    one_each = Unique([offer, young_person])


class StageChange(
    Table, tablename="application_history"
):  # not "application_stage": that is the name of the index on application.stage
    """The history of an application: every stage it went through, when and by whom."""

    id: Serial
    application = ForeignKey(references=Application, null=False, index=True, on_delete=OnDelete.cascade)
    stage = Varchar(length=20, choices=Stage, required=True)
    at = Timestamptz(default=TimestamptzNow())
    by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
