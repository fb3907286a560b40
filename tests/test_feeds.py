"""Atom feeds of a search (/offers.atom), read with xml.etree as a feed reader would, and the /open-data page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from bs4 import BeautifulSoup
from litestar import Litestar
from meilisearch_python_sdk import AsyncClient

from app.offers.reindex import reindex
from app.offers.tables import OfferStatus, OfferType
from app.settings import Settings
from search.client import make_client
from tests import factories

TODAY = date.today()
NS = {"atom": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
SWANSEA = {"latitude": 51.6214, "longitude": -3.9436, "location_name": "Swansea"}
CARDIFF = {"latitude": 51.4816, "longitude": -3.1791, "location_name": "Cardiff"}
NOW = datetime.now(UTC).replace(microsecond=0)
AWKWARD = "Tools & <b>trade</b> apprenticeship"


async def _marketplace(search: AsyncClient) -> dict[str, int]:
    """Offers published a day apart, the newest last; a draft and a closed one that no feed may show."""
    org = await factories.organisation(name="Harbour & Co")
    made = {}
    for days_ago, (title, fields) in enumerate(
        reversed(
            [
                ("Boat building apprenticeship", {**SWANSEA}),
                ("Prentisiaeth saer coed", {**SWANSEA, "language": "cy", "title_alt": "Carpentry apprenticeship",
                                            "summary": "Dysgu gwaith coed", "summary_alt": "Learn woodwork"}),
                (AWKWARD, {**SWANSEA, "summary": "Fish & <chips>"}),
                ("Plumbing apprenticeship", {**CARDIFF}),
                ("Engineering internship", {**SWANSEA, "type": OfferType.internship}),
            ]
        )
    ):  # fmt: skip
        offer = await factories.offer(org, title=title, published_at=NOW - timedelta(days=days_ago + 1), **fields)
        made[title] = offer.id
    await factories.offer(org, title="Draft apprenticeship", status=OfferStatus.draft, **SWANSEA)
    await factories.offer(org, title="Closed apprenticeship", closes_on=TODAY - timedelta(days=1), **SWANSEA)
    await reindex(search, TODAY)
    return made


def _feed(response: httpx.Response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed, made by the app under test)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def _one(element: ET.Element, path: str) -> ET.Element:
    found = element.findall(path, NS)
    assert len(found) == 1, f"{path}: {len(found)}"
    return found[0]


def _entries(root: ET.Element) -> list[dict[str, Any]]:
    return [
        {
            "id": _one(entry, "atom:id").text,
            "title": _one(entry, "atom:title").text,
            "lang": _one(entry, "atom:title").get(XML_LANG),
            "updated": _one(entry, "atom:updated").text,
            "published": _one(entry, "atom:published").text,
            "link": _one(entry, "atom:link[@rel='alternate']").get("href"),
            "author": _one(entry, "atom:author/atom:name").text,
            "category": _one(entry, "atom:category").get("term"),
        }
        for entry in root.findall("atom:entry", NS)
    ]


async def test_a_feed_is_atom_with_what_a_feed_reader_needs(
    new_client, search: AsyncClient, settings: Settings
) -> None:
    made = await _marketplace(search)
    root = _feed(await new_client().get("/offers.atom?type=apprenticeship&near=Swansea&lang=en"))
    site = settings.base_url
    search_query = "?type=apprenticeship&near=Swansea&radius_km=25"
    assert _one(root, "atom:id").text == f"{site}/offers.atom{search_query}&lang=en"
    assert _one(root, "atom:link[@rel='self']").get("href") == f"{site}/offers.atom{search_query}&lang=en"
    assert _one(root, "atom:link[@rel='alternate']").get("href") == f"{site}/offers{search_query}&lang=en"
    assert _one(root, "atom:title").text == "Cyfle: Apprenticeship near Swansea"
    assert _one(root, "atom:author/atom:name").text == "Cyfle"
    assert root.get(XML_LANG) == "en"
    entries = _entries(root)
    # The type and the place: not the internship, not Cardiff's, never the draft or the closed one; newest first.
    assert [entry["title"] for entry in entries] == [
        AWKWARD,
        "Carpentry apprenticeship",
        "Boat building apprenticeship",
    ]
    carpentry = entries[1]
    assert carpentry["id"] == f"{site}/offers/{made['Prentisiaeth saer coed']}"
    assert carpentry["link"] == f"{site}/offers/{made['Prentisiaeth saer coed']}?lang=en"
    assert carpentry["lang"] is None, "in the feed's own language: no xml:lang of its own"
    assert carpentry["author"] == "Harbour & Co" and carpentry["category"] == "apprenticeship"
    assert all(RFC3339.match(entry["updated"]) and RFC3339.match(entry["published"]) for entry in entries)
    assert _one(root, "atom:updated").text == entries[0]["updated"], "the feed changed when its newest entry did"
    assert len({entry["id"] for entry in entries}) == len(entries)


async def test_ids_stay_the_same_and_an_unchanged_feed_is_not_sent_again(new_client, search: AsyncClient) -> None:
    await _marketplace(search)
    client = new_client()  # no cookies: nothing set the language but the feed's own default
    first = await client.get("/offers.atom?near=Swansea&type=apprenticeship&type=internship")
    # The same search asked another way (types in another order, a sort and a page a feed does not have).
    again = await client.get("/offers.atom?type=internship&type=apprenticeship&near=Swansea&sort=closing&page=3")
    ids = [[element.text for element in _feed(r).iter("{http://www.w3.org/2005/Atom}id")] for r in (first, again)]
    assert ids[0] == ids[1] and len(ids[0]) == 1 + 4
    assert first.headers["etag"] == again.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300" and "last-modified" in first.headers
    unchanged = await client.get(
        "/offers.atom?near=Swansea&type=apprenticeship&type=internship",
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert "set-cookie" not in first.headers, "a response caches may keep carries nobody's token"


async def test_entry_updated_is_when_it_last_changed_for_young_people(
    client: httpx.AsyncClient, search: AsyncClient
) -> None:
    made = await _marketplace(search)
    edited = NOW - timedelta(hours=1)
    from app.offers.tables import Offer

    await Offer.update({Offer.public_changed_at: edited}).where(Offer.id == made["Boat building apprenticeship"])
    # An edit returned to its provider since changed nothing anyone sees.
    await Offer.update({Offer.reviewed_at: NOW}).where(Offer.id == made["Boat building apprenticeship"])
    entries = {entry["title"]: entry for entry in _entries(_feed(await client.get("/offers.atom?q=boat")))}
    boat = entries["Boat building apprenticeship"]
    assert boat["updated"] == edited.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert boat["published"] == (NOW - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_a_welsh_reader_gets_welsh_words_and_english_ones_marked(new_client, search: AsyncClient) -> None:
    made = await _marketplace(search)
    response = await new_client().get("/offers.atom?type=apprenticeship&near=Abertawe&lang=cy")
    assert "set-cookie" not in response.headers, "a response caches may share carries nobody's cookie"
    root = _feed(response)
    assert root.get(XML_LANG) == "cy"
    assert _one(root, "atom:title").text == "Cyfle: Prentisiaeth – Abertawe"
    entries = {entry["id"].rsplit("/", 1)[1]: entry for entry in _entries(root)}
    welsh = entries[str(made["Prentisiaeth saer coed"])]
    assert welsh["title"] == "Prentisiaeth saer coed" and welsh["lang"] is None
    english = entries[str(made["Boat building apprenticeship"])]
    assert english["title"] == "Boat building apprenticeship" and english["lang"] == "en"
    summary = next(e for e in root.findall("atom:entry", NS) if e.find("atom:title", NS).text == AWKWARD)
    assert _one(summary, "atom:summary").get(XML_LANG) == "en"
    assert {category.get("label") for category in root.findall("atom:entry/atom:category", NS)} == {"Prentisiaeth"}


async def test_what_organisations_write_is_text_never_markup(client: httpx.AsyncClient, search: AsyncClient) -> None:
    await _marketplace(search)
    response = await client.get("/offers.atom?q=tools")
    entry = _one(_feed(response), "atom:entry")
    assert _one(entry, "atom:title").text == AWKWARD
    assert _one(entry, "atom:summary").text == "Fish & <chips>"
    assert b"<b>" not in response.content and b"&lt;b&gt;trade&lt;/b&gt;" in response.content
    assert b"Harbour &amp; Co" in response.content


async def test_odd_parameters_never_fail_and_an_empty_feed_is_still_a_feed(
    client: httpx.AsyncClient, search: AsyncClient
) -> None:
    await _marketplace(search)
    odd = ["radius_km=abc", "page=-1", "type=unknown", "sort=%00", "near=" + "x" * 500, "lat=nan&lng=nan"]
    odd += ["lat=51.62&lng=-3.94&sort=nearest", "q=%22%5C", "q=%01%0b", "lang=xx", "q=zzzzqqq"]
    for query in odd:
        root = _feed(await client.get(f"/offers.atom?{query}"))
        assert _one(root, "atom:updated").text and _one(root, "atom:id").text, query
    empty = _feed(await client.get("/offers.atom?q=zzzzqqq"))
    assert empty.findall("atom:entry", NS) == []


async def test_search_down_is_a_503_not_a_crash(app: Litestar, client: httpx.AsyncClient) -> None:
    usual = app.state.search
    app.state.search = make_client("http://127.0.0.1:9", None, timeout_s=1)
    try:
        response = await client.get("/offers.atom?type=apprenticeship")
    finally:
        await app.state.search.aclose()
        app.state.search = usual
    assert response.status_code == 503 and response.headers["retry-after"] == "60"
    assert "Search is not answering just now" in response.text


async def test_the_results_page_links_to_the_feed_of_its_search(new_client, search: AsyncClient) -> None:
    await _marketplace(search)
    reader = new_client()
    wanted = "/offers.atom?q=boat&type=apprenticeship&near=Swansea&radius_km=10&lang=en"
    html = BeautifulSoup(
        (await reader.get("/offers?q=boat&type=apprenticeship&near=Swansea&radius_km=10")).text, "html.parser"
    )
    head = html.select_one("head link[rel=alternate][type='application/atom+xml']")
    assert head["href"] == wanted and head["title"] == "Cyfle: boat near Swansea"
    assert html.select_one("a.results__feed")["href"] == wanted
    # htmx swaps the results: the visible link comes with them, and the head's is replaced out of band.
    fragment = await reader.get("/offers?type=internship", headers={"HX-Request": "true"})
    part = BeautifulSoup(fragment.text, "html.parser")
    assert part.select_one("a.results__feed")["href"] == "/offers.atom?type=internship&lang=en"
    oob = part.select_one("link#feed-link")
    assert oob["href"] == "/offers.atom?type=internship&lang=en" and oob["hx-swap-oob"] == "true"
    welsh = BeautifulSoup((await reader.get("/offers?type=internship&lang=cy")).text, "html.parser")
    assert welsh.select_one("a.results__feed")["href"] == "/offers.atom?type=internship&lang=cy"


ENDPOINTS = [
    "/openreferral/",
    "/openreferral/services?page=1&per_page=50",
    "/openreferral/services/{id}",
    "/openreferral/service_at_locations",
    "/openreferral/service_at_locations/{id}",
    "/openreferral/taxonomies",
    "/openreferral/taxonomy_terms",
    "/openreferral/taxonomy_terms/{id}",
    "/offers.atom?type=apprenticeship&near=Swansea",
    "/sitemap.xml",
    "/charter.json",
    "/charter.csv",
]


async def test_open_data_says_what_where_under_which_licence_and_whom_to_tell(new_client, settings: Settings) -> None:
    for lang, heading, licence in (
        ("en", "Open data", "Contains public sector information licensed under the Open Government Licence v3.0."),
        ("cy", "Data agored", "Yn cynnwys gwybodaeth y sector cyhoeddus a drwyddedwyd dan y Drwydded Llywodraeth"),
    ):
        response = await new_client().get(f"/open-data?lang={lang}")
        assert response.status_code == 200
        html = BeautifulSoup(response.text, "html.parser")
        assert html.find("h1").get_text(strip=True) == heading
        text = html.get_text(" ", strip=True)
        assert licence in text and "JobPosting" in text
        codes = {code.get_text(strip=True) for code in html.select(".endpoints code")}
        assert set(ENDPOINTS) <= codes, set(ENDPOINTS) - codes
        assert html.select_one("a[rel=license]")["href"].startswith("https://www.nationalarchives.gov.uk/")
        assert html.select_one("a[href^='mailto:']")["href"].startswith("mailto:hello@")
        assert html.select_one(".site-footer a[href='/open-data']") is not None
