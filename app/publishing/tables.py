"""Published annual reports (each version kept as it was signed, in both languages, page and PDF) and corporate
parenting plans."""

from piccolo.columns import Bytea, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from app.accounts.tables import User
from app.organisations.tables import Organisation
from app.progress.tables import Objective


class PublishedReport(Table, tablename="published_report"):
    id: Serial
    organisation = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    year = Integer(
        required=True, help_text="The reporting year, by the year it starts (2026: April 2026 to March 2027)."
    )
    version = Integer(default=1)
    correction = Text(default="", help_text="What this version changed from the one before (none for the first).")
    signed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    signed_at = Timestamptz(default=TimestamptzNow())
    html_en = Text(default="", help_text="The report's body as signed, rendered in English.")
    html_cy = Text(default="", help_text="The same, in Welsh.")
    pdf_en = Bytea(default=b"")
    pdf_cy = Bytea(default=b"")
    submitted_to = Varchar(length=20, default="", help_text='The nation whose oversight bodies receive it: "wales".')
    submitted_at = Timestamptz(null=True, default=None)
    one_version_each = Unique([organisation, year, version])


class Plan(Table, tablename="parenting_plan"):
    """A corporate parenting plan for three reporting years from `start_year`: the organisation's objectives grouped
    by principle, an action plan for each, and what young people told it and what it changed. Written as a draft,
    signed off by an owner, then kept as published (a revision is a new version)."""

    id: Serial
    organisation = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    start_year = Integer(required=True, help_text="The first of its three reporting years.")
    version = Integer(default=1)
    heard_en = Text(default="", help_text="What young people told us, and what we changed (English).")
    heard_cy = Text(default="", help_text="The same, in Welsh.")
    revision = Text(default="", help_text="What this version changed from the one before (none for the first).")
    signed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    signed_at = Timestamptz(null=True, default=None, help_text="Empty while it is a draft.")
    html_en = Text(default="", help_text="The plan as signed off, rendered in English.")
    html_cy = Text(default="", help_text="The same, in Welsh.")
    created_at = Timestamptz(default=TimestamptzNow())
    one_plan_version_each = Unique([organisation, start_year, version])


class PlanAction(Table, tablename="parenting_plan_action"):
    """What the organisation will do to meet one of its objectives, in a plan."""

    id: Serial
    plan = ForeignKey(references=Plan, null=False, index=True, on_delete=OnDelete.cascade)
    objective = ForeignKey(references=Objective, null=False, on_delete=OnDelete.cascade)
    action_en = Text(default="")
    action_cy = Text(default="")
    one_action_each = Unique([plan, objective])
