"""`make reindex`: rebuild the offers index into a fresh one and swap it in, so search never goes empty."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from meilisearch_python_sdk import AsyncClient

from app.offers import documents, near
from app.offers.indexing import TOPIC, push_offers, send_offers, wait_for
from app.offers.service import open_on
from app.offers.tables import Offer
from app.outbox.tables import OutboxItem
from search.keys import search_only_key
from search.settings import (
    OFFERS,
    PRIMARY_KEY,
    TASK_TIMEOUT_MS,
    apply_settings,
    built_with,
    fingerprint,
    record_built_with,
)

BATCH = 5_000
STALE = re.compile(rf"{OFFERS}_\d+")  # a fresh index's name: offers_<time in ns>
Progress = Callable[[int, int], None]


def terminal_progress(done: int, total: int) -> None:
    if not sys.stdout.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} offers")
    sys.stdout.flush()
    if done >= total:
        sys.stdout.write("\n")


async def _searchable_ids(today: date) -> list[int]:
    rows = await Offer.select(Offer.id).where(open_on(today)).order_by(Offer.id)
    return [row["id"] for row in rows]


async def reindex(client: AsyncClient, today: date, progress: Progress | None = None) -> int:
    """Build `offers_<time>` from the database, swap it with `offers`, drop the old one; returns the count."""
    # The database's clock, so outbox rows written by other machines compare fairly.
    started = (await OutboxItem.raw("SELECT clock_timestamp() AS now"))[0]["now"]
    fresh = f"{OFFERS}_{time.time_ns()}"
    await apply_settings(client, fresh)
    ids = await _searchable_ids(today)
    # Send every batch before waiting: Meilisearch queues them and indexes consecutive batches together.
    tasks: list[int] = []
    for start in range(0, len(ids), BATCH):
        tasks += await send_offers(client, ids[start : start + BATCH], today, uid=fresh)
    for done, task_id in enumerate(tasks, start=1):
        await wait_for(client, [task_id])
        if progress:
            progress(min(done * BATCH, len(ids)), len(ids))
    if progress and not ids:
        progress(0, 0)
    await client.get_or_create_index(OFFERS, primary_key=PRIMARY_KEY)  # a swap needs both to exist
    task = await client.swap_indexes([(OFFERS, fresh)])
    await client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
    # Changes the worker may have pushed to the old index while we were building: push them again to the new one.
    recently = (OutboxItem.created_at >= started) | (OutboxItem.done_at >= started) | OutboxItem.done_at.is_null()
    changed = (
        await OutboxItem.select(OutboxItem.payload).where((OutboxItem.topic == TOPIC) & recently).output(load_json=True)
    )
    recent = sorted({int(row["payload"]["offer_id"]) for row in changed})
    if recent:
        await push_offers(client, recent, today)
    task = await client.index(fresh).delete()
    await client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
    await record_built_with(client, made_with())
    await _drop_half_built(client, before=fresh)
    return len(ids)


async def _drop_half_built(client: AsyncClient, before: str) -> None:
    """Fresh indexes older than this one that a reindex left behind when it was stopped or Meilisearch died under
    it (tests/test_faults.py saw them): nothing reads them, and they hold memory and disk."""
    older = [
        index.uid
        for index in await client.get_indexes(limit=1000) or []
        if STALE.fullmatch(index.uid) and int(index.uid.rsplit("_", 1)[1]) < int(before.rsplit("_", 1)[1])
    ]
    for uid in older:
        await client.delete_index_if_exists(uid)


def made_with() -> str:
    """What the offers' documents are made with now: search/'s normaliser, lexicons, vocabulary and settings, and
    app/offers/documents.py with the grid it places offers on (app/offers/near.py)."""
    return fingerprint(*(Path(str(module.__file__)).read_bytes() for module in (documents, near)))


async def settings_or_rebuild(client: AsyncClient, today: date) -> bool:
    """When the worker starts: if the live index was built with other rules (a new vocabulary, normaliser or
    document shape, or none recorded), rebuild it and swap it in; otherwise bring its settings up to date.
    Returns whether it rebuilt."""
    now = made_with()
    if await built_with(client) == now:
        await apply_settings(client)
        return False
    await reindex(client, today)
    return True


async def rebuild_if_lost(client: AsyncClient, today: date) -> bool:
    """While the worker runs: if Meilisearch answers but no longer knows what its live index was built with, it
    started empty (its data lost, or a new machine), so the web process's search key is made again and the index
    built again from the database. Returns whether it rebuilt. A Meilisearch that does not answer raises, and
    nothing is rebuilt."""
    if await built_with(client) is not None:
        return False
    await search_only_key(client)  # the web process's key, made again the same (search/keys.py says how)
    await reindex(client, today)
    return True
