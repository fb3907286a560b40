"""The home page on a phone: looked at, checked with axe-core, in both languages, with and without JavaScript."""

from datetime import date
from typing import Any

import pytest

from app.demo import load_demo
from tests.browser import assert_accessible, screenshot
from tests.conftest import PHONE

pytestmark = pytest.mark.browser


async def test_home_page_on_a_phone_is_accessible_and_switches_to_welsh(live_server: str, page: Any) -> None:
    await load_demo(date.today())
    await page.goto(live_server + "/")
    assert await page.locator("h1").inner_text() == "Find your next step"
    assert await page.evaluate("typeof htmx") == "object", "htmx loaded from our static files under the CSP"
    await screenshot(page, "home-en")
    await assert_accessible(page)

    await page.get_by_role("link", name="Cymraeg").click()
    await page.wait_for_url("**/?lang=cy")
    assert await page.locator("html").get_attribute("lang") == "cy"
    assert await page.locator("h1").inner_text() == "Dewch o hyd i'ch cam nesaf"
    await screenshot(page, "home-cy")
    await assert_accessible(page)

    await page.goto(live_server + "/")  # the choice is remembered
    assert await page.locator("h1").inner_text() == "Dewch o hyd i'ch cam nesaf"


async def test_skip_link_is_first_and_moves_focus_to_the_content(live_server: str, page: Any) -> None:
    await page.goto(live_server + "/")
    await page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert await focused.inner_text() == "Skip to main content"
    assert await focused.is_visible()
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "main"


async def test_home_page_works_without_javascript(live_server: str, nojs_page: Any) -> None:
    await load_demo(date.today())
    await nojs_page.goto(live_server + "/")
    assert await nojs_page.locator(".card").count() > 0
    await nojs_page.get_by_role("link", name="Cymraeg").click()
    assert await nojs_page.locator("h1").inner_text() == "Dewch o hyd i'ch cam nesaf"
    await screenshot(nojs_page, "home-cy-nojs")
    assert await nojs_page.evaluate("typeof htmx") == "undefined", "the page's own scripts did not run"
    # axe-core needs timers, which do not run with JavaScript off, so it checks the same URL, with the same
    # cookies, in a context where scripts run (the server sends the same HTML either way).
    state = await nojs_page.context.storage_state()
    checker = await nojs_page.context.browser.new_context(**PHONE, storage_state=state)
    page = await checker.new_page()
    await page.goto(nojs_page.url)
    assert await page.locator("h1").inner_text() == "Dewch o hyd i'ch cam nesaf"
    await assert_accessible(page)
    await checker.close()


async def test_404_page_on_a_phone(live_server: str, page: Any) -> None:
    response = await page.goto(live_server + "/nowhere")
    assert response.status == 404
    page.problems.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    await screenshot(page, "404")
    await assert_accessible(page)
