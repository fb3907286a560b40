"""At phone size: a young person who applied to an organisation this year finds the line on their space, sends the
verdict form empty first, then answers; the organisation's owner reads its verdict and what young people said it
should change, and the annual report shows the verdict. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pypdfium2 as pdfium
import pytest

from app.applications.tables import Application
from app.uptake.measures import reporting_year
from app.verdicts.tables import VerdictAnswer
from tests import factories
from tests.browser import SCREENSHOTS, look, signed_in_as
from tests.people import member, young_person

pytestmark = pytest.mark.browser


async def test_a_young_person_gives_their_verdict_and_the_organisation_reads_it(
    live_server: str, page: Any, another_phone: Any
) -> None:
    year = reporting_year(date.today())
    org = await factories.organisation(name="Gwaith Da Cyf")
    offer = await factories.offer(org, title="Trainee joiner")
    user_id, yp = await young_person("ffion@example.org", "Ffion", verified_until=date(2100, 1, 1))
    await Application.insert(Application(offer=offer.id, young_person=yp, created_at=datetime.now(UTC)))

    page.problems.expect("status of 422")
    await signed_in_as(page, live_server, user_id)
    await page.goto(f"{live_server}/me")
    await look(page, "verdict-me-line")
    await page.get_by_role("link", name="Give your verdict on 1 organisation you dealt with this year").click()
    await page.wait_for_selector("h1:has-text('Your verdict on organisations')")
    await look(page, "verdict-mine")
    await page.get_by_role("link", name="Gwaith Da Cyf").click()
    await page.get_by_role("button", name="Send your verdict").click()
    await page.wait_for_selector("text=Say whether it kept its promise.")
    await look(page, "verdict-error")
    await page.get_by_role("group", name="Did it keep its promise to you?").get_by_label("Partly").check()
    await page.get_by_role("group", name="Would you recommend it to other young people?").get_by_label("Yes").check()
    await page.get_by_label("What should it change? (optional)").fill("Reply to applications sooner")
    await page.get_by_role("button", name="Send your verdict").click()
    await page.wait_for_selector("text=Thank you. Your verdict is kept without your name")
    await look(page, "verdict-thanks")
    assert await VerdictAnswer.count().where(VerdictAnswer.change == "Reply to applications sooner") == 1

    # Eleven more young people have answered: the organisation's owner reads the verdict and the words.
    await VerdictAnswer.insert(
        *(VerdictAnswer(organisation=org.id, year=year, kept_promise="yes", recommend="yes" if n % 3 else "not_sure",
                        change="More evening sessions" if n == 0 else "") for n in range(11))
    )  # fmt: skip
    owner = await another_phone()
    await signed_in_as(owner, live_server, await member(org, "owner@gwaithda.example"))
    await owner.goto(f"{live_server}/organisations/{org.id}")
    await owner.get_by_role("link", name="Young people's verdict").click()
    await owner.wait_for_selector("text=Reply to applications sooner")
    assert "More evening sessions" in await owner.content()
    await look(owner, "verdict-organisation")
    await owner.goto(f"{live_server}/organisations/{org.id}/report/{year}")
    verdict = owner.locator("section", has=owner.get_by_role("heading", name="Young people's verdict"))
    await verdict.get_by_role("table").wait_for()
    assert "Reply to applications sooner" not in await owner.content()
    await verdict.scroll_into_view_if_needed()
    await look(owner, "verdict-report")
    answer = await owner.request.get(f"{live_server}/organisations/{org.id}/report/{year}/report.pdf")
    document = pdfium.PdfDocument(await answer.body())
    last = document[len(document) - 1]
    assert "Said it kept its promise" in last.get_textpage().get_text_range()
    last.render(scale=1.5).to_pil().save(SCREENSHOTS / "verdict-report-pdf-last-page.png")
