"""At phone size in Chromium: "Your codes" opens without signal, says since when its codes were saved, and leaves
nothing behind when its person signs out or their session runs out; Chromium finds the site installable."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from app.codes import pool as code_pool
from app.codes.tables import Code
from tests import factories
from tests.browser import look, signed_in_as
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.people import last_link, young_person

pytestmark = pytest.mark.browser

KEPT = "caches.keys().then(names => Promise.all(names.map(name => caches.open(name).then(c => c.keys()).then("
KEPT += "requests => [name, requests.map(r => new URL(r.url).pathname)]))))"


async def _young_person_with_a_code(email: str) -> tuple[int, str]:
    org = await factories.organisation(name="Canolfan Hamdden Llys Cadwyn", kind="leisure")
    offer = await factories.offer(org, type="sport", title="Free swim at Llys Cadwyn")
    user_id, young_id = await young_person(email, "Nia", date(2031, 1, 1))
    code = code_pool.new_code()
    await Code.insert(Code(offer=offer.id, code=code, claimed_by=young_id, claimed_at=datetime.now(UTC)))
    return user_id, code


async def _kept(page: Any) -> dict[str, list[str]]:
    """What the page's origin keeps in Cache Storage: cache name → paths."""
    return dict(await page.evaluate(KEPT))


async def _looked_after(page: Any) -> None:
    """Until the service worker controls the page and has kept a copy of it."""
    for _ in range(100):
        controlled = await page.evaluate("navigator.serviceWorker.controller !== null")
        if controlled and "/me/codes" in (await _kept(page)).get("codes", []):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not looked after: controlled {controlled}, kept {await _kept(page)}")


async def test_codes_show_without_signal_and_go_when_their_person_signs_out(live_server: str, page: Any) -> None:
    user_id, code = await _young_person_with_a_code("nia@example.org")
    await signed_in_as(page, live_server, user_id)
    await page.goto(f"{live_server}/me/codes")
    await _looked_after(page)
    note = page.locator("[data-saved-copy]")
    assert await note.get_attribute("data-saved-copy") == "no" and await note.is_hidden()

    await page.context.set_offline(True)
    await page.reload()
    # Only the copy the worker kept says "yes": a page from the network, even offline, would say "no".
    assert await note.get_attribute("data-saved-copy") == "yes"
    await page.get_by_text("You are offline. These codes were saved at").wait_for()
    assert await page.locator(".code-box").inner_text() == code
    assert await page.locator(".code-card img").count() == 1  # the QR code
    await look(page, "my-codes-offline")

    await page.context.set_offline(False)
    await page.goto(f"{live_server}/me/codes?lang=cy")  # the copy kept is the page as last seen, in its language
    await page.context.set_offline(True)
    await page.reload()
    await page.get_by_text("Rydych chi all-lein. Cafodd y codau hyn eu cadw am").wait_for()
    await look(page, "my-codes-offline-cy")

    await page.context.set_offline(False)
    await page.goto(f"{live_server}/account?lang=en")
    await page.get_by_role("button", name="Sign out", exact=True).click()
    await page.wait_for_url(f"{live_server}/")
    assert await _kept(page) == {}
    assert await page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    await page.context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        await page.goto(f"{live_server}/me/codes")
    await page.context.set_offline(False)


async def test_a_session_that_ran_out_takes_its_kept_codes_with_it(live_server: str, page: Any) -> None:
    user_id, _code = await _young_person_with_a_code("rhys@example.org")
    await signed_in_as(page, live_server, user_id)
    await page.goto(f"{live_server}/me/codes")
    await _looked_after(page)
    await page.context.clear_cookies()  # as if the session had expired: the site no longer knows who this is
    await page.goto(f"{live_server}/me/codes")
    await page.wait_for_url("**/sign-in?next=%2Fme%2Fcodes")
    assert "codes" not in await _kept(page)


async def test_someone_else_signing_in_on_the_phone_finds_nothing_kept(live_server: str, page: Any) -> None:
    user_id, _code = await _young_person_with_a_code("cerys@example.org")
    await signed_in_as(page, live_server, user_id)  # and never signs out
    await page.goto(f"{live_server}/me/codes")
    await _looked_after(page)
    await page.goto(f"{live_server}/sign-in")
    await page.get_by_label("Email address").fill("dai@example.org")
    await page.get_by_role("button", name="Email me a sign-in link").click()
    await page.wait_for_selector("text=Check your email")
    await page.goto(f"{live_server}/sign-in/{await last_link('dai@example.org')}")
    await page.get_by_role("button", name="Sign in").last.click()
    await page.wait_for_url(f"{live_server}/")
    assert await _kept(page) == {}


async def test_chromium_finds_the_site_installable(live_server: str, tmp_path: Any) -> None:
    """What Lighthouse's installability audits checked until version 12 dropped them, asked of Chromium itself over
    the DevTools protocol: no installability error (the check behind Lighthouse's installable-manifest), and the
    manifest gives a splash screen (name, background and theme colours, an icon of 512 px), a themed address bar
    (the page's theme-color too) and a maskable icon. In a profile of its own: Playwright's usual browser contexts
    are incognito ones, where Chromium stops at "in-incognito" and checks nothing else."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = await context.new_page()
            await page.goto(f"{live_server}/")
            cdp = await context.new_cdp_session(page)
            errors = (await cdp.send("Page.getInstallabilityErrors"))["installabilityErrors"]
            assert errors == [], errors
            manifest = await cdp.send("Page.getAppManifest")
            theme_color = await page.locator('meta[name="theme-color"]').count()
        finally:
            await context.close()
    assert manifest["errors"] == [], manifest["errors"]
    data = json.loads(manifest["data"])
    assert data["name"] and data["short_name"] and data["background_color"] and data["theme_color"]
    sizes = {size for icon in data["icons"] for size in icon.get("sizes", "").split()}
    assert {"192x192", "512x512"} <= sizes, sizes
    assert any("maskable" in icon.get("purpose", "").split() for icon in data["icons"]), data["icons"]
    assert theme_color >= 1
