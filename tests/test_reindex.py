import asyncio
import subprocess
import sys
from datetime import date

from meilisearch_python_sdk import AsyncClient

from app.offers.reindex import made_with, reindex, settings_or_rebuild
from app.offers.tables import OfferStatus
from app.settings import ROOT
from search.normalise import normalise
from search.settings import META, OFFERS, built_with, record_built_with
from tests import factories

TODAY = date.today()


async def test_reindex_builds_from_the_database_and_leaves_one_index(search: AsyncClient) -> None:
    for n in range(12):
        await factories.offer(title=f"Open offer {n}")
    await factories.offer(title="Draft", status=OfferStatus.draft)
    await search.create_index(f"{OFFERS}_1700000000000000000")  # half built by a reindex that died
    seen: list[tuple[int, int]] = []
    assert await reindex(search, TODAY, lambda done, total: seen.append((done, total))) == 12
    result = await search.index(OFFERS).search("", limit=100)
    assert {hit["title"] for hit in result.hits} == {f"Open offer {n}" for n in range(12)}
    assert seen[-1] == (12, 12)
    assert [index.uid for index in await search.get_indexes() or []] == [OFFERS, META], "no fresh index left over"


async def test_search_never_goes_empty_during_a_reindex(search: AsyncClient) -> None:
    for n in range(100):
        await factories.offer(title=f"Swimming session {n}")
    await reindex(search, TODAY)
    counts: list[int] = []
    running = True

    async def keep_searching() -> None:
        while running:
            result = await search.index(OFFERS).search(normalise("swimming"), limit=1)
            counts.append(result.estimated_total_hits or 0)

    searcher = asyncio.create_task(keep_searching())
    await reindex(search, TODAY)
    running = False
    await searcher
    assert len(counts) > 5 and min(counts) == 100


def test_reindex_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "reindex"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Reindexed 0 offers" in result.stdout


async def test_the_worker_rebuilds_an_index_made_with_other_rules(search: AsyncClient) -> None:
    offer = await factories.offer(title="Canolfan hamdden: nofio am ddim")
    assert await settings_or_rebuild(search, date.today()), "nothing recorded (a new or emptied Meilisearch): rebuild"
    assert await built_with(search) == made_with()
    assert [hit["id"] for hit in (await search.index(OFFERS).search(normalise("ganolfan"))).hits] == [offer.id]
    assert not await settings_or_rebuild(search, date.today()), "built with today's rules: settings only"
    await record_built_with(search, "an older vocabulary")
    assert await settings_or_rebuild(search, date.today())
