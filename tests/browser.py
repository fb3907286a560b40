"""Helpers for browser tests: axe-core accessibility checks and screenshots to look at."""

from __future__ import annotations

import asyncio
import json
from functools import cache
from typing import Any

from app.settings import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "test" / "screenshots"
AXE_TIMEOUT_S = 30
# WCAG 2.2 AA and best practice; nothing is switched off. Only violations are gathered (what passed is not
# wanted, and gathering it doubled each run's time).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


@cache
def _axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: `make test` installs axe-core with npm.")
    return AXE.read_text()


async def axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core in the page (evaluated through the driver, so the page's CSP still applies to the page)."""
    await page.evaluate(_axe_source())
    run = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    result = await asyncio.wait_for(run, AXE_TIMEOUT_S)
    return list(result["violations"])


async def assert_accessible(page: Any) -> None:
    violations = await axe(page)
    summary = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert not violations, "axe-core found:\n" + json.dumps(summary, indent=2)
    # WCAG 1.4.10 reflow: nothing may make a phone-width page scroll sideways.
    # (Against the viewport we asked for: a phone zooms out to fit a page that is too wide, so innerWidth grows.)
    wide = await page.evaluate("document.documentElement.scrollWidth")
    window = page.viewport_size["width"]
    assert wide <= window, f"{page.url} scrolls sideways: {wide}px wide on a {window}px screen"


async def look(page: Any, name: str) -> None:
    """Keep a screenshot to look at, and check the page with axe-core."""
    await screenshot(page, name)
    await assert_accessible(page)


async def signed_in_as(page: Any, base: str, user_id: int) -> None:
    """The browser gets a session for this person without the email round trip."""
    from tests.people import new_session

    await page.context.add_cookies([{"name": "session", "value": await new_session(user_id), "url": base}])


async def screenshot(page: Any, name: str) -> None:
    """The whole page at the size the test asked for (a phone's, mostly), top to bottom, to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
