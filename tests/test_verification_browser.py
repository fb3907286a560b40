"""At phone size, a young person asks their council and is confirmed by a verifier at a desk; another joins with
an invitation code from a printed sheet. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from tests.browser import look
from tests.people import member
from tests.test_providers_browser import _sign_in_by_email

pytestmark = pytest.mark.browser


def _born(years: int) -> str:
    today = date.today()
    return (date(today.year - years, 1, 1) if today.month > 1 else date(today.year - years - 1, 6, 1)).isoformat()


async def _about_me(page: Any, name: str) -> None:
    await page.get_by_label("The name to show").fill(name)
    await page.get_by_label("Date of birth").fill(_born(19))
    await page.get_by_label("The council area you live in").select_option(label="Cardiff")
    await look(page, "me-profile")
    await page.get_by_role("button", name="Save").click()


async def test_a_young_person_asks_and_a_verifier_confirms_them(
    live_server: str, page: Any, another_phone: Any
) -> None:
    council = await factories.organisation(kind="council", name="Cardiff Council", council_area="W06000015")
    await member(council, "verifier@cardiff.example", "verifier")
    offer = await factories.offer(title="Apprentice electrician")

    await page.goto(f"{live_server}/offers/{offer.id}")
    assert await page.get_by_role("link", name="Apply", exact=True).count() == 0  # not before they are confirmed
    await page.goto(live_server + "/me")
    await page.wait_for_url("**/sign-in?next=*")
    await _sign_in_by_email(page, live_server, "ffion@example.org")
    await page.wait_for_url("**/me/profile")
    await _about_me(page, "Ffion")
    await page.wait_for_url("**/me/verification")
    await look(page, "me-verification")
    await page.get_by_label("Your personal adviser's name (optional)").fill("Siân")
    await page.get_by_role("button", name="Ask to be confirmed").click()
    await page.wait_for_selector("text=They will look at it soon")
    await look(page, "me-verification-asked")

    desk = await another_phone(desktop=True)
    await desk.goto(live_server + "/sign-in")
    await _sign_in_by_email(desk, live_server, "verifier@cardiff.example")
    await desk.goto(f"{live_server}/organisations/{council.id}/verification")
    await look(desk, "council-queue")
    await desk.get_by_role("link", name="Ffion").click()
    await look(desk, "council-request")
    await desk.get_by_role("button", name="Approve").click()
    await desk.wait_for_selector("text=Verified by you")
    await desk.get_by_role("link", name="Decisions log").click()
    await look(desk, "council-log")

    await page.goto(live_server + "/me")
    await page.wait_for_selector("text=Your council has confirmed you")
    await look(page, "me-confirmed")

    # Now "Apply" is there on the offer, and it works.
    await page.goto(f"{live_server}/offers/{offer.id}")
    await page.get_by_role("link", name="Apply", exact=True).click()
    await page.wait_for_url("**/apply")
    await look(page, "apply")
    await page.get_by_label("A short message (optional)").fill("I would love to learn this trade.")
    await page.get_by_role("button", name="Send my application").click()
    await page.wait_for_url("**/me/applications")
    await page.wait_for_selector("text=Apprentice electrician")
    await look(page, "me-applications")


async def test_a_young_person_joins_with_an_invitation_code(live_server: str, page: Any, another_phone: Any) -> None:
    council = await factories.organisation(kind="council", name="Cardiff Council", council_area="W06000015")
    await member(council, "verifier@cardiff.example", "verifier")
    desk = await another_phone(desktop=True)
    await desk.goto(live_server + "/sign-in")
    await _sign_in_by_email(desk, live_server, "verifier@cardiff.example")
    await desk.goto(f"{live_server}/organisations/{council.id}/invitations")
    await look(desk, "invitations-new")
    await desk.get_by_label("How many codes").fill("2")
    await desk.get_by_role("button", name="Make the codes").click()
    code = await desk.locator(".invitation .code-box").first.inner_text()
    await look(desk, "invitations-printed")

    await page.goto(f"{live_server}/join?code={code}")
    await look(page, "join")
    await page.get_by_role("link", name="Sign in to use the code").click()
    await _sign_in_by_email(page, live_server, "ceri@example.org")
    await page.wait_for_url("**/me/profile")
    await _about_me(page, "Ceri")
    await page.wait_for_url("**/me/verification")
    assert await page.get_by_label("Invitation code").input_value() == code
    await page.get_by_role("button", name="Use the code").click()
    await page.wait_for_url("**/me")
    await page.wait_for_selector("text=Your council has confirmed you")
    await look(page, "me-confirmed-by-code")
