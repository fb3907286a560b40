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
    leased_until = Timestamptz(null=True, default=None, help_text="Claimed by a worker, working on it until then.")
    dropped_at = Timestamptz(null=True, default=None, help_text="Given up on by the team at /admin/outbox.")


class WorkerJob(Table, tablename="worker_job"):
    """One housekeeping job's schedule, shared by every worker process: who holds it now (a lease that runs out,
    so a worker that died holds nothing up), when it runs next, and how it went the last times."""

    id: Serial
    name = Varchar(length=100, unique=True, required=True)
    every_s = Integer(default=300)
    next_run_at = Timestamptz(default=TimestamptzNow())
    leased_until = Timestamptz(null=True, default=None)
    leased_by = Varchar(length=64, default="")
    last_ok_at = Timestamptz(null=True, default=None)
    last_failed_at = Timestamptz(null=True, default=None)
    last_error = Text(default="", help_text="Scrubbed of email addresses; the exception's type and message only.")
    failures = Integer(default=0, help_text="Failures in a row; 0 after a run that went well.")
