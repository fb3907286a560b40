"""At phone size, in Chromium: a job offer's page with its JobPosting in the head, in English and in Welsh. The
JSON-LD is a data block, which the page's CSP (script-src 'self') does not run: the `page` fixture fails the test
on any CSP violation or console error, and axe-core checks the page."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from tests import factories
from tests.browser import look
from tests.jobposting import problems

pytestmark = pytest.mark.browser

POSTING = "JSON.parse(document.head.querySelector('script[type=\"application/ld+json\"]').textContent)"


async def test_a_job_offers_page_carries_its_job_posting_without_breaking_the_csp(live_server: str, page: Any) -> None:
    org = await factories.organisation(name="Theatr y Gogledd", kind="cultural", council_area="W06000001")
    offer = await factories.offer(
        org,
        type="traineeship",
        title="Lighting trainee </script><script>alert(1)</script>",
        title_alt="Hyfforddai goleuo",
        summary="Learn stage lighting with our technical crew.",
        summary_alt="Dysgu goleuo llwyfan gyda'n criw technegol.",
        description="Three days a week for **six months**.\n\n- Safety training\n- A mentor",
        location_name="Llangefni",
        council_area="W06000001",
        pay_pence=45000,
        pay_per="month",
        closes_on=date.today() + timedelta(days=20),
    )
    await page.goto(f"{live_server}/offers/{offer.id}")
    await look(page, "offer-job-posting")
    posting = await page.evaluate(POSTING)
    assert problems(posting) == []
    assert posting["title"] == "Lighting trainee </script><script>alert(1)</script>"  # data, never markup
    assert await page.evaluate("document.querySelectorAll('script:not([src]):not([type=\"application/ld+json\"])')"
                               ".length") == 0  # fmt: skip
    assert posting["baseSalary"]["value"] == {"@type": "QuantitativeValue", "value": 450.0, "unitText": "MONTH"}
    assert posting["employmentType"] == ["INTERN"]
    assert posting["jobLocation"]["address"]["addressRegion"] == "Isle of Anglesey"

    await page.goto(f"{live_server}/offers/{offer.id}?lang=cy")
    await look(page, "offer-job-posting-cy")
    welsh = await page.evaluate(POSTING)
    assert problems(welsh) == []
    assert welsh["title"] == "Hyfforddai goleuo"
    assert welsh["jobLocation"]["address"]["addressRegion"] == "Ynys Môn"
    canonical = await page.evaluate("document.querySelector('link[rel=canonical]').href")
    assert canonical.endswith(f"/offers/{offer.id}?lang=cy")
    assert json.dumps(welsh, ensure_ascii=False).count("Ynys Môn") == 1
