"""The `offers` index: its settings live here, in code, and are applied on start and before a reindex."""

from __future__ import annotations

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.models.settings import (
    MeilisearchSettings,
    MinWordSizeForTypos,
    Pagination,
    TypoTolerance,
)

OFFERS = "offers"
PRIMARY_KEY = "id"
TASK_TIMEOUT_MS = 60_000

# Both ways round, so a search for either word finds the other.
_SYNONYM_GROUPS = [
    ["apprentice", "apprenticeship", "apprenticeships", "prentisiaeth", "prentis"],
    ["work experience", "placement", "work placement", "profiad gwaith"],
    ["gym", "leisure centre", "fitness", "canolfan hamdden"],
    ["cinema", "film", "films", "movies", "sinema", "ffilm"],
    ["theatre", "theater", "theatr", "show"],
    ["swimming", "swim", "pool", "nofio"],
    ["internship", "intern", "interniaeth"],
    ["mentor", "mentoring", "mentora"],
    ["job", "work", "swydd", "gwaith"],
]


def _synonyms() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for group in _SYNONYM_GROUPS:
        for word in group:
            table[word] = [other for other in group if other != word]
    return table


SETTINGS = MeilisearchSettings(
    # Order is rank: a hit in the title counts for more than one in the description.
    searchable_attributes=["title", "type", "organisation", "summary", "location", "description"],
    # Only what the search page filters and sorts on: each one costs indexing time and memory.
    filterable_attributes=["type", "principles", "support", "remote", "closes_ts", "_geo"],
    sortable_attributes=["closes_ts", "published_ts", "_geo"],
    # "sort" right after "words": a chosen order (closing, newest, nearest) wins over typo and position,
    # while offers matching every word still come first.
    ranking_rules=["words", "sort", "typo", "proximity", "attribute", "exactness"],
    synonyms=_synonyms(),
    typo_tolerance=TypoTolerance(enabled=True, min_word_size_for_typos=MinWordSizeForTypos(one_typo=4, two_typos=8)),
    pagination=Pagination(max_total_hits=1000),
    search_cutoff_ms=150,
)


async def apply_settings(client: AsyncClient, uid: str = OFFERS) -> None:
    """Create the index if needed and bring its settings to SETTINGS; waits until Meilisearch has done it."""
    index = await client.get_or_create_index(uid, primary_key=PRIMARY_KEY)
    task = await index.update_settings(SETTINGS)
    await client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
