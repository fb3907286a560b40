"""Annual reports, published: signed off by an owner once the year has ended, kept exactly as signed (later uptake
never changes them), corrected only by a new version that says what changed, due three months after the year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup

from app.organisations.tables import Organisation
from app.publishing import reports
from app.publishing.reports import Standing
from app.publishing.tables import PublishedReport
from app.uptake.measures import reporting_year
from tests import factories
from tests.people import member, post, session_for
from tests.test_measures import event

LAST_YEAR = reporting_year(date.today()) - 1  # ended on 31 March: it can be signed off


async def _owner(new_client, **org):
    organisation = await factories.organisation(kind="employer", council_area="W06000015", **org)
    client = new_client()
    await session_for(client, await member(organisation, "owner@example.org"))
    return organisation, client


def _text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


@pytest.mark.parametrize(
    ("day", "published", "expected"),
    [
        (date(2026, 3, 31), False, Standing.in_progress),  # the last day of the 2025 reporting year
        (date(2026, 4, 1), False, Standing.due),
        (date(2026, 6, 30), False, Standing.due),  # three months after: still due on the day
        (date(2026, 7, 1), False, Standing.overdue),
        (date(2027, 1, 1), False, Standing.overdue),
        (date(2026, 7, 1), True, Standing.published),
    ],
)
def test_due_three_months_after_the_year_ends_then_overdue(day: date, published: bool, expected: Standing) -> None:
    assert reports.standing(2025, published, day) == expected
    assert reports.due_on(2025) == date(2026, 6, 30)


def test_reports_go_to_the_oversight_of_the_organisations_nation() -> None:
    assert reports.nation_of("W06000015") == "wales" and reports.nation_of("E08000003") == "england"
    assert reports.nation_of("") == ""


async def test_a_year_not_over_cannot_be_signed_off(new_client) -> None:
    org, client = await _owner(new_client)
    now = reporting_year(date.today())
    response = await post(client, f"/organisations/{org.id}/report/{now}/sign", {"confirm": "on"})
    assert response.status_code == 422 and "once its year has ended" in response.text
    assert await PublishedReport.count() == 0


async def test_a_signed_off_report_is_public_and_never_changes_and_a_correction_is_a_new_version(new_client) -> None:
    org, client = await _owner(new_client, name="Cardiff Bay Builders", pledged_principles=[5, 10])
    offer = await factories.offer(org, type="apprenticeship", published_at=datetime(LAST_YEAR, 3, 1, tzinfo=UTC))
    for person in range(9):
        await event("applied", offer, person, datetime(LAST_YEAR, 6, 1, 12, tzinfo=UTC))

    page = BeautifulSoup((await client.get(f"/organisations/{org.id}/report/{LAST_YEAR}")).text, "html.parser")
    assert page.select_one("form[action$='/sign']") is not None
    unconfirmed = await post(client, f"/organisations/{org.id}/report/{LAST_YEAR}/sign", {})
    assert unconfirmed.status_code == 422 and await PublishedReport.count() == 0

    signed = await post(client, f"/organisations/{org.id}/report/{LAST_YEAR}/sign", {"confirm": "on"})
    assert signed.status_code == 303 and signed.headers["location"] == f"/reports/{org.id}/{LAST_YEAR}"
    anyone = new_client()
    public = await anyone.get(f"/reports/{org.id}/{LAST_YEAR}")
    assert public.status_code == 200
    first = _text(public.text)
    assert "Annual corporate parenting progress report" in first and "Cardiff Bay Builders" in first
    assert "version 1" in first and "Sent to the oversight body" in first
    welsh = await new_client().get(f"/reports/{org.id}/{LAST_YEAR}?lang=cy")
    assert "Adroddiad" in _text(welsh.text)
    pdf = await anyone.get(f"/reports/{org.id}/{LAST_YEAR}/1/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    row = await PublishedReport.select().first()
    assert row["submitted_to"] == "wales" and row["submitted_at"] is not None and row["correction"] == ""

    # Later uptake (recorded late, in that year) changes the live report, never the published one.
    for person in range(9, 40):
        await event("applied", offer, person, datetime(LAST_YEAR, 7, 1, 12, tzinfo=UTC))
    kept = await PublishedReport.select(PublishedReport.html_en, PublishedReport.pdf_en).first()
    assert kept["html_en"] == row["html_en"] and kept["pdf_en"] == row["pdf_en"]
    assert _text((await anyone.get(f"/reports/{org.id}/{LAST_YEAR}")).text) == first

    no_reason = await post(client, f"/organisations/{org.id}/report/{LAST_YEAR}/sign", {"confirm": "on"})
    assert no_reason.status_code == 422 and "Say what this version corrects" in no_reason.text
    corrected = await post(
        client,
        f"/organisations/{org.id}/report/{LAST_YEAR}/sign",
        {"confirm": "on", "correction": "Late applications from July added."},
    )
    assert corrected.status_code == 303
    latest = _text((await anyone.get(f"/reports/{org.id}/{LAST_YEAR}")).text)
    assert "version 2" in latest and "Late applications from July added." in latest
    earlier = _text((await anyone.get(f"/reports/{org.id}/{LAST_YEAR}/1")).text)
    assert "version 1, signed off" in earlier and "Late applications" not in earlier
    versions = await PublishedReport.select(PublishedReport.version, PublishedReport.html_en).order_by(
        PublishedReport.version
    )
    assert [v["version"] for v in versions] == [1, 2] and versions[0]["html_en"] == row["html_en"]


async def test_nothing_is_published_for_an_organisation_not_approved_or_a_report_not_signed(new_client) -> None:
    org, _ = await _owner(new_client)
    anyone = new_client()
    assert (await anyone.get(f"/reports/{org.id}/{LAST_YEAR}")).status_code == 404
    await PublishedReport.insert(PublishedReport(organisation=org.id, year=LAST_YEAR, html_en="<p>Signed</p>"))
    assert (await anyone.get(f"/reports/{org.id}/{LAST_YEAR}")).status_code == 200
    assert (await anyone.get(f"/reports/{org.id}/{LAST_YEAR}/2")).status_code == 404
    await Organisation.update({Organisation.approved_at: None}).where(Organisation.id == org.id)
    assert (await anyone.get(f"/reports/{org.id}/{LAST_YEAR}")).status_code == 404
