"""The outbox: work written in the same transaction as the change that needs it, done later, retried until done.

A row is claimed with a lease (SKIP LOCKED, so two claims never take the same row); if the worker dies the lease
runs out and the row is taken again. A failure puts the row back with exponential backoff. Handlers whose order
matters (search sync) also hold an advisory lock so only one worker runs them at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.core.redact import scrub
from app.outbox.tables import OutboxItem

LEASE_S = 60
MAX_BACKOFF_S = 300


@dataclass(frozen=True)
class Claimed:
    id: int
    payload: dict[str, Any]
    attempts: int


async def enqueue(topic: str, payload: dict[str, Any]) -> None:
    """Call inside the transaction that made the change, so both land or neither does."""
    await OutboxItem.insert(OutboxItem(topic=topic, payload=payload))


async def claim(topic: str, limit: int) -> list[Claimed]:
    # The rows are picked once (a MATERIALIZED CTE, joined): with "WHERE id IN (SELECT ... LIMIT ... SKIP LOCKED)"
    # PostgreSQL may run the subquery again while another worker claims, and hand out more than `limit` rows.
    rows = await OutboxItem.raw(
        """
        WITH picked AS MATERIALIZED (
            SELECT id FROM outbox
            WHERE topic = {} AND done_at IS NULL AND available_at <= now()
            ORDER BY id LIMIT {} FOR UPDATE SKIP LOCKED
        )
        UPDATE outbox o SET attempts = o.attempts + 1, available_at = now() + make_interval(secs => {})
        FROM picked WHERE o.id = picked.id
        RETURNING o.id, o.payload, o.attempts
        """,
        topic,
        limit,
        LEASE_S,
    )
    return [
        Claimed(
            row["id"],
            json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"],
            row["attempts"],
        )
        for row in sorted(rows, key=lambda row: row["id"])
    ]


async def done(items: list[Claimed]) -> None:
    if items:
        await OutboxItem.raw("UPDATE outbox SET done_at = now() WHERE id = ANY({})", [item.id for item in items])


async def failed(items: list[Claimed], error: str) -> None:
    """Back off exponentially (2^attempts seconds, at most MAX_BACKOFF_S): one statement for the whole batch.
    The error is kept without email addresses (SMTP replies repeat them), here and in set_aside."""
    if items:
        await OutboxItem.raw(
            "UPDATE outbox SET available_at = now() + make_interval(secs => LEAST(power(2, attempts), {})),"
            " last_error = {} WHERE id = ANY({})",
            MAX_BACKOFF_S,
            scrub(error)[:2000],
            [item.id for item in items],
        )


async def set_aside(items: list[Claimed], error: str) -> None:
    """Work that can never succeed: finished, with the reason kept in last_error for someone to look at."""
    if items:
        await OutboxItem.raw(
            "UPDATE outbox SET done_at = now(), last_error = {} WHERE id = ANY({})",
            scrub("set aside: " + error)[:2000],
            [item.id for item in items],
        )


async def pending(topic: str | None = None) -> int:
    query = OutboxItem.count().where(OutboxItem.done_at.is_null())
    if topic is not None:
        query = query.where(OutboxItem.topic == topic)
    return int(await query)
