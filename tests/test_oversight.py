"""Oversight bodies: read-only, for their nation, which corporate parents' reports are published, due or overdue
(owed only by those approved before the year ended), their plans, and nothing about any young person."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bs4 import BeautifulSoup

from app.organisations.tables import Organisation
from app.publishing import oversight
from app.publishing.reports import Standing
from app.publishing.tables import Plan, PublishedReport
from app.uptake.measures import reporting_year
from tests import factories
from tests.people import member, session_for, young_person

LAST_YEAR = reporting_year(date.today()) - 1
BEFORE = datetime(LAST_YEAR, 6, 1, tzinfo=UTC)


def test_a_report_is_owed_only_by_those_approved_before_its_year_ended() -> None:
    assert oversight.owes(datetime(2026, 3, 31, 22, 59, tzinfo=UTC), 2025)  # 23:59 on 31 March in London
    assert not oversight.owes(datetime(2026, 3, 31, 23, 0, tzinfo=UTC), 2025)  # midnight: 1 April, BST
    assert oversight.last_ended_year(date(2026, 3, 31)) == 2024
    assert oversight.last_ended_year(date(2026, 4, 1)) == 2025


def test_a_plan_is_due_in_the_first_year_and_again_every_three_years() -> None:
    approved = datetime(2025, 9, 1, tzinfo=UTC)  # in the 2025 reporting year
    assert oversight.plan_due_on(approved, None) == date(2026, 3, 31)
    assert oversight.plan_standing(approved, None, date(2026, 3, 31)) == Standing.due
    assert oversight.plan_standing(approved, None, date(2026, 4, 1)) == Standing.overdue
    assert oversight.plan_standing(approved, 2025, date(2028, 3, 31)) == Standing.published  # 2025 to 2027
    assert oversight.plan_standing(approved, 2025, date(2028, 4, 1)) == Standing.due  # the next, by March 2029
    assert oversight.plan_due_on(approved, 2025) == date(2029, 3, 31)
    assert oversight.plan_standing(approved, 2025, date(2029, 4, 1)) == Standing.overdue


async def test_an_oversight_body_sees_its_nations_reports_and_plans_and_no_one_else_does(new_client) -> None:
    body = await factories.organisation(kind="oversight", name="Welsh Government", council_area="W06000015")
    client = new_client()
    await session_for(client, await member(body, "official@gov.example", "staff"))
    late = await factories.organisation(name="Late Ltd", council_area="W06000011", approved_at=BEFORE)
    done = await factories.organisation(name="Done Ltd", kind="health", council_area="W06000016", approved_at=BEFORE)
    await factories.organisation(name="New Ltd", council_area="W06000015")  # approved now: owes nothing yet
    await factories.organisation(name="English Ltd", council_area="E08000003", approved_at=BEFORE)
    await factories.organisation(name="A Sponsor", kind="sponsor", council_area="W06000015", approved_at=BEFORE)
    await PublishedReport.insert(PublishedReport(organisation=done.id, year=LAST_YEAR, html_en="<p>Signed</p>"))
    await Plan.insert(Plan(organisation=done.id, start_year=LAST_YEAR, signed_at=BEFORE, html_en="<p>Plan</p>"))
    await young_person("sam@example.org", "Sam Secret")

    page = await client.get(f"/organisations/{body.id}/oversight")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    found = await oversight.overview(body.id, date.today())
    assert [p.name for p in found.with_report(Standing.overdue, Standing.due)] == ["Late Ltd"]
    assert [p.name for p in found.with_report(Standing.published)] == ["Done Ltd"]
    assert [h3.get_text() for h3 in soup.select("main h3")] == ["Late Ltd", "Done Ltd"]
    text = soup.get_text()
    assert "New Ltd" not in text and "English Ltd" not in text and "A Sponsor" not in text
    assert "Sam Secret" not in text and "sam@example.org" not in text
    assert soup.select_one(f"a[href='/reports/{done.id}/{LAST_YEAR}']") is not None
    assert soup.select_one(f"a[href='/plans/{done.id}/{LAST_YEAR}']") is not None
    assert [p.plan for p in found.with_report(Standing.overdue, Standing.due)] == [Standing.overdue]  # none by March

    other = new_client()
    await session_for(other, await member(late, "owner@late.example"))
    assert (await other.get(f"/organisations/{late.id}/oversight")).status_code == 404  # not an oversight body
    await Organisation.update({Organisation.approved_at: None}).where(Organisation.id == body.id)
    assert (await client.get(f"/organisations/{body.id}/oversight")).status_code == 403  # until the team approves
