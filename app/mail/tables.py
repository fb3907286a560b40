"""Email waiting to go, or gone. The outbox carries the job; this row carries the message."""

from piccolo.columns import Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class MailMessage(Table, tablename="mail_message"):
    id: Serial
    recipient = Varchar(length=254, required=True)
    subject = Varchar(length=200, required=True)
    body = Text(required=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    sent_at = Timestamptz(null=True, default=None)
    unsubscribe = Varchar(length=500, default="", help_text="One-click unsubscribe address (RFC 8058), if any.")
