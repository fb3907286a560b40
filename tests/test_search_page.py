"""The search and offer pages on real PostgreSQL + Meilisearch, as plain and as htmx requests."""

from datetime import UTC, date, datetime, timedelta

import httpx
from bs4 import BeautifulSoup
from litestar import Litestar
from meilisearch_python_sdk import AsyncClient

from app.core.i18n import alphabetical
from app.offers.reindex import reindex
from app.offers.tables import OfferStatus, OfferType
from search.client import make_client
from tests import factories

TODAY = date.today()


async def _marketplace(search: AsyncClient) -> dict[str, int]:
    ids = {}
    for title, fields in {
        "Carpentry apprenticeship": {"type": OfferType.apprenticeship, "latitude": 51.4816, "longitude": -3.1791},
        "Engineering internship": {"type": OfferType.internship, "latitude": 51.4816, "longitude": -3.1791},
        "Cinema tickets for £1": {"type": OfferType.culture, "latitude": 53.4808, "longitude": -2.2426},
        "Online mentoring": {"type": OfferType.mentoring, "remote": True, "mentor": True},
    }.items():
        ids[title] = (await factories.offer(title=title, **fields)).id
    await reindex(search, TODAY)
    return ids


def _titles(html: str) -> set[str]:
    return {a.get_text(strip=True) for a in BeautifulSoup(html, "html.parser").select(".card__title a")}


async def test_plain_request_is_the_whole_page_with_results(client: httpx.AsyncClient, search: AsyncClient) -> None:
    await _marketplace(search)
    response = await client.get("/offers")
    html = BeautifulSoup(response.text, "html.parser")
    assert response.status_code == 200 and html.find("form", attrs={"role": "search"}) is not None
    assert html.find(id="results-count").get_text(strip=True) == "4 opportunities"
    assert len(_titles(response.text)) == 4


async def test_htmx_request_is_the_results_fragment_with_facet_counts(
    client: httpx.AsyncClient, search: AsyncClient
) -> None:
    await _marketplace(search)
    response = await client.get("/offers?type=apprenticeship", headers={"HX-Request": "true"})
    html = BeautifulSoup(response.text, "html.parser")
    assert html.find("html") is None and html.find("form") is None
    assert html.find(id="results") is not None
    assert _titles(response.text) == {"Carpentry apprenticeship"}
    counts = {span["id"]: span.get_text() for span in html.select("[hx-swap-oob]")}
    assert counts["count-type-apprenticeship"] == "1"
    assert counts["count-type-internship"] == "1", "ticking another type would add it: counts ignore the type filter"
    assert "hx-request" in response.headers["vary"].lower()


async def test_a_misspelt_query_still_finds(client: httpx.AsyncClient, search: AsyncClient) -> None:
    await _marketplace(search)
    assert _titles((await client.get("/offers?q=aprentiseship")).text) == {"Carpentry apprenticeship"}
    assert _titles((await client.get("/offers?q=film")).text) == {"Cinema tickets for £1"}


async def test_near_a_place_keeps_what_is_close_and_what_is_online(
    client: httpx.AsyncClient, search: AsyncClient
) -> None:
    await _marketplace(search)
    response = await client.get("/offers?near=Caerdydd&radius_km=10&sort=nearest")
    assert _titles(response.text) == {"Carpentry apprenticeship", "Engineering internship", "Online mentoring"}
    unknown = await client.get("/offers?near=Atlantis")
    assert "We do not know a place called “Atlantis”" in unknown.text
    assert len(_titles(unknown.text)) == 4


async def test_empty_results_suggest_a_way_on(client: httpx.AsyncClient, search: AsyncClient) -> None:
    await _marketplace(search)
    html = BeautifulSoup((await client.get("/offers?q=zzzzqqq&type=sport")).text, "html.parser")
    assert html.find(id="results-count").get_text(strip=True) == "0 opportunities"
    links = {a["href"] for a in html.select(".empty a")}
    assert {"/offers?q=zzzzqqq", "/offers"} <= links


async def test_bad_parameters_never_fail(client: httpx.AsyncClient, search: AsyncClient) -> None:
    await _marketplace(search)
    odd = ["radius_km=abc", "page=-1", "type=unknown", "sort=%00", "page=99999", "near=" + "x" * 500]
    odd += ["lat=abc&lng=1", "lat=91&lng=0", "lat=nan&lng=nan", "lat=51.48&lng=-3.18&sort=nearest", "q=%22%5C"]
    for query in odd:
        response = await client.get(f"/offers?{query}")
        assert response.status_code == 200, query


async def test_search_down_says_it_is_catching_up_and_lists_the_newest_offers(
    app: Litestar, client: httpx.AsyncClient
) -> None:
    await factories.offer(title="Older offer", published_at=datetime.now(UTC) - timedelta(days=3))
    await factories.offer(title="Newest offer")
    usual = app.state.search
    app.state.search = make_client("http://127.0.0.1:9", None, timeout_s=1)
    try:
        page = await client.get("/offers?q=anything&type=apprenticeship")
        fragment = await client.get("/offers?q=anything", headers={"HX-Request": "true"})
    finally:
        await app.state.search.aclose()
        app.state.search = usual
    for response in (page, fragment):  # 200 even for htmx, which swaps in no 5xx answer
        assert response.status_code == 200
        html = BeautifulSoup(response.text, "html.parser")
        assert "Search is catching up" in html.select_one("#results .notice").get_text()
        assert [a.get_text(strip=True) for a in html.select("#results .card__title a")][:2] == [
            "Newest offer",
            "Older offer",
        ]
        assert html.select_one("#results-count").get_text(strip=True) == "The newest opportunities"


async def test_offer_page_has_what_a_young_person_needs(client: httpx.AsyncClient) -> None:
    offer = await factories.offer(
        title="Carpentry apprentice",
        pay_pence=780,
        pay_per="hour",
        travel_paid=True,
        closes_on=TODAY + timedelta(days=2),
    )
    html = BeautifulSoup((await client.get(f"/offers/{offer.id}")).text, "html.parser")
    assert html.find("h1").get_text(strip=True) == "Carpentry apprentice"
    text = html.get_text(" ", strip=True)
    assert "£7.80 an hour" in text and "Travel paid" in text and "Closing soon" in text
    assert "How to apply" in text


async def test_drafts_are_not_found_and_closed_offers_say_so(client: httpx.AsyncClient) -> None:
    draft = await factories.offer(status=OfferStatus.draft)
    closed = await factories.offer(status=OfferStatus.closed)
    assert (await client.get(f"/offers/{draft.id}")).status_code == 404
    assert (await client.get("/offers/999999")).status_code == 404
    assert (await client.get("/offers/99999999999999")).status_code == 404, "bigger than any id: not a crash"
    response = await client.get(f"/offers/{closed.id}")
    assert response.status_code == 200 and "This opportunity has closed" in response.text
    assert "How to apply" not in response.text


async def test_a_page_past_the_end_says_so(client: httpx.AsyncClient, search: AsyncClient) -> None:
    await _marketplace(search)
    html = BeautifulSoup((await client.get("/offers?page=7")).text, "html.parser")
    assert "There are no more results after this page." in html.get_text()
    assert html.find("a", string="Go to the first page")["href"] == "/offers"


async def test_chosen_filters_are_chips_and_the_filters_stay_closed(
    client: httpx.AsyncClient, search: AsyncClient
) -> None:
    await _marketplace(search)
    url = "/offers?q=apprentice&type=apprenticeship&type=internship&near=Cardiff&radius_km=10&sort=closing"
    page = BeautifulSoup((await client.get(url)).text, "html.parser")
    assert page.select_one("details.filters").get("open") is None, "never open because filters are chosen"
    assert page.select_one("details.filters summary").get_text(" ", strip=True) == "Filters (3)"
    assert page.select_one("#sort").find_parent("details") is None, "sort is outside the filters"
    fragment = BeautifulSoup((await client.get(url, headers={"HX-Request": "true"})).text, "html.parser")
    chips = {
        a.get_text(" ", strip=True): a["href"].removeprefix("/offers?q=apprentice&")
        for a in fragment.select(".chips a")
    }
    assert chips == {
        "Remove filter: Apprenticeship ×": "type=internship&near=Cardiff&radius_km=10&sort=closing",
        "Remove filter: Internship ×": "type=apprenticeship&near=Cardiff&radius_km=10&sort=closing",
        "Remove filter: Within 10 km of Cardiff ×": "type=apprenticeship&type=internship&sort=closing",
        "Clear all": "sort=closing",
    }
    assert fragment.select_one("#results .chips") is not None, "chips are swapped with the results"
    chosen = fragment.select_one("#filters-chosen")
    assert chosen["hx-swap-oob"] == "true" and chosen.get_text(strip=True) == "(3)"
    alone = BeautifulSoup((await client.get("/offers?q=apprentice")).text, "html.parser")
    assert alone.select_one(".chips") is None and alone.select_one("#filters-chosen").get_text(strip=True) == ""


async def test_types_to_choose_are_in_the_pages_alphabetical_order(new_client, search: AsyncClient) -> None:
    await _marketplace(search)
    client = new_client()  # ?lang= sets a cookie: not on the clients other tests share

    async def types(lang: str) -> list[str]:
        page = BeautifulSoup((await client.get(f"/offers?lang={lang}")).text, "html.parser")
        return [box.find_parent("label").span.get_text(strip=True) for box in page.select('input[name="type"]')]

    english, welsh = await types("en"), await types("cy")
    assert english[:3] == ["Apprenticeship", "Culture", "Internship"]
    assert welsh == alphabetical(welsh, locale="cy") and welsh != sorted(welsh)
    assert welsh.index("Cysgodi gwaith") < welsh.index("Chwaraeon")
