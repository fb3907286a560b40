"""The outbox: work written in the same transaction as the change that needs it, done later, retried until done.

A row is claimed with a lease (SKIP LOCKED, so two claims never take the same row); if the worker dies the lease
runs out and the row is taken again. A failure puts the row back with exponential backoff. Handlers whose order
matters (search sync) also hold an advisory lock so only one worker runs them at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.audit import service as audit
from app.core.redact import scrub
from app.outbox.tables import OutboxItem

LEASE_S = 60
SET_ASIDE_SAYS = "set aside: "  # what last_error starts with for work that can never succeed
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
        UPDATE outbox o SET attempts = o.attempts + 1, available_at = now() + make_interval(secs => {}),
            leased_until = now() + make_interval(secs => {})
        FROM picked WHERE o.id = picked.id
        RETURNING o.id, o.payload, o.attempts
        """,
        topic,
        limit,
        LEASE_S,
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


async def hold(item: Claimed) -> bool:
    """Just before doing one row of a batch (an email, a push): the lease starts again for it, if it is still ours.
    False when it is not: a slow batch outlived its lease and another worker claimed the row again (its attempts
    moved on), or the team dropped it. Whoever does the row checks this first, so two workers never both send it."""
    rows = await OutboxItem.raw(
        "UPDATE outbox SET available_at = now() + make_interval(secs => {}), leased_until = now() + make_interval("
        "secs => {}) WHERE id = {} AND attempts = {} AND done_at IS NULL RETURNING id",
        LEASE_S,
        LEASE_S,
        item.id,
        item.attempts,
    )
    return bool(rows)


async def done(items: list[Claimed]) -> None:
    if items:
        await OutboxItem.raw("UPDATE outbox SET done_at = now() WHERE id = ANY({})", [item.id for item in items])


async def failed(items: list[Claimed], error: str) -> None:
    """Back off exponentially (2^attempts seconds, at most MAX_BACKOFF_S): one statement for the whole batch.
    The error is kept without email addresses (SMTP replies repeat them), here and in set_aside."""
    if items:  # only rows still ours (their attempts unchanged): another worker's lease is left alone
        await OutboxItem.raw(
            "UPDATE outbox o SET available_at = now() + make_interval(secs => LEAST(power(2, o.attempts), {})),"
            " last_error = {}, leased_until = NULL FROM unnest({}::int[], {}::int[]) AS ours(id, attempts)"
            " WHERE o.id = ours.id AND o.attempts = ours.attempts",
            MAX_BACKOFF_S,
            scrub(error)[:2000],
            [item.id for item in items],
            [item.attempts for item in items],
        )


async def back_again(topic: str, items: list[Claimed]) -> int:
    """Work that had failed before went through (`items` were just done): the server it needs is back, so the
    topic's other rows waiting out their backoff are due now, not up to MAX_BACKOFF_S later. How many."""
    if not any(item.attempts > 1 for item in items):  # nothing had failed: no statement in the usual case
        return 0
    rows = await OutboxItem.raw(
        "UPDATE outbox SET available_at = now() WHERE topic = {} AND done_at IS NULL AND leased_until IS NULL"
        " AND available_at > now() AND attempts > 0 RETURNING id",
        topic,
    )
    return len(rows)


async def set_aside(items: list[Claimed], error: str) -> None:
    """Work that can never succeed: finished, with the reason kept in last_error for someone to look at."""
    if items:
        await OutboxItem.raw(
            "UPDATE outbox SET done_at = now(), last_error = {} WHERE id = ANY({})",
            scrub(SET_ASIDE_SAYS + error)[:2000],
            [item.id for item in items],
        )


async def pending(topic: str | None = None) -> int:
    query = OutboxItem.count().where(OutboxItem.done_at.is_null())
    if topic is not None:
        query = query.where(OutboxItem.topic == topic)
    return int(await query)


# Housekeeping and the team's view (/admin/outbox) ---------------------------------------------------------------

KEPT_DAYS = 30
PURGE_BATCH = 5000
TROUBLED_ATTEMPTS = 3  # a row tried this often without success keeps failing
SET_ASIDE = f"{SET_ASIDE_SAYS}%"  # LIKE: how set_aside marks last_error
# Written out, not parameters, so PostgreSQL can use the partial index outbox_troubled (its predicate is the same).
TROUBLED = (
    f"(done_at IS NULL AND attempts >= {TROUBLED_ATTEMPTS}) OR (dropped_at IS NULL AND last_error LIKE 'set aside:%')"
)


async def purge(kept_days: int = KEPT_DAYS) -> int:
    """Forget rows finished more than `kept_days` ago (by the index on done_at), in batches so no statement holds
    many locks for long. Returns how many went."""
    removed = 0
    while True:
        rows = await OutboxItem.raw(
            "WITH old AS MATERIALIZED (SELECT id FROM outbox WHERE done_at < now() - make_interval(days => {})"
            " ORDER BY done_at LIMIT {}) DELETE FROM outbox o USING old WHERE o.id = old.id RETURNING o.id",
            kept_days,
            PURGE_BATCH,
        )
        removed += len(rows)
        if len(rows) < PURGE_BATCH:
            return removed


@dataclass(frozen=True)
class Troubled:
    """A row that keeps failing or was set aside: never its payload, which can hold addresses."""

    id: int
    topic: str
    attempts: int
    created_at: datetime
    available_at: datetime
    set_aside: bool
    last_error: str


async def troubled_count() -> int:
    rows = await OutboxItem.raw(
        f"SELECT count(*) AS n FROM outbox WHERE {TROUBLED}"  # noqa: S608 (constants)
    )
    return int(rows[0]["n"])


async def troubled(limit: int = 200) -> list[Troubled]:
    columns = "id, topic, attempts, created_at, available_at, done_at IS NOT NULL AS set_aside, last_error"
    rows = await OutboxItem.raw(
        f"SELECT {columns} FROM outbox WHERE {TROUBLED} ORDER BY id DESC LIMIT {{}}",  # noqa: S608 (constants)
        limit,
    )
    # Scrubbed again on the way out: rows written before errors were scrubbed, or by other code, may hold more.
    return [Troubled(**(row | {"last_error": scrub(row["last_error"])})) for row in rows]


class BeingTried(Exception):
    """A worker has the row in hand right now: made available again, a second worker could do it twice."""


async def _troubled_in_hand(item_id: int) -> bool:
    """Locks the row if it is troubled, set aside or dropped (never one that was done: retried, it would go twice).
    False if there is no such row; BeingTried if a worker holds it."""
    rows = await OutboxItem.raw(
        "SELECT done_at IS NULL AND coalesce(leased_until > now(), false) AS held FROM outbox WHERE id = {}"
        " AND ((done_at IS NULL AND attempts >= {}) OR last_error LIKE {} OR dropped_at IS NOT NULL) FOR UPDATE",
        item_id,
        TROUBLED_ATTEMPTS,
        SET_ASIDE,
    )
    if rows and rows[0]["held"]:
        raise BeingTried
    return bool(rows)


async def retry(item_id: int, actor: int) -> bool:
    """Try a troubled row again now, from its first backoff; one set aside (or dropped) comes back."""
    return await _by_the_team(
        item_id,
        actor,
        "outbox.retry",
        "UPDATE outbox SET available_at = now(), attempts = 0, done_at = NULL, dropped_at = NULL,"
        " leased_until = NULL WHERE id = {} RETURNING topic",
    )


async def drop(item_id: int, actor: int) -> bool:
    """Give up on a troubled row: finished, marked dropped (purged with the rest after KEPT_DAYS)."""
    return await _by_the_team(
        item_id,
        actor,
        "outbox.drop",
        "UPDATE outbox SET done_at = coalesce(done_at, now()), dropped_at = coalesce(dropped_at, now())"
        " WHERE id = {} RETURNING topic",
    )


async def _by_the_team(item_id: int, actor: int, event: str, change: str) -> bool:
    """A troubled row changed by the team, and audited; False if there is no such row."""
    async with OutboxItem._meta.db.transaction():
        if not await _troubled_in_hand(item_id):
            return False
        rows = await OutboxItem.raw(change, item_id)
        await audit.record(event, actor=actor, subject=("outbox", item_id), topic=rows[0]["topic"])
    return True
