"""The public register of signatories: approved organisations only, with what they publish; its CSV and JSON hold
the same rows as its page; filters by sector and area; the count of concerns upheld is protected."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from bs4 import BeautifulSoup

from app.concerns.tables import Concern
from app.publishing.tables import Plan, PublishedReport
from tests import factories


async def test_the_register_lists_approved_signatories_and_its_downloads_match_its_page(new_client) -> None:
    nurse = {"7": {"en": "A named nurse for every care leaver."}}
    board = await factories.organisation(
        name="Taf Valley Health Board", kind="health", council_area="W06000016", pledged_principles=[5, 7],
        pledge_statements=nurse,
    )  # fmt: skip
    builders = await factories.organisation(name="Cardiff Bay Builders", kind="employer", council_area="W06000015")
    await factories.organisation(name="Waiting Ltd", approved_at=None)
    await factories.organisation(name="Welsh Government", kind="oversight")
    await factories.offer(board, title="Nursing apprenticeship")
    await PublishedReport.insert(PublishedReport(organisation=board.id, year=2025, html_en="<p>Report</p>"))
    await Plan.insert(Plan(organisation=board.id, start_year=2026, signed_at=datetime.now(UTC), html_en="<p>P</p>"))
    await Plan.insert(Plan(organisation=builders.id, start_year=2026))  # a draft: not on the register
    for n in range(3):
        await Concern.insert(Concern(organisation=builders.id, what_happened=f"Concern {n}", status="upheld"))
    anyone = new_client()

    page = BeautifulSoup((await anyone.get("/signatories")).text, "html.parser")
    cards = {card.select_one("h2").get_text(): card for card in page.select(".card")}
    assert sorted(cards) == ["Cardiff Bay Builders", "Taf Valley Health Board"]
    health = cards["Taf Valley Health Board"]
    assert "A named nurse for every care leaver." in health.get_text()
    assert health.select_one(f"a[href='/reports/{board.id}/2025']") is not None
    assert health.select_one(f"a[href='/plans/{board.id}/2026']") is not None
    facts = {div.dt.get_text(): div.dd.get_text() for div in health.select(".facts div")}
    assert facts["Opportunities open now"] == "1"
    builders_facts = {
        div.dt.get_text(): div.dd.get_text() for div in cards["Cardiff Bay Builders"].select(".facts div")
    }
    assert builders_facts["Concerns upheld"] == "fewer than 6" and builders_facts["Plan"] == "None published yet"

    rows = list(csv.DictReader(io.StringIO((await anyone.get("/signatories.csv")).content.decode("utf-8-sig"))))
    data = (await anyone.get("/signatories.json")).json()
    assert [row["name"] for row in rows] == [row["name"] for row in data] == sorted(cards)
    for row, item in zip(rows, data, strict=True):
        assert row == {key: str(value) for key, value in item.items() if key != "pledge"}
    assert data[0]["concerns_upheld"] == "fewer than 6"
    assert data[1]["pledge"] == {"7": {"en": "A named nurse for every care leaver."}}
    assert data[1]["latest_report"].endswith(f"/reports/{board.id}/2025")

    only_health = BeautifulSoup((await anyone.get("/signatories?sector=health")).text, "html.parser")
    assert [h2.get_text() for h2 in only_health.select(".card h2")] == ["Taf Valley Health Board"]
    cardiff = (await anyone.get("/signatories.json?area=W06000015")).json()
    assert [item["name"] for item in cardiff] == ["Cardiff Bay Builders"]
    assert (await anyone.get("/signatories?sector=oversight")).status_code == 400
    assert (await anyone.get("/signatories.csv?area=nowhere")).status_code == 400


async def test_the_register_shows_young_peoples_verdict_once_enough_answered(new_client) -> None:
    from app.uptake.measures import reporting_year
    from app.verdicts.tables import VerdictAnswer

    year = reporting_year(datetime.now(UTC).date())
    few = await factories.organisation(name="Few Answers Ltd")
    many = await factories.organisation(name="Many Answers Ltd")
    await VerdictAnswer.insert(*[VerdictAnswer(organisation=few.id, year=year, kept_promise="yes", recommend="yes")
                                 for _ in range(4)])  # fmt: skip
    await VerdictAnswer.insert(*[VerdictAnswer(organisation=many.id, year=year, kept_promise="yes", recommend="no")
                                 for _ in range(30)])  # fmt: skip
    data = {item["name"]: item for item in (await new_client().get("/signatories.json")).json()}
    assert data["Few Answers Ltd"]["verdict_answered"] == ""  # not shown at all below the threshold
    answered = data["Many Answers Ltd"]["verdict_answered"]
    assert isinstance(answered, int) and abs(answered - 30) <= 2 and data["Many Answers Ltd"]["verdict_year"] == year
    page = BeautifulSoup((await new_client().get("/signatories")).text, "html.parser").get_text()
    assert "Not enough answers yet" in page and "would recommend it" in page
