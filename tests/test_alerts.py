"""Alerts for saved searches: exactly the new matching offers, once; paused and unsubscribed searches say nothing;
daily and weekly by the calendar in Europe/London; one-click unsubscribe with a POST and no cookies."""

import json
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from meilisearch_python_sdk import AsyncClient

from app.accounts.tables import User
from app.core.auth import Principal
from app.mail.service import Mail, _message
from app.mail.tables import MailMessage
from app.offers import moderation
from app.offers.indexing import offer_changed, sync_once
from app.offers.reindex import reindex
from app.offers.tables import Offer, OfferStatus
from app.saved.alerts import is_due, send_alerts, unsubscribe_token
from app.saved.tables import SavedSearch
from app.settings import Settings
from tests import factories, people
from tests.people import young_person

TODAY = date.today()


async def _saved(email: str, query: str, told_at: datetime, frequency: str = "now", **fields: object) -> int:
    user_id, _ = await young_person(email, "Sam")
    await SavedSearch.insert(
        SavedSearch(user=user_id, name="Swims", query=query, frequency=frequency, told_at=told_at, **fields)
    )
    return user_id


async def test_a_saved_search_is_told_about_new_matching_offers_once(settings: Settings, search: AsyncClient) -> None:
    now = datetime.now(UTC)
    await factories.offer(title="Old swim", published_at=now - timedelta(days=3))
    new = await factories.offer(
        title="New swim", language="en", title_alt="Nofio newydd", published_at=now - timedelta(hours=1)
    )
    await factories.offer(title="New gig", published_at=now - timedelta(hours=1))
    await reindex(search, TODAY)
    english = await _saved("sam@example.org", "q=swim", now - timedelta(days=1))
    welsh = await _saved("cai@example.org", "q=nofio", now - timedelta(days=1))
    await User.update({User.locale: "cy"}).where(User.id == welsh)
    await _saved("paused@example.org", "q=swim", now - timedelta(days=1), paused=True)

    assert await send_alerts(search, settings, now) == 2
    mails = {row["recipient"]: row for row in await MailMessage.select()}
    assert set(mails) == {"sam@example.org", "cai@example.org"}, "a paused search says nothing"
    assert "New swim" in mails["sam@example.org"]["body"] and "Old swim" not in mails["sam@example.org"]["body"]
    assert "New gig" not in mails["sam@example.org"]["body"]
    assert f"/offers/{new.id}" in mails["sam@example.org"]["body"]
    assert "Nofio newydd" in mails["cai@example.org"]["body"], "titles in the reader's language"
    assert mails["sam@example.org"]["unsubscribe"].endswith(
        f"/alerts/unsubscribe/{english}/{unsubscribe_token(settings, english)}"
    )

    await SavedSearch.update({SavedSearch.told_at: now - timedelta(days=1)}, force=True)  # as if told long ago
    assert await send_alerts(search, settings, now + timedelta(minutes=5)) == 0, "never twice for the same offer"


async def test_an_offer_withdrawn_before_the_run_is_not_sent(settings: Settings, search: AsyncClient) -> None:
    now = datetime.now(UTC)
    offer = await factories.offer(title="Swim that closed", published_at=now - timedelta(hours=1))
    await reindex(search, TODAY)
    await _saved("sam@example.org", "q=swim", now - timedelta(days=1))
    await Offer.update({Offer.status: OfferStatus.closed}).where(Offer.id == offer.id)
    await offer_changed(offer.id)
    await sync_once(search, TODAY)
    assert await send_alerts(search, settings, now) == 0


async def test_an_offer_findable_again_is_new_again(settings: Settings, search: AsyncClient) -> None:
    """Reopened: taken down and approved again, or past its closing date and approved with a later one."""
    now = datetime.now(UTC)
    admin = Principal(await people.admin(), "admin@cyfle.test", "Team")
    taken_down = await factories.offer(
        title="Swim back again", status=OfferStatus.in_review, published_at=now - timedelta(days=30)
    )
    lapsed = await factories.offer(
        title="Swim extended",
        published_at=now - timedelta(days=30),
        closes_on=TODAY - timedelta(days=1),
        changed_since_review=True,
        pending=json.dumps({"closes_on": (TODAY + timedelta(days=20)).isoformat()}),
    )
    live = await factories.offer(
        title="Swim edited",
        published_at=now - timedelta(days=30),
        changed_since_review=True,
        pending=json.dumps({"summary": "Now with a lesson"}),
    )
    await _saved("sam@example.org", "q=swim", now - timedelta(days=1))
    for offer in (taken_down, lapsed, live):
        version = (await Offer.select(Offer.updated_at).where(Offer.id == offer.id).first())["updated_at"]
        await moderation.approve(settings, admin, offer.id, version.isoformat(), TODAY)
    await reindex(search, TODAY)

    assert await send_alerts(search, settings, datetime.now(UTC)) == 1
    body = (await MailMessage.select(MailMessage.body).first())["body"]
    assert "Swim back again" in body and "Swim extended" in body
    assert "Swim edited" not in body, "an edit to an offer that stayed findable is not news"


def test_daily_and_weekly_go_by_the_day_in_london() -> None:
    told = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London (summer time)
    assert not is_due("daily", told, datetime(2026, 7, 2, 22, 59, tzinfo=UTC)), "still 2 July in London"
    assert is_due("daily", told, datetime(2026, 7, 2, 23, 1, tzinfo=UTC)), "3 July in London"
    assert is_due("now", told, told)
    winter = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 23:30 on 1 December in London (GMT)
    assert is_due("daily", winter, datetime(2026, 12, 2, 0, 1, tzinfo=UTC))
    assert not is_due("weekly", winter, datetime(2026, 12, 7, 23, 59, tzinfo=UTC))
    assert is_due("weekly", winter, datetime(2026, 12, 8, 0, 0, tzinfo=UTC))


async def test_one_click_unsubscribe_needs_no_cookies_and_a_right_key(settings: Settings, app) -> None:
    user_id = await _saved("sam@example.org", "q=swim", datetime.now(UTC), frequency="daily")
    key = unsubscribe_token(settings, user_id)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as bare:
        wrong = await bare.post(f"/alerts/unsubscribe/{user_id}/{'0' * 32}", data={"List-Unsubscribe": "One-Click"})
        assert wrong.status_code == 404 and not (await SavedSearch.select(SavedSearch.paused).first())["paused"]
        asked = await bare.get(f"/alerts/unsubscribe/{user_id}/{key}")
        assert asked.status_code == 200 and not (await SavedSearch.select(SavedSearch.paused).first())["paused"]
        odd = await bare.post(f"/alerts/unsubscribe/{user_id}/{'%C3%A9' * 16}")  # altered by hand: not an error
        assert odd.status_code == 404 and not (await SavedSearch.select(SavedSearch.paused).first())["paused"]
        done = await bare.post(f"/alerts/unsubscribe/{user_id}/{key}", data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and (await SavedSearch.select(SavedSearch.paused).first())["paused"]


@pytest.mark.parametrize("link", ["", "https://cyfle.example/alerts/unsubscribe/1/abc"])
def test_alert_mail_carries_the_one_click_headers(settings: Settings, link: str) -> None:
    mail = Mail(1, "sam@example.org", "New", "Body", datetime.now(UTC), None, unsubscribe=link)
    message = _message(settings, mail)
    assert message.get("List-Unsubscribe") == (f"<{link}>" if link else None)
    assert message.get("List-Unsubscribe-Post") == ("List-Unsubscribe=One-Click" if link else None)


async def test_searches_kept_with_the_same_words_each_hear_from_their_own_last_alert(
    settings: Settings, search: AsyncClient
) -> None:
    now = datetime.now(UTC)
    await factories.offer(title="Swim two hours ago", published_at=now - timedelta(hours=2))
    await factories.offer(title="Swim a minute ago", published_at=now - timedelta(minutes=1))
    await reindex(search, TODAY)
    await _saved("long@example.org", "q=swim", now - timedelta(days=1))
    await _saved("lately@example.org", "q=swim", now - timedelta(minutes=10))
    assert await send_alerts(search, settings, now) == 2
    bodies = {row["recipient"]: row["body"] for row in await MailMessage.select()}
    assert "Swim two hours ago" in bodies["long@example.org"] and "Swim a minute ago" in bodies["long@example.org"]
    assert (
        "Swim two hours ago" not in bodies["lately@example.org"] and "Swim a minute ago" in bodies["lately@example.org"]
    )
