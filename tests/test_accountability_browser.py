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
