"""The home page on a phone: looked at, checked with axe-core, in both languages, with and without JavaScript."""

from datetime import date
from typing import Any

import pytest

from app.demo import load_demo
from tests.browser import assert_accessible, screenshot

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
    await assert_accessible_nojs(nojs_page)


async def assert_accessible_nojs(page: Any) -> None:
    """axe runs as a script, so with JavaScript off we check the same HTML in a JavaScript context."""
    html = await page.content()
    context = await page.context.browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=True)
    checker = await context.new_page()
    await checker.goto(page.url)
    assert await checker.content() != "" and html
    await assert_accessible(checker)
    await context.close()


async def test_404_page_on_a_phone(live_server: str, page: Any) -> None:
    response = await page.goto(live_server + "/nowhere")
    assert response.status == 404
    page.problems.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    await screenshot(page, "404")
    await assert_accessible(page)
