"""At phone size: an owner says, in English and Welsh, what their organisation will do for each principle it
pledged, and the pledge shows it. Every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.browser import look, signed_in_as
from tests.people import member

pytestmark = pytest.mark.browser


async def test_an_owner_writes_their_pledge_in_their_words(live_server: str, page: Any) -> None:
    org = await factories.organisation(kind="health", name="Taf Valley Health Board", pledged_principles=[5, 7, 10])
    owner = await member(org, "owner@taf.example")
    await signed_in_as(page, live_server, owner)
    await page.goto(f"{live_server}/organisations/{org.id}")
    await page.get_by_role("link", name="Say what you will do for each principle").click()
    await look(page, "pledge-form")
    await page.locator("textarea[name=statement_5_en]").fill("Twenty apprenticeships a year, with a mentor each.")
    await page.locator("textarea[name=statement_5_cy]").fill("Ugain prentisiaeth y flwyddyn, gyda mentor i bob un.")
    await page.locator("textarea[name=statement_7_en]").fill("Free health checks and a named nurse until 25.")
    await page.get_by_role("button", name="Save your pledge").click()
    await page.wait_for_selector("text=Twenty apprenticeships a year")
    await look(page, "pledge-shown")
    await page.goto(f"{live_server}/organisations/{org.id}?lang=cy")
    assert await page.locator("text=Ugain prentisiaeth y flwyddyn").count() == 1
    assert await page.locator("p[lang=en]:has-text('Free health checks')").count() == 1  # only written in English
    await look(page, "pledge-shown-cy")


async def test_an_owner_signs_off_last_years_report_and_anyone_can_read_it(live_server: str, page: Any) -> None:
    from datetime import date

    from app.uptake.measures import reporting_year

    last_year = reporting_year(date.today()) - 1
    org = await factories.organisation(kind="employer", name="Cardiff Bay Builders", pledged_principles=[5, 10])
    owner = await member(org, "owner@bay.example")
    await signed_in_as(page, live_server, owner)
    await page.goto(f"{live_server}/organisations/{org.id}/report/{last_year}")
    await page.get_by_role("button", name="Sign off and publish").scroll_into_view_if_needed()
    await look(page, "report-sign-off")
    await page.get_by_label(f"I confirm this is our report for the year, and I may sign it off for {org.name}").check()
    await page.get_by_role("button", name="Sign off and publish").click()
    await page.wait_for_url(f"**/reports/{org.id}/{last_year}")
    await page.wait_for_selector("text=version 1, signed off on")
    await look(page, "report-published")
    await page.context.clear_cookies()
    await page.goto(f"{live_server}/reports/{org.id}/{last_year}?lang=cy")
    await page.wait_for_selector("text=Cyhoeddwyd gan Cardiff Bay Builders")
    await look(page, "report-published-cy")


async def test_staff_write_a_plan_and_the_owner_publishes_it(live_server: str, page: Any) -> None:
    from datetime import date

    from app.progress.tables import Objective

    org = await factories.organisation(kind="council", name="Rhondda Cynon Taf Council", pledged_principles=[5, 10])
    owner = await member(org, "owner@rct.example")
    goal = await Objective.insert(
        Objective(organisation=org.id, principle=10, measure="starts", offer_type="apprenticeship", target=12,
                  deadline=date(date.today().year + 1, 3, 31))
    ).returning(Objective.id)  # fmt: skip
    await signed_in_as(page, live_server, owner)
    await page.goto(f"{live_server}/organisations/{org.id}")
    await page.get_by_role("link", name="Corporate parenting plan").click()
    await page.locator(f"textarea[name=action_{goal[0]['id']}_en]").fill(
        "Twelve council apprenticeships kept for care leavers."
    )
    await page.locator("textarea[name=heard_en]").fill("Young people said the forms were too long: now one page.")
    await look(page, "plan-draft")
    await page.get_by_role("button", name="Save the draft").click()
    await page.get_by_label("I confirm this is our plan, and I may sign it off for Rhondda Cynon Taf Council").check()
    await page.get_by_role("button", name="Sign off and publish").click()
    await page.wait_for_selector("text=Twelve council apprenticeships kept for care leavers.")
    await look(page, "plan-published")


async def test_a_published_plan_and_report_reach_the_register_and_the_oversight_body(
    live_server: str, page: Any, another_phone: Any
) -> None:
    from datetime import UTC, date, datetime

    from app.uptake.measures import reporting_year

    last_year = reporting_year(date.today()) - 1
    signed_up = datetime(last_year, 5, 1, tzinfo=UTC)
    org = await factories.organisation(kind="health", name="Taf Valley Health Board", council_area="W06000016",
                                       pledged_principles=[5, 7], approved_at=signed_up)  # fmt: skip
    body = await factories.organisation(kind="oversight", name="Welsh Government", council_area="W06000015")
    owner = await member(org, "owner@taf.example")
    official = await member(body, "official@gov.example", "staff")
    await signed_in_as(page, live_server, owner)
    await page.goto(f"{live_server}/organisations/{org.id}/pledge")
    await page.locator("textarea[name=statement_7_en]").fill("A named nurse for every care leaver until 25.")
    await page.get_by_role("button", name="Save your pledge").click()
    await page.goto(f"{live_server}/organisations/{org.id}/plan")
    await page.locator("textarea[name=heard_en]").fill("Young people asked for evening clinics. We opened two.")
    await page.get_by_role("button", name="Save the draft").click()
    await page.get_by_label("I confirm this is our plan, and I may sign it off for Taf Valley Health Board").check()
    await page.get_by_role("button", name="Sign off and publish").click()
    await page.wait_for_selector("text=We opened two.")
    await page.goto(f"{live_server}/organisations/{org.id}/report/{last_year}")
    await page.get_by_label(
        "I confirm this is our report for the year, and I may sign it off for Taf Valley Health Board"
    ).check()
    await page.get_by_role("button", name="Sign off and publish").click()
    await page.wait_for_url(f"**/reports/{org.id}/{last_year}")

    # Anyone: the register shows the pledge in words, the plan and the report.
    await page.context.clear_cookies()
    await page.goto(f"{live_server}/signatories?sector=health")
    card = page.locator(".card", has_text="Taf Valley Health Board")
    assert await card.locator("text=A named nurse for every care leaver until 25.").count() == 1
    assert await card.locator(f"a[href='/reports/{org.id}/{last_year}']").count() == 1
    assert await card.locator(f"a[href='/plans/{org.id}/{reporting_year(date.today())}']").count() == 1
    await look(page, "register")

    # The oversight body sees the report as it was submitted.
    desk = await another_phone()
    await signed_in_as(desk, live_server, official)
    await desk.goto(f"{live_server}/organisations/{body.id}")
    await desk.get_by_role("link", name="Corporate parents: plans and reports").click()
    await look(desk, "oversight")
    await desk.get_by_role("link", name="The report as submitted (version 1)").click()
    await desk.wait_for_selector("text=Sent to the oversight body on")
    await look(desk, "oversight-report")


async def test_the_pages_that_show_sectors_and_pledges_read_well(live_server: str, page: Any) -> None:
    """The charter's figures by sector, the team's review of a pledge in words, the verifier's invitation form
    (which may offer to link them as adviser) and the young person's code form (which asks before it links)."""
    from tests.people import admin, young_person

    council = await factories.organisation(kind="council", name="Cardiff Council", council_area="W06000015")
    home = {"8": {"cy": "Cartref i bob un sy’n gadael gofal."}}
    waiting = await factories.organisation(
        kind="housing", name="Cartrefi Housing", approved_at=None, pledged_principles=[8], pledge_statements=home
    )
    await page.goto(f"{live_server}/charter")
    assert await page.locator("caption", has_text="By sector").count() == 1
    await look(page, "charter-by-sector")
    await signed_in_as(page, live_server, await admin())
    await page.goto(f"{live_server}/admin/organisations/{waiting.id}")
    assert await page.locator("p[lang=cy]", has_text="Cartref i bob un").count() == 1
    await look(page, "admin-organisation-pledge")
    await page.context.clear_cookies()
    await signed_in_as(page, live_server, await member(council, "verifier@cardiff.example", "verifier"))
    await page.goto(f"{live_server}/organisations/{council.id}/invitations")
    await look(page, "invitations-offer-to-advise")
    await page.context.clear_cookies()
    someone, _ = await young_person("ana@example.org", "Ana")
    await signed_in_as(page, live_server, someone)
    await page.goto(f"{live_server}/me/verification")
    box = page.get_by_label("If the person who gave me this code is my adviser, link them")
    assert not await box.is_checked()
    await look(page, "me-verification-link-adviser")
