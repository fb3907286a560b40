"""Published annual reports: each version kept as it was signed, in both languages, page and PDF."""

from piccolo.columns import Bytea, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from app.accounts.tables import User
from app.organisations.tables import Organisation


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
