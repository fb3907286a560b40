"""/admin/outbox: the team sees work that keeps failing (what and why, never what it says) and the worker's jobs,
and can try a row again or drop it; both are audited, CSRF-protected, and work with htmx and without."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from bs4 import BeautifulSoup

from app.audit.tables import AuditEntry
from app.outbox import jobs
from app.outbox.tables import OutboxItem
from tests.people import admin, post, session_for

PAGE = "/admin/outbox"


async def _team(new_client: Any) -> tuple[int, httpx.AsyncClient]:
    who = await admin()
    client = new_client()
    await session_for(client, who)
    return who, client


async def _row(**fields: Any) -> int:
    fields = {"topic": "mail.send", "payload": {"id": 1, "to": "ffion@example.org"}} | fields
    rows = await OutboxItem.insert(OutboxItem(**fields)).returning(OutboxItem.id)
    return int(rows[0]["id"])


async def test_the_team_sees_what_keeps_failing_and_why_but_never_what_it_says(new_client: Any) -> None:
    failing = await _row(attempts=4, last_error="SMTPServerDisconnected: Connection lost")
    aside = await _row(topic="push.send", attempts=1, done_at=datetime.now(UTC), last_error="set aside: push said 400")
    await _row(attempts=1, last_error="TimeoutError")  # tried once: not yet a worry
    await _row(attempts=5, done_at=datetime.now(UTC))  # went in the end
    await _row(attempts=9, last_error="refused <ffion@example.org>")  # from before errors were scrubbed
    await jobs.schedule({"close offers past their date": 300})
    await jobs.take(["close offers past their date"], "w")
    await jobs.failed("close offers past their date", "w", "OperationalError: could not reach gwen@example.org")
    _, client = await _team(new_client)
    response = await client.get(PAGE)
    assert response.status_code == 200
    assert "ffion@example.org" not in response.text and '"to"' not in response.text  # the payload never shows
    assert "gwen@example.org" not in response.text and "&lt;address&gt;" in response.text
    page = BeautifulSoup(response.text, "html.parser")
    items = {int(str(item["aria-labelledby"]).removeprefix("outbox-")): item for item in page.select(".outbox-item")}
    assert set(items) == {failing, aside, failing + 4}
    assert "Email" in items[failing].h3.text and "Connection lost" in items[failing].text
    assert "Set aside" in items[aside].h3.text and "Notification on a phone" in items[aside].h3.text
    row = page.find(lambda tag: tag.name == "th" and "close offers past their date" in tag.text)
    assert row is not None and row.find_parent("tr").select_one(".tag--urgent").text == "1"
    home = BeautifulSoup((await client.get("/admin")).text, "html.parser")
    link = home.find("a", href=PAGE)
    assert link is not None and "3 failing" in link.parent.text


async def test_try_again_makes_it_available_now_and_is_audited(new_client: Any) -> None:
    failing = await _row(attempts=6, available_at=datetime.now(UTC) + timedelta(minutes=5), last_error="Timeout")
    aside = await _row(attempts=1, done_at=datetime.now(UTC), last_error="set aside: bad header")
    who, client = await _team(new_client)
    response = await post(client, f"{PAGE}/{failing}/retry")
    assert response.status_code == 303 and response.headers["location"] == f"{PAGE}?done=retried"
    assert "tried again straight away" in (await client.get(response.headers["location"])).text
    row = await OutboxItem.select().where(OutboxItem.id == failing).first()
    assert row["attempts"] == 0 and row["available_at"] <= datetime.now(UTC) and row["done_at"] is None
    await post(client, f"{PAGE}/{aside}/retry")
    row = await OutboxItem.select().where(OutboxItem.id == aside).first()
    assert row["done_at"] is None and row["available_at"] <= datetime.now(UTC)  # set aside no more
    logged = await AuditEntry.select(AuditEntry.action, AuditEntry.actor, AuditEntry.subject_id).order_by(AuditEntry.id)
    assert logged == [
        {"action": "outbox.retry", "actor": who, "subject_id": failing},
        {"action": "outbox.retry", "actor": who, "subject_id": aside},
    ]


async def test_drop_finishes_it_for_good_and_is_audited(new_client: Any) -> None:
    failing = await _row(attempts=6, last_error="Timeout")
    who, client = await _team(new_client)
    response = await post(client, f"{PAGE}/{failing}/drop")
    assert response.status_code == 303 and response.headers["location"] == f"{PAGE}?done=dropped"
    row = await OutboxItem.select().where(OutboxItem.id == failing).first()
    assert row["done_at"] is not None and row["dropped_at"] is not None
    page = await client.get(f"{PAGE}?done=dropped")
    assert f'id="outbox-{failing}"' not in page.text and "Dropped" in page.text
    [logged] = await AuditEntry.select(AuditEntry.action, AuditEntry.actor)
    assert logged == {"action": "outbox.drop", "actor": who}


async def test_what_went_or_is_in_hand_cannot_be_tried_again(new_client: Any) -> None:
    sent = await _row(attempts=5, done_at=datetime.now(UTC), last_error="Timeout")  # went: again would send twice
    young = await _row(attempts=1, last_error="Timeout")  # not troubled
    held = await _row(attempts=4, last_error="Timeout", leased_until=datetime.now(UTC) + timedelta(seconds=50))
    _, client = await _team(new_client)
    for row in (sent, young):
        for action in ("retry", "drop"):
            assert (await post(client, f"{PAGE}/{row}/{action}")).status_code == 404
    response = await post(client, f"{PAGE}/{held}/retry")
    assert response.status_code == 409 and "trying it right now" in response.text
    assert (await OutboxItem.select().where(OutboxItem.id == held).first())["attempts"] == 4
    assert await AuditEntry.count() == 0


async def test_retry_and_drop_need_the_forms_token(new_client: Any) -> None:
    failing = await _row(attempts=6, last_error="Timeout")
    _, client = await _team(new_client)
    for action in ("retry", "drop"):
        assert (await client.post(f"{PAGE}/{failing}/{action}", data={})).status_code == 403
    row = await OutboxItem.select().where(OutboxItem.id == failing).first()
    assert row["attempts"] == 6 and row["dropped_at"] is None


async def test_with_htmx_the_page_answers_with_its_content_alone(new_client: Any) -> None:
    failing = await _row(attempts=6, last_error="Timeout")
    _, client = await _team(new_client)
    fragment = await client.get(f"{PAGE}?done=retried", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "tried again straight away" in fragment.text
    page = BeautifulSoup((await client.get(PAGE)).text, "html.parser")
    form = page.select_one(f"#outbox-{failing}").find_parent("article").select_one("form")
    assert form["method"] == "post" and form["action"] == form["hx-post"] == f"{PAGE}/{failing}/retry"
    assert form.select_one("input[name=_csrf_token]") is not None


async def test_the_page_is_in_welsh_too(new_client: Any) -> None:
    await _row(attempts=6, last_error="Timeout")
    await jobs.schedule({"work figures out again": 10})
    _, client = await _team(new_client)
    page = BeautifulSoup((await client.get(f"{PAGE}?lang=cy")).text, "html.parser")
    assert page.h1.text != "Outbox and worker"
    assert "work figures out again" not in page.text and "Try again now" not in page.text
