"""Web push for saved searches: turned on per browser by its owner, only to real push services, and a note that
says how many new offers there are and nothing else (read here as the phone would, after decryption)."""

from datetime import UTC, date, datetime, timedelta

import httpx
from meilisearch_python_sdk import AsyncClient

from app.accounts.tables import User
from app.offers.reindex import reindex
from app.outbox.tables import OutboxItem
from app.saved import push
from app.saved.alerts import send_alerts
from app.saved.tables import PushSubscription, SavedSearch
from app.settings import Settings
from tests import factories
from tests.people import csrf, signed_in_young_person
from tests.push_service import Browser, push_service, signed_by_us

TODAY = date.today()


async def _tell(client: httpx.AsyncClient, url: str, body: object) -> httpx.Response:
    """As static/js/push.js posts: JSON, with the CSRF token in its header."""
    return await client.post(url, json=body, headers={"x-csrftoken": await csrf(client)})


async def test_a_browser_is_turned_on_and_off_by_its_owner(new_client) -> None:
    user_id, client = await signed_in_young_person(new_client)
    browser = Browser("https://fcm.googleapis.com/fcm/send/abc123")
    assert (await _tell(client, "/me/push", browser.subscription())).status_code == 204
    assert (await _tell(client, "/me/push", browser.subscription())).status_code == 204, "twice is still one"
    rows = await PushSubscription.select().where(PushSubscription.user == user_id)
    assert [row["endpoint"] for row in rows] == [browser.endpoint]

    _, other = await signed_in_young_person(new_client, "cai@example.org")
    assert (await _tell(other, "/me/push/off", {"endpoint": browser.endpoint})).status_code == 204
    assert await push.phones(user_id) == 1, "nobody else can turn it off"
    assert (await _tell(client, "/me/push/off", {"endpoint": browser.endpoint})).status_code == 204
    assert await push.phones(user_id) == 0


async def test_only_real_push_services_and_well_formed_keys(new_client) -> None:
    _, client = await signed_in_young_person(new_client)
    good = Browser("https://updates.push.services.mozilla.com/wpush/v2/abc").subscription()
    for bad in (
        {**good, "endpoint": "https://169.254.169.254/latest/meta-data"},  # the worker would post anywhere
        {**good, "endpoint": "http://updates.push.services.mozilla.com/wpush/v2/abc"},
        {**good, "endpoint": "https://evil.example/fcm.googleapis.com"},
        {**good, "endpoint": "https://[::1]@fcm.googleapis.com/"},
        {**good, "endpoint": "https://127.0.0.1\\@fcm.googleapis.com/x"},
        {**good, "endpoint": "https://fcm.googleapis.com:9/x"},
        {**good, "endpoint": "https://storage.googleapis.com/bucket/x"},
        {**good, "keys": {"p256dh": "not-a-key", "auth": good["keys"]["auth"]}},
        {**good, "keys": {"p256dh": good["keys"]["p256dh"], "auth": "c2hvcnQ"}},
        {"endpoint": good["endpoint"]},
        ["not", "an", "object"],
    ):
        response = await _tell(client, "/me/push", bad)
        assert response.status_code == 400, bad
    response = await client.post(
        "/me/push",
        content=b"{not json",
        headers={"x-csrftoken": await csrf(client), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert await PushSubscription.count() == 0
    assert (await client.post("/me/push", json=good)).status_code == 403, "no CSRF token, no change"


async def test_a_phone_hears_how_many_new_offers_and_nothing_more(
    new_client, settings: Settings, search: AsyncClient
) -> None:
    now = datetime.now(UTC)
    await factories.offer(title="Swimming for care leavers", published_at=now - timedelta(hours=1))
    await factories.offer(title="Swim lessons", published_at=now - timedelta(hours=1))
    await reindex(search, TODAY)
    user_id, client = await signed_in_young_person(new_client)
    await User.update({User.locale: "cy"}).where(User.id == user_id)
    await SavedSearch.insert(
        SavedSearch(
            user=user_id, name="Leaving care swims", query="q=swim", frequency="now", told_at=now - timedelta(days=1)
        )
    )
    async with push_service() as service:
        phone, laptop = Browser(f"{service.url}/push/phone"), Browser(f"{service.url}/push/laptop")
        for browser in (phone, laptop):
            assert (await _tell(client, "/me/push", browser.subscription())).status_code == 204

        assert await send_alerts(search, settings, now) == 1
        assert await push.deliver_once(settings) == 2
        assert len(service.received) == 2
        for browser, received in zip((phone, laptop), service.received, strict=True):
            assert signed_by_us(received, push.public_key(settings))
            assert int(received.headers["TTL"]) == push.KEPT_S
            note = browser.read(received)
            assert note == {
                "title": "Newydd ar Cyfle",
                "body": "Mae 2 gyfle newydd yn cyfateb i’ch chwiliadau wedi’u cadw.",
                "url": f"{settings.base_url}/me/searches",
            }, "in their language, a count, and where to look"
            said = " ".join(note.values()).lower()
            assert "care" not in said and "swim" not in said, "nothing searched, nothing about care"
        assert await push.deliver_once(settings) == 0, "each note goes once"


async def test_a_forgotten_browser_is_dropped_and_a_service_away_is_tried_again(new_client, settings: Settings) -> None:
    user_id, client = await signed_in_young_person(new_client)
    async with push_service() as service:
        gone, later = Browser(f"{service.url}/push/gone"), Browser(f"{service.url}/push/later")
        await _tell(client, "/me/push", gone.subscription())
        service.answer = 410
        await push.queue(settings, user_id, 3, f"{settings.base_url}/me/searches")
        await push.deliver_once(settings)
        assert await push.phones(user_id) == 0, "410 Gone: the browser unsubscribed"

        await _tell(client, "/me/push", later.subscription())
        service.answer = 503
        await push.queue(settings, user_id, 3, f"{settings.base_url}/me/searches")
        await push.deliver_once(settings)
        waiting = await OutboxItem.select().where((OutboxItem.topic == push.TOPIC) & OutboxItem.done_at.is_null())
        assert len(waiting) == 1 and "503" in waiting[0]["last_error"], "kept, to try again after a pause"
        assert await push.phones(user_id) == 1


async def test_a_note_that_can_never_go_is_set_aside_and_the_others_still_go(new_client, settings: Settings) -> None:
    user_id, _ = await signed_in_young_person(new_client)
    other_id, other = await signed_in_young_person(new_client, "cai@example.org")
    async with push_service() as service:
        # An address that slipped past the checks of an earlier version, queued first.
        bad = Browser("https://[::1]@fcm.googleapis.com/").subscription()
        await PushSubscription.insert(
            PushSubscription(
                user=user_id, endpoint=bad["endpoint"], p256dh=bad["keys"]["p256dh"], auth=bad["keys"]["auth"]
            )
        )
        await push.queue(settings, user_id, 1, f"{settings.base_url}/me/searches")
        fine = Browser(f"{service.url}/push/fine")
        await _tell(other, "/me/push", fine.subscription())
        await push.queue(settings, other_id, 2, f"{settings.base_url}/me/searches")
        assert await push.deliver_once(settings) == 2
        assert len(service.received) == 1, "the other person's note went"
        left = await OutboxItem.select().where((OutboxItem.topic == push.TOPIC) & OutboxItem.done_at.is_null())
        assert left == [], "the bad one is set aside, not retried forever"
