"""At phone size: a provider writes an offer in Welsh and English; a Welsh reader finds it by a mutated Welsh word
and reads it in Welsh, an English reader finds it by its English meaning; the first result is above the fold."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from meilisearch_python_sdk import AsyncClient

from app.offers.indexing import offer_changed, sync_once
from app.offers.tables import Offer, OfferStatus
from tests import factories
from tests.browser import look, signed_in_as
from tests.people import admin, member

pytestmark = pytest.mark.browser
TODAY = date.today()
PHONE_HEIGHT = 844


async def _first_card_top(page: Any) -> float:
    box = await page.locator(".cards .card").first.bounding_box()
    assert box is not None
    return float(box["y"])


async def test_an_offer_in_welsh_and_english_is_found_and_read_in_each(
    live_server: str, page: Any, another_phone: Any, search: AsyncClient
) -> None:
    org = await factories.organisation(kind="cultural", name="Oriel y Bae", council_area="W06000015")
    provider = await member(org, "nia@oriel.example", "staff")
    await signed_in_as(page, live_server, provider)

    # Welsh first: the provider's Welsh tab, then the English one; the preview follows the tab.
    await page.goto(f"{live_server}/organisations/{org.id}/offers/new")
    await page.get_by_label("Type").select_option("culture")
    await page.locator("label[for=tab-cy]").click()
    await page.get_by_label("Title in Welsh").fill("Gweithdy celf am ddim")
    await page.get_by_label("Summary in Welsh").fill("Peintio a darlunio gydag artistiaid lleol bob nos Fawrth.")
    await page.locator("#preview [lang=cy]", has_text="Gweithdy celf am ddim").wait_for()
    assert not await page.get_by_label("Title in English").is_visible(), "one language at a time on a phone"
    await look(page, "offer-form-welsh-tab")
    await page.locator("label[for=tab-en]").click()
    await page.get_by_label("Title in English").fill("Free art workshop")
    await page.get_by_label("Summary in English").fill("Painting and drawing with local artists every Tuesday.")
    await page.get_by_label("Town or venue").fill("Cardiff")
    await page.get_by_label("Closing date (optional)").fill((TODAY + timedelta(days=30)).isoformat())
    await page.locator("#preview .offer__title", has_text="Free art workshop").wait_for()
    await look(page, "offer-form-english-tab")
    await page.wait_for_timeout(700)  # the last preview request goes first
    await page.wait_for_load_state("networkidle")
    await page.get_by_role("button", name="Save draft").click()
    await page.wait_for_selector("text=Draft")
    row = await Offer.select().where(Offer.organisation == org.id).first()
    assert (row["title"], row["title_alt"]) == ("Free art workshop", "Gweithdy celf am ddim")

    # Approved by the team (tested elsewhere) and brought into search by the worker.
    await Offer.update({Offer.status: OfferStatus.published, Offer.published_at: Offer.created_at}).where(
        Offer.id == row["id"]
    )
    await offer_changed(row["id"])
    await sync_once(search, TODAY)

    # A Welsh reader types the soft-mutated form (as after "y"), with a place chosen: the card comes first, in Welsh.
    welsh = await another_phone()
    await welsh.goto(f"{live_server}/offers?lang=cy&q=gelf&near=Cardiff")
    card = welsh.locator(".cards .card").first
    assert await card.locator(".card__title").inner_text() == "Gweithdy celf am ddim"
    assert await card.locator(".card__title").get_attribute("lang") is None, "the page is Welsh already"
    assert await _first_card_top(welsh) < PHONE_HEIGHT, "the first result starts on the first screen"
    await look(welsh, "search-welsh-mutated")
    await card.locator(".card__title a").click()
    await welsh.locator("h1", has_text="Gweithdy celf am ddim").wait_for()
    await look(welsh, "offer-in-welsh")

    # An English reader finds it by the English meaning, and reads it in English.
    english = await another_phone()
    await english.goto(f"{live_server}/offers?lang=en&q=art+workshops&type=culture")
    card = english.locator(".cards .card").first
    assert await card.locator(".card__title").inner_text() == "Free art workshop"
    assert await _first_card_top(english) < PHONE_HEIGHT
    await look(english, "search-english")


async def test_the_team_reviews_both_languages_and_sees_which_public_body_wrote_no_welsh(
    live_server: str, page: Any
) -> None:
    council = await factories.organisation(kind="council", name="Cyngor Sir Ynys Môn", council_area="W06000001")
    await factories.offer(council, title="Council apprenticeship", status=OfferStatus.in_review)
    both = await factories.offer(
        council, title="Prentisiaeth y cyngor", language="cy", title_alt="Council trainee", status=OfferStatus.in_review
    )
    await signed_in_as(page, live_server, await admin())
    await page.goto(f"{live_server}/admin")
    await page.locator("li", has_text="Council apprenticeship").get_by_text("No Welsh").wait_for()
    await look(page, "admin-queue-no-welsh")
    await page.goto(f"{live_server}/admin/offers/{both.id}")
    await page.locator(".preview h2[lang=cy]", has_text="Prentisiaeth y cyngor").wait_for()
    await page.locator(".preview h2", has_text="Council trainee").wait_for()
    await look(page, "admin-review-both-languages")
