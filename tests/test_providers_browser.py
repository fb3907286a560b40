"""At phone size: a new charity signs up, the Cyfle team approves it, it posts an offer, the team approves the
offer, and a young person finds it in search. Every page on the way is checked with axe-core."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from meilisearch_python_sdk import AsyncClient

from app.offers.indexing import offer_changed, sync_once
from tests import factories
from tests.browser import look, signed_in_as
from tests.people import admin, member

pytestmark = pytest.mark.browser
TODAY = date.today()


async def _sign_in_by_email(page: Any, base: str, email: str) -> None:
    """From the sign-in page: ask for a link, find it in the dev mailbox, open it, press Sign in."""
    await page.get_by_label("Email address").fill(email)
    await page.get_by_role("button", name="Email me a sign-in link").click()
    await page.wait_for_selector("text=Check your email")
    await look(page, f"sign-in-sent-{email.split('@')[0]}")
    await page.goto(base + "/dev/mail")
    await look(page, "dev-mail")
    await page.locator("article", has_text=email).first.locator("a").first.click()
    await page.wait_for_selector("text=Press the button to finish signing in")
    await look(page, "sign-in-link")
    await page.get_by_role("button", name="Sign in").last.click()


async def test_a_charity_signs_up_posts_an_offer_and_a_young_person_finds_it(
    live_server: str, page: Any, another_phone: Any, search: AsyncClient
) -> None:
    await admin("team@cyfle.test")

    # A charity worker starts at the sign-up page and is asked to sign in first.
    await page.goto(live_server + "/organisations/new")
    await page.wait_for_url("**/sign-in?next=*")
    await look(page, "sign-in")
    await _sign_in_by_email(page, live_server, "ceri@llamau.example")
    await page.wait_for_url("**/organisations/new")
    await look(page, "organisation-sign-up")
    page.problems.expect("status of 422")
    await page.get_by_role("button", name="Send for approval").click()  # empty: every problem is named
    await page.wait_for_selector(".error-summary")
    await look(page, "organisation-sign-up-errors")
    await page.get_by_label("Charity or community group").check()
    await page.get_by_label("Organisation name").fill("Llamau Young Futures")
    await page.get_by_label("Website (optional)").fill("https://llamau.example")
    await page.get_by_label("Area you are based in").select_option(label="Cardiff")
    await page.get_by_label("Principle 3: Togetherness").check()
    await page.get_by_role("button", name="Send for approval").click()
    await page.wait_for_selector("text=Waiting for approval")
    org_url = page.url
    await look(page, "organisation-waiting")

    # The team approves it, on another phone.
    team = await another_phone()
    await team.goto(live_server + "/sign-in")
    await _sign_in_by_email(team, live_server, "team@cyfle.test")
    await team.goto(live_server + "/admin")
    await look(team, "admin")
    await team.get_by_role("link", name="Llamau Young Futures").click()
    await look(team, "admin-organisation")
    await team.get_by_role("button", name="Approve Llamau Young Futures").click()
    await team.wait_for_selector("text=Nobody is waiting")

    # The charity posts an opportunity; the preview follows what they type.
    await page.goto(org_url)
    await page.get_by_role("link", name="Post an opportunity").click()
    await page.get_by_label("Type").select_option("work_experience")
    await page.get_by_label("Title in English").fill("Week in a youth housing team")
    await page.get_by_label("Summary in English").fill("Shadow our support workers for five days.")
    await page.get_by_label("Description in English").fill("## What you do\n\n- Visit projects\n- Join team meetings")
    await page.get_by_label("Town or venue").fill("Cardiff")
    await page.get_by_label("Closing date (optional)").fill((TODAY + timedelta(days=30)).isoformat())
    await page.locator("#preview h3", has_text="Week in a youth housing team").wait_for()
    await page.locator("#preview .prose li", has_text="Join team meetings").wait_for()
    await look(page, "offer-form-preview")
    await page.wait_for_timeout(700)  # let the last preview request (600 ms after typing) finish first
    await page.wait_for_load_state("networkidle")
    await page.get_by_role("button", name="Save draft").click()
    await page.wait_for_selector("text=Draft")
    await look(page, "offer-draft")
    await page.get_by_role("button", name="Save and send for review").click()
    await page.wait_for_selector("text=The Cyfle team will look at this soon")

    # The team approves the offer.
    await team.goto(live_server + "/admin")
    await team.get_by_role("link", name="Week in a youth housing team").click()
    await look(team, "admin-offer-review")
    await team.get_by_role("button", name="Approve and publish").click()
    await team.wait_for_selector("text=Nothing to review")

    # The worker brings search up to date (in production it runs on its own).
    await sync_once(search, TODAY)

    # A young person finds it.
    young = await another_phone()
    await young.goto(live_server + "/offers")
    await young.locator("#q").fill("youth housing")
    await young.wait_for_url("**/offers?q=youth+housing")
    await young.get_by_role("link", name="Week in a youth housing team", exact=True).click()
    await young.wait_for_selector("text=Shadow our support workers")
    await look(young, "offer-found")

    # Back at the charity, the dashboard shows it live.
    await page.goto(org_url)
    live = await page.locator(".status-counts li", has_text="Live").inner_text()
    assert " ".join(live.split()) == "1 Live"
    await look(page, "organisation-dashboard")


async def test_an_edit_to_a_live_offer_waits_for_review_and_the_approved_version_stays_live(
    live_server: str, page: Any, another_phone: Any, search: AsyncClient
) -> None:
    org = await factories.organisation(kind="third_sector", name="Llamau Young Futures")
    provider = await member(org, "ceri@llamau.example", "staff")
    offer = await factories.offer(
        org,
        title="Youth housing week",
        apply_method="external",
        apply_url="https://llamau.example/apply",
        council_area="W06000015",  # as the form places Cardiff, so only the address changes
        latitude=51.4816,
        longitude=-3.1791,
    )
    await offer_changed(offer.id)
    await sync_once(search, TODAY)

    # The provider changes where people apply; it waits for the team.
    await signed_in_as(page, live_server, provider)
    await page.goto(f"{live_server}/organisations/{org.id}/offers/{offer.id}")
    await page.get_by_label("Web address to apply (only for your own website)").fill("https://elsewhere.example/x")
    await page.wait_for_timeout(700)  # the live preview's request goes first
    await page.wait_for_load_state("networkidle")
    await page.get_by_role("button", name="Send changes for review").click()
    await page.wait_for_selector("text=Young people see the approved version")
    await look(page, "offer-edit-waiting")

    # A young person is still sent to the approved address.
    young = await another_phone()
    await young.goto(f"{live_server}/offers/{offer.id}")
    await look(young, "offer-edit-waiting-young-person")
    go = await young.request.get(f"{live_server}/offers/{offer.id}/go", max_redirects=0)
    assert go.headers["location"] == "https://llamau.example/apply"

    # The team sees what changed, field by field, and returns it.
    team = await another_phone()
    await signed_in_as(team, live_server, await admin("team@cyfle.test"))
    await team.goto(f"{live_server}/admin")
    await team.get_by_role("link", name="Youth housing week").click()
    changed = team.locator("table.changes tbody tr")
    assert " ".join((await changed.inner_text()).split()) == (
        "Web address to apply https://llamau.example/apply https://elsewhere.example/x"
    )
    await look(team, "admin-offer-edit")
    await team.get_by_label("Or return the changes: what needs to change?").fill("Please use your own website.")
    await team.get_by_role("button", name="Return with this reason").click()
    await team.wait_for_selector("text=Nothing to review")

    # The provider sees why, and drops the change; the approved version never left.
    await page.reload()
    await page.wait_for_selector("text=Please use your own website.")
    await look(page, "offer-edit-returned")
    await page.get_by_role("button", name="Drop my changes").click()
    await page.wait_for_selector("text=It is live.")
    go = await young.request.get(f"{live_server}/offers/{offer.id}/go", max_redirects=0)
    assert go.headers["location"] == "https://llamau.example/apply"
