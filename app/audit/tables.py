"""Who did what to whom. Never free text about a young person."""

from piccolo.columns import JSONB, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.accounts.tables import User
from app.organisations.tables import Organisation


class AuditEntry(Table, tablename="audit_log"):
    id: Serial
    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    action = Varchar(length=60, required=True, index=True)
    organisation = ForeignKey(references=Organisation, null=True, index=True, on_delete=OnDelete.set_null)
    subject_type = Varchar(length=30, default="")
    subject_id = Integer(null=True, default=None)
    detail = JSONB(default={})
