"""The Open Referral UK 3.0 API: every endpoint's answer validated against the standard's schemas (vendored in
tests/openreferral/), on the demo data and on the edge cases; only what the offer's page shows; a walk through the
pages that finds every live offer once while offers open and close."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar

from app.demo import load_demo
from app.offers.tables import Offer, OfferStatus
from app.openreferral.ids import Kind, row_id, row_uuid
from app.organisations.tables import Organisation
from tests import factories
from tests.openreferral.api import API, clients
from tests.openreferral.schemas import check

TODAY = date.today()


@pytest.fixture
async def api(app: Litestar, client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    async with clients(app) as make:
        yield make()


@pytest.fixture
async def more(app: Litestar, client: httpx.AsyncClient) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    async with clients(app) as make:
        yield make


async def get(api: httpx.AsyncClient, path: str, endpoint: str | None = None, **query: Any) -> Any:
    """GET an endpoint, check it answered 200 and validates as `endpoint` (the path as openapi.json names it)."""
    response = await api.get(API + path, params=query)
    assert response.status_code == 200, f"{path} → {response.status_code}: {response.text[:300]}"
    body = response.json()
    check(endpoint or path, body)
    return body


def service_id(offer_id: int) -> str:
    return row_uuid(Kind.service, offer_id)


async def walk(api: httpx.AsyncClient, path: str, per_page: int, **query: Any) -> list[dict[str, Any]]:
    """Every page of a list, following the Link header's next page; each page validated."""
    found: list[dict[str, Any]] = []
    response = await api.get(API + path, params={"per_page": per_page, **query})
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        check(path, body)
        found += body["contents"]
        if body["last_page"]:
            assert "link" not in response.headers
            return found
        next_url = response.links["next"]["url"]
        response = await api.get(next_url)


async def test_the_api_says_what_it_is(api: httpx.AsyncClient) -> None:
    body = await get(api, "/")
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/openapi.json")


async def test_every_endpoint_validates_on_the_demo_data(api: httpx.AsyncClient) -> None:
    await load_demo(TODAY)
    live = (
        await Offer.select(Offer.id)
        .where((Offer.status == OfferStatus.published) & (Offer.closes_on.is_null() | (Offer.closes_on >= TODAY)))
        .order_by(Offer.published_at)
        .order_by(Offer.id)
    )
    live_ids = [row["id"] for row in live]  # in the order they were first published, as the API lists them

    services = await walk(api, "/services", 100)
    assert [row_id(Kind.service, item["id"]) for item in services] == live_ids
    assert {item["status"] for item in services} == {"active"}
    first = await get(api, "/services", per_page=100)
    assert first["total_items"] == len(live_ids) and first["total_pages"] == -(-len(live_ids) // 100)
    assert first["first_page"] and not first["last_page"] and first["size"] == 100

    located = await walk(api, "/service_at_locations", 100)
    assert len(located) > len(live_ids) * 0.9
    kinds = {item["location"]["location_type"] for item in located}
    assert kinds == {"physical", "virtual"}

    # Every service in full, and each of its places: a sample of the demo's 383 spread across every kind.
    sample = sorted(live_ids)[::9]
    for offer_id in sample:
        full = await get(api, f"/services/{service_id(offer_id)}", "/services/{id}")
        assert full["attributes"], "every offer has at least its type as a term"
        for place in full["service_at_locations"]:
            alone = await get(api, f"/service_at_locations/{place['id']}", "/service_at_locations/{id}")
            assert alone["service"]["id"] == full["id"]
            assert alone["location"] == place["location"]

    taxonomies = await get(api, "/taxonomies")
    assert taxonomies["total_items"] == 3
    for taxonomy in taxonomies["contents"]:
        assert await get(api, f"/taxonomies/{taxonomy['id']}", "/taxonomies/{id}") == taxonomy
    terms = await walk(api, "/taxonomy_terms", 10)
    assert len(terms) == 9 + 11 + 6
    for term in terms[::5]:
        assert await get(api, f"/taxonomy_terms/{term['id']}", "/taxonomy_terms/{id}") == term


async def test_the_edge_cases_validate(api: httpx.AsyncClient) -> None:
    org = await factories.organisation(pledged_at=datetime.now(UTC))
    nowhere = await factories.offer(org, title="Nowhere said", location_name="")
    online = await factories.offer(org, title="Online mentoring", type="mentoring", remote=True, location_name="")
    placed = await factories.offer(
        org, title="Swim", type="sport", latitude=51.48, longitude=-3.18, council_area="W06000015",
        price_pence=0, usual_price_pence=450, free=True, starts_on=TODAY + timedelta(days=30),
        language="en", title_alt="Nofio", summary_alt="Nofio am ddim",
    )  # fmt: skip
    closed = await factories.offer(org, title="Closed early", status=OfferStatus.closed)
    lapsed = await factories.offer(org, title="Past its date", closes_on=TODAY - timedelta(days=1))

    listed = await walk(api, "/services", 2)
    assert {row_id(Kind.service, item["id"]) for item in listed} == {nowhere.id, online.id, placed.id}

    bare = await get(api, f"/services/{service_id(nowhere.id)}", "/services/{id}")
    assert bare["service_at_locations"] == [] and bare["status"] == "active"
    virtual = await get(api, f"/services/{service_id(online.id)}", "/services/{id}")
    assert [place["location"]["location_type"] for place in virtual["service_at_locations"]] == ["virtual"]
    full = await get(api, f"/services/{service_id(placed.id)}", "/services/{id}")
    location = full["service_at_locations"][0]["location"]
    assert (location["location_type"], location["latitude"], location["longitude"]) == ("physical", 51.48, -3.18)
    assert full["cost_options"][0]["amount"] == 0 and full["cost_options"][0]["amount_description"] == "usually £4.50"
    assert full["service_areas"][0]["name"] == "Cardiff"
    assert full["service_areas"][0]["uri"].endswith("/W06000015")
    assert {language["code"] for language in full["languages"]} == {"en", "cy"}
    assert {attribute["taxonomy_term"]["term"] for attribute in full["attributes"]} == {
        "sport", "ambition", "thrive", "free",
    }  # fmt: skip
    assert (
        full["organization"]["description"]
        == "Business or employer that has signed up to the corporate parenting charter."
    )

    located = await walk(api, "/service_at_locations", 5)
    assert {item["service_id"] for item in located} == {service_id(online.id), service_id(placed.id)}
    assert (
        await api.get(f"{API}/service_at_locations/{row_uuid(Kind.service_at_location, nowhere.id)}")
    ).status_code == 404

    # Closed, early or by date: gone from the lists; by its id, still there, marked inactive (as its page is).
    for gone in (closed, lapsed):
        shown = await get(api, f"/services/{service_id(gone.id)}", "/services/{id}")
        assert shown["status"] == "inactive"
        place = shown["service_at_locations"][0]["id"]
        assert (await get(api, f"/service_at_locations/{place}", "/service_at_locations/{id}"))["service"][
            "status"
        ] == "inactive"


async def test_nothing_that_is_not_public_is_published(api: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    live = await factories.offer(org, title="Live words")
    await Offer.update({Offer.pending: {"title": "Words still waiting"}, Offer.changed_since_review: True}).where(
        Offer.id == live.id
    )
    draft = await factories.offer(org, title="A draft", status=OfferStatus.draft, published_at=None)
    in_review = await factories.offer(org, title="In review", status=OfferStatus.in_review, published_at=None)
    archived = await factories.offer(org, title="Archived", status=OfferStatus.archived)
    taken_down = await factories.offer(org, title="Taken down", status=OfferStatus.draft)  # published once
    waiting_org = await factories.organisation(approved_at=None)
    unapproved = await factories.offer(waiting_org, title="From an organisation not approved")
    never = await factories.offer(org, title="Closed before approval", status=OfferStatus.closed, published_at=None)

    listed = await walk(api, "/services", 50)
    assert [item["name"] for item in listed] == ["Live words"]
    for hidden in (draft, in_review, archived, taken_down, unapproved, never):
        for path in (f"/services/{service_id(hidden.id)}",
                     f"/service_at_locations/{row_uuid(Kind.service_at_location, hidden.id)}"):  # fmt: skip
            response = await api.get(API + path)
            assert response.status_code == 404, path
            assert response.json()["status"] == 404
    everything = (await api.get(f"{API}/services/{service_id(live.id)}")).text
    everything += (await api.get(f"{API}/services", params={"search": "waiting"})).text
    assert "Words still waiting" not in everything
    assert "waiting" not in everything.replace('"total_items":0', "")


async def test_a_waiting_edit_leaves_last_modified_alone(api: httpx.AsyncClient) -> None:
    offer = await factories.offer()
    before = (await get(api, f"/services/{service_id(offer.id)}", "/services/{id}"))["last_modified"]
    waiting = {"pending": {"title": "Later"}, "changed_since_review": True, "updated_at": datetime.now(UTC)}
    await Offer.update({**waiting, "review_note": "x"}).where(Offer.id == offer.id)
    assert (await get(api, f"/services/{service_id(offer.id)}", "/services/{id}"))["last_modified"] == before
    await Offer.update({Offer.title: "Approved words"}).where(Offer.id == offer.id)
    after = await get(api, f"/services/{service_id(offer.id)}", "/services/{id}")
    assert after["name"] == "Approved words" and after["last_modified"] > before
    await Organisation.update({Organisation.name: "A new name"}).where(Organisation.id == offer.organisation)
    renamed = await get(api, f"/services/{service_id(offer.id)}", "/services/{id}")
    assert renamed["organization"]["name"] == "A new name" and renamed["last_modified"] > after["last_modified"]


async def test_walking_the_pages_finds_every_live_offer_once_while_offers_open_and_close(
    api: httpx.AsyncClient,
) -> None:
    org = await factories.organisation()
    offers = [await factories.offer(org, title=f"Offer {n}") for n in range(30)]
    ids = [offer.id for offer in offers]
    # Drafts written before the walk starts, approved (first published) during it: found at the end.
    drafts = [(await factories.offer(org, status=OfferStatus.draft, published_at=None)).id for _ in range(8)]
    seen: list[int] = []
    response = await api.get(f"{API}/services", params={"per_page": 4})
    pages = 0
    closed_ahead: list[int] = []
    published: list[int] = []
    while True:
        body = response.json()
        check("/services", body)
        page_ids = [row_id(Kind.service, item["id"]) for item in body["contents"]]
        assert all(found is not None for found in page_ids)
        seen += [found for found in page_ids if found is not None]
        pages += 1
        if body["last_page"]:
            break
        # Between pages: one already seen closes (everything after it moves back one place), one not yet seen
        # closes, and a new one is published.
        behind = seen[-2]
        ahead = next(i for i in [*ids, *published] if i not in seen and i not in closed_ahead)
        await Offer.update({Offer.status: OfferStatus.closed}).where(Offer.id.is_in([behind, ahead]))
        closed_ahead.append(ahead)
        published.append((await factories.offer(org, title=f"New {pages}")).id)
        if drafts:
            approved = drafts.pop()
            now = datetime.now(UTC)
            await Offer.update({Offer.status: OfferStatus.published, Offer.published_at: now}).where(
                Offer.id == approved
            )
            published.append(approved)
        assert body["page_number"] == pages
        response = await api.get(response.links["next"]["url"])
    assert len(seen) == len(set(seen)), "an offer was found twice"
    live_now = {row["id"] for row in await Offer.select(Offer.id).where(Offer.status == OfferStatus.published)}
    assert live_now - set(seen) == set(), "an offer live all along, or published meanwhile, was missed"
    assert not set(closed_ahead) & set(seen)
    assert set(published) - set(closed_ahead) <= set(seen)


async def test_a_walk_by_page_numbers_alone_would_miss_one(api: httpx.AsyncClient) -> None:
    """Why the next link carries `after`: with page numbers alone, an offer closing behind you moves the rest."""
    org = await factories.organisation()
    ids = [(await factories.offer(org)).id for _ in range(6)]
    response = await api.get(f"{API}/services", params={"per_page": 3})
    assert [row_id(Kind.service, item["id"]) for item in response.json()["contents"]] == ids[:3]
    await Offer.update({Offer.status: OfferStatus.closed}).where(Offer.id == ids[0])
    by_number = await get(api, "/services", page=2, per_page=3)
    assert [row_id(Kind.service, item["id"]) for item in by_number["contents"]] == ids[4:]  # ids[3] moved back
    following = await api.get(response.links["next"]["url"])
    by_link = following.json()
    check("/services", by_link)
    assert [row_id(Kind.service, item["id"]) for item in by_link["contents"]] == ids[3:]
    assert by_link["page_number"] == 2 and by_link["last_page"] and by_link["total_items"] == 5
