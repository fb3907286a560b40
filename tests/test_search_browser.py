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
    await page.locator(".filters summary").click()
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
    await page.locator(".filters summary").click()
    await page.get_by_role("button", name="Use where I am").click()
    await page.wait_for_url("**lat=51.48**")
    assert "lng=-3.18" in page.url
    await page.get_by_role("link", name="Remove filter: Within 25 km of where you are").wait_for()
    await page.locator(".filters summary").click()
    await page.get_by_text("Showing what is near where you are.").wait_for()
    # The address bar can change a moment before htmx settles the new results in: wait for them, not the URL.
    await page.locator(".card__facts dd", has_text="Cardiff").first.wait_for(timeout=5000)
    await context.close()


# Searches with a place and filters chosen: on a phone the first result still starts on the first screen.
FILTERED = [
    "/offers?q=swimming&near=Cardiff&type=sport",
    "/offers?q=swimming&near=Cardiff",
    "/offers?near=Cardiff&radius_km=50&type=apprenticeship&type=internship&support=travel_paid&sort=closing",
    "/offers?lang=cy&q=swimming&near=Caerdydd&type=sport&type=leisure&support=free",
]


async def test_results_come_first_on_a_phone(live_server: str, page: Any, marketplace: None) -> None:
    for path in FILTERED:
        await page.goto(live_server + path)
        assert not await page.locator("details.filters").evaluate("filters => filters.open"), path
        assert await page.locator("#sort").is_visible(), "sort is one tap, outside the filters"
        assert await page.locator(".card").count(), f"{path} finds something"
        box = await page.locator(".card").first.bounding_box()
        assert box is not None and box["y"] < 844, f"{path}: the first result starts at {box}"
    await screenshot(page, "search-filters-closed-cy")
    await assert_accessible(page)
    await page.goto(live_server + FILTERED[0] + "&lang=en")
    await screenshot(page, "search-filters-closed")
    await assert_accessible(page)
    await page.locator(".filters summary").click()
    await screenshot(page, "search-filters-open")
    await assert_accessible(page)


async def test_filters_and_sort_on_a_desktop(live_server: str, another_phone: Any, marketplace: None) -> None:
    page = await another_phone(desktop=True)
    await page.goto(live_server + FILTERED[2])
    sort, summary = await page.locator("#sort").bounding_box(), await page.locator(".filters summary").bounding_box()
    assert sort and summary and abs(sort["y"] - summary["y"]) < 8, "sort sits beside the filters' summary"
    await page.locator(".filters summary").click()
    await screenshot(page, "search-filters-desktop")
    await assert_accessible(page)


async def test_chosen_filters_are_chips_that_take_one_away(live_server: str, page: Any, marketplace: None) -> None:
    await page.goto(live_server + "/offers?q=swimming&near=Cardiff&type=sport")
    assert await page.locator(".filters summary").inner_text() == "Filters (2)"
    await page.get_by_role("link", name="Remove filter: Sport").click()
    await page.wait_for_url("**/offers?q=swimming&near=Cardiff&radius_km=25")
    assert await page.locator(".filters summary").inner_text() == "Filters (1)"
    assert await page.get_by_role("link", name="Clear all").count() == 0, "Clear all only for more than one"

    await page.locator(".filters summary").click()
    await page.get_by_label("Leisure").check()
    await page.wait_for_url("**type=leisure**")
    await page.get_by_role("link", name="Remove filter: Leisure").wait_for()
    assert await page.locator(".filters summary").inner_text() == "Filters (2)", "the count follows htmx's swaps"
    await page.get_by_role("button", name="Show results").click()
    assert not await page.locator("details.filters").evaluate("filters => filters.open")
    await page.get_by_role("link", name="Clear all").click()
    await page.wait_for_url("**/offers?q=swimming")
    assert await page.locator(".filters summary").inner_text() == "Filters"
    assert await page.locator(".chip").count() == 0


async def test_sort_is_one_tap(live_server: str, page: Any, marketplace: None) -> None:
    await page.goto(live_server + "/offers?near=Cardiff&type=apprenticeship")
    await page.locator("#sort").select_option("closing")
    await page.wait_for_url("**sort=closing**")
    assert not await page.locator("details.filters").evaluate("filters => filters.open")


async def test_filters_chips_and_sort_work_without_javascript(
    live_server: str, nojs_page: Any, marketplace: None
) -> None:
    page = nojs_page
    await page.goto(live_server + "/offers?q=swimming&near=Cardiff")
    await page.locator(".filters summary").click()
    await page.get_by_label("Sport").check()
    await page.get_by_role("button", name="Show results").click()
    await page.wait_for_url("**type=sport**")
    assert not await page.locator("details.filters").evaluate("filters => filters.open"), "closed after filtering"
    assert await page.locator(".filters summary").inner_text() == "Filters (2)"
    await page.locator("#sort").select_option("newest")
    await page.get_by_role("button", name="Sort", exact=True).click()
    await page.wait_for_url("**sort=newest**")
    await page.get_by_role("link", name="Remove filter: Within 25 km of Cardiff").click()
    await page.wait_for_url("**/offers?q=swimming&type=sport&sort=newest")
    await screenshot(page, "search-filters-nojs")
