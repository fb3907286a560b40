"""At phone size: an organisation sets an objective (a wrong answer first), young people apply through the app (after
their council adviser suggested it) and start, one of them says how it went, and the dashboard, the annual report and
its PDF show the progress. The public charter in numbers and the council's figures are looked at too. Every page is
checked with axe-core; the PDF's pages are kept as pictures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pypdfium2 as pdfium
import pytest

from app.advisers.tables import AdviserLink, Suggestion
from app.applications import provider
from app.applications import service as applications
from app.applications.tables import Application
from app.core.auth import Principal
from app.core.forms import Form
from app.organisations.tables import Membership
from app.settings import Settings
from app.uptake.measures import reporting_year
from tests import factories
from tests.browser import SCREENSHOTS, look, signed_in_as
from tests.people import member, young_person

pytestmark = pytest.mark.browser


async def test_an_objective_uptake_and_the_dashboard_report_and_pdf_show_progress(
    live_server: str, page: Any, another_phone: Any, settings: Settings
) -> None:
    today = date.today()
    year = reporting_year(today)
    org = await factories.organisation(name="Gwaith Da Cyf", pledged_principles=[5, 10, 3])
    offer = await factories.offer(org, type="apprenticeship", title="Trainee joiner", places=20, principles=[5, 10])
    owner_id = await member(org, "owner@gwaithda.example")
    owner = Principal(owner_id, "owner@gwaithda.example", "")

    page.problems.expect("status of 422")
    await signed_in_as(page, live_server, owner_id)
    await page.goto(f"{live_server}/organisations/{org.id}")
    await look(page, "organisation-with-progress-links")
    await page.get_by_role("link", name="Objectives").click()
    await page.get_by_label("What you will count").select_option("starts")
    await page.get_by_label("Type of offer").select_option("apprenticeship")
    await page.get_by_label("Target").fill("0")
    await page.get_by_label("Charter principle it serves").select_option("10")
    await page.get_by_role("button", name="Set objective").click()
    await page.wait_for_selector("text=Enter a whole number")
    await look(page, "objectives-error")
    await page.get_by_label("Target").fill("10")
    await page.get_by_label("Deadline").fill(date(year + 1, 3, 31).isoformat())
    await page.get_by_role("button", name="Set objective").click()
    await page.wait_for_selector("text=So far: 0 of 10.")
    await look(page, "objectives")

    # Seven young people apply through the app, each after their council adviser suggested the offer, and the
    # provider moves them on to a start.
    council = await factories.organisation(kind="council", name="Cyngor Caerdydd", council_area="W06000015")
    adviser = await member(council, "pa@caerdydd.example", "adviser")
    advising = await Membership.select(Membership.id).where(Membership.user == adviser).first()
    people = []
    for n in range(7):
        user_id, yp_id = await young_person(f"yp{n}@example.org", f"Young {n}", date(2100, 1, 1))
        link = AdviserLink(young_person=yp_id, membership=advising["id"], status="linked", linked_at=datetime.now(UTC))
        await link.save()
        await Suggestion.insert(Suggestion(link=link.id, offer=offer.id, note="This one looks like you"))
        who = Principal(user_id, f"yp{n}@example.org", "")
        form = Form({"message": "Hello", "contact_by": "email"})
        application_id = await applications.apply(settings, who, offer.id, form, today)
        for stage in ("in_review", "offered", "started"):
            await provider.move(settings, owner, org.id, application_id, Form({"stage": stage}))
        people.append((user_id, application_id))
    await provider.move(settings, owner, org.id, people[0][1], Form({"stage": "completed"}))
    assert await Application.count().where(Application.stage == "started") == 6

    # The one who finished is asked how it went, and answers.
    young = await another_phone()
    young.problems.expect("status of 422")
    await signed_in_as(young, live_server, people[0][0])
    await young.goto(f"{live_server}/me")
    await look(young, "me-with-feedback-link")
    await young.get_by_role("link", name="Tell us how it went").click()
    await young.get_by_role("link", name="Trainee joiner").click()
    await young.get_by_role("button", name="Send").click()
    await young.wait_for_selector("text=Choose a number from 1 to 5")
    await look(young, "feedback-error")
    await young.get_by_label("5: a lot").check()
    await young.get_by_label("Anything you want to say").fill("I learnt real skills and feel more confident")
    await young.get_by_role("button", name="Send").click()
    await young.wait_for_selector("text=Thank you")
    await look(young, "feedback-thanks")

    # Seven starts are published as 6, 7 or 8 (a count of 7 moves by 1 at most), the same number everywhere.
    await page.goto(f"{live_server}/organisations/{org.id}/uptake")
    figures = dict(
        line.split("\n", 1) for line in (await page.locator(".figures > div").all_inner_texts()) if "\n" in line
    )
    starts = figures["Starts"]
    assert starts in {"6", "7", "8"} and figures["Applications"] in {"6", "7", "8"}, figures
    await page.wait_for_selector(f"text=So far: {starts} of 10.")
    await look(page, "uptake-dashboard")
    await page.goto(f"{live_server}/organisations/{org.id}/feedback")
    # One answer about the offer: the provider who marked it completed would know who wrote it, so it waits.
    assert "I learnt real skills" not in await page.content() and "Young 0" not in await page.content()
    await page.wait_for_selector("text=Answers about 1 opportunity are waiting")
    await look(page, "provider-feedback")

    await page.goto(f"{live_server}/organisations/{org.id}/uptake")
    await page.get_by_role("link", name="Annual progress report").click()
    await page.wait_for_selector(f"text=So far: {starts} of 10.")
    assert "Gwaith Da Cyf" in await page.content()
    await look(page, "annual-report")
    answer = await page.request.get(f"{live_server}/organisations/{org.id}/report/{year}/report.pdf")
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    document = pdfium.PdfDocument(await answer.body())
    text = ""
    for number in range(len(document)):
        text += document[number].get_textpage().get_text_range()
        picture = document[number].render(scale=1.5).to_pil()
        picture.save(SCREENSHOTS / f"annual-report-pdf-page-{number + 1}.png")
    assert "Gwaith Da Cyf" in text and "Trainee joiner" not in text  # figures, not offers' names
    assert starts in text and any(status in text for status in ("On track", "At risk")), text

    await page.goto(f"{live_server}/charter?year={year}")
    await look(page, "charter-in-numbers")

    # The council where they live sees its area: the seven, and the employer among the organisations. The seven
    # applications all followed a suggestion: the same records, so the same published number.
    verifier = await another_phone()
    await signed_in_as(verifier, live_server, await member(council, "verifier@caerdydd.example", "verifier"))
    await verifier.goto(f"{live_server}/organisations/{council.id}")
    await verifier.get_by_role("link", name="What young people took up").click()
    council_figures = await verifier.locator(".figures").inner_text()
    assert f"Applications\n{figures['Applications']}" in council_figures, council_figures  # the same seven people
    assert f"Taken up after an adviser's suggestion\n{figures['Applications']}" in council_figures, council_figures
    assert "Taken up after an adviser's suggestion" not in figures  # the employer's dashboard does not list it
    assert "Gwaith Da Cyf" in await verifier.locator("#organisation-caption").locator("..").inner_text()
    await look(verifier, "council-uptake")
