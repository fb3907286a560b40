"""Places kept for care-experienced young people on a phone (390×844, axe-core on every page): found with the
search filter among the demo offers, shown on an offer's page, ticked on the offer form (a concession cannot), and
counted in an organisation's summary."""

from datetime import date
from typing import Any

import pytest
from meilisearch_python_sdk import AsyncClient

from app.demo import load_demo
from app.offers.reindex import reindex
from app.organisations.tables import Organisation
from tests import factories
from tests.browser import look, signed_in_as
from tests.people import member

pytestmark = pytest.mark.browser
TODAY = date.today()


@pytest.fixture
async def marketplace(search: AsyncClient) -> None:
    await load_demo(TODAY)
    await reindex(search, TODAY)


async def test_a_young_person_finds_places_kept_for_them(live_server: str, page: Any, marketplace: None) -> None:
    await page.goto(live_server + "/offers")
    everything = int((await page.locator("#results-count").inner_text()).split()[0])
    await page.locator(".filters summary").click()
    await page.get_by_label("Places kept for you").check()
    await page.wait_for_url("**/offers?commitment=ring_fenced")
    found = int((await page.locator("#results-count").inner_text()).split()[0])
    assert 0 < found < everything
    assert await page.locator(".chips").get_by_text("Places kept for you").count() == 1
    await page.get_by_label("Places kept for you").scroll_into_view_if_needed()
    await look(page, "ring-fenced-search-filter")

    await page.locator(".filters summary").click()  # closed again, to read the results
    first = (await page.locator(".card__title").first.inner_text()).strip()
    await page.get_by_role("link", name=first).first.click()
    await page.wait_for_url("**/offers/*")
    kept = page.get_by_role("heading", name="For care-experienced young people")
    assert await kept.count() == 1
    facts = page.locator("h2:has-text('For care-experienced young people') + ul.ticks li")
    assert "Places kept for you" in await facts.first.inner_text()
    await kept.scroll_into_view_if_needed()
    await look(page, "ring-fenced-offer-page")


async def test_a_provider_ticks_them_for_an_apprenticeship_not_a_concession(
    live_server: str, page: Any, marketplace: None
) -> None:
    council = await Organisation.select().where(Organisation.name == "Rhondda Cynon Taf Council").first()
    await signed_in_as(page, live_server, await member(council["id"], "apprentices@rctcouncil.example", "staff"))
    page.problems.expect("status of 422")  # Chromium logs the form answered with its problem as a failed load
    await page.goto(f"{live_server}/organisations/{council['id']}/offers/new")
    await page.locator("#f-type").select_option("culture")
    await page.locator("#f-title_en").fill("Theatre tickets")
    await page.locator("#f-location_name").fill("Pontypridd")
    await page.get_by_label("Ring-fenced places").check()
    await page.get_by_role("button", name="Save draft").click()
    error = page.locator("#f-commitment-error")
    await error.wait_for()
    assert "Untick these: only work opportunities" in await error.inner_text()
    await page.locator("#f-commitment").scroll_into_view_if_needed()
    await look(page, "ring-fenced-offer-form-concession")

    await page.locator("#f-type").select_option("apprenticeship")
    await page.get_by_label("Guaranteed interview").check()
    await page.get_by_role("button", name="Save draft").click()
    await page.wait_for_url("**/offers/*")
    preview = page.locator("#preview")
    await preview.get_by_role("heading", name="For care-experienced young people").scroll_into_view_if_needed()
    assert "A guaranteed interview" in await preview.inner_text()
    await look(page, "ring-fenced-offer-form-preview")

    await page.goto(f"{live_server}/organisations/{council['id']}/uptake")
    ring_fenced = page.locator(".figures div", has_text="Offers live with ring-fenced places")
    assert (await ring_fenced.locator("dd").inner_text()).isdigit()
    await ring_fenced.scroll_into_view_if_needed()
    await look(page, "ring-fenced-council-summary")


async def test_an_offer_page_with_both(live_server: str, page: Any) -> None:
    offer = await factories.offer(title="Apprentice electrician", ring_fenced=True, guaranteed_interview=True)
    await page.goto(f"{live_server}/offers/{offer.id}")
    items = page.locator("h2:has-text('For care-experienced young people') + ul.ticks li")
    assert await items.count() == 2
    assert "You will be interviewed if you meet the essential requirements." in await items.nth(1).inner_text()
    await look(page, "ring-fenced-offer-page-both")
