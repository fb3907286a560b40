"""The index follows the database through the outbox, and loses nothing while Meilisearch is away."""

import asyncio
import secrets
import signal
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from meilisearch_python_sdk import AsyncClient

from app.core import db
from app.demo import demo_offers, load_demo
from app.dev.meili import start_meilisearch
from app.offers import indexing as sync
from app.offers.documents import offer_document
from app.offers.indexing import drop_closed, offer_changed, sync_once
from app.offers.tables import Offer, OfferStatus
from app.outbox import service as outbox
from app.outbox.tables import OutboxItem
from app.settings import ROOT, Settings
from app.worker import in_process_worker
from search.client import make_client
from search.normalise import normalise
from search.settings import OFFERS, apply_settings
from tests import factories

TODAY = date.today()


async def _titles(client: AsyncClient, query: str = "") -> set[str]:
    result = await client.index(OFFERS).search(normalise(query), limit=100)
    return {hit["title"] for hit in result.hits}


async def _change(offer: Offer, **fields: object) -> None:
    """What a service does: change the row and enqueue the sync in one transaction."""
    async with db.engine().transaction():
        for name, value in fields.items():
            setattr(offer, name, value)
        await offer.save()
        await offer_changed(offer.id)


async def test_publish_edit_and_close_are_followed(search: AsyncClient) -> None:
    offer = await factories.offer(title="Glassblowing apprentice", status=OfferStatus.draft)
    await _change(offer)
    assert await sync_once(search, TODAY) == 1
    assert await _titles(search) == set(), "a draft is never searchable"

    await _change(offer, status=OfferStatus.published)
    await sync_once(search, TODAY)
    assert await _titles(search, "glassblowing") == {"Glassblowing apprentice"}

    await _change(offer, title="Basketry apprentice")
    await sync_once(search, TODAY)
    assert await _titles(search, "basketry") == {"Basketry apprentice"}
    assert await _titles(search, "glassblowing") == set()

    await _change(offer, status=OfferStatus.closed)
    await sync_once(search, TODAY)
    assert await _titles(search) == set()
    assert await outbox.pending() == 0


async def test_typos_and_synonyms_find_apprenticeships(search: AsyncClient) -> None:
    offer = await factories.offer(title="Carpentry apprenticeship")
    await _change(offer)
    await sync_once(search, TODAY)
    for query in ["aprentiseship", "apprentice", "prentisiaeth"]:
        assert await _titles(search, query) == {"Carpentry apprenticeship"}, query


async def test_offers_past_their_closing_date_drop_out(search: AsyncClient) -> None:
    closing = await factories.offer(title="Closes today", closes_on=TODAY)
    later = await factories.offer(title="Closes next week", closes_on=TODAY + timedelta(days=7))
    for offer in (closing, later):
        await _change(offer)
    await sync_once(search, TODAY)
    assert await _titles(search) == {"Closes today", "Closes next week"}
    await drop_closed(search, TODAY + timedelta(days=1))
    assert await _titles(search) == {"Closes next week"}


async def test_nothing_is_lost_while_meilisearch_is_stopped(tmp_path: Path) -> None:
    own = start_meilisearch(tmp_path / "meili", secrets.token_urlsafe(24))
    port = int(own.url.rsplit(":", 1)[1])
    async with make_client(own.url, own.master_key, timeout_s=1) as client:
        await apply_settings(client)
        own.stop()
        offers = [await factories.offer(title=f"Swimming lesson {n}") for n in range(3)]
        for offer in offers:
            await _change(offer)
        assert await sync_once(client, TODAY) == 0
        assert await outbox.pending() == 3, "the changes wait in the outbox"
        row = await OutboxItem.select(OutboxItem.attempts, OutboxItem.last_error).first()
        assert row["attempts"] == 1 and row["last_error"]

        own = start_meilisearch(tmp_path / "meili", own.master_key, port=port)
        try:
            # One row's backoff is over; the others (after a long outage) would wait minutes more. The first change
            # through says Meilisearch is back, and the rest go on the next run.
            first = min(offer.id for offer in offers)
            await OutboxItem.raw("UPDATE outbox SET available_at = now() + interval '250 seconds'")
            await OutboxItem.raw("UPDATE outbox SET available_at = now() WHERE payload->>'offer_id' = {}", str(first))
            assert await sync_once(client, TODAY) == 1
            assert await sync_once(client, TODAY) == 2
            assert await _titles(client, "swimming") == {f"Swimming lesson {n}" for n in range(3)}
            assert await outbox.pending() == 0
        finally:
            own.stop()


async def test_two_workers_never_take_the_same_rows() -> None:
    for n in range(5):
        await outbox.enqueue("search.offer", {"offer_id": n})
    first, second = await asyncio.gather(outbox.claim("search.offer", 3), outbox.claim("search.offer", 3))
    first, second = sorted([first, second], key=len, reverse=True)
    assert len(first) == 3 and len(second) == 2
    assert {item.id for item in first}.isdisjoint(item.id for item in second)
    assert await outbox.claim("search.offer", 3) == [], "claimed rows are leased, not handed out again"


async def _wait_for_titles(client: AsyncClient, expected: int) -> set[str]:
    """For a worker in another process, which can tell us nothing: look until its documents are there."""
    for _ in range(100):
        titles = await _titles(client)
        if len(titles) >= expected:
            return titles
        await asyncio.sleep(0.1)
    raise AssertionError(f"the index has {len(titles)} offers, not {expected}")


async def test_the_in_process_worker_indexes_the_demo_data(search: AsyncClient, settings: Settings) -> None:
    async with in_process_worker(search, settings) as worker:
        await load_demo(TODAY)
        await worker.caught_up()  # every outbox row sent, and Meilisearch's tasks for them finished
    stats = await search.index(OFFERS).get_stats()
    assert stats.number_of_documents == len(demo_offers(TODAY))


async def test_the_worker_command_syncs_until_stopped(search: AsyncClient) -> None:
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        "worker",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        offer = await factories.offer(title="Gym membership")
        await _change(offer)
        assert await _wait_for_titles(search, 1) == {"Gym membership"}
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(worker.communicate(), 20)
    assert worker.returncode == 0, output.decode()


async def test_one_bad_offer_does_not_hold_up_the_others(search: AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document Meilisearch refuses (here: one that is not valid JSON) fails its whole batch."""

    def document(row: dict[str, object]) -> dict[str, object]:
        made = offer_document(row)
        return made | {"_geo": {"lat": float("nan"), "lng": 0.0}} if row["title"] == "Refused" else made

    monkeypatch.setattr(sync, "offer_document", document)
    good = [await factories.offer(title=f"Good offer {n}") for n in range(2)]
    bad = await factories.offer(title="Refused")
    for offer in [*good, bad]:
        await _change(offer)
    assert await sync_once(search, TODAY) == 3
    assert await _titles(search) == {"Good offer 0", "Good offer 1"}
    left = await OutboxItem.select(OutboxItem.payload, OutboxItem.last_error).where(OutboxItem.done_at.is_null())
    assert len(left) == 1 and left[0]["last_error"], "the bad one waits to be retried, with the reason"
