"""The key the web process searches with: it may only search the offers index. Only the worker and `reindex`,
which write to Meilisearch, hold the master key."""

from __future__ import annotations

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchApiError
from meilisearch_python_sdk.models.client import KeyCreate

from search.settings import OFFERS

SEARCH_KEY_NAME = "cyfle-web-search"
# Meilisearch makes a key from its uid and the master key, so a fixed uid gives the same key every time it is made
# with the same master key: a Meilisearch that lost its data (made again, restored from nothing) gets the key back
# from the worker's rebuild, and MEILI_SEARCH_KEY keeps working.
SEARCH_KEY_UID = "6062abda-a5aa-4414-ac91-ecd7944c0f8d"
SEARCH_ACTIONS = ["search"]
SEARCH_INDEXES = [OFFERS]  # a reindex swaps a fresh index in under this name, so the key keeps working


class _KeyCreate(KeyCreate):
    """The SDK's key request, with the uid Meilisearch accepts but the SDK's model leaves out."""

    uid: str


async def search_only_key(master: AsyncClient) -> str:
    """The search-only key, created with the master key the first time and found again afterwards."""
    try:
        return (await master.get_key(SEARCH_KEY_UID)).key
    except MeilisearchApiError as exc:
        if exc.status_code != 404:
            raise
    created = await master.create_key(
        _KeyCreate(
            uid=SEARCH_KEY_UID,
            name=SEARCH_KEY_NAME,
            description="Cyfle's web process: searches the offers index, nothing else.",
            actions=SEARCH_ACTIONS,
            indexes=SEARCH_INDEXES,
            expires_at=None,
        )
    )
    return created.key
