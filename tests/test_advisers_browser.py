"""At phone size: a young person links their personal adviser, the adviser accepts and suggests an opportunity, the
young person opens it, applies and shares the application, and the adviser sees it move on when the provider moves
it. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from app.accounts.tables import User
from app.applications.tables import Application
from tests import factories
from tests.browser import look, signed_in_as
from tests.people import member, young_person

pytestmark = pytest.mark.browser


async def test_a_young_person_links_their_adviser_who_suggests_and_follows(
    live_server: str, page: Any, another_phone: Any
) -> None:
    council = await factories.organisation(kind="council", name="Rhondda Cynon Taf Council")
    adviser_id = await member(council, "sian@rct.example", "adviser")
    await User.update({User.display_name: "Siân"}).where(User.id == adviser_id)
    provider = await factories.organisation(kind="employer", name="Cwm Builders")
    owner_id = await member(provider, "boss@cwm.example", "owner")
    offer = await factories.offer(provider, title="Bricklaying apprenticeship")
    ffion, _ = await young_person("ffion@example.org", "Ffion", verified_until=date.today() + timedelta(days=400))

    # Ffion links Siân, by her work email.
    await signed_in_as(page, live_server, ffion)
    await page.goto(live_server + "/me")
    await page.get_by_role("link", name="Your adviser").click()
    await page.get_by_label("Your adviser's work email, or their link code").fill("sian@rct.example")
    await page.get_by_label("Email me when they suggest an opportunity").check()
    await page.get_by_role("button", name="Ask them to link").click()
    await page.wait_for_selector("text=We have asked your adviser to accept")
    await look(page, "me-advisers-asked")

    # Siân accepts, on her phone, and suggests the apprenticeship with a note.
    siân = await another_phone()
    await signed_in_as(siân, live_server, adviser_id)
    await siân.goto(f"{live_server}/organisations/{council.id}")
    await siân.get_by_role("link", name="Young people you advise").click()
    await look(siân, "advising-request")
    await siân.get_by_role("button", name="Accept").click()
    await siân.wait_for_selector("h1:has-text('Ffion')")
    await look(siân, "advising-person-empty")
    await siân.goto(f"{live_server}/offers/{offer.id}")
    await siân.get_by_label("Ffion").check()
    await siân.get_by_label("A note for them (optional)").fill("You said you like building. Shall we talk Thursday?")
    await look(siân, "offer-suggest")
    await siân.get_by_role("button", name="Suggest it").click()
    await siân.wait_for_selector("text=Sent to 1 young person")
    await look(siân, "advising-suggested")

    # Ffion sees it, opens it, applies and shares that application.
    await page.goto(live_server + "/me")
    await look(page, "me-suggested")
    await page.get_by_role("link", name="Bricklaying apprenticeship").click()
    await page.wait_for_selector("text=You said you like building.")
    await look(page, "me-suggestion")
    await page.get_by_role("link", name="See it and apply").click()
    await page.get_by_role("link", name="Apply", exact=True).click()
    await page.get_by_role("button", name="Send my application").click()
    await page.wait_for_url("**/me/applications")
    await page.goto(live_server + "/me/advisers")
    await page.get_by_role("link", name="Choose what they see").click()
    await page.get_by_label("Only the ones I tick below").first.check()
    await page.get_by_label("Bricklaying apprenticeship").check()
    await look(page, "me-adviser-sharing")
    await page.get_by_role("button", name="Save what they see").click()
    await page.wait_for_selector("text=Siân sees just this from now on")

    await siân.goto(f"{live_server}/organisations/{council.id}/advising")
    await siân.get_by_role("link", name="Ffion").click()
    shared = siân.locator("section.panel + h2 + ul .card")
    assert "New" in await shared.first.inner_text()
    assert await siân.locator("text=Opened").count() == 1

    # The provider moves it on; Siân sees the stage move.
    application = await Application.select(Application.id).first()
    desk = await another_phone(desktop=True)
    await signed_in_as(desk, live_server, owner_id)
    await desk.goto(f"{live_server}/organisations/{provider.id}/applications/{application['id']}")
    await desk.get_by_label("In review").check()
    await desk.get_by_role("button", name="Move it on").click()
    await desk.wait_for_selector("text=In review")
    await siân.reload()
    assert "In review" in await shared.first.inner_text()
    await look(siân, "advising-person-shared")

    # Ffion unlinks her: at once, Siân sees nothing of hers.
    await page.goto(live_server + "/me/advisers")
    await page.get_by_role("button", name="Unlink Siân").click()
    await page.wait_for_selector("text=Link an adviser")
    assert (await siân.request.get(siân.url)).status == 404
    await siân.goto(f"{live_server}/organisations/{council.id}/advising")
    assert await siân.locator("text=Ffion").count() == 0
    await look(siân, "advising-after-unlink")
