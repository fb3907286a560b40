"""Health of the parts the app cannot work without."""

import asyncio

from meilisearch_python_sdk import AsyncClient

from app.core import db
from search.client import is_healthy as search_is_healthy


async def health_report(search: AsyncClient) -> dict[str, str]:
    database_ok, search_ok = await asyncio.gather(db.is_healthy(), search_is_healthy(search))
    return {"database": "ok" if database_ok else "down", "search": "ok" if search_ok else "down"}


def is_healthy(report: dict[str, str]) -> bool:
    return all(state == "ok" for state in report.values())
