"""Saved searches: saved from the search page's own query string (a place by name, never where someone is),
renamed, paused and deleted by their owner only, with a count of new matches since last looked."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from meilisearch_python_sdk import AsyncClient

from app.offers.reindex import reindex
from app.saved import searches
from app.saved.tables import SavedSearch
from tests import factories
from tests.people import post, sign_in, signed_in_young_person, young_person

TODAY = date.today()


async def test_a_search_is_saved_as_the_search_page_asked_it(new_client) -> None:
    user_id, client = await signed_in_young_person(new_client)
    form = BeautifulSoup(
        (await client.get("/me/searches/new?q=swimming&type=sport&near=Cardiff&radius_km=10&page=3")).text,
        "html.parser",
    )
    assert form.select_one("#f-name")["value"] == "swimming near Cardiff"
    saved_query = form.select_one("input[name=query]")["value"]
    assert saved_query == "q=swimming&type=sport&near=Cardiff&radius_km=10", "the first page, checked"
    response = await post(client, "/me/searches", {"query": saved_query, "name": "Swims", "frequency": "weekly"})
    assert response.status_code == 303 and response.headers["location"] == "/me/searches"
    row = await SavedSearch.select().where(SavedSearch.user == user_id).first()
    assert (row["name"], row["query"], row["frequency"], row["paused"]) == ("Swims", saved_query, "weekly", False)


async def test_where_someone_is_is_never_saved(new_client) -> None:
    _, client = await signed_in_young_person(new_client)
    await post(
        client, "/me/searches", {"query": "q=gym&lat=51.48&lng=-3.18&radius_km=5", "name": "Gym", "frequency": "daily"}
    )
    assert (await SavedSearch.select(SavedSearch.query).first())["query"] == "q=gym"


async def test_bad_answers_are_named_and_save_nothing(new_client) -> None:
    _, client = await signed_in_young_person(new_client)
    bad = [
        ({"name": "", "frequency": "daily"}, "name"),
        ({"name": "x" * 81, "frequency": "daily"}, "name"),
        ({"name": "Gym", "frequency": "hourly"}, "frequency"),
    ]
    for data, field in bad:
        response = await post(client, "/me/searches", {"query": "q=gym"} | data)
        assert response.status_code == 422
        assert BeautifulSoup(response.text, "html.parser").select_one(f"#f-{field}-error") is not None
    assert await SavedSearch.count() == 0


async def test_only_its_owner_renames_pauses_or_deletes_it(new_client) -> None:
    owner, client = await signed_in_young_person(new_client)
    _, stranger = await signed_in_young_person(new_client, "other@example.org")
    kept = await SavedSearch.insert(SavedSearch(user=owner, name="Swims", query="q=swim")).returning(SavedSearch.id)
    search_id = kept[0]["id"]
    change = {"name": "Pools", "frequency": "now", "paused": "on"}
    assert (await post(stranger, f"/me/searches/{search_id}", change)).status_code == 404
    assert (await post(stranger, f"/me/searches/{search_id}/delete", {})).status_code == 404
    assert (await stranger.get(f"/me/searches/{search_id}/results")).status_code == 404
    assert (await post(client, f"/me/searches/{search_id}", change)).status_code == 303
    row = await SavedSearch.select().first()
    assert (row["name"], row["frequency"], row["paused"]) == ("Pools", "now", True)
    assert (await post(client, f"/me/searches/{search_id}", {"name": "", "frequency": "now"})).status_code == 422
    assert (await SavedSearch.select(SavedSearch.name).first())["name"] == "Pools"
    assert (await post(client, f"/me/searches/{search_id}/delete", {})).status_code == 303
    assert await SavedSearch.count() == 0


async def test_the_list_counts_what_is_new_since_its_results_were_last_seen(new_client, search: AsyncClient) -> None:
    user_id, client = await signed_in_young_person(new_client)
    seen = datetime.now(UTC) - timedelta(days=1)
    await factories.offer(title="Old swim", published_at=seen - timedelta(days=2))
    await factories.offer(title="New swim", published_at=seen + timedelta(hours=2))
    await factories.offer(title="New gig", published_at=seen + timedelta(hours=2))
    await reindex(search, TODAY)
    await SavedSearch.insert(SavedSearch(user=user_id, name="Swims", query="q=swim", seen_at=seen))
    [counted] = await searches.with_new_counts(search, await searches.mine(user_id), TODAY)
    assert counted.new == 1
    page = BeautifulSoup((await client.get("/me/searches")).text, "html.parser")
    link = page.select_one(".card a[href$='/results']")
    assert link.get_text(strip=True) == "See the results: 1 new"
    opened = await client.get(link["href"])
    assert opened.status_code == 303 and opened.headers["location"] == "/offers?q=swim"
    [kept] = await searches.with_new_counts(search, await searches.mine(user_id), TODAY)
    assert kept.new == 0, "looked at: nothing is new any more"


async def test_someone_not_signed_in_signs_in_and_comes_back_to_the_same_search(new_client, search) -> None:
    client = new_client()
    page = BeautifulSoup((await client.get("/offers?q=swimming&type=sport&near=Cardiff")).text, "html.parser")
    link = page.select_one("a.results__save")["href"]
    assert link.startswith("/sign-in?next=")
    next_path = parse_qs(urlsplit(link).query)["next"][0]
    assert next_path.startswith("/me/searches/new?") and "q=swimming" in next_path and "near=Cardiff" in next_path
    await young_person("sam@example.org", "Sam")
    back = await sign_in(client, "sam@example.org", next_path)
    assert back.status_code == 303 and back.headers["location"] == next_path
    form = BeautifulSoup((await client.get(back.headers["location"])).text, "html.parser")
    assert form.select_one("input[name=query]")["value"] == "q=swimming&type=sport&near=Cardiff&radius_km=25"
