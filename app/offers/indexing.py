"""Keeping the `offers` index in step with the database: the outbox handler and the closing-date sweep."""

from __future__ import annotations

import logging
from datetime import date
from typing import cast

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchApiError, MeilisearchTaskFailedError

from app.core.db import engine
from app.offers.documents import day_ts, is_searchable, offer_document
from app.offers.rows import NamedOfferRow
from app.offers.tables import Offer
from app.outbox import service as outbox
from app.outbox.tables import OutboxItem
from search.settings import OFFERS, PRIMARY_KEY, TASK_TIMEOUT_MS

TOPIC = "search.offer"
LOCK_KEY = 7_301_001  # the advisory lock that makes search sync one worker at a time
BATCH = 500
log = logging.getLogger(__name__)  # app.offers.indexing: under app.*, whose lines lose email addresses


async def offer_changed(offer_id: int) -> None:
    """Call in the transaction that changed the offer: the worker will bring the index up to date."""
    await outbox.enqueue(TOPIC, {"offer_id": offer_id})


async def offer_rows(ids: list[int]) -> list[NamedOfferRow]:
    rows = await Offer.select(*Offer.all_columns(), Offer.organisation.name.as_alias("organisation_name")).where(
        Offer.id.is_in(ids)
    )
    return cast(list[NamedOfferRow], rows)


async def send_offers(client: AsyncClient, ids: list[int], today: date, uid: str = OFFERS) -> list[int]:
    """Send what the database says now about these offers (each read fresh, so the latest wins); returns the
    Meilisearch task ids, which the caller waits for."""
    rows = {row["id"]: row for row in await offer_rows(ids)}
    upserts = [{**offer_document(row)} for row in rows.values() if is_searchable(row, today)]
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
    """Push one batch of changed offers; returns how many outbox rows it took (0 when there was nothing).

    A transaction-scoped advisory lock lets one worker at a time do this, so an older read of an offer can never
    be sent after a newer one, however many processes run a worker."""
    items: list[outbox.Claimed] = []
    async with engine().transaction():
        locked = await OutboxItem.raw("SELECT pg_try_advisory_xact_lock({}) AS locked", LOCK_KEY)
        if locked[0]["locked"]:
            items = await outbox.claim(TOPIC, BATCH)
        if not items:
            return 0
        try:
            await push_offers(client, sorted({_offer_id(item) for item in items}), today)
        except (MeilisearchApiError, MeilisearchTaskFailedError):
            # Meilisearch refused the batch, which one bad document is enough for: send offers one at a time so
            # the rest get through and only the bad one waits to be retried.
            await _one_at_a_time(client, items, today)
        except Exception as exc:  # Meilisearch away: keep the rows and try again later
            log.warning("search sync failed for %d changes, will retry: %s", len(items), type(exc).__name__)
            await outbox.failed(items, f"{type(exc).__name__}: {exc}")
            return 0
        else:
            await outbox.done(items)
            await outbox.back_again(TOPIC, items)  # Meilisearch is back: changes waiting to retry go now
    return len(items)


def _offer_id(item: outbox.Claimed) -> int:
    return int(item.payload["offer_id"])


async def _one_at_a_time(client: AsyncClient, items: list[outbox.Claimed], today: date) -> None:
    for offer_id in sorted({_offer_id(item) for item in items}):
        group = [item for item in items if _offer_id(item) == offer_id]
        try:
            await push_offers(client, [offer_id], today)
        except Exception as exc:
            log.warning("search sync refused offer %d, will retry: %s", offer_id, type(exc).__name__)
            await outbox.failed(group, f"{type(exc).__name__}: {exc}")
        else:
            await outbox.done(group)


async def drop_closed(client: AsyncClient, today: date, uid: str = OFFERS) -> None:
    """Offers whose closing date has passed leave the index (searches also filter them out meanwhile)."""
    index = client.index(uid)
    task = await index.delete_documents_by_filter(f"closes_ts < {day_ts(today)}")
    await client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
