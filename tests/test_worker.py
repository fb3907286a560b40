"""The worker: each housekeeping job on its own schedule, shared by any number of worker processes; one job that
fails never keeps the others from running; a worker stops between jobs; sending stays once-only."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from meilisearch_python_sdk import AsyncClient

from app import worker
from app.core import db
from app.mail import service as mail
from app.outbox import jobs as schedule
from app.outbox import service as outbox
from app.outbox.tables import OutboxItem, WorkerJob
from app.settings import ROOT, Settings
from tests.smtp import LoopbackSMTP


async def test_a_failing_housekeeping_job_does_not_stop_the_others(
    settings: Settings, search: AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    async def broken(today: date) -> int:
        raise RuntimeError("the database went away for a moment")

    async def forgets() -> None:
        ran.append("forget")

    async def refreshes() -> int:
        ran.append("refresh")
        return 0

    monkeypatch.setattr(worker, "close_past", broken)  # the first job of the sweep
    monkeypatch.setattr(worker, "forget_expired", forgets)
    monkeypatch.setattr(worker.kept, "refresh", refreshes)  # the last
    failed = await worker.housekeeping(search, settings, date.today())
    assert failed == ["close offers past their date"]
    assert ran == ["forget", "refresh"]
    assert "close offers past their date" in caplog.text and "the others go on" in caplog.text


# Many workers, one schedule ---------------------------------------------------------------------------------------


def _only(monkeypatch: pytest.MonkeyPatch, jobs: dict[str, worker.Job]) -> None:
    """The worker's housekeeping is these jobs alone."""
    monkeypatch.setattr(worker, "housekeeping_jobs", lambda *args, **kwargs: jobs)


async def _jobs() -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in await WorkerJob.select()}


async def test_two_workers_split_the_jobs_and_run_each_once(
    settings: Settings, search: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []

    def job(name: str) -> worker.Job:
        async def run() -> None:
            ran.append(name)
            await asyncio.sleep(0.05)  # long enough for the other worker to look for work meanwhile

        return run

    _only(monkeypatch, {name: job(name) for name in ("a", "b", "c", "d")})
    first, second = await asyncio.gather(
        worker.housekeeping(search, settings, date.today(), holder="one"),
        worker.housekeeping(search, settings, date.today(), holder="two"),
    )
    assert first == second == []
    assert sorted(ran) == ["a", "b", "c", "d"]
    rows = await _jobs()
    assert all(row["last_ok_at"] and row["leased_until"] is None and row["failures"] == 0 for row in rows.values())
    # Nothing is due again before its interval: a third pass does nothing.
    assert await worker.housekeeping(search, settings, date.today(), holder="three") == []
    assert len(ran) == 4


async def test_a_failing_job_backs_off_and_is_recorded_without_addresses(
    settings: Settings, search: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken() -> None:
        raise RuntimeError("could not write to ffion@example.org")

    async def fine() -> None:
        return None

    _only(monkeypatch, {"broken": broken, "fine": fine})
    assert await worker.housekeeping(search, settings, date.today()) == ["broken"]
    assert await worker.housekeeping(search, settings, date.today()) == []  # backing off, not due
    rows = await _jobs()
    assert rows["broken"]["failures"] == 1 and rows["broken"]["last_failed_at"] is not None
    assert rows["broken"]["last_error"] == "RuntimeError: could not write to <address>"
    waited = rows["broken"]["next_run_at"] - rows["broken"]["last_failed_at"]
    assert 2 * worker.SWEEP_EVERY_S - 1 <= waited.total_seconds() <= 2 * worker.SWEEP_EVERY_S + 1  # twice the interval
    assert rows["fine"]["last_ok_at"] is not None and rows["fine"]["failures"] == 0
    # Due again, it fails again: it waits longer; once it works, it goes back to its interval.
    await WorkerJob.update({WorkerJob.next_run_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        WorkerJob.name == "broken"
    )
    await worker.housekeeping(search, settings, date.today())
    again = (await _jobs())["broken"]
    assert again["failures"] == 2
    assert (again["next_run_at"] - again["last_failed_at"]).total_seconds() >= 4 * worker.SWEEP_EVERY_S - 1
    monkeypatch.setattr(worker, "housekeeping_jobs", lambda *args, **kwargs: {"broken": fine})
    await WorkerJob.update({WorkerJob.next_run_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        WorkerJob.name == "broken"
    )
    await worker.housekeeping(search, settings, date.today())
    healed = (await _jobs())["broken"]
    assert healed["failures"] == 0 and healed["last_ok_at"] > healed["last_failed_at"]


async def test_a_dead_workers_job_is_taken_again_once_its_lease_runs_out() -> None:
    await schedule.schedule({"figures": 10})
    assert await schedule.take(["figures"], "dead") == "figures"
    assert await schedule.take(["figures"], "alive") is None  # held
    await WorkerJob.update({WorkerJob.leased_until: datetime.now(UTC) - timedelta(seconds=1)}, force=True)  # it died
    assert await schedule.take(["figures"], "alive") == "figures"
    await schedule.succeeded("figures", "dead")  # the dead one's word no longer counts
    assert (await _jobs())["figures"]["last_ok_at"] is None
    await schedule.succeeded("figures", "alive")
    assert (await _jobs())["figures"]["last_ok_at"] is not None


async def test_the_worker_stops_between_jobs_and_holds_nothing(
    settings: Settings, search: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop = asyncio.Event()
    ran: list[str] = []

    async def long() -> None:
        ran.append("long")
        stop.set()  # SIGTERM arrives while it runs
        await asyncio.sleep(0.1)

    async def next_one() -> None:
        ran.append("next")

    _only(monkeypatch, {"long": long, "next": next_one})
    await asyncio.wait_for(worker.run(search, stop, settings), 10)
    assert ran == ["long"]  # finished, and nothing after it
    rows = await _jobs()
    assert rows["long"]["last_ok_at"] is not None
    assert all(row["leased_until"] is None and row["leased_by"] == "" for row in rows.values())
    assert await schedule.take(["next"], "another") == "next"  # still due, for whichever worker comes next


async def test_a_worker_cancelled_in_the_middle_of_a_job_gives_it_back(
    settings: Settings, search: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = asyncio.Event()

    async def endless() -> None:
        started.set()
        await asyncio.sleep(3600)

    _only(monkeypatch, {"endless": endless})
    task = asyncio.create_task(worker.housekeeping(search, settings, date.today()))
    await asyncio.wait_for(started.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    row = (await _jobs())["endless"]
    assert row["leased_until"] is None and row["last_ok_at"] is None
    assert await schedule.take(["endless"], "another") == "endless"


async def test_python_m_app_worker_stops_on_sigterm_and_holds_no_lease() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app", "worker", cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        async with asyncio.timeout(60):  # until its first pass has run every job
            while not (rows := await WorkerJob.select()) or any(row["last_ok_at"] is None for row in rows):
                assert process.returncode is None
                await asyncio.sleep(0.2)  # another process: its progress is seen in the database
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert all(row["leased_until"] is None for row in await WorkerJob.select())


# Sending stays once-only with many workers ------------------------------------------------------------------------


async def test_two_workers_at_once_send_every_email_exactly_once(
    settings: Settings, search: AsyncClient, smtp_server: LoopbackSMTP, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "housekeeping_jobs", lambda *args, **kwargs: {})
    monkeypatch.setattr(mail, "BATCH", 3)  # many small claims, so the two workers interleave
    recipients = [f"person{n}@example.org" for n in range(40)]
    async with db.engine().transaction():
        for recipient in recipients:
            await mail.send(recipient, "sign_in", link="https://cyfle.example/sign-in/abc", minutes=15)
    with_smtp = replace(settings, smtp_url=smtp_server.url)
    stop = asyncio.Event()
    passes = [worker.Passes(), worker.Passes()]
    workers = [asyncio.create_task(worker.run(search, stop, with_smtp, each)) for each in passes]
    try:
        await asyncio.gather(*(each.caught_up(60) for each in passes))
    finally:
        stop.set()
        await asyncio.gather(*workers)
    assert await outbox.pending(mail.TOPIC) == 0
    sent = [message["To"] for message in smtp_server.messages]
    assert sorted(sent) == sorted(recipients)  # each once: none lost, none twice
    assert all(each.started > 1 for each in passes)


async def test_a_batch_that_outlives_its_lease_sends_nothing_another_worker_took(
    settings: Settings, smtp_server: LoopbackSMTP, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipients = ["first@example.org", "second@example.org", "third@example.org"]
    async with db.engine().transaction():
        for recipient in recipients:
            await mail.send(recipient, "sign_in", link="https://cyfle.example/sign-in/abc", minutes=15)
    with_smtp = replace(settings, smtp_url=smtp_server.url)
    send = mail._send
    overtaken = False

    async def slow(message: Any, options: Any) -> None:
        nonlocal overtaken
        await send(message, options)
        if not overtaken:  # the first took longer than the lease: the rest's ran out, and another worker came
            overtaken = True
            first = await OutboxItem.select(OutboxItem.id).order_by(OutboxItem.id).first()
            gone = datetime.now(UTC) - timedelta(seconds=1)
            await OutboxItem.update({OutboxItem.available_at: gone, OutboxItem.leased_until: gone}).where(
                OutboxItem.id != first["id"]
            )
            assert await mail.deliver_once(with_smtp) == 2

    monkeypatch.setattr(mail, "_send", slow)
    await mail.deliver_once(with_smtp)
    assert sorted(message["To"] for message in smtp_server.messages) == sorted(recipients)  # each once
    assert await outbox.pending(mail.TOPIC) == 0


# Finished rows are forgotten after 30 days --------------------------------------------------------------------------


async def test_finished_outbox_rows_are_purged_after_30_days() -> None:
    now = datetime.now(UTC)
    await OutboxItem.insert(
        OutboxItem(topic="mail", done_at=now - timedelta(days=31)),
        OutboxItem(topic="mail", done_at=now - timedelta(days=29)),
        OutboxItem(topic="mail", done_at=None, created_at=now - timedelta(days=90)),  # never done: kept
    )
    assert await outbox.purge() == 1
    kept = await OutboxItem.select(OutboxItem.done_at).order_by(OutboxItem.id)
    assert [row["done_at"] is None for row in kept] == [False, True]
    assert "forget finished outbox rows after 30 days" in worker.EVERY_S
