"""The Piccolo engine, pointed at the database the settings name."""

import asyncio
import functools
from collections.abc import Awaitable
from typing import Any

from asyncpg import Connection
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

HEALTH_TIMEOUT_S = 2.0
MAX_ID = 2**31 - 1  # ids are serial (int4) columns: a bigger number in a URL cannot name a row


def engine() -> PostgresEngine:
    found = engine_finder()
    if not isinstance(found, PostgresEngine):
        raise RuntimeError("piccolo_conf must define a PostgresEngine")
    return found


def configure(database_url: str) -> PostgresEngine:
    """Tables find the engine at import; its DSN is read only on connect, so it can be set here."""
    db = engine()
    db.config = {"dsn": database_url}
    return db


async def keep_session(connection: Connection) -> None:
    """The pool's reset when a connection goes back: nothing. The default (RESET ALL, UNLISTEN, unlock advisory
    locks) costs a round trip on every query, and the app never leaves session state behind: settings are SET
    LOCAL and advisory locks are transaction locks. asyncpg still rolls back an open transaction itself."""


WORKER_POOL = {"min_size": 0, "max_size": 2, "reset": keep_session}  # the worker's connections


async def together(*reads: Awaitable[Any]) -> list[Any]:
    """Reads that do not depend on each other, at once on the pool's connections: a page waits for the slowest, not
    for their sum of round trips (under load, each round trip waits its turn on a busy event loop too). Inside a
    transaction, which has one connection, one after another."""
    if engine().transaction_exists():
        return [await read for read in reads]
    running = [asyncio.ensure_future(read) for read in reads]
    try:
        return list(await asyncio.gather(*running))
    except BaseException:  # one failed (or the request was cancelled): the others give back their connections
        for task in running:
            task.cancel()
        raise


async def is_healthy() -> bool:
    try:
        await asyncio.wait_for(engine().run_ddl("SELECT 1"), HEALTH_TIMEOUT_S)
    except Exception:  # any failure to reach the database means "down" to the health check
        return False
    return True


@functools.cache
def _migrations_in_code() -> frozenset[tuple[str, str]]:
    """(app, migration id) of every migration file, as Piccolo finds them; read once, as the code does not change
    while the process runs."""
    from piccolo.apps.migrations.commands.base import BaseMigrationManager

    manager = BaseMigrationManager()
    return frozenset(
        (config.app_name, migration_id)
        for config in manager.get_app_configs()
        for migration_id in manager.get_migration_modules(config.resolved_migrations_folder_path)
    )


async def pending_migrations() -> int | None:
    """How many of this code's migrations the database has not run (Piccolo's own record), or None when the
    database cannot say. Migrations newer than the code (a deploy's release command ran them before this process
    was replaced) are not pending: the old code works with them."""
    from piccolo.apps.migrations.tables import Migration

    async def count() -> int:
        in_code = await asyncio.to_thread(_migrations_in_code)  # the first call imports the files
        if not await Migration.table_exists():
            return len(in_code)
        ran = await Migration.select(Migration.app_name, Migration.name)
        return len(in_code - {(row["app_name"], row["name"]) for row in ran})

    try:
        return await asyncio.wait_for(count(), HEALTH_TIMEOUT_S)
    except Exception:  # the database is away or too slow: the readiness check says it cannot tell
        return None


async def migrate(database_url: str) -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from app.core.startup import StartupError

    configure(database_url)
    result = await run_forwards("all")
    if not result.success:
        raise StartupError(f"Migrations failed: {result.message}")
