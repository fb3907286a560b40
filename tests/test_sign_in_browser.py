"""Signing in by link on a phone: the page says who it signs in as, and a link opened in another browser asks
first. Both pages pass axe-core at 390×844, in English and Welsh."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import look
from tests.people import last_link

pytestmark = pytest.mark.browser

EMAIL = "angharad.long-address-for-wrapping@example.org"


async def _ask(page: Any, base: str) -> str:
    await page.goto(base + "/sign-in")
    await page.get_by_label("Email address").fill(EMAIL)
    await page.get_by_role("button", name="Email me a sign-in link").click()
    await page.wait_for_selector("text=Check your email")
    return await last_link(EMAIL)


async def test_the_phone_that_asked_signs_in_with_one_press(live_server: str, page: Any) -> None:
    token = await _ask(page, live_server)
    await page.goto(f"{live_server}/sign-in/{token}?lang=cy")
    await look(page, "sign-in-link-cy")
    await page.goto(f"{live_server}/sign-in/{token}?lang=en")
    await page.wait_for_selector(f"text=This will sign you in as {EMAIL}")
    await look(page, "sign-in-link-names-the-address")
    await page.get_by_role("button", name="Sign in").last.click()
    await page.wait_for_url(live_server + "/")
    assert any(cookie["name"] == "session" for cookie in await page.context.cookies())


async def test_another_phone_is_asked_to_confirm_first(live_server: str, page: Any, another_phone: Any) -> None:
    token = await _ask(page, live_server)
    other = await another_phone()
    for lang in ("cy", "en"):
        await other.goto(f"{live_server}/sign-in/{token}?lang={lang}")
        await other.locator("main button[type=submit]").click()
        await other.wait_for_selector("input[name=confirm]", state="attached")
        await look(other, f"sign-in-link-elsewhere-{lang}")
    assert not any(cookie["name"] == "session" for cookie in await other.context.cookies())
    await other.get_by_role("button", name=f"I asked for this link and I want to sign in as {EMAIL}").click()
    await other.wait_for_url(live_server + "/")
    assert any(cookie["name"] == "session" for cookie in await other.context.cookies())
