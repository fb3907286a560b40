"""Whether the process is alive, and whether it is ready: the parts the app cannot work without answer, and the
database has every migration this code expects."""

import asyncio

from meilisearch_python_sdk import AsyncClient

from app.core import db
from search.client import is_healthy as search_is_healthy


async def ready_report(search: AsyncClient) -> dict[str, str]:
    """Only words anyone may read: no address, version, error text or migration name."""
    database_ok, search_ok, pending = await asyncio.gather(
        db.is_healthy(), search_is_healthy(search), db.pending_migrations()
    )
    migrations = "unknown" if pending is None else "ok" if pending == 0 else "pending"
    return {
        "database": "ok" if database_ok else "down",
        "search": "ok" if search_ok else "down",
        "migrations": migrations,
    }


def is_ready(report: dict[str, str]) -> bool:
    return all(state == "ok" for state in report.values())
