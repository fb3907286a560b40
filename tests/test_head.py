"""HEAD on every GET route answers as the GET would, without the body (tests/test_access.py tries it on every GET
route for every kind of person); here what a monitor or link checker sees, and what the log says."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests import factories


async def test_head_on_a_page_has_the_get_status_and_headers_and_no_body(new_client, search) -> None:
    offer = await factories.offer(await factories.organisation())
    client = new_client()
    for path in ("/", f"/offers/{offer.id}", "/offers?q=swim", "/charter.csv", "/robots.txt"):
        got, head = await client.get(path), await client.head(path)
        assert (head.status_code, head.content) == (got.status_code, b""), path
        for name in ("content-type", "content-language", "content-security-policy", "cache-control", "vary"):
            assert head.headers.get(name) == got.headers.get(name), f"{path}: {name}"


async def test_head_says_the_same_about_what_is_missing_or_not_allowed(client: httpx.AsyncClient) -> None:
    missing = await client.head("/offers/2147483647")
    assert (missing.status_code, missing.content) == (404, b"")
    signed_out = await client.head("/me/codes")
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/sign-in?next=")
    post_only = await client.head("/sign-out")
    assert post_only.status_code == 405 and post_only.content == b""
    static = await client.head("/static/css/app.css")
    assert static.status_code == 200 and static.content == b"" and static.headers["content-type"].startswith("text/css")


async def test_the_access_log_says_head(new_client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        await new_client().head("/sign-in")
        await new_client().head("/no-such-page")
    access = [record.getMessage() for record in caplog.records if record.name == "app.access"]
    assert access == ['"HEAD /sign-in" 200', '"HEAD (no route)" 404']


async def test_the_served_app_sends_no_body_to_head(live_server: str) -> None:
    """Through uvicorn, as in production: the length is the page's, and no content follows it."""
    async with httpx.AsyncClient(base_url=live_server) as client:
        got, head = await client.get("/sign-in"), await client.head("/sign-in")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


async def test_a_head_notes_nothing_that_its_get_would(new_client) -> None:
    """A visit to an offer's page, going on to apply, opening a suggestion or a saved search: an uptime monitor or
    a link checker asking with HEAD (even with someone's session) is answered, and nothing is noted."""
    from datetime import UTC, datetime, timedelta

    from app.advisers.tables import Suggestion
    from app.saved.tables import SavedSearch
    from app.uptake.tables import OfferView, UptakeEvent
    from tests.test_adviser_nudges import _suggested
    from tests.test_advisers import _linked

    _org, _adviser, client, link_id, _yp = await _linked(new_client)
    offer = await factories.offer(apply_method="external", apply_url="https://careers.example/apply/9")
    await _suggested(link_id, "Bake with us")
    suggestion = (await Suggestion.select(Suggestion.id).first())["id"]
    user_id = await _user_of(client)
    seen = datetime.now(UTC) - timedelta(days=3)
    search = (
        await SavedSearch.insert(SavedSearch(user=user_id, name="Bakes", query="q=bake", seen_at=seen)).returning(
            SavedSearch.id
        )
    )[0]["id"]

    for path in (f"/offers/{offer.id}", f"/offers/{offer.id}/go", f"/me/suggestions/{suggestion}",
                 f"/me/searches/{search}/results"):  # fmt: skip
        head = await client.head(path)
        assert head.status_code in (200, 303) and head.content == b"", path
    assert await OfferView.count() == 0
    assert await UptakeEvent.count().where(UptakeEvent.kind == "went_to_apply") == 0
    assert (await Suggestion.select(Suggestion.opened_at).first())["opened_at"] is None
    assert (await SavedSearch.select(SavedSearch.seen_at).first())["seen_at"] == seen

    # The same GETs note each one.
    for path in (f"/offers/{offer.id}", f"/offers/{offer.id}/go", f"/me/suggestions/{suggestion}",
                 f"/me/searches/{search}/results"):  # fmt: skip
        assert (await client.get(path)).status_code in (200, 303), path
    assert await OfferView.count() == 1
    assert await UptakeEvent.count().where(UptakeEvent.kind == "went_to_apply") == 1
    assert (await Suggestion.select(Suggestion.opened_at).first())["opened_at"] is not None
    assert (await SavedSearch.select(SavedSearch.seen_at).first())["seen_at"] > seen


async def _user_of(client: httpx.AsyncClient) -> int:
    from app.accounts.tables import User

    row = await User.select(User.id).where(User.email == "sam@example.org").first()
    return int(row["id"])
