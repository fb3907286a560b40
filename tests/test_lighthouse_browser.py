"""Lighthouse (npm, pinned in package.json) at phone size on the pages young people use most: the home page, search,
an offer, sign-in, their codes (signed in) and the charter in numbers. Every category must score 95 or more.

One Chromium serves every run (Lighthouse connects to it on its debugging port), and each page is one run with
the four categories, so the whole takes about a minute; a page whose performance comes out under 95 is run twice
more and its median taken, as performance is timed on a CPU the rest of the suite shares. The scores are printed
(`pytest -s` shows them)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from meilisearch_python_sdk import AsyncClient

from app.codes import pool as code_pool
from app.codes.tables import Code
from app.core.search_engines import ROBOTS_NOINDEX
from app.demo import load_demo
from app.offers.reindex import reindex
from app.offers.tables import Offer
from app.settings import ROOT
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.people import new_session, young_person

pytestmark = pytest.mark.browser

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LEAST = 95
PRIVATE = ("sign-in", "my codes")  # pages that ask search engines to keep out
TODAY = date.today()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chrome() -> Iterator[int]:
    """One headless Chromium for every run, on a free debugging port; yields the port."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as profile:
        args = [CHROMIUM, "--headless=new", f"--remote-debugging-port={port}", f"--user-data-dir={profile}"]
        process = subprocess.Popen([*args, *CHROMIUM_ARGS, "about:blank"], stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            yield port
        finally:
            process.terminate()
            process.wait(10)


def _scores(url: str, port: int, report: Path, cookie: str = "", private: bool = False) -> dict[str, int]:
    """One Lighthouse run over the four categories, at its default phone size (a mobile screen, touch, and a
    slowed network and CPU simulated); the score of each, out of 100. A private page (sign-in, someone's codes)
    tells search engines to keep out (noindex) on purpose, so its SEO score leaves out "is-crawlable", which
    counts that against it; the test checks the noindex instead."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--port={port}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    if private:
        command.append("--skip-audits=is-crawlable")
    for attempt in (1, 2):
        run = subprocess.run(command, capture_output=True, text=True, timeout=180, env=os.environ)
        # Now and then Chromium's trace misses the start of the load (NO_NAVSTART); Lighthouse says to run it again.
        if attempt == 1 and "Please run Lighthouse again" in run.stderr:
            continue
        break
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(report.read_text())
    assert not result.get("runtimeError"), result["runtimeError"]
    return {name: round((result["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


async def test_lighthouse_scores_95_or_more_at_phone_size(
    live_server: str, chrome: int, search: AsyncClient, tmp_path: Path
) -> None:
    if not LIGHTHOUSE.exists():
        pytest.fail(f"{LIGHTHOUSE} is missing: `make test` installs Lighthouse with npm.")
    await load_demo(TODAY)
    await reindex(search, TODAY)
    offer = await Offer.select(Offer.id).where(Offer.status == "published").order_by(Offer.id).first()
    assert offer is not None
    user_id, young_id = await young_person("lighthouse@example.org", "Nia", date(2031, 1, 1))
    concession = await Offer.select(Offer.id).where(Offer.type == "sport").first()
    assert concession is not None
    await Code.insert(
        Code(offer=concession["id"], code=code_pool.new_code(), claimed_by=young_id, claimed_at=datetime.now(UTC))
    )
    signed_in = f"session={await new_session(user_id)}"
    pages: dict[str, tuple[str, str]] = {
        "home": ("/", ""),
        "search": ("/offers", ""),
        "offer": (f"/offers/{offer['id']}", ""),
        "sign-in": ("/sign-in", ""),
        "my codes": ("/me/codes", signed_in),
        "charter": ("/charter", ""),
    }
    scores: dict[str, dict[str, int]] = {}
    async with httpx.AsyncClient(base_url=live_server) as client:
        for name, (path, cookie) in pages.items():
            page = await client.get(path, headers={"Cookie": cookie} if cookie else {})
            assert page.status_code == 200, (name, page.status_code)
            private = ROBOTS_NOINDEX in page.text
            assert private == (name in PRIVATE), f"{name}: noindex {private}"
            report = tmp_path / f"{name.replace(' ', '-')}.json"
            scores[name] = await asyncio.to_thread(_scores, live_server + path, chrome, report, cookie, private)
            if scores[name]["performance"] < LEAST:
                # Performance is timed on a CPU shared with the rest of the suite, so one run can be unlucky; as
                # Lighthouse's own advice on variability says, take the median of several (here three).
                again = [await asyncio.to_thread(_scores, live_server + path, chrome, report, cookie, private)
                         for _ in range(2)]  # fmt: skip
                runs = sorted([scores[name]["performance"], *(more["performance"] for more in again)])
                scores[name]["performance"] = runs[1]
    for name, got in scores.items():
        print(f"lighthouse {name:<10} " + " ".join(f"{category} {score}" for category, score in got.items()))
    low = {name: got for name, got in scores.items() if min(got.values()) < LEAST}
    assert not low, f"under {LEAST}: {low}"
