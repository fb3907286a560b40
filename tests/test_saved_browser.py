"""At phone size: a young person saves an offer from the search results with the heart (htmx swaps just the
heart), finds it under "Saved opportunities", and unsaves it there. Every page is checked with axe-core."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from meilisearch_python_sdk import AsyncClient

from app.offers.indexing import sync_once
from app.offers.reindex import reindex
from app.offers.tables import OfferStatus
from app.outbox.tables import OutboxItem
from app.saved import push
from app.saved.alerts import send_alerts
from app.saved.tables import PushSubscription, SavedOffer, SavedSearch
from app.settings import Settings
from tests import factories
from tests.browser import look, signed_in_as
from tests.people import admin, young_person
from tests.push_service import Browser

pytestmark = pytest.mark.browser


async def test_a_young_person_saves_an_offer_and_finds_it_again(
    live_server: str, page: Any, search: AsyncClient
) -> None:
    offer = await factories.offer(title="Free swimming at the leisure centre", title_alt="Nofio am ddim")
    await factories.offer(title="Climbing wall taster")
    await reindex(search, date.today())
    user_id, _ = await young_person("sam@example.org", "Sam")
    await signed_in_as(page, live_server, user_id)

    await page.goto(f"{live_server}/offers?q=swimming")
    card = page.locator(".card", has_text="Free swimming")
    await card.get_by_role("button", name="Save Free swimming at the leisure centre").click()
    await card.locator(".heart__button[aria-pressed=true]").wait_for()
    assert page.url.endswith("/offers?q=swimming"), "htmx: the page stays where it was"
    assert await SavedOffer.count().where(SavedOffer.offer == offer.id) == 1
    await look(page, "search-saved-heart")

    await page.goto(f"{live_server}/me/saved")
    await page.get_by_role("link", name="Free swimming at the leisure centre").wait_for()
    await look(page, "me-saved")
    await page.get_by_role("button", name="Save Free swimming at the leisure centre").click()
    await page.locator(".heart__button[aria-pressed=false]").wait_for()
    assert await SavedOffer.count() == 0

    await page.goto(f"{live_server}/me/saved?lang=cy")
    await page.get_by_text("Dim byd wedi’i gadw eto.").wait_for()
    await look(page, "me-saved-empty-welsh")


async def test_a_young_person_saves_a_search_and_changes_how_often_to_hear(
    live_server: str, page: Any, search: AsyncClient
) -> None:
    await factories.offer(title="Free swimming at the leisure centre")
    await reindex(search, date.today())
    user_id, _ = await young_person("sam@example.org", "Sam")
    await signed_in_as(page, live_server, user_id)

    await page.goto(f"{live_server}/offers?q=swimming&near=Cardiff")
    await page.get_by_role("link", name="Save this search").click()
    await page.get_by_label("Name").wait_for()
    assert await page.get_by_label("Name").input_value() == "swimming near Cardiff"
    await look(page, "save-search")
    await page.get_by_label("Once a week").check()
    await page.get_by_role("button", name="Save this search").click()
    await page.wait_for_url("**/me/searches")
    await page.get_by_role("heading", name="swimming near Cardiff").wait_for()
    await page.get_by_text("Change or delete").click()
    await look(page, "saved-searches")
    await page.get_by_label("Pause it: tell me nothing for now").check()
    await page.get_by_role("button", name="Save changes").click()
    await page.get_by_text("Paused").wait_for()
    await page.get_by_role("link", name="See the results").click()
    await page.wait_for_url("**/offers?q=swimming&near=Cardiff&radius_km=25")


async def test_a_saved_search_hears_of_a_new_offer_the_team_approves(
    live_server: str, page: Any, another_phone: Any, search: AsyncClient, settings: Settings
) -> None:
    await reindex(search, date.today())
    user_id, _ = await young_person("sam@example.org", "Sam")
    await signed_in_as(page, live_server, user_id)
    await page.goto(f"{live_server}/offers?q=climbing")
    await page.get_by_role("link", name="Save this search").click()
    await page.get_by_label("As soon as there is one").check()
    await page.get_by_role("button", name="Save this search").click()
    await page.wait_for_url("**/me/searches")

    # A provider's offer waits for the team, which approves it on another phone.
    offer = await factories.offer(title="Climbing wall taster", status=OfferStatus.in_review, published_at=None)
    team = await another_phone()
    await signed_in_as(team, live_server, await admin())
    await team.goto(f"{live_server}/admin/offers/{offer.id}")
    await team.get_by_role("button", name="Approve and publish").click()
    await team.wait_for_selector("text=Nothing to review")
    await sync_once(search, date.today())  # the worker, in production on its own
    assert await send_alerts(search, settings, datetime.now(UTC)) == 1

    await page.goto(f"{live_server}/dev/mail")
    message = page.locator("article", has_text="sam@example.org").first
    await message.get_by_text("Climbing wall taster").wait_for()
    await look(page, "dev-mail-alert")
    link = await message.locator(f"a[href$='/offers/{offer.id}']").first.get_attribute("href")
    stop = await message.locator("a[href*='/alerts/unsubscribe/']").first.get_attribute("href")
    await page.goto(live_server + urlsplit(link).path)  # the mail was made here, for this test's BASE_URL
    await page.locator("h1", has_text="Climbing wall taster").wait_for()

    # The alert's own "stop all of these emails" link, opened in a browser: it asks first.
    anyone = await another_phone()
    await anyone.goto(live_server + urlsplit(stop).path)
    await look(anyone, "alerts-unsubscribe")
    await anyone.get_by_role("button", name="Stop alerts").click()
    await anyone.get_by_text("we will send you no more alerts").wait_for()
    await look(anyone, "alerts-unsubscribed")
    assert (await SavedSearch.select(SavedSearch.paused).first())["paused"]


async def test_notifications_are_offered_here_and_a_note_shows_on_the_phone(
    live_server: str, page: Any, settings: Settings
) -> None:
    """Chromium here has no push service to subscribe to (and none in a private window), so pressing the button
    says plainly it could not; the note itself is what push.py queues, delivered to the page's service worker as
    a push service would (DevTools' ServiceWorker.deliverPushMessage), and shown."""
    user_id, _ = await young_person("sam@example.org", "Sam")
    await SavedSearch.insert(SavedSearch(user=user_id, name="Swims", query="q=swim", frequency="now"))
    await signed_in_as(page, live_server, user_id)
    await page.context.grant_permissions(["notifications"], origin=live_server)
    page.problems.expect("does not support the Push API in incognito mode")
    cdp = await page.context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    await cdp.send("ServiceWorker.enable")

    await page.goto(f"{live_server}/me/searches")
    section = page.locator("#push")
    await section.wait_for()
    await look(page, "saved-searches-notifications")
    await page.get_by_role("button", name="Turn on notifications").click()
    await section.get_by_text("Notifications could not be turned on in this browser. Email still works.").wait_for()
    assert await PushSubscription.count() == 0

    await PushSubscription.insert(
        PushSubscription(user=user_id, **dict(zip(("endpoint", "p256dh", "auth"), _a_phone(), strict=True)))
    )
    await push.queue(settings, user_id, 2, f"{live_server}/me/searches")
    note = (await OutboxItem.select(OutboxItem.payload).where(OutboxItem.topic == push.TOPIC).first())["payload"]
    note = (json.loads(note) if isinstance(note, str) else note)["note"]
    await page.wait_for_function("navigator.serviceWorker.controller !== null")
    registration = next(r for r in registrations if r["scopeURL"] == f"{live_server}/" and not r["isDeleted"])
    await cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server, "registrationId": registration["registrationId"], "data": json.dumps(note)},
    )
    shown = "navigator.serviceWorker.ready.then(r => r.getNotifications())"
    for _ in range(100):  # until the service worker has shown it
        notes = await page.evaluate(f"{shown}.then(notes => notes.map(n => [n.title, n.body, n.data.url]))")
        if notes:
            break
        await asyncio.sleep(0.05)
    assert notes == [["New on Cyfle", "2 new opportunities match your saved searches.", f"{live_server}/me/searches"]]


def _a_phone() -> tuple[str, str, str]:
    subscription = Browser("https://fcm.googleapis.com/fcm/send/phone").subscription()
    return subscription["endpoint"], subscription["keys"]["p256dh"], subscription["keys"]["auth"]
