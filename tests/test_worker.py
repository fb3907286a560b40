"""The worker's housekeeping: one job that fails never keeps the others from running."""

from __future__ import annotations

from datetime import date

import pytest
from meilisearch_python_sdk import AsyncClient

from app import worker
from app.settings import Settings


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
