"""The open data over HTTP: filters, validators and 304s, CORS, JSON errors for anything odd (never a 500), and
the rate limit per client."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar

from app.offers.tables import Offer, OfferStatus
from app.openreferral.ids import Kind, named_uuid, row_uuid
from app.organisations.tables import Organisation
from tests import factories
from tests.openreferral.api import API, clients
from tests.openreferral.schemas import check

TODAY = date.today()


@pytest.fixture
async def more(app: Litestar, client: httpx.AsyncClient) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    async with clients(app) as make:
        yield make


@pytest.fixture
async def api(more: Callable[..., httpx.AsyncClient]) -> httpx.AsyncClient:
    return more()


def term(taxonomy: str, slug: str) -> str:
    return named_uuid("taxonomy", taxonomy, "term", slug)


async def names(api: httpx.AsyncClient, path: str = "/services", **query: Any) -> list[str]:
    response = await api.get(API + path, params=query)
    assert response.status_code == 200, response.text
    check(path, response.json())
    if path == "/services":
        return [item["name"] for item in response.json()["contents"]]
    return [item["service"]["name"] for item in response.json()["contents"]]


async def test_the_filters_the_profile_names(api: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    other = await factories.organisation()
    swim = await factories.offer(
        org, title="Swimming lessons", type="sport", principles=[5], free=True, min_age=16, max_age=18,
        latitude=51.48, longitude=-3.18, location_name="Cardiff", title_alt="Gwersi nofio",
    )  # fmt: skip
    await factories.offer(
        org, title="Welding apprenticeship", principles=[5, 10], travel_paid=True, min_age=18, max_age=25,
        latitude=53.48, longitude=-2.24, location_name="Manchester",
    )  # fmt: skip
    await factories.offer(other, title="Online mentoring", type="mentoring", principles=[10, 11], remote=True)

    assert await names(api, taxonomy_term_id=term("offer-type", "sport")) == ["Swimming lessons"]
    assert await names(api, taxonomy_term_id=term("charter-principle", "thrive")) == [
        "Welding apprenticeship", "Online mentoring",
    ]  # fmt: skip
    assert await names(api, taxonomy_term_id=term("support", "travel_paid")) == ["Welding apprenticeship"]
    assert await names(api, taxonomy_id=named_uuid("taxonomy", "support")) == [
        "Swimming lessons", "Welding apprenticeship",
    ]  # fmt: skip
    assert await names(api, search="swimming") == ["Swimming lessons"]
    assert await names(api, text="nofio") == ["Swimming lessons"]  # the other language's title, and `text` too
    assert await names(api, search="Welding Apprenticeship") == ["Welding apprenticeship"]
    assert await names(api, organization_id=row_uuid(Kind.organization, other.id)) == ["Online mentoring"]
    assert await names(api, minimum_age=18) == ["Welding apprenticeship"]
    assert await names(api, maximum_age=18) == ["Swimming lessons"]
    assert await names(api, "/service_at_locations", proximity=20_000, near="Cardiff") == ["Swimming lessons"]
    assert await names(api, "/service_at_locations", proximity=20_000, lat=53.5, lng=-2.2) == ["Welding apprenticeship"]
    assert await names(api, proximity=400_000, near="Caerdydd") == ["Swimming lessons", "Welding apprenticeship"]

    # modified_after: only what changed since (a waiting edit is not a change anyone can see).
    later = datetime.now(UTC)
    assert await names(api, modified_after=later.isoformat()) == []
    await Offer.update({Offer.pending: {"title": "Not yet"}}).where(Offer.id == swim.id)
    assert await names(api, modified_after=later.isoformat()) == []
    await Offer.update({Offer.summary: "Now with a coach"}).where(Offer.id == swim.id)
    assert await names(api, modified_after=later.isoformat()) == ["Swimming lessons"]
    assert await names(api, modified_after=later.strftime("%Y-%m-%dT%H:%M:%S.%fZ")) == ["Swimming lessons"]
    assert await names(api, modified_after=(TODAY + timedelta(days=1)).isoformat()) == []


async def test_a_filtered_walk_keeps_its_filters_on_the_next_page(api: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    for n in range(5):
        await factories.offer(org, title=f"Sport {n}", type="sport")
        await factories.offer(org, title=f"Work {n}")
    response = await api.get(f"{API}/services", params={"per_page": 2, "taxonomy_term_id": term("offer-type", "sport")})
    seen: list[str] = []
    while True:
        body = response.json()
        seen += [item["name"] for item in body["contents"]]
        if body["last_page"]:
            break
        assert "taxonomy_term_id=" in response.links["next"]["url"]
        response = await api.get(response.links["next"]["url"])
    assert seen == [f"Sport {n}" for n in range(5)]


async def test_validators_answer_304_until_something_changes(api: httpx.AsyncClient) -> None:
    offer = await factories.offer()
    # Changed a minute ago: a Last-Modified is only given once its second has passed.
    minute_ago = datetime.now(UTC) - timedelta(minutes=1)
    await Offer.update({Offer.public_changed_at: minute_ago}).where(Offer.id == offer.id)
    await Organisation.update({Organisation.public_changed_at: minute_ago}).where(Organisation.id == offer.organisation)
    for path in ("/", "/services", f"/services/{row_uuid(Kind.service, offer.id)}", "/taxonomies",
                 f"/taxonomy_terms/{term('offer-type', 'sport')}", "/service_at_locations"):  # fmt: skip
        first = await api.get(API + path)
        assert first.status_code == 200
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert etag.startswith('W/"') and first.headers["cache-control"] == "public, max-age=60"
        again = await api.get(API + path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        assert (await api.get(API + path, headers={"If-None-Match": f'"other", {etag}'})).status_code == 304
        assert (await api.get(API + path, headers={"If-Modified-Since": modified})).status_code == 304
        assert (await api.get(API + path, headers={"If-None-Match": '"other"'})).status_code == 200
        welsh = await api.get(API + path, headers={"If-None-Match": etag, "Accept-Language": "cy"})
        assert welsh.status_code == 200 and welsh.headers["content-language"] == "cy"  # another language's words

    path = f"{API}/services/{row_uuid(Kind.service, offer.id)}"
    before = await api.get(path)
    await Offer.update({Offer.title: "A better title"}).where(Offer.id == offer.id)
    after = await api.get(path, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.json()["name"] == "A better title"
    assert after.headers["etag"] != before.headers["etag"]
    since = await api.get(path, headers={"If-Modified-Since": before.headers["last-modified"]})
    assert since.status_code == 200
    # Changed within this second (unless it has just ended): no Last-Modified until it has passed, as it could change
    # again within it; once given, it is later than before.
    assert since.headers.get("last-modified") != before.headers["last-modified"]
    # A list's Last-Modified moves when an offer leaves it, though nothing on the page changed.
    listed = await api.get(f"{API}/services")
    await Offer.update({Offer.status: OfferStatus.closed}).where(Offer.id == offer.id)
    assert (await api.get(f"{API}/services", headers={"If-None-Match": listed.headers["etag"]})).status_code == 200


async def test_any_website_may_read_it(api: httpx.AsyncClient) -> None:
    await factories.offer()
    for path, status in (("/services", 200), ("/services/nope", 404), ("/nowhere", 404), ("/services?page=0", 400)):
        response = await api.get(API + path, headers={"Origin": "https://directory.example"})
        assert response.status_code == status
        assert response.headers["access-control-allow-origin"] == "*"
        assert "ETag" in response.headers["access-control-expose-headers"]
        assert "access-control-allow-credentials" not in response.headers
    preflight = await api.options(
        f"{API}/services",
        headers={"Origin": "https://directory.example", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "if-none-match"},
    )  # fmt: skip
    assert preflight.status_code in (200, 204)
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "If-None-Match" in preflight.headers["access-control-allow-headers"]
    # Only the open data: the website itself is not readable from other sites.
    assert "access-control-allow-origin" not in (await api.get("/offers")).headers


async def test_it_is_the_same_for_everyone_and_sets_no_cookie(api: httpx.AsyncClient) -> None:
    await factories.offer()
    response = await api.get(f"{API}/services", headers={"Cookie": "session=whatever"})
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    assert response.headers["content-type"].startswith("application/json")


BAD = [
    ("/services", {"page": "0"}, "page"),
    ("/services", {"page": "two"}, "page"),
    ("/services", {"per_page": "1000"}, "per_page"),
    ("/services", {"per_page": "-1"}, "per_page"),
    ("/services", {"taxonomy_term_id": "sport"}, "taxonomy_term_id"),
    ("/services", {"taxonomy_term_id": "5c4d79d7-cc55-470e-9f1f-8cad074e4892"}, "taxonomy_term_id"),
    ("/services", {"taxonomy_id": "x" * 5000}, "taxonomy_id"),
    ("/services", {"organization_id": "12"}, "organization_id"),
    ("/services", {"modified_after": "last tuesday"}, "modified_after"),
    ("/services", {"modified_after": "0001-01-01T00:00:00+14:00"}, "modified_after"),
    ("/service_at_locations", {"modified_after": "9999-12-31T23:59:59-14:00"}, "modified_after"),
    ("/services", {"search": "swim\x00"}, "search"),
    ("/service_at_locations", {"text": "a\x07b"}, "search"),
    ("/services", {"minimum_age": "old"}, "minimum_age"),
    ("/services", {"maximum_age": "nan"}, "maximum_age"),
    ("/services", {"start_time": "09:00"}, "start_time"),
    ("/services", {"day": "MO"}, "day"),
    ("/services", {"search": "x" * 201}, "search"),
    ("/services", {"after": "nope", "page": "2"}, "after"),
    ("/services", {"after": row_uuid(Kind.service, 3)}, "after"),
    ("/service_at_locations", {"postcode": "CF10 1AA", "proximity": "1000"}, "Postcodes"),
    ("/service_at_locations", {"proximity": "1000"}, "proximity"),
    ("/service_at_locations", {"near": "Cardiff"}, "proximity"),
    ("/service_at_locations", {"near": "Atlantis", "proximity": "1000"}, "Atlantis"),
    ("/service_at_locations", {"lat": "91", "lng": "0", "proximity": "5"}, "lat"),
    ("/service_at_locations", {"proximity": "99999999999999999999", "near": "Cardiff"}, "proximity"),
    ("/taxonomies", {"per_page": "0"}, "per_page"),
]


@pytest.mark.parametrize(("path", "query", "named"), BAD, ids=[f"{p} {q}"[:60] for p, q, _ in BAD])
async def test_odd_parameters_are_a_400_that_says_why(
    api: httpx.AsyncClient, path: str, query: dict[str, str], named: str
) -> None:
    response = await api.get(API + path, params=query)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == 400 and named in body["detail"]


@pytest.mark.parametrize(
    "path",
    ["/services/x", "/services/" + row_uuid(Kind.organization, 1), "/services/" + row_uuid(Kind.service, 2**40),
     "/services/6379666c-6500-8001-8000-000000000000", "/services/" + "a" * 3000,
     "/service_at_locations/" + row_uuid(Kind.service, 1), "/taxonomies/x", "/taxonomy_terms/x"],
)  # fmt: skip
async def test_ids_that_name_nothing_are_a_json_404(api: httpx.AsyncClient, path: str) -> None:
    await factories.offer()  # id 1 exists: it is still not a service_at_location by a service's id
    response = await api.get(API + path)
    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_only_get(api: httpx.AsyncClient) -> None:
    response = await api.post(f"{API}/services")
    assert response.status_code == 405
    assert response.headers["access-control-allow-origin"] == "*"


async def test_each_client_is_limited_on_its_own(app: Litestar, more: Callable[..., httpx.AsyncClient]) -> None:
    usual = app.state.settings
    app.state.settings = dataclasses.replace(usual, openreferral_per_minute=5)
    try:
        greedy, other, ipv6 = more("198.51.100.7"), more("198.51.100.8"), more("2001:db8::1")
        for _ in range(5):
            assert (await greedy.get(f"{API}/")).status_code == 200
        stopped = await greedy.get(f"{API}/taxonomies")
        assert stopped.status_code == 429
        assert stopped.json()["status"] == 429 and "try again" in stopped.json()["detail"]
        assert 1 <= int(stopped.headers["retry-after"]) <= 12
        assert stopped.headers["access-control-allow-origin"] == "*"
        assert (await other.get(f"{API}/")).status_code == 200
        # An IPv6 client's /64 is one client: another address in it shares the bucket.
        for _ in range(5):
            assert (await ipv6.get(f"{API}/")).status_code == 200
        assert (await more("2001:db8::2").get(f"{API}/")).status_code == 429
        assert (await more("2001:db8:0:1::1").get(f"{API}/")).status_code == 200
        # The rest of the site is not limited by it.
        assert (await greedy.get("/offers/1")).status_code in (200, 404)
    finally:
        app.state.settings = usual


async def test_a_next_link_may_only_name_a_service_anyone_can_still_read(api: httpx.AsyncClient) -> None:
    """Else it would tell where (when first published) an offer since taken down sat in the order."""
    now = datetime.now(UTC)
    live = await factories.offer(title="Still live", published_at=now - timedelta(days=3))
    await factories.offer(title="Later", published_at=now - timedelta(days=1))
    gone = await factories.offer(title="Taken down", status=OfferStatus.draft, published_at=now - timedelta(days=2))
    found = await api.get(
        API + "/services", params={"page": 2, "per_page": 1, "after": row_uuid(Kind.service, live.id)}
    )
    assert found.status_code == 200 and [item["name"] for item in found.json()["contents"]] == ["Later"]
    hidden = await api.get(
        API + "/services", params={"page": 2, "per_page": 1, "after": row_uuid(Kind.service, gone.id)}
    )
    assert hidden.status_code == 400 and "start again" in hidden.json()["detail"]
