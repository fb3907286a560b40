"""Dashboards, exports, objectives and feedback over HTTP: protection on every format, councils see their own area
only, the report equals the dashboard, and differencing two reports gives nothing away."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from bs4 import BeautifulSoup

from app.applications.tables import Application
from app.audit.tables import AuditEntry
from app.codes.tables import Code
from app.feedback import service as feedback
from app.feedback.tables import Feedback
from app.mail.tables import MailMessage
from app.organisations.tables import Organisation
from app.progress import service as progress
from app.progress.tables import Objective
from app.uptake import measures
from tests import factories
from tests.people import member, post, session_for, young_person
from tests.test_measures import YEAR, event, on, scenario  # noqa: F401 (a fixture)


def table(html: str, caption_id: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    rows = soup.select(f"#{caption_id}-caption ~ tbody tr")
    return {r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")] for r in rows}


def facts(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {d.dt.get_text(strip=True): d.dd.get_text(strip=True) for d in soup.select(".figures > div")}


async def owner_client(new_client: Any, org: Any, email: str) -> Any:
    client = new_client()
    await session_for(client, await member(org, email))
    return client


def published(true: int, shown: str) -> bool:
    """A count of 6 or more as published: moved by at most 2, never below 6."""
    return shown.replace(",", "").isdigit() and max(6, true - 2) <= int(shown.replace(",", "")) <= true + 2


async def test_every_format_prints_the_same_published_number_for_the_same_cell(scenario, new_client) -> None:  # noqa: F811
    """Page, CSV, JSON and PDF of one scope: small counts are "fewer than 6" everywhere, every other people count
    is the same published number everywhere, and none of them is the true count given away by a rule."""
    import pypdfium2 as pdfium

    a = scenario["a"]
    client = await owner_client(new_client, a, "owner-a@example.org")
    page = await client.get(f"/organisations/{a.id}/uptake?year={YEAR}")
    assert page.status_code == 200
    shown = facts(page.text)
    assert (
        published(8, shown["Applications"]) and published(7, shown["Starts"]) and published(13, shown["Codes claimed"])
    )
    areas = table(page.text, "area")
    assert areas["Swansea"][4] == "fewer than 6" and published(10, areas["Cardiff"][4]), areas
    csv_rows = list(csv.reader(io.StringIO((await client.get(f"/organisations/{a.id}/uptake.csv?year={YEAR}")).text)))
    header = csv_rows[0]
    by_key = {(r[0], r[1]): r for r in csv_rows[1:]}
    data = (await client.get(f"/organisations/{a.id}/uptake.json?year={YEAR}")).json()
    areas_json = {row["key"]: row for row in data["tables"]["area"]}
    assert areas_json["W06000011"]["claimed"] == {"value": None, "suppressed": "small"}
    assert by_key[("area", "W06000011")][header.index("Codes claimed")] == "fewer than 6"
    pdf = await client.get(f"/organisations/{a.id}/report/{YEAR}/report.pdf")
    document = pdfium.PdfDocument(pdf.content)
    pdf_text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    for label, measure in (("Applications", "applications"), ("Starts", "starts"), ("Codes claimed", "claimed"),
                           ("Codes used", "redeemed"), ("Young people reached", "people")):  # fmt: skip
        number = shown[label]
        assert by_key[("total", "")][header.index(label)] == number, label
        assert str(data["total"][measure]["value"]) == number.replace(",", ""), label
        assert number in pdf_text, label
    assert by_key[("area", "W06000015")][header.index("Codes claimed")] == areas["Cardiff"][4]
    assert str(areas_json["W06000015"]["claimed"]["value"]) == areas["Cardiff"][4]
    assert "Tables may not add up exactly" in page.text and 'href="/small-numbers"' in page.text
    for text in (page.text, "\n".join(",".join(r) for r in csv_rows), str(data)):
        assert "person-" not in text


async def test_bad_periods_are_a_clear_400(scenario, new_client) -> None:  # noqa: F811
    client = await owner_client(new_client, scenario["a"], "owner-a2@example.org")
    for query, words in (("year=1999", "There are figures for the years"), ("year=abc", "Choose a year"),
                         ("principle=12", "Choose a principle"), ("principle=x", "Choose a year")):  # fmt: skip
        answer = await client.get(f"/organisations/{scenario['a'].id}/uptake?{query}")
        assert answer.status_code == 400 and words in answer.text, query
        assert (await client.get(f"/charter?{query}")).status_code == 400


async def test_a_council_sees_only_its_own_area(scenario, new_client) -> None:  # noqa: F811
    swansea = await factories.organisation(kind="council", council_area="W06000011", name="Swansea Council")
    client = new_client()
    await session_for(client, await member(swansea, "verifier@swansea.example", role="verifier"))
    page = await client.get(f"/organisations/{swansea.id}/uptake?year={YEAR}")
    assert page.status_code == 200
    shown = facts(page.text)
    assert shown["Codes claimed"] == "fewer than 6" and shown["Applications"] == "0", shown
    assert list(table(page.text, "area")) == ["Swansea"]
    # Another organisation's dashboard is not theirs to see.
    assert (await client.get(f"/organisations/{scenario['a'].id}/uptake")).status_code == 403


async def test_named_rows_are_in_the_order_of_their_names(scenario, new_client) -> None:  # noqa: F811
    await Organisation.update({Organisation.name: "Zephyr Trust"}).where(Organisation.id == scenario["a"].id)
    cardiff = await factories.organisation(kind="council", council_area="W06000015", name="Cardiff Council")
    client = new_client()
    await session_for(client, await member(cardiff, "verifier@cardiff.example", role="verifier"))
    page = (await client.get(f"/organisations/{cardiff.id}/uptake?year={YEAR}")).text
    assert list(table(page, "organisation")) == ["B", "Zephyr Trust"]
    assert list(table(page, "type")) == ["Apprenticeship", "Mentoring", "Sport"]
    assert list(table(page, "month"))[:2] == ["Apr", "May"]  # months stay in their own order


async def test_the_same_claims_are_the_same_published_number_on_the_public_page_and_a_councils_own(
    scenario,  # noqa: F811
    new_client,
) -> None:
    """Cardiff's council's own claims and the public page's Cardiff row count the same ten records: one published
    number, so putting the pages side by side shows nothing new; the total is a cell of its own."""
    public = await new_client().get(f"/charter?year={YEAR}")
    assert public.status_code == 200
    claimed = {area: cells[4] for area, cells in table(public.text, "area").items()}
    assert claimed["Swansea"] == "fewer than 6" and published(10, claimed["Cardiff"]), claimed
    cardiff = await factories.organisation(kind="council", council_area="W06000015")
    client = await owner_client(new_client, cardiff, "staff@cardiff.example")
    own = facts((await client.get(f"/organisations/{cardiff.id}/uptake?year={YEAR}")).text)
    assert own["Codes claimed"] == claimed["Cardiff"]
    assert published(13, facts(public.text)["Codes claimed"])


async def test_the_report_equals_the_dashboard_and_opens_as_pdf(scenario, new_client) -> None:  # noqa: F811
    import pypdfium2 as pdfium

    a = scenario["a"]
    client = await owner_client(new_client, a, "owner-a3@example.org")
    dashboard = (await client.get(f"/organisations/{a.id}/uptake?year={YEAR}")).text
    report = (await client.get(f"/organisations/{a.id}/report/{YEAR}")).text
    for caption in ("month", "type", "area"):
        assert table(report, caption) == table(dashboard, caption), caption
    assert facts(report) == facts(dashboard)
    dashboard_csv = (await client.get(f"/organisations/{a.id}/uptake.csv?year={YEAR}")).text
    assert (await client.get(f"/organisations/{a.id}/report/{YEAR}/figures.csv")).text == dashboard_csv
    pdf = await client.get(f"/organisations/{a.id}/report/{YEAR}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    document = pdfium.PdfDocument(pdf.content)
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "A" in text and "fewer than 6" in text and "Annual corporate parenting progress report" in text
    assert (await client.get(f"/organisations/{a.id}/report/1999")).status_code == 404


async def test_objectives_are_validated_counted_and_audited(scenario, new_client) -> None:  # noqa: F811
    a = scenario["a"]
    client = await owner_client(new_client, a, "owner-a4@example.org")
    url = f"/organisations/{a.id}/objectives"
    deadline = date(YEAR + 1, 3, 31)
    good = {"measure": "starts", "offer_type": "apprenticeship", "target": "10", "deadline": deadline.isoformat(),
            "principle": "10", "note": "Two cohorts"}  # fmt: skip
    wrong = (
        ({"target": "0"}, "Enter"),
        ({"target": "ten"}, ""),
        ({"deadline": "2020-01-01"}, "Choose a date"),
        ({"deadline": "31/03/2027"}, "real date"),
        ({"measure": "likes"}, "what you will count"),
        ({"principle": "12"}, "principle it serves"),
        ({"offer_type": "yacht"}, ""),
    )
    for change, words in wrong:
        answer = await post(client, url, good | change)
        assert answer.status_code == 422 and words in answer.text, change
    assert await Objective.count() == 0
    assert (await post(client, url, good)).status_code == 303
    page = await client.get(url)
    so_far = BeautifulSoup(page.text, "html.parser").find(string=lambda s: s and "So far:" in s)
    assert "Starts (Apprenticeship)" in page.text and so_far is not None
    starts = so_far.split("So far: ")[1].split(" of 10")[0]
    assert published(7, starts)  # the same published number as the dashboard's
    objective = await Objective.select().first()
    assert await AuditEntry.count().where(AuditEntry.action == "objective.set") == 1
    progress = await client.get(f"/organisations/{a.id}/uptake?year={YEAR}")
    assert f"So far: {starts} of 10." in progress.text
    removed = await post(client, f"{url}/{objective['id']}/remove", {})
    assert removed.status_code == 303 and await Objective.count() == 0
    assert (await post(client, f"{url}/{objective['id']}/remove", {})).status_code == 303  # already gone: no harm
    assert await AuditEntry.count().where(AuditEntry.action == "objective.removed") == 1


async def test_young_people_are_asked_and_providers_see_answers_without_names(new_client, settings) -> None:
    org = await factories.organisation()
    offer = await factories.offer(org)
    user_id, person = await young_person("yp-feedback@example.org", "Sam Jones", date.today() + timedelta(days=30))
    other_id, _ = await young_person("other@example.org", "Other", date.today() + timedelta(days=30))
    application = await Application.insert(
        Application(offer=offer.id, young_person=person, stage="completed")
    ).returning(Application.id)
    app_id = application[0]["id"]
    client = new_client()
    await session_for(client, user_id)
    assert (
        "How did it go" in (await client.get("/me/feedback")).text
        or offer.title in (await client.get("/me/feedback")).text
    )
    url = f"/me/feedback/application/{app_id}"
    for data, words in (({}, "Choose a number from 1 to 5"), ({"rating": "6"}, "Choose a number"),
                        ({"rating": "4", "words": "x" * 1001}, "1000 characters")):  # fmt: skip
        answer = await post(client, url, data)
        assert answer.status_code == 422 and words in answer.text
    assert await Feedback.count() == 0
    assert (await post(client, url, {"rating": "4", "words": "Great staff, I learnt lots"})).status_code == 303
    intruder = new_client()
    await session_for(intruder, other_id)
    assert (await post(intruder, url, {"rating": "1"})).status_code == 404  # not theirs
    provider = await owner_client(new_client, org, "boss@example.org")
    answers = (await provider.get(f"/organisations/{org.id}/feedback")).text
    # One answer about the offer: whoever marked the placement completed would know who wrote it. It waits.
    assert "Great staff" not in answers and "Answers about 1 opportunity are waiting" in answers
    await post(client, url, {"rating": "5", "words": "Changed my mind: it was fun", "share_name": "on"})
    answers = (await provider.get(f"/organisations/{org.id}/feedback")).text
    assert "Sam Jones" in answers and "Changed my mind" in answers and await Feedback.count() == 1
    mine = (await client.get("/me/data")).json()["feedback"]  # their own words are theirs to download
    assert [(f["offer"], f["rating"], f["words"]) for f in mine] == [(offer.title, 5, "Changed my mind: it was fun")]
    # Themes: by the organisation's offers, and for a council by young people living in its area.
    year = measures.reporting_year(date.today())
    for scope in (measures.Scope("organisation", organisation=org.id), measures.Scope("council", area="W06000015")):
        themes = dict((await progress.feedback_themes(scope, year)).themes)
        assert themes["fun"].why == "small" and themes["work"].value == 0, scope
    elsewhere = dict((await progress.feedback_themes(measures.Scope("council", area="W06000011"), year)).themes)
    assert elsewhere["fun"].value == 0


async def test_anonymous_answers_are_read_once_five_people_have_answered_shuffled_and_by_month(new_client) -> None:
    org = await factories.organisation()
    offer = await factories.offer(org, title="Pottery course")
    provider = await owner_client(new_client, org, "boss@example.org")
    for n in range(5):
        _, person = await young_person(f"yp{n}@example.org", f"Person {n}", date.today() + timedelta(days=30))
        await Feedback.insert(Feedback(young_person=person, offer=offer.id, subject=f"application:{n}", rating=4,
                                       words=f"Answer number {n}", share_name=False))  # fmt: skip
        page = (await provider.get(f"/organisations/{org.id}/feedback")).text
        assert ("Answer number 0" in page) == (n == 4), n  # none until the fifth
    soup = BeautifulSoup(page, "html.parser")
    dated = [
        hint.get_text(strip=True) for hint in soup.select(".objective .hint") if "Name not shared" not in hint.text
    ]
    assert dated and all(not any(ch.isdigit() for ch in when.split()[0]) for when in dated), dated  # "November 2026"
    orders = set()
    for _ in range(8):
        page = (await provider.get(f"/organisations/{org.id}/feedback")).text
        orders.add(tuple(sorted(range(5), key=lambda n: page.index(f"Answer number {n}"))))
    assert len(orders) > 1  # no order (such as when they were written) to read anything from


async def test_a_used_code_is_followed_by_one_email_asking_how_it_went(settings) -> None:
    from datetime import UTC, datetime

    offer = await factories.offer(type="sport", principles=[5])
    _, person = await young_person("swimmer@example.org", "Swimmer", date.today() + timedelta(days=30))
    used = datetime.now(UTC) - timedelta(hours=2)
    await Code.insert(Code(offer=offer.id, code="SWIM-1", claimed_by=person, claimed_at=used, redeemed_at=used))
    await Code.insert(Code(offer=offer.id, code="SWIM-2", claimed_by=person, claimed_at=used))  # not used
    assert await feedback.ask_after_use(settings) == 1
    assert await feedback.ask_after_use(settings) == 0  # once
    mails = await MailMessage.select().where(MailMessage.recipient == "swimmer@example.org")
    assert len(mails) == 1 and "/me/feedback/code/" in mails[0]["body"]
