"""The worker: in-process under `make dev`, its own process in production (`python -m app worker`).

It keeps the search index in step with the database, sends email and web push, and does the housekeeping (closing offers
past their date, reminders, forgetting used sign-in links, old rate-limit windows and finished outbox rows, settling
lost payments, working figures out again), each job on its own schedule. Any number of workers may run: they share
the outbox (leased rows) and the jobs (leased schedules, app/outbox/jobs.py). It drives every domain, so it lives at
the root, beside `create_app`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime

from app.accounts.service import forget_expired
from app.advisers.nudges import send_weekly
from app.applications.provider import closing_digest
from app.core import ratelimit
from app.core.i18n import N_
from app.feedback.service import ask_after_use
from app.mail.service import deliver_once
from app.offers.editing import close_past
from app.offers.indexing import drop_closed, sync_once
from app.offers.reindex import rebuild_if_lost, settings_or_rebuild
from app.outbox import jobs as schedule
from app.outbox import service as outbox
from app.saved import push
from app.saved.alerts import send_alerts
from app.saved.service import remind_closing
from app.settings import Settings
from app.sponsorship.events import reconcile, release_unpaid_invoices
from app.sponsorship.gateway import StripeGateway
from app.uptake import kept
from app.verdicts.invites import ask_once_a_year
from app.verification.reminders import send_reminders
from search.client import SearchClient

IDLE_S = 0.5
SWEEP_EVERY_S = 300  # a job's interval unless EVERY_S says otherwise
JOBS_BUDGET_S = 5  # housekeeping takes no new job after this long in one pass, so sending never waits long
LOST_CHECK_S = 5  # how often the worker asks whether Meilisearch lost its data (one small request)
log = logging.getLogger("app.worker")
Job = Callable[[], Awaitable[object]]

# Each job's own interval (seconds). Every worker process shares one schedule (app/outbox/jobs.py): a job runs on
# one worker at a time, and one that fails backs off without holding up the others.
EVERY_S = {
    "work figures out again": 10,  # pages read these: a change should show within seconds
    "forget expired sign-in links and sessions": 3600,
    "forget old rate-limit windows": 3600,
    "forget finished outbox rows after 30 days": 3600,
}


def housekeeping_jobs(
    search: SearchClient, settings: Settings, today: date, payments: StripeGateway | None = None
) -> dict[str, Job]:
    """The housekeeping jobs, by name (N_: the team reads them, translated, at /admin/outbox)."""
    jobs: dict[str, Job] = {
        N_("close offers past their date"): lambda: close_past(today),
        N_("verification reminders"): lambda: send_reminders(settings, today),
        N_("closing-soon digest"): lambda: closing_digest(settings, today),
        N_("drop closed offers from search"): lambda: drop_closed(search, today),
        N_("forget expired sign-in links and sessions"): forget_expired,
        N_("forget old rate-limit windows"): lambda: ratelimit.forget_old(24 * 3600),
        N_("forget finished outbox rows after 30 days"): outbox.purge,
        N_("release unpaid invoices"): lambda: release_unpaid_invoices(datetime.now(UTC)),
        N_("ask how it went"): lambda: ask_after_use(settings),
        N_("saved offers closing soon"): lambda: remind_closing(settings, today),
        N_("alerts for saved searches"): lambda: send_alerts(search, settings, datetime.now(UTC)),
        N_("weekly nudges for advisers"): lambda: send_weekly(settings, today),
        N_("young people's verdicts, asked once a year"): lambda: ask_once_a_year(settings, today),
    }
    if payments is not None:  # card pledges whose webhook never came (`make reconcile` does the same by hand)
        jobs[N_("reconcile card payments")] = lambda: reconcile(settings, payments)
    jobs[N_("work figures out again")] = kept.refresh  # what pages read, where what it counts has changed
    return jobs


def intervals(jobs: dict[str, Job]) -> dict[str, int]:
    return {name: EVERY_S.get(name, SWEEP_EVERY_S) for name in jobs}


async def housekeeping(
    search: SearchClient,
    settings: Settings,
    today: date,
    payments: StripeGateway | None = None,
    *,
    stop: asyncio.Event | None = None,
    holder: str | None = None,
    budget_s: float | None = None,
    scheduled: bool = False,
) -> list[str]:
    """Runs the jobs that are due, one at a time, each taken from the shared schedule so no other worker runs it
    at once. A job that fails is logged, recorded and backs off; the others go on. `stop` is looked at between
    jobs (a job is never cut short). Returns the names of those that failed."""
    jobs = housekeeping_jobs(search, settings, today, payments)
    holder = holder or worker_id()
    if not scheduled:
        await schedule.schedule(intervals(jobs))
    failed = []
    started = time.monotonic()
    while not (stop is not None and stop.is_set()):
        if budget_s is not None and time.monotonic() - started >= budget_s:
            break
        name = await schedule.take(list(jobs), holder)
        if name is None:
            break
        if not await _run_one(name, jobs[name], holder):
            failed.append(name)
    return failed


async def _run_one(name: str, job: Job, holder: str) -> bool:
    """One job under its lease, renewed while it runs; given back if the worker is stopped in the middle."""
    renewing = asyncio.create_task(_renew(name, holder))
    try:
        await job()
    except Exception as exc:
        log.warning("housekeeping job %r failed; the others go on, and it is tried again after a backoff", name,
                    exc_info=True)  # fmt: skip
        await _record(schedule.failed(name, holder, f"{type(exc).__name__}: {exc}"))
        return False
    except BaseException:  # cancelled: another worker may take it at once
        await _record(schedule.give_back(name, holder))
        raise
    finally:
        renewing.cancel()
    await _record(schedule.succeeded(name, holder))
    return True


async def _renew(name: str, holder: str) -> None:
    while True:
        await asyncio.sleep(schedule.RENEW_EVERY_S)
        with contextlib.suppress(Exception):  # the database away for a moment: the next try, or the lease runs out
            await schedule.renew(name, holder)


async def _record(done: Awaitable[None]) -> None:
    try:
        await done
    except Exception:  # the database went away: the lease runs out and the job is taken again
        log.warning("could not record how a housekeeping job went", exc_info=True)


def worker_id() -> str:
    """Who holds a lease: this process on this machine, once per run."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Passes:
    """How far a worker has got, for whoever runs one in-process and wants to wait for it (tests)."""

    def __init__(self) -> None:
        self.started = 0
        self.last_idle = 0  # the last pass that found nothing to do
        self._moved = asyncio.Event()

    def begin(self) -> None:
        self.started += 1

    def found_nothing(self) -> None:
        self.last_idle = self.started
        self._moved.set()

    async def caught_up(self, timeout_s: float = 30) -> None:
        """Until a pass that began after this call found nothing to do: every outbox row sent (Meilisearch done
        with each), every email gone."""
        after = self.started
        async with asyncio.timeout(timeout_s):
            while self.last_idle <= after:
                self._moved.clear()
                await self._moved.wait()


async def run(search: SearchClient, stop: asyncio.Event, settings: Settings, passes: Passes | None = None) -> None:
    """Work until `stop` is set; errors are logged and retried, never fatal (Meilisearch, the database or the
    mail server may be away when it starts, or go away later)."""
    passes = passes or Passes()
    settings_applied = scheduled = False
    last_lost_check = time.monotonic()
    payments = StripeGateway.from_settings(settings)
    holder = worker_id()
    while not stop.is_set():
        passes.begin()
        did = 0
        try:
            if not settings_applied:
                if await settings_or_rebuild(search, date.today()):
                    log.info("search index rebuilt: its documents are made differently now")
                settings_applied = True
            elif time.monotonic() - last_lost_check >= LOST_CHECK_S:
                last_lost_check = time.monotonic()
                if await rebuild_if_lost(search, date.today()):
                    log.warning("Meilisearch had lost the search index: rebuilt it from the database")
        except Exception:
            log.warning("search settings could not be applied; retrying", exc_info=True)
        try:
            await housekeeping(search, settings, date.today(), payments, stop=stop, holder=holder,
                               budget_s=JOBS_BUDGET_S, scheduled=scheduled)  # fmt: skip
            scheduled = True
        except Exception:
            log.warning("housekeeping could not run; retrying", exc_info=True)
        if stop.is_set():
            break
        try:
            did += await sync_once(search, date.today())
        except Exception:
            log.warning("search sync could not run; retrying", exc_info=True)
        try:
            did += await deliver_once(settings)
        except Exception:
            log.warning("mail delivery could not run; retrying", exc_info=True)
        try:
            did += await push.deliver_once(settings)
        except Exception:
            log.warning("web push could not run; retrying", exc_info=True)
        if not did:
            passes.found_nothing()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), IDLE_S)


@contextlib.asynccontextmanager
async def in_process_worker(search: SearchClient, settings: Settings, enabled: bool = True) -> AsyncIterator[Passes]:
    """Under `make dev` the web process also runs the worker."""
    passes = Passes()
    if not enabled:
        yield passes
        return
    stop = asyncio.Event()
    task = asyncio.create_task(run(search, stop, settings, passes))
    try:
        yield passes
    finally:
        stop.set()
        await task
