"""The housekeeping jobs' schedules, shared by every worker process (`python -m app worker`, as many as run).

A worker takes a job that is due with FOR UPDATE SKIP LOCKED and a lease (LEASE_S, renewed while the job runs),
so no two workers run one job at once and a worker that dies holds it up for LEASE_S at most. After a run the job
is put back with its next time: its own interval after a run that went well; after a failure, twice as long for
each failure in a row (at most an hour, or its interval if that is longer), with the error kept for /admin/outbox.
Times are the database's, so workers on different machines agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.redact import scrub
from app.outbox.service import LEASE_S  # as long as the outbox's rows are held
from app.outbox.tables import WorkerJob

RENEW_EVERY_S = 20
MAX_BACKOFF_S = 3600


@dataclass(frozen=True)
class JobStatus:
    name: str
    every_s: int
    next_run_at: datetime
    running: bool
    last_ok_at: datetime | None
    last_failed_at: datetime | None
    last_error: str
    failures: int


async def schedule(every_s: dict[str, int]) -> None:
    """Each job has its row, with the interval this worker's code gives it (due now if it is new)."""
    await WorkerJob.raw(
        "INSERT INTO worker_job (name, every_s, next_run_at, leased_by, last_error, failures)"
        " SELECT name, every_s, now(), '', '', 0"
        " FROM unnest({}::text[], {}::int[]) WITH ORDINALITY AS j(name, every_s, n) ORDER BY n"
        " ON CONFLICT (name) DO UPDATE SET every_s = EXCLUDED.every_s WHERE worker_job.every_s <> EXCLUDED.every_s",
        list(every_s),
        list(every_s.values()),
    )


async def take(names: list[str], holder: str) -> str | None:
    """The job among `names` that has waited longest past its time and nobody holds, now leased to `holder`."""
    rows = await WorkerJob.raw(
        """
        WITH picked AS MATERIALIZED (
            SELECT id FROM worker_job
            WHERE name = ANY({}) AND next_run_at <= now() AND (leased_until IS NULL OR leased_until < now())
            ORDER BY next_run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
        )
        UPDATE worker_job j SET leased_until = now() + make_interval(secs => {}), leased_by = {}
        FROM picked WHERE j.id = picked.id
        RETURNING j.name
        """,
        names,
        LEASE_S,
        holder,
    )
    return rows[0]["name"] if rows else None


async def renew(name: str, holder: str) -> bool:
    """Still running: the lease runs on. False if it had run out and another worker has the job now."""
    rows = await WorkerJob.raw(
        "UPDATE worker_job SET leased_until = now() + make_interval(secs => {}) WHERE name = {} AND leased_by = {}"
        " RETURNING id",
        LEASE_S,
        name,
        holder,
    )
    return bool(rows)


async def succeeded(name: str, holder: str) -> None:
    await WorkerJob.raw(
        "UPDATE worker_job SET leased_until = NULL, leased_by = '', last_ok_at = now(), failures = 0,"
        " next_run_at = now() + make_interval(secs => every_s) WHERE name = {} AND leased_by = {}",
        name,
        holder,
    )


async def failed(name: str, holder: str, error: str) -> None:
    """Backs off; the error is kept without email addresses (exception messages can quote the data)."""
    await WorkerJob.raw(
        "UPDATE worker_job SET leased_until = NULL, leased_by = '', last_failed_at = now(), failures = failures + 1,"
        " last_error = {}, next_run_at = now() + make_interval(secs => LEAST(every_s * power(2, failures + 1),"
        " GREATEST(every_s, {}))) WHERE name = {} AND leased_by = {}",
        scrub(error)[:500],
        MAX_BACKOFF_S,
        name,
        holder,
    )


async def give_back(name: str, holder: str) -> None:
    """Stopped before the job finished: another worker may take it straight away, at the time it was due."""
    await WorkerJob.raw(
        "UPDATE worker_job SET leased_until = NULL, leased_by = '' WHERE name = {} AND leased_by = {}", name, holder
    )


async def status() -> list[JobStatus]:
    rows = await WorkerJob.raw(
        "SELECT name, every_s, next_run_at, coalesce(leased_until > now(), false) AS running, last_ok_at,"
        " last_failed_at, last_error, failures FROM worker_job ORDER BY failures DESC, name"
    )
    return [JobStatus(**row) for row in rows]
