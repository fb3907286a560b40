"""At phone size: someone raises a safety concern from an offer's page (a mistake first), and the Cyfle team finds
it first in its queue, reads it and upholds it; every page is checked with axe-core. The form works with
JavaScript off too (axe-core needs JavaScript, so that page is only pictured)."""

from __future__ import annotations

from typing import Any

import pytest

from app.concerns.tables import Concern
from app.mail.tables import MailMessage
from tests import factories
from tests.browser import look, screenshot, signed_in_as
from tests.people import admin

pytestmark = pytest.mark.browser


async def test_a_concern_raised_from_an_offer_reaches_the_team(live_server: str, page: Any, another_phone: Any) -> None:
    org = await factories.organisation(name="Gwaith Da Cyf")
    offer = await factories.offer(org, title="Trainee joiner", description="Learn joinery on real sites.")
    admin_id = await admin("team@cyfle.test")

    someone = await another_phone()
    someone.problems.expect("status of 422")
    await someone.goto(f"{live_server}/offers/{offer.id}")
    foot = someone.get_by_role("link", name="Raise a concern about this opportunity")
    await foot.scroll_into_view_if_needed()
    await look(someone, "concern-offer-page")
    await foot.click()
    await someone.wait_for_selector("h1:has-text('Raise a concern')")
    await look(someone, "concern-form")
    await someone.get_by_label("This is about someone’s safety").check()
    await someone.get_by_role("button", name="Send to the Cyfle team").click()
    await someone.wait_for_selector("text=Enter what happened.")
    await look(someone, "concern-form-error")
    await someone.get_by_label("What happened?").fill("The supervisor left us alone on a roof without a harness.")
    await someone.get_by_label("How can we reach you? (optional)").fill("07700 900123")
    await someone.get_by_role("button", name="Send to the Cyfle team").click()
    await someone.wait_for_selector("h1:has-text('Thank you for telling us')")
    await look(someone, "concern-sent")
    receipt = someone.url.split("?")[0]  # the page to come back to, the only way back: nobody knows who sent it
    assert await MailMessage.count().where(MailMessage.recipient == "team@cyfle.test") == 1

    team = page
    await signed_in_as(team, live_server, admin_id)
    await team.goto(f"{live_server}/admin")
    await look(team, "admin-with-an-urgent-concern")
    await team.get_by_role("link", name="1 safety concern waiting").click()
    await team.wait_for_selector("h1:has-text('Concerns raised')")
    await look(team, "admin-concerns")
    await team.get_by_role("link", name="Gwaith Da Cyf: Trainee joiner").click()
    await team.wait_for_selector("text=without a harness")
    await look(team, "admin-concern")
    await team.get_by_label("Upheld", exact=True).check()
    await team.get_by_label("The team’s response").fill("Told the provider; they have changed how they supervise.")
    await team.get_by_label("What we tell the person who raised it").fill(
        "Thank you. We asked the organisation to change how it supervises work at height, and it has."
    )
    await team.get_by_role("button", name="Save").click()
    await team.wait_for_selector("text=Saved.")
    await look(team, "admin-concern-saved")
    row = await Concern.select(Concern.status, Concern.handled_by).first()
    assert row == {"status": "upheld", "handled_by": admin_id}

    await someone.goto(receipt)
    await someone.wait_for_selector("h2:has-text('What the team told you')")
    assert await someone.locator("text=change how it supervises work at height").count() == 1
    assert await someone.locator("text=without a harness").count() == 0, "what they wrote is not on the page"
    await look(someone, "concern-receipt-replied")
    await someone.get_by_label("What do you want to add?").fill("They have. Thank you for sorting it out.")
    await someone.get_by_role("button", name="Send to the Cyfle team").click()
    await someone.wait_for_selector("text=Thank you: the team has what you added.")
    assert await someone.locator("text=Thank you for sorting it out").count() == 0
    await look(someone, "concern-receipt-added")
    await team.goto(f"{live_server}/admin/concerns")
    await team.wait_for_selector("text=Something added")
    await look(team, "admin-concerns-something-added")
    await someone.goto(receipt + "?lang=cy")
    await someone.wait_for_selector("h1:has-text('Eich pryder')")
    assert await someone.locator("h2:has-text('Beth ddywedodd y tîm wrthych chi')").count() == 1
    await look(someone, "concern-receipt-replied-cy")


async def test_the_form_works_without_javascript(live_server: str, nojs_page: Any) -> None:
    sponsor = await factories.organisation(kind="sponsor", name="Banc Cymru")
    await nojs_page.goto(f"{live_server}/sponsors/{sponsor.id}/impact")
    await nojs_page.get_by_role("link", name="Raise a concern about Banc Cymru").click()
    await nojs_page.get_by_label("What happened?").fill("They promised tickets and never sent them.")
    await nojs_page.get_by_role("button", name="Send to the Cyfle team").click()
    await nojs_page.wait_for_selector("h1:has-text('Thank you for telling us')")
    await screenshot(nojs_page, "concern-sent-nojs")
    row = await Concern.select(Concern.organisation, Concern.offer, Concern.safety).first()
    assert row == {"organisation": sponsor.id, "offer": None, "safety": False}
