"""Finding an offer on a phone: as you type, with filters and a place, Back, and with JavaScript off."""

from datetime import date
from typing import Any

import pytest
from meilisearch_python_sdk import AsyncClient

from app.demo import load_demo
from app.offers.reindex import reindex
from tests.browser import assert_accessible, screenshot

pytestmark = pytest.mark.browser
TODAY = date.today()


@pytest.fixture
async def marketplace(search: AsyncClient) -> None:
    await load_demo(TODAY)
    await reindex(search, TODAY)


async def _titles(page: Any) -> list[str]:
    return [text.strip() for text in await page.locator(".card__title").all_inner_texts()]


async def _count(page: Any) -> int:
    """How many offers the search found ("67 opportunities"), on every page of results."""
    return int((await page.locator("#results-count").inner_text()).split()[0])


async def test_misspelt_word_then_open_the_offer_and_come_back(live_server: str, page: Any, marketplace: None) -> None:
    await page.goto(live_server + "/offers")
    everything = await page.locator("#results-count").inner_text()
    await page.locator("#q").fill("aprentiseship")
    await page.wait_for_url("**/offers?q=aprentiseship")
    titles = await _titles(page)
    assert titles and all("apprenticeship" in title.lower() for title in titles)
    assert await page.locator("#results-count").inner_text() != everything
    await screenshot(page, "search-typed")
    await assert_accessible(page)

    first = titles[0]
    await page.get_by_role("link", name=first).first.click()
    await page.wait_for_url("**/offers/*")
    assert await page.locator("h1").inner_text() == first
    await screenshot(page, "offer-detail")
    await assert_accessible(page)

    await page.go_back()
    await page.wait_for_url("**/offers?q=aprentiseship")
    assert await page.locator("#q").input_value() == "aprentiseship"
    assert await _titles(page) == titles


async def test_filter_by_type_and_place_then_back(live_server: str, page: Any, marketplace: None) -> None:
    await page.goto(live_server + "/offers")
    await page.get_by_text("Filters and sorting").click()
    await page.get_by_label("Apprenticeship").check()
    await page.wait_for_url("**/offers?type=apprenticeship")
    by_type = await _titles(page)
    assert by_type and await page.locator(".card .tag", has_text="Apprenticeship").count() == len(by_type)
    all_of_type = await _count(page)

    await page.locator("#radius_km").select_option("10")
    await page.locator("#near").fill("Cardiff")
    await page.wait_for_url("**near=Cardiff**")
    near = await _titles(page)
    assert near and await _count(page) < all_of_type, "a place narrows the apprenticeships down"
    assert await page.locator(".card .tag", has_text="Apprenticeship").count() == len(near)
    wheres = await page.locator(".card__facts div:first-child dd").all_inner_texts()
    assert wheres and all(where in {"Cardiff", "Online or from home"} for where in wheres)
    await screenshot(page, "search-filtered")
    await assert_accessible(page)

    await page.go_back()
    await page.wait_for_url("**/offers?type=apprenticeship**")
    assert "near=" not in page.url


async def test_search_works_without_javascript(live_server: str, nojs_page: Any, marketplace: None) -> None:
    page = nojs_page
    await page.goto(live_server + "/offers")
    await page.locator("#q").fill("swiming")
    await page.get_by_role("button", name="Search").click()
    await page.wait_for_url("**/offers?q=swiming**")
    titles = await _titles(page)
    assert titles and any("swimming" in title.lower() for title in titles)
    assert not await page.locator("[data-near-me]").is_visible(), "no 'near me' without JavaScript"
    await page.get_by_role("link", name=titles[0]).first.click()
    assert await page.locator("h1").inner_text() == titles[0]
    await screenshot(page, "search-nojs")


async def test_near_me_is_off_until_asked_and_searches_around_you(
    live_server: str, browser: Any, marketplace: None
) -> None:
    from tests.conftest import PHONE

    context = await browser.new_context(
        **PHONE, geolocation={"latitude": 51.4816, "longitude": -3.1791}, permissions=["geolocation"]
    )
    page = await context.new_page()
    await page.goto(live_server + "/offers")
    assert "lat=" not in page.url, "location is never used before the person asks"
    await page.get_by_text("Filters and sorting").click()
    await page.get_by_role("button", name="Use where I am").click()
    await page.wait_for_url("**lat=51.48**")
    assert "lng=-3.18" in page.url
    await page.get_by_text("Showing what is near where you are.").wait_for()
    # The address bar can change a moment before htmx settles the new results in: wait for them, not the URL.
    await page.locator(".card__facts dd", has_text="Cardiff").first.wait_for(timeout=5000)
    await context.close()
