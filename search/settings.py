"""The `offers` index: its settings live here, in code, and are applied on start and before a reindex."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchApiError
from meilisearch_python_sdk.models.settings import (
    MeilisearchSettings,
    MinWordSizeForTypos,
    Pagination,
    ProximityPrecision,
    TypoTolerance,
)

from search.normalise import keys

OFFERS = "offers"
PRIMARY_KEY = "id"
TASK_TIMEOUT_MS = 60_000

# Words too common to say what someone wants, in both languages (as keys: search/normalise.py). With the
# "frequency" matching strategy they would be dropped first anyway; as stop words they never crowd out a word that
# matters. Negations and "free" are not here: they change what is asked for.
_STOP_WORDS = (
    "a an and are as at be by for from in into is of on or our the their this to was we with you your"
    " something anything some any want wanting looking find me my can do doing get getting become becoming"
    " a ac am ar at gan gyda i o y yr yn mewn eich ein ei fy dy mae sy sydd ydy yw hwn hon hyn ble pa rhywbeth"
    " eisiau chwilio fi"
)


@cache
def stop_words() -> list[str]:
    return sorted(set(keys(_STOP_WORDS)))


def query_words(text: str) -> str:
    """What a search sends: the query's keys without stop words (Meilisearch's "frequency" strategy counts a stop
    word as a word to let go of, so it would keep "to" and drop "talk"), or every key if all are stop words."""
    words = keys(text)
    stop = set(stop_words())
    return " ".join([word for word in words if word not in stop] or words)


SETTINGS = MeilisearchSettings(
    # Order is rank: a hit in the title counts for more than one in the description.
    # The normalised words (app/offers/documents.py), never the displayed ones: a query is normalised the same way.
    searchable_attributes=[
        "match_title",
        "match_title_related",
        "match_type",
        "match_summary",
        "match_words",
        "match_related",
        "match_description",
        "match_location",
        "match_organisation",
    ],
    # Only what the search page and saved searches (published_ts: what is new) filter and sort on: each one costs
    # indexing time and memory.
    filterable_attributes=[
        "facets",  # type, principles, support and commitment as "name:value" (app/offers/documents.py)
        "remote",
        "closes_ts",
        "published_ts",
        "_geo",
        "near",  # the grid's cells an offer lies in, for a search within a radius (app/offers/near.py)
    ],
    sortable_attributes=["closes_ts", "published_ts", "_geo"],
    # What searches read from a hit: a result card (app/offers/query.py CARD_FIELDS) and, for alerts, when it was
    # published. The rest of a document (its words normalised, in both languages) is only searched: Meilisearch
    # turns fewer fields into JSON for each hit (a quarter of the time it took to answer a plain page of twenty).
    displayed_attributes=[
        *("id", "title", "summary", "language", "title_alt", "summary_alt", "organisation", "type", "location"),
        *("remote", "closes_on", "published_ts"),
    ],
    # "sort" right after "words": a chosen order (closing, newest, nearest) wins over typo and position,
    # while offers matching every word still come first.
    ranking_rules=["words", "sort", "typo", "proximity", "attribute", "exactness"],
    stop_words=stop_words(),
    # The words as written are there for a word still being typed (its start), not for typos: the keys have those.
    typo_tolerance=TypoTolerance(
        enabled=True,
        min_word_size_for_typos=MinWordSizeForTypos(one_typo=4, two_typos=8),
        disable_on_attributes=["match_words"],
    ),
    pagination=Pagination(max_total_hits=1000),
    search_cutoff_ms=150,
    # Words near each other count only as "in the same attribute": indexing 100 000 offers with their vocabulary
    # takes far less time, and the judged queries rank as well (make search-quality).
    proximity_precision=ProximityPrecision.BY_ATTRIBUTE,
)


# What the index's documents are made with: when any of it changes, the index is rebuilt (app/offers/reindex.py).
MADE_WITH = [
    Path(__file__).parent / name
    for name in ("folding.py", "welsh.py", "normalise.py", "vocabulary.py", "vocabulary.csv", "lexicon/english.txt")
] + [Path(__file__).parent / "lexicon" / "cy_GB.dic"]
META = "offers_meta"  # one document: the fingerprint the live index was built with


def fingerprint(*more: bytes) -> str:
    """A hash of the index settings and of everything search/ makes documents and queries with (and `more`)."""
    digest = hashlib.sha256(SETTINGS.model_dump_json().encode())
    for path in MADE_WITH:
        digest.update(path.read_bytes())
    for extra in more:
        digest.update(extra)
    return digest.hexdigest()[:16]


async def built_with(client: AsyncClient) -> str | None:
    """The fingerprint the live index was last built with, or None (never recorded, or Meilisearch started empty)."""
    try:
        document = await client.index(META).get_document("offers")
    except MeilisearchApiError:
        return None
    return str(document.get("fingerprint"))


async def record_built_with(client: AsyncClient, value: str) -> None:
    index = await client.get_or_create_index(META, primary_key="id")
    task = await index.add_documents([{"id": "offers", "fingerprint": value}])
    await client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)


async def apply_settings(client: AsyncClient, uid: str = OFFERS) -> None:
    """Create the index if needed and bring its settings to SETTINGS; waits until Meilisearch has done it."""
    index = await client.get_or_create_index(uid, primary_key=PRIMARY_KEY)
    task = await index.update_settings(SETTINGS)
    await client.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
