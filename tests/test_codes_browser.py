"""At phone size: a young person claims a code, a redeemer checks it on another phone, and the young person sees
it used; a young person applies and later sees that they have started. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.codes import pool as code_pool
from app.codes.tables import Code
from tests import factories
from tests.browser import look, signed_in_as
from tests.people import member, young_person

pytestmark = pytest.mark.browser


async def _confirmed_young_person(email: str) -> int:
    user_id, _ = await young_person(email, "Ffion", date(2031, 1, 1), born=date(2006, 2, 2), home_council="W06000016")
    return user_id


async def test_a_code_is_claimed_used_at_the_door_and_shown_as_used(
    live_server: str, page: Any, another_phone: Any
) -> None:
    org = await factories.organisation(name="Valleys Leisure Trust", kind="leisure")
    offer = await factories.offer(org, type="sport", title="Free swim at Llys Cadwyn")
    await Code.insert(*[Code(offer=offer.id, code=code_pool.new_code()) for _ in range(3)])
    await signed_in_as(page, live_server, await _confirmed_young_person("ffion@example.org"))

    await page.goto(f"{live_server}/offers/{offer.id}")
    await look(page, "offer-claim")
    await page.get_by_role("button", name="Claim a code").click()
    await page.wait_for_url("**/me/codes")
    code = await page.locator(".code-box").first.inner_text()
    await look(page, "my-codes")

    door = await another_phone()
    await signed_in_as(door, live_server, await member(org, "door@valleys.example", "redeemer"))
    await door.goto(f"{live_server}/organisations/{org.id}/redeem")
    await look(door, "redeem")
    assert await door.locator("[data-scan]").is_hidden()  # no BarcodeDetector in Debian's Chromium: typing only
    door.problems.expect("status of 422")  # Chromium logs the answer about the empty box as a failed load
    await door.get_by_role("button", name="Check and use").click()
    await door.get_by_text("Enter the code").first.wait_for()  # the 422's message is shown (htmx swaps it in)
    await door.get_by_label("Code").fill(code.lower())
    await door.get_by_role("button", name="Check and use").click()
    await door.wait_for_selector("text=Valid: let them in")
    await look(door, "redeem-valid")
    await door.get_by_label("Code").fill(code)
    await door.get_by_role("button", name="Check and use").click()
    await door.wait_for_selector("text=Already used")
    await look(door, "redeem-already")

    await page.reload()
    await page.wait_for_selector(".code-card--used")
    await look(page, "my-codes-used")


async def test_a_young_person_applies_and_later_sees_they_have_started(
    live_server: str, page: Any, another_phone: Any
) -> None:
    org = await factories.organisation(name="Cardiff Bay Builders")
    offer = await factories.offer(org, title="Apprentice joiner", places=2)
    await signed_in_as(page, live_server, await _confirmed_young_person("cai@example.org"))
    await page.goto(f"{live_server}/offers/{offer.id}")
    await page.get_by_role("link", name="Apply", exact=True).click()
    await page.get_by_label("By phone").check()
    await page.get_by_label("Phone number (only if you chose phone)").fill("07700 900123")
    await page.get_by_role("button", name="Send my application").click()
    await page.wait_for_url("**/me/applications")

    staff = await another_phone()
    await signed_in_as(staff, live_server, await member(org, "staff@builders.example", "staff"))
    await staff.goto(f"{live_server}/organisations/{org.id}/offers/{offer.id}/applicants")
    await look(staff, "applicants")
    await staff.get_by_role("link", name="Ffion").click()
    await staff.wait_for_selector("text=07700 900123")
    for stage in ("Offered a place", "Started"):
        await staff.get_by_label(stage).check()
        await staff.get_by_role("button", name="Move it on").click()
        await staff.wait_for_selector(f".tag:text-is('{stage}')")
    await look(staff, "application-started")

    await page.reload()
    await page.wait_for_selector(".tag:text-is('Started')")
    await look(page, "me-applications-started")
