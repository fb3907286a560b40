import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from app.core import db
from app.dev.meili import start_meilisearch
from search.client import make_client

READY = {"database": "ok", "search": "ok", "migrations": "ok"}


async def test_ready_is_ok_when_database_and_search_answer_and_every_migration_ran(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == READY
    assert response.headers["cache-control"] == "no-store"


async def test_ready_is_503_naming_search_when_meilisearch_is_stopped(
    app: Litestar, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    own = start_meilisearch(tmp_path / "meili", secrets.token_urlsafe(24))
    usual = app.state.search
    app.state.search = make_client(own.url, own.master_key, timeout_s=1)
    try:
        assert (await client.get("/ready")).status_code == 200
        own.stop()
        response = await client.get("/ready")
        assert response.status_code == 503
        assert response.json() == READY | {"search": "down"}
        assert (await client.get("/health")).status_code == 200, "the process itself is still alive"
    finally:
        await app.state.search.aclose()
        app.state.search = usual
        own.stop()


@pytest.fixture
def database_unreachable() -> Iterator[None]:
    """Point the engine at a port where no PostgreSQL listens, then put everything back."""
    engine = db.engine()
    pool, config = engine.pool, engine.config
    engine.pool, engine.config = None, {"dsn": "postgresql://postgres@127.0.0.1:9/none", "timeout": 1}
    yield
    engine.pool, engine.config = pool, config


async def test_ready_is_503_naming_the_database_when_it_is_unreachable(
    client: httpx.AsyncClient, database_unreachable: None
) -> None:
    response = await client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "search": "ok", "migrations": "unknown"}
    health = await client.get("/health")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert health.headers["cache-control"] == "no-store"


async def test_ready_is_503_while_a_migration_has_not_run(client: httpx.AsyncClient) -> None:
    """As a machine with new code would be if the release command had not run the new migration yet."""
    from piccolo.apps.migrations.tables import Migration

    last = await Migration.select().order_by(Migration.name, ascending=False).first()
    assert last is not None
    await Migration.delete().where(Migration.id == last["id"])
    try:
        response = await client.get("/ready")
        assert response.status_code == 503
        assert response.json() == READY | {"migrations": "pending"}
        assert last["name"] not in response.text, "which migration is nobody else's business"
    finally:
        await Migration.insert(Migration(**{k: v for k, v in last.items() if k != "id"}))
    assert (await client.get("/ready")).json() == READY
