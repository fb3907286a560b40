"""At phone size: an adviser opens what needs a look (a confirmation ending, an application gone quiet, a suggestion
not opened), in English and in Welsh, and a colleague nobody linked finds nothing there. Checked with axe-core."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from app.accounts.tables import User
from app.advisers.tables import AdviserLink, Suggestion
from app.applications.tables import Application
from app.organisations.tables import Membership
from tests import factories
from tests.browser import look, signed_in_as
from tests.people import member, young_person

pytestmark = pytest.mark.browser


async def test_an_adviser_sees_what_needs_a_look(live_server: str, page: Any, another_phone: Any) -> None:
    today = date.today()
    council = await factories.organisation(kind="council", name="Rhondda Cynon Taf Council")
    adviser_id = await member(council, "sian@rct.example", "adviser")
    await User.update({User.display_name: "Siân"}).where(User.id == adviser_id)
    membership = (await Membership.select(Membership.id).where(Membership.user == adviser_id).first())["id"]
    provider = await factories.organisation(kind="employer", name="Cwm Builders")
    quiet = await factories.offer(provider, title="Bricklaying apprenticeship")
    suggested = await factories.offer(provider, title="Paid work taster week", title_alt="Wythnos flasu gwaith")
    _, ffion = await young_person("ffion@example.org", "Ffion", verified_until=today + timedelta(days=12))
    _, rhys = await young_person("rhys@example.org", "Rhys", verified_until=today + timedelta(days=200))
    links = {}
    for yp in (ffion, rhys):
        rows = await AdviserLink.insert(
            AdviserLink(young_person=yp, membership=membership, status="linked", share_applications=True)
        ).returning(AdviserLink.id)
        links[yp] = rows[0]["id"]
    await Application.insert(
        Application(offer=quiet.id, young_person=rhys, stage="in_review",
                    updated_at=datetime.now(UTC) - timedelta(days=20))
    )  # fmt: skip
    await Suggestion.insert(Suggestion(link=links[ffion], offer=suggested.id, note="Worth a go?"))

    await signed_in_as(page, live_server, adviser_id)
    await page.goto(f"{live_server}/organisations/{council.id}/advising")
    await page.get_by_role("link", name="What needs a look").click()
    await page.wait_for_selector("h1:has-text('What needs a look')")
    for text in ("Council confirmation ending within four weeks", "Bricklaying apprenticeship",
                 "Paid work taster week", "Rhys", "Ffion"):  # fmt: skip
        assert await page.locator(f"main >> text={text}").count() >= 1, text
    await look(page, "advising-nudges")
    await page.goto(f"{live_server}/organisations/{council.id}/advising/nudges?lang=cy")
    await page.wait_for_selector("h1:has-text('Beth sydd angen sylw')")
    assert await page.locator("main >> text=Wythnos flasu gwaith").count() == 1
    await look(page, "advising-nudges-cy")

    colleague = await another_phone()
    await signed_in_as(colleague, live_server, await member(council, "gareth@rct.example", "adviser"))
    await colleague.goto(f"{live_server}/organisations/{council.id}/advising/nudges")
    await colleague.wait_for_selector("text=Nothing needs a look just now.")
    assert await colleague.locator("text=Ffion").count() == 0
    await look(colleague, "advising-nudges-empty")


async def test_an_adviser_stops_the_weekly_email_on_the_page_or_from_its_link(
    live_server: str, page: Any, another_phone: Any
) -> None:
    from app.advisers import nudges
    from app.advisers.tables import NudgesOff
    from app.settings import load_settings

    council = await factories.organisation(kind="council", name="Powys Council")
    adviser_id = await member(council, "owain@powys.example", "adviser")
    membership = (await Membership.select(Membership.id).where(Membership.user == adviser_id).first())["id"]
    await signed_in_as(page, live_server, adviser_id)
    await page.goto(f"{live_server}/organisations/{council.id}/advising/nudges")
    await page.get_by_role("button", name="Stop the weekly email").click()
    await page.wait_for_selector("text=We will not email you this each week.")
    assert await NudgesOff.count() == 1
    await look(page, "advising-nudges-email-off")
    await page.goto(f"{live_server}/organisations/{council.id}/advising/nudges?lang=cy")
    await page.wait_for_selector("h2:has-text('E-bost wythnosol')")
    await look(page, "advising-nudges-email-off-cy")
    await page.goto(f"{live_server}/organisations/{council.id}/advising/nudges?lang=en")
    await page.get_by_role("button", name="Email me this once a week").click()
    await page.wait_for_selector("text=We will email you this once a week, when there is something in it.")
    assert await NudgesOff.count() == 0

    link = f"/advising/unsubscribe/{membership}/{nudges.unsubscribe_token(load_settings(), membership)}"
    mail_program = await another_phone()  # the link in the email, opened with no session
    await mail_program.goto(live_server + link)
    await look(mail_program, "advising-unsubscribe")
    assert await NudgesOff.count() == 0, "opening the link changes nothing"
    await mail_program.get_by_role("button", name="Stop the weekly email").click()
    await mail_program.wait_for_selector("text=Done: we will not email you each week")
    assert await NudgesOff.count() == 1
    await look(mail_program, "advising-unsubscribe-done")
