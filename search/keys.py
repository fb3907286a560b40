"""The key the web process searches with: it may only search the offers index. Only the worker and `reindex`,
which write to Meilisearch, hold the master key."""

from __future__ import annotations

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.models.client import KeyCreate

from search.settings import OFFERS

SEARCH_KEY_NAME = "cyfle-web-search"
SEARCH_ACTIONS = ["search"]
SEARCH_INDEXES = [OFFERS]  # a reindex swaps a fresh index in under this name, so the key keeps working


async def search_only_key(master: AsyncClient) -> str:
    """The search-only key, created with the master key the first time and found again afterwards."""
    offset, page = 0, 100
    while True:
        found = await master.get_keys(offset=offset, limit=page)
        for key in found.results:
            if (
                key.name == SEARCH_KEY_NAME
                and key.actions == SEARCH_ACTIONS
                and key.indexes == SEARCH_INDEXES
                and key.expires_at is None
            ):
                return key.key
        offset += page
        if offset >= found.total:
            break
    created = await master.create_key(
        KeyCreate(
            name=SEARCH_KEY_NAME,
            description="Cyfle's web process: searches the offers index, nothing else.",
            actions=SEARCH_ACTIONS,
            indexes=SEARCH_INDEXES,
            expires_at=None,
        )
    )
    return created.key
