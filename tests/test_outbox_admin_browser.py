"""At phone size: the team reads what keeps failing at /admin/outbox and tries one again (htmx) or drops it (with
JavaScript off), in English and Welsh. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.outbox import jobs
from app.outbox.tables import OutboxItem
from tests.browser import look, signed_in_as
from tests.people import admin

pytestmark = pytest.mark.browser


async def _troubles() -> list[int]:
    rows = await OutboxItem.insert(
        OutboxItem(topic="mail.send", attempts=7, payload={"id": 1},
                   last_error="SMTPServerDisconnected: Connection unexpectedly closed by smtp.relay.example:587"),
        OutboxItem(topic="push.send", attempts=1, done_at=datetime.now(UTC), payload={"subscription": 1},
                   last_error="set aside: push service said 400"),
    ).returning(OutboxItem.id)  # fmt: skip
    await jobs.schedule({"work figures out again": 10, "alerts for saved searches": 300})
    await jobs.take(["alerts for saved searches"], "w")
    await jobs.failed("alerts for saved searches", "w", "TimeoutError: Meilisearch did not answer within 5 s")
    await jobs.take(["work figures out again"], "w")
    await jobs.succeeded("work figures out again", "w")
    return [row["id"] for row in rows]


async def test_the_team_retries_with_htmx_and_drops_without_javascript(
    live_server: str, page: Any, nojs_page: Any
) -> None:
    failing, aside = await _troubles()
    team = await admin()
    await signed_in_as(page, live_server, team)
    await page.goto(f"{live_server}/admin")
    await page.get_by_role("link", name="Outbox and worker").click()
    await page.wait_for_selector("h1:has-text('Outbox and worker')")
    await look(page, "admin-outbox")
    await page.get_by_role("button", name=f"Try again now no. {failing}").click()
    await page.wait_for_selector("text=It will be tried again straight away.")
    assert await page.locator(f"#outbox-{failing}").count() == 0  # no longer failing: back in the queue
    await look(page, "admin-outbox-retried")

    await signed_in_as(nojs_page, live_server, team)
    await nojs_page.goto(f"{live_server}/admin/outbox")
    await nojs_page.get_by_role("button", name=f"Drop it no. {aside}").click()
    await nojs_page.wait_for_selector("text=Dropped: it will not be tried again.")
    assert nojs_page.url.endswith("/admin/outbox?done=dropped")
    assert await nojs_page.locator(f"#outbox-{aside}").count() == 0
    row = await OutboxItem.select(OutboxItem.dropped_at).where(OutboxItem.id == aside).first()
    assert row["dropped_at"] is not None

    await page.goto(f"{live_server}/admin/outbox?lang=cy")
    await page.wait_for_selector("h1:has-text('Blwch anfon a’r gweithiwr')")
    await look(page, "admin-outbox-cy")
