from piccolo.columns import JSONB, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxItem(Table, tablename="outbox"):
    """Work that must not be lost (search updates, emails, Stripe follow-ups), written in the same
    transaction as the change that caused it and done by a worker that retries with backoff."""

    id: Serial  # added by Piccolo; declared for type checkers
    topic = Varchar(length=50, required=True, index=True)
    payload = JSONB(default={})
    created_at = Timestamptz(default=TimestamptzNow())
    available_at = Timestamptz(default=TimestamptzNow(), index=True, help_text="Not tried before this time.")
    attempts = Integer(default=0)
    last_error = Text(default="")
    done_at = Timestamptz(null=True, default=None, index=True)
