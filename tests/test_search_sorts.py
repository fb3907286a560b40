"""Closing soonest, newest and nearest, judged: with words in English or Welsh (mutated too), every result is
relevant and the order is the one chosen; offers matching every word still come before those matching fewer."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from meilisearch_python_sdk import AsyncClient

from app.offers.query import parse, search_offers
from app.offers.reindex import reindex
from app.offers.tables import OfferType
from search.places import find_place
from tests import factories

TODAY = date.today()
NOW = datetime.now(UTC)
# (title, Welsh title, days until it closes, hours since published, town)
SWIMMING = [
    ("Free swimming in Cardiff", "Nofio am ddim yng Nghaerdydd", 40, 5, "Cardiff"),
    ("Swimming lessons in Newport", "Gwersi nofio yng Nghasnewydd", 10, 30, "Newport"),
    ("Swim club in Swansea", "Clwb nofio yn Abertawe", 25, 1, "Swansea"),
    ("Pool pass in Bristol", "", 3, 50, "Bristol"),
]
OTHERS = [("Climbing wall taster", "Dringo am y tro cyntaf", 2, 0, "Cardiff"), ("Gig tickets", "", 1, 2, "Newport")]
RELEVANT = re.compile(r"swim|nofio|pool", re.IGNORECASE)


@pytest.fixture
async def pools(search: AsyncClient) -> None:
    for title, welsh, closes_in, hours_ago, town in SWIMMING + OTHERS:
        place = find_place(town)
        assert place is not None
        await factories.offer(
            title=title,
            language="en",
            title_alt=welsh,
            type=OfferType.sport,
            closes_on=TODAY + timedelta(days=closes_in),
            published_at=NOW - timedelta(hours=hours_ago),
            location_name=town,
            latitude=place.lat,
            longitude=place.lng,
        )
    await reindex(search, TODAY)


async def _search(search: AsyncClient, **query: str) -> list[str]:
    results = await search_offers(search, parse({name: [value] for name, value in query.items()}), TODAY)
    return [hit.title for hit in results.hits]


@pytest.mark.parametrize("words", ["swimming", "nofio", "swim", "y nofio"])
@pytest.mark.usefixtures("pools")
async def test_closing_soonest_and_newest_keep_to_what_was_asked_for(search: AsyncClient, words: str) -> None:
    by_closing = await _search(search, q=words, sort="closing")
    assert by_closing and all(RELEVANT.search(title) for title in by_closing), by_closing
    closes = {title: closes_in for title, _, closes_in, _, _ in SWIMMING}
    assert [closes[title] for title in by_closing] == sorted(closes[title] for title in by_closing)

    newest = await _search(search, q=words, sort="newest")
    assert set(newest) == set(by_closing)
    age = {title: hours_ago for title, _, _, hours_ago, _ in SWIMMING}
    assert [age[title] for title in newest] == sorted(age[title] for title in newest)


@pytest.mark.usefixtures("pools")
async def test_nearest_orders_by_distance_within_the_radius(search: AsyncClient) -> None:
    nearest = await _search(search, q="nofio", near="Cardiff", radius_km="100", sort="nearest")
    assert nearest[:3] == ["Free swimming in Cardiff", "Swimming lessons in Newport", "Pool pass in Bristol"]
    assert "Swim club in Swansea" in nearest, "Swansea is within 100 km of Cardiff"
    assert not any("Climbing" in title or "Gig" in title for title in nearest)


@pytest.mark.usefixtures("pools")
async def test_a_sort_still_puts_offers_matching_every_word_first(search: AsyncClient) -> None:
    found = await _search(search, q="swimming lessons", sort="newest")
    assert found[0] == "Swimming lessons in Newport", "the only offer with both words comes first, however old"
