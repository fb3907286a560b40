"""The worker: in-process under `make dev`, its own process in production (`python -m app worker`).

It keeps the search index in step with the database, sends email and web push, and does the housekeeping (closing offers
past their date, reminders, forgetting used sign-in links and old rate-limit windows, settling lost payments,
working figures out again). It drives every domain, so it lives at the root, beside `create_app`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime

from meilisearch_python_sdk import AsyncClient

from app.accounts.service import forget_expired
from app.advisers.nudges import send_weekly
from app.applications.provider import closing_digest
from app.core import ratelimit
from app.feedback.service import ask_after_use
from app.mail.service import deliver_once
from app.offers.editing import close_past
from app.offers.indexing import drop_closed, sync_once
from app.offers.reindex import rebuild_if_lost, settings_or_rebuild
from app.saved import push
from app.saved.alerts import send_alerts
from app.saved.service import remind_closing
from app.settings import Settings
from app.sponsorship.events import reconcile, release_unpaid_invoices
from app.sponsorship.gateway import StripeGateway
from app.uptake import kept
from app.verdicts.invites import ask_once_a_year
from app.verification.reminders import send_reminders

IDLE_S = 0.5
SWEEP_EVERY_S = 300
LOST_CHECK_S = 5  # how often the worker asks whether Meilisearch lost its data (one small request)
log = logging.getLogger("app.worker")
Job = Callable[[], Awaitable[object]]


def housekeeping_jobs(
    search: AsyncClient, settings: Settings, today: date, payments: StripeGateway | None = None
) -> dict[str, Job]:
    """Each sweep's jobs, by name, in the order they run."""
    jobs: dict[str, Job] = {
        "close offers past their date": lambda: close_past(today),
        "verification reminders": lambda: send_reminders(settings, today),
        "closing-soon digest": lambda: closing_digest(settings, today),
        "drop closed offers from search": lambda: drop_closed(search, today),
        "forget expired sign-in links and sessions": forget_expired,
        "forget old rate-limit windows": lambda: ratelimit.forget_old(24 * 3600),
        "release unpaid invoices": lambda: release_unpaid_invoices(datetime.now(UTC)),
        "ask how it went": lambda: ask_after_use(settings),
        "saved offers closing soon": lambda: remind_closing(settings, today),
        "alerts for saved searches": lambda: send_alerts(search, settings, datetime.now(UTC)),
        "weekly nudges for advisers": lambda: send_weekly(settings, today),
        "young people's verdicts, asked once a year": lambda: ask_once_a_year(settings, today),
    }
    if payments is not None:  # card pledges whose webhook never came (`make reconcile` does the same by hand)
        jobs["reconcile card payments"] = lambda: reconcile(settings, payments)
    jobs["work figures out again"] = kept.refresh  # what pages read, where what it counts has changed
    return jobs


async def housekeeping(
    search: AsyncClient, settings: Settings, today: date, payments: StripeGateway | None = None
) -> list[str]:
    """Every job runs, whatever another one does: one that fails is logged and tried again at the next sweep.
    Returns the names of those that failed."""
    failed = []
    for name, job in housekeeping_jobs(search, settings, today, payments).items():
        try:
            await job()
        except Exception:
            log.warning("housekeeping job %r failed; the others go on, and it is tried again next sweep", name,
                        exc_info=True)  # fmt: skip
            failed.append(name)
    return failed


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


async def run(search: AsyncClient, stop: asyncio.Event, settings: Settings, passes: Passes | None = None) -> None:
    """Work until `stop` is set; errors are logged and retried, never fatal (Meilisearch, the database or the
    mail server may be away when it starts, or go away later)."""
    passes = passes or Passes()
    settings_applied = False
    last_lost_check = time.monotonic()
    last_sweep = -float(SWEEP_EVERY_S)
    payments = StripeGateway.from_settings(settings)
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
        if time.monotonic() - last_sweep >= SWEEP_EVERY_S:
            last_sweep = time.monotonic()
            await housekeeping(search, settings, date.today(), payments)
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
async def in_process_worker(search: AsyncClient, settings: Settings, enabled: bool = True) -> AsyncIterator[Passes]:
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
