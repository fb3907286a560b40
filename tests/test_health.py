import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from app.core import db
from app.dev.meili import start_meilisearch
from search.client import make_client


async def test_health_is_ok_when_database_and_search_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "search": "ok"}
    assert response.headers["cache-control"] == "no-store"


async def test_health_is_503_naming_search_when_meilisearch_is_stopped(
    app: Litestar, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    own = start_meilisearch(tmp_path / "meili", secrets.token_urlsafe(24))
    usual = app.state.search
    app.state.search = make_client(own.url, own.master_key, timeout_s=1)
    try:
        assert (await client.get("/health")).status_code == 200
        own.stop()
        response = await client.get("/health")
        assert response.status_code == 503
        assert response.json() == {"database": "ok", "search": "down"}
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


async def test_health_is_503_naming_the_database_when_it_is_unreachable(
    client: httpx.AsyncClient, database_unreachable: None
) -> None:
    response = await client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "search": "ok"}
