"""The /open-data page and the search's feed link, on a phone, in English and Welsh, checked with axe-core."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from meilisearch_python_sdk import AsyncClient

from app.offers.reindex import reindex
from tests import factories
from tests.browser import look

pytestmark = pytest.mark.browser


async def test_open_data_reads_well_on_a_phone_in_both_languages(live_server: str, page: Any) -> None:
    for lang in ("en", "cy"):
        response = await page.goto(f"{live_server}/open-data?lang={lang}")
        assert response.status == 200
        await look(page, f"open-data-{lang}")
    await page.goto(f"{live_server}/?lang=en")
    await page.locator(".site-footer").get_by_role("link", name="Open data").click()
    await page.wait_for_url("**/open-data")


async def test_the_feed_link_follows_the_search_as_it_changes(live_server: str, page: Any, search: AsyncClient) -> None:
    for title in ("Boat building apprenticeship", "Sailing taster", "Boat repair internship"):
        await factories.offer(title=title, location_name="Swansea", latitude=51.62, longitude=-3.94)
    await reindex(search, date.today())
    await page.goto(f"{live_server}/offers?q=boat&lang=en")
    feed = page.get_by_role("link", name="Follow in a feed reader")
    assert await feed.get_attribute("href") == "/offers.atom?q=boat&lang=en"
    await look(page, "search-feed-link")
    await page.locator("#q").fill("sailing")
    await page.wait_for_url("**/offers?q=sailing")
    assert await feed.get_attribute("href") == "/offers.atom?q=sailing&lang=en"
    head = page.locator("head link[type='application/atom+xml']")
    assert await head.count() == 1
    assert await head.get_attribute("href") == "/offers.atom?q=sailing&lang=en"
    assert await head.get_attribute("title") == "Cyfle: sailing"
    await page.goto(f"{live_server}/offers?q=boat&lang=cy")
    assert await page.get_by_role("link", name="Dilyn mewn darllenydd ffrydiau").get_attribute("href") == (
        "/offers.atom?q=boat&lang=cy"
    )
    await look(page, "search-feed-link-cy")
