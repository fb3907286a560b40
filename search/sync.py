"""Keeping the `offers` index in step with the database: the outbox handler and the closing-date sweep."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from meilisearch_python_sdk import AsyncClient

from app.offers.tables import Offer
from app.outbox import service as outbox
from search.documents import day_ts, is_searchable, offer_document
from search.settings import OFFERS, PRIMARY_KEY, TASK_TIMEOUT_MS

TOPIC = "search.offer"
BATCH = 500
log = logging.getLogger("search.sync")


async def offer_changed(offer_id: int) -> None:
    """Call in the transaction that changed the offer: the worker will bring the index up to date."""
    await outbox.enqueue(TOPIC, {"offer_id": offer_id})


async def offer_rows(ids: list[int]) -> list[dict[str, Any]]:
    return await Offer.select(*Offer.all_columns(), Offer.organisation.name.as_alias("organisation_name")).where(
        Offer.id.is_in(ids)
    )


async def send_offers(client: AsyncClient, ids: list[int], today: date, uid: str = OFFERS) -> list[int]:
    """Send what the database says now about these offers (each read fresh, so the latest wins); returns the
    Meilisearch task ids, which the caller waits for."""
    rows = {row["id"]: row for row in await offer_rows(ids)}
    upserts = [offer_document(row) for row in rows.values() if is_searchable(row, today)]
    deletes = [str(offer_id) for offer_id in ids if offer_id not in rows or not is_searchable(rows[offer_id], today)]
    index = client.index(uid)
    tasks = []
    if upserts:
        tasks.append(await index.add_documents(upserts, primary_key=PRIMARY_KEY))
    if deletes:
        tasks.append(await index.delete_documents(deletes))
    return [task.task_uid for task in tasks]


async def wait_for(client: AsyncClient, task_ids: list[int]) -> None:
    for task_id in task_ids:
        await client.wait_for_task(task_id, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)


async def push_offers(client: AsyncClient, ids: list[int], today: date, uid: str = OFFERS) -> None:
    """Send these offers and wait until Meilisearch has applied them."""
    await wait_for(client, await send_offers(client, ids, today, uid))


async def sync_once(client: AsyncClient, today: date) -> int:
    """Push one batch of changed offers; returns how many outbox rows it took (0 when there was nothing)."""
    items = await outbox.claim(TOPIC, BATCH)
    if not items:
        return 0
    ids = sorted({int(item.payload["offer_id"]) for item in items})
    try:
        await push_offers(client, ids, today)
    except Exception as exc:  # Meilisearch away or refusing: keep the rows and try again later
        log.warning("search sync failed for %d offers, will retry: %s", len(ids), exc)
        await outbox.failed(items, f"{type(exc).__name__}: {exc}")
        return 0
    await outbox.done(items)
    return len(items)


async def drop_closed(client: AsyncClient, today: date, uid: str = OFFERS) -> None:
    """Offers whose closing date has passed leave the index (searches also filter them out meanwhile)."""
    index = client.index(uid)
    task = await index.delete_documents_by_filter(f"closes_ts < {day_ts(today)}")
    await client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
