"""Young people's verdict: who is asked (confirmed today, and dealt with the organisation this reporting year), once
each; bad answers change nothing; answers name nobody and outlive their writer's account; the verdict is published
only from enough answers, protected like every count; what to change is for the organisation's owners and staff;
the year's email goes once, whoever runs the worker."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pypdfium2 as pdfium
from bs4 import BeautifulSoup

from app.applications.tables import Application
from app.codes.tables import Code
from app.core import db
from app.core.auth import Principal
from app.mail.tables import MailMessage
from app.settings import Settings
from app.uptake import service as uptake
from app.uptake.measures import bounds, reporting_year
from app.verdicts import invites, service
from app.verdicts.tables import VerdictAnswer, VerdictGiven, VerdictInvite
from app.young_people import service as young_people
from app.young_people.service import Person
from app.young_people.tables import YoungPerson
from tests import factories
from tests.people import member, post, session_for, young_person

TODAY = date.today()
YEAR = reporting_year(TODAY)
MARCH = date(YEAR + 1, 3, 2)  # the year's email goes in its last month
FOREVER = date(2100, 1, 1)
ANSWER = {"kept_promise": "yes", "recommend": "not_sure", "change": "Answer emails within a week"}


async def _applied(org: Any, yp: int, at: datetime | None = None) -> None:
    offer = await factories.offer(org)
    await Application.insert(Application(offer=offer.id, young_person=yp, created_at=at or datetime.now(UTC)))


async def _claimed(org: Any, yp: int) -> None:
    offer = await factories.offer(org, type="sport")
    await Code.insert(Code(offer=offer.id, code=f"CODE-{yp}-{org.id}", claimed_by=yp, claimed_at=datetime.now(UTC)))


async def _went_to_apply(settings: Settings, org: Any, yp: int) -> None:
    offer = await factories.offer(org, apply_method="external", apply_url="https://jobs.example/1")
    found = {"id": offer.id, "organisation": org.id, "type": offer.type, "principles": offer.principles}
    assert await uptake.went_to_apply(settings, found, Person(yp, "W06000015"))


async def _signed_in(new_client: Any, user_id: int) -> Any:
    client = new_client()
    await session_for(client, user_id)
    return client


def _who(user_id: int) -> Principal:
    return Principal(user_id, "", "")


async def _answers(org_id: int, **answers: int) -> None:
    """Anonymous answers straight into the table: `yes_yes=3` is three saying yes and yes."""
    rows = []
    for key, count in answers.items():
        kept, recommend = key.split("_", 1)
        rows += [VerdictAnswer(organisation=org_id, year=YEAR, kept_promise=kept, recommend=recommend,
                               change=f"{key} {n}") for n in range(count)]  # fmt: skip
    await VerdictAnswer.insert(*rows)


async def test_who_is_asked_confirmed_young_people_about_organisations_they_dealt_with_this_year(
    new_client, settings
) -> None:
    applied, claimed, went = [await factories.organisation(name=n) for n in ("Applied Ltd", "Claimed", "Went")]
    last_year, others = await factories.organisation(name="Last year"), await factories.organisation(name="Others")
    sam_user, sam = await young_person("sam@example.org", "Sam", verified_until=FOREVER)
    await _applied(applied, sam)
    await _claimed(claimed, sam)
    await _went_to_apply(settings, went, sam)
    await _applied(last_year, sam, at=bounds(YEAR)[0] - timedelta(hours=1))
    _, kai = await young_person("kai@example.org", "Kai", verified_until=FOREVER)
    await _applied(others, kai)  # someone else's dealings are not Sam's
    ana_user, ana = await young_person("ana@example.org", "Ana")  # never confirmed by a council
    await _applied(applied, ana)
    lapsed_user, lapsed = await young_person("lapsed@example.org", "Lee", verified_until=TODAY - timedelta(days=1))
    await _applied(applied, lapsed)
    idle_user, _ = await young_person("idle@example.org", "Ida", verified_until=FOREVER)

    mine = await service.mine(settings, _who(sam_user), TODAY)
    assert mine is not None and [o.name for o in mine.waiting] == ["Applied Ltd", "Claimed", "Went"]
    for nobody in (ana_user, lapsed_user, idle_user):
        assert (await service.mine(settings, _who(nobody), TODAY)).waiting == []

    sam_client = await _signed_in(new_client, sam_user)
    me = BeautifulSoup((await sam_client.get("/me")).text, "html.parser")
    line = me.select_one('main a[href="/me/verdicts"]')
    assert line is not None and "Give your verdict on 3 organisations" in line.get_text()
    listed = BeautifulSoup((await sam_client.get("/me/verdicts")).text, "html.parser")
    assert [a.get_text() for a in listed.select('main a[href^="/me/verdicts/"]')] == ["Applied Ltd", "Claimed", "Went"]
    assert (await sam_client.get(f"/me/verdicts/{applied.id}")).status_code == 200
    fragment = await sam_client.get(f"/me/verdicts/{applied.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "Did it keep its promise" in fragment.text
    welsh = await sam_client.get(f"/me/verdicts/{applied.id}?lang=cy")
    assert "Wnaeth e gadw ei addewid i chi?" in welsh.text and "Anfon eich barn" in welsh.text
    for not_theirs in (last_year, others):
        assert (await sam_client.get(f"/me/verdicts/{not_theirs.id}")).status_code == 404
        assert (await post(sam_client, f"/me/verdicts/{not_theirs.id}", ANSWER)).status_code == 404

    ana_client = await _signed_in(new_client, ana_user)
    assert 'href="/me/verdicts"' not in (await ana_client.get("/me")).text
    assert (await post(ana_client, f"/me/verdicts/{applied.id}", ANSWER)).status_code == 404
    assert await VerdictAnswer.count() == 0 and await VerdictGiven.count() == 0


async def test_a_verdict_is_given_once_and_cannot_be_changed(new_client, settings) -> None:
    org = await factories.organisation(name="Gwaith Da")
    user_id, yp = await young_person("sam@example.org", "Sam", verified_until=FOREVER)
    await _applied(org, yp)
    client = await _signed_in(new_client, user_id)

    given = await post(client, f"/me/verdicts/{org.id}", ANSWER)
    assert given.status_code == 303 and given.headers["location"] == "/me/verdicts?thanks=1"
    again = await post(client, f"/me/verdicts/{org.id}", ANSWER | {"kept_promise": "no"})
    assert again.status_code == 409 and "cannot be changed" in again.text
    assert (await client.get(f"/me/verdicts/{org.id}")).status_code == 409
    assert await VerdictGiven.count() == 1
    answers = await VerdictAnswer.select(VerdictAnswer.kept_promise, VerdictAnswer.recommend, VerdictAnswer.change)
    assert answers == [{"kept_promise": "yes", "recommend": "not_sure", "change": "Answer emails within a week"}]
    page = BeautifulSoup((await client.get("/me/verdicts?thanks=1")).text, "html.parser")
    assert "Thank you" in page.select_one("main [role=status]").get_text()
    assert page.select('main a[href^="/me/verdicts/"]') == [] and "Gwaith Da" in page.select_one("main").get_text()
    assert 'href="/me/verdicts"' not in (await client.get("/me")).text  # nothing left to give

    # The same form sent twice at once counts once.
    other = await factories.organisation(name="Twice")
    await _applied(other, yp)
    sent = await asyncio.gather(*(service.give(settings, _who(user_id), other.id, _form(), TODAY) for _ in range(2)),
                                return_exceptions=True)  # fmt: skip
    assert sorted(type(outcome).__name__ for outcome in sent) == ["Conflict", "NoneType"]
    assert await VerdictAnswer.count().where(VerdictAnswer.organisation == other.id) == 1


def _form(**fields: str) -> Any:
    from app.core.forms import Form

    return Form(ANSWER | fields)


async def test_a_bad_answer_is_422_and_nothing_is_kept(new_client) -> None:
    org = await factories.organisation()
    user_id, yp = await young_person("sam@example.org", "Sam", verified_until=FOREVER)
    await _applied(org, yp)
    client = await _signed_in(new_client, user_id)
    for bad in (
        {},
        ANSWER | {"kept_promise": ""},
        ANSWER | {"recommend": "maybe"},
        ANSWER | {"kept_promise": "yes'); DROP TABLE verdict_answer; --"},
        ANSWER | {"change": "x" * 1001},
    ):
        response = await post(client, f"/me/verdicts/{org.id}", bad)
        assert response.status_code == 422, bad
        errors = BeautifulSoup(response.text, "html.parser").select(".error-summary li")
        assert errors, bad
    assert await VerdictAnswer.count() == 0 and await VerdictGiven.count() == 0
    assert (await post(client, f"/me/verdicts/{org.id}", ANSWER | {"change": "y" * 1000})).status_code == 303


async def test_answers_name_nobody_share_one_write_and_outlive_their_writers_account(new_client, settings) -> None:
    columns = await db.engine().run_ddl(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'verdict_answer'"
    )
    assert {c["column_name"]: c["data_type"] for c in columns} == {
        "id": "uuid",  # random: a serial would count up with verdict_given's
        "organisation": "integer",
        "year": "smallint",
        "kept_promise": "character varying",
        "recommend": "character varying",
        "change": "text",
    }
    references = await db.engine().run_ddl(
        "SELECT confrelid::regclass::text AS target FROM pg_constraint"
        " WHERE conrelid = 'verdict_answer'::regclass AND contype = 'f'"
    )
    assert [r["target"] for r in references] == ["organisation"]
    given_columns = await db.engine().run_ddl(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'verdict_given'"
    )
    assert {c["column_name"] for c in given_columns} == {"id", "young_person", "organisation", "year"}

    org = await factories.organisation(name="Gwaith Da")
    people = []
    for n in range(3):
        user_id, yp = await young_person(f"yp{n}@example.org", f"Young {n}", verified_until=FOREVER)
        await _applied(org, yp)
        await service.give(settings, _who(user_id), org.id, _form(change=f"Change {n}"), TODAY)
        people.append(user_id)
    # Every answer about the organisation this year was written by the last answer's transaction, as was the last
    # verdict_given row: the transaction id ties the last person to all three answers, not to theirs.
    written = await db.engine().run_ddl("SELECT DISTINCT xmin::text AS x FROM verdict_answer")
    last = await db.engine().run_ddl("SELECT xmin::text AS x FROM verdict_given ORDER BY id DESC LIMIT 1")
    assert written == last

    await VerdictInvite.insert(VerdictInvite(young_person=(await young_people.get(people[0])).id, year=YEAR))
    await young_people.erase(people[0])
    assert await VerdictGiven.count() == 2 and await VerdictInvite.count() == 0
    assert sorted(r["change"] for r in await VerdictAnswer.select(VerdictAnswer.change)) == [
        "Change 0",
        "Change 1",
        "Change 2",
    ]


async def test_your_data_says_which_organisations_you_gave_a_verdict_on_not_what_you_said(new_client, settings) -> None:
    org = await factories.organisation(name="Gwaith Da")
    user_id, yp = await young_person("sam@example.org", "Sam", verified_until=FOREVER)
    await _applied(org, yp)
    await service.give(settings, _who(user_id), org.id, _form(change="Kinder interviews"), TODAY)
    client = await _signed_in(new_client, user_id)
    response = await client.get("/me/data")
    data = json.loads(response.text)
    assert data["verdicts"] == [{"organisation": "Gwaith Da", "reporting_year": YEAR}]
    assert "Kinder interviews" not in response.text and "not_sure" not in response.text
    privacy = await client.get("/privacy")  # which says the threshold in words
    assert f"only once at least {service.ENOUGH} young people have answered" in privacy.text


async def test_the_verdict_needs_enough_answers_and_is_published_like_every_count(new_client) -> None:
    org = await factories.organisation(name="Gwaith Da")
    await _answers(org.id, yes_yes=4, no_no=5)  # nine answers
    assert await service.verdict(org.id, YEAR) is None
    assert await service.changes(org.id, YEAR) is None
    owner = await _signed_in(new_client, await member(org, "owner@gwaithda.example"))
    report = await owner.get(f"/organisations/{org.id}/report/{YEAR}")
    section = BeautifulSoup(report.text, "html.parser").find("h2", string="Young people's verdict").parent
    assert "Not enough answers yet" in section.get_text() and section.select("table") == []
    page = (await owner.get(f"/organisations/{org.id}/verdict")).text
    assert "Not enough answers yet" in page and "yes_yes" not in page

    await _answers(org.id, yes_no=16, partly_yes=1)  # 26 answers: 20 kept their promise, 5 would recommend
    found = await service.verdict(org.id, YEAR)
    assert found is not None and found == await service.verdict(org.id, YEAR)  # the same every time
    assert 24 <= found.answered.value <= 28 and 18 <= found.kept_promise.value <= 22
    assert found.recommend.value is None and found.recommend.text == "fewer than 6" and found.recommend_share == "–"
    assert found.kept_share == f"{100 * found.kept_promise.value / found.answered.value:.0f}%"

    report = await owner.get(f"/organisations/{org.id}/report/{YEAR}")
    section = BeautifulSoup(report.text, "html.parser").find("h2", string="Young people's verdict").parent
    cells = {
        r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
        for r in section.select("tbody tr")
    }
    assert cells == {
        "Answered": [found.answered.text, ""],
        "Said it kept its promise": [found.kept_promise.text, found.kept_share],
        "Would recommend it": ["fewer than 6", "–"],
    }
    assert "yes_no" not in report.text  # what to change is never in the report
    pdf = await owner.get(f"/organisations/{org.id}/report/{YEAR}/report.pdf")
    document = pdfium.PdfDocument(pdf.content)
    text = " ".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
    assert "Young people's verdict" in text and "Said it kept its promise" in text and "yes_no" not in text

    # Ten answers: shown only when the published count is 10 or more too.
    small = await factories.organisation()
    await _answers(small.id, yes_yes=10)
    shown = await service.verdict(small.id, YEAR)
    assert shown is None or shown.answered.value >= service.ENOUGH


async def test_what_to_change_is_for_owners_and_staff_only_in_alphabetical_order_without_dates(new_client) -> None:
    org = await factories.organisation(name="Gwaith Da")
    await VerdictAnswer.insert(
        *(VerdictAnswer(organisation=org.id, year=YEAR, kept_promise="yes", recommend="yes", change=text)
          for text in ["pay bus fares", "Answer emails", "", "more evening sessions", *[""] * 10])
    )  # fmt: skip
    staff = await _signed_in(new_client, await member(org, "staff@gwaithda.example", "staff"))
    page = BeautifulSoup((await staff.get(f"/organisations/{org.id}/verdict")).text, "html.parser")
    section = page.select_one("#change-heading").parent
    assert [li.get_text() for li in section.select("li")] == ["Answer emails", "more evening sessions", "pay bus fares"]
    assert section.select("time") == [] and str(YEAR) not in section.get_text()
    assert (await staff.get(f"/organisations/{org.id}/verdict?year=1999")).status_code == 400
    others = await _signed_in(new_client, await member(await factories.organisation(), "other@example.org", "owner"))
    assert (await others.get(f"/organisations/{org.id}/verdict")).status_code == 403


async def test_the_years_email_goes_once_in_march_to_those_with_a_verdict_to_give(new_client, settings) -> None:
    org = await factories.organisation(name="Gwaith Da")
    _, sam = await young_person("sam@example.org", "Sam", verified_until=FOREVER)
    await _applied(org, sam)
    _, kai = await young_person("kai@example.org", "Kai", verified_until=FOREVER)  # wants no email
    await YoungPerson.update({YoungPerson.email_updates: False}).where(YoungPerson.id == kai)
    await _applied(org, kai)
    _, ana = await young_person("ana@example.org", "Ana")  # not confirmed
    await _applied(org, ana)
    await young_person("idle@example.org", "Ida", verified_until=FOREVER)  # no dealings
    done_user, done = await young_person("done@example.org", "Dai", verified_until=FOREVER)
    await _applied(org, done)
    await service.give(settings, _who(done_user), org.id, _form(), TODAY)

    assert await invites.ask_once_a_year(settings, date(YEAR + 1, 2, 28)) == 0
    assert await MailMessage.count() == 0
    asked = await asyncio.gather(*(invites.ask_once_a_year(settings, MARCH) for _ in range(3)))
    assert sum(asked) == 2  # Sam (emailed) and Kai (passed over), once each, however many workers
    assert await invites.ask_once_a_year(settings, date(YEAR + 1, 3, 30)) == 0
    mail = await MailMessage.select(MailMessage.recipient, MailMessage.body)
    assert [m["recipient"] for m in mail] == ["sam@example.org"]
    assert f"{settings.base_url}/me/verdicts" in mail[0]["body"] and "Gwaith Da" not in mail[0]["body"]
    assert {r["young_person"] for r in await VerdictInvite.select(VerdictInvite.young_person)} == {sam, kai}


async def test_the_signed_off_report_keeps_the_verdict_as_it_was_and_never_what_to_change(new_client) -> None:
    last_year = YEAR - 1
    org = await factories.organisation(name="Gwaith Da", council_area="W06000015")
    owner = await _signed_in(new_client, await member(org, "owner@gwaithda.example"))
    await VerdictAnswer.insert(
        *(VerdictAnswer(organisation=org.id, year=last_year, kept_promise="yes", recommend="yes",
                        change="Pay bus fares") for _ in range(14))
    )  # fmt: skip
    expected = await service.verdict(org.id, last_year)
    assert expected is not None
    signed = await post(owner, f"/organisations/{org.id}/report/{last_year}/sign", {"confirm": "on"})
    assert signed.status_code == 303

    # Six more answers later (14 published as 12 to 16, 20 as 18 to 22): the signed report does not move.
    await VerdictAnswer.insert(
        *(VerdictAnswer(organisation=org.id, year=last_year, kept_promise="no", recommend="no") for _ in range(6))
    )
    assert (await service.verdict(org.id, last_year)).answered.value >= 18
    public = await new_client().get(f"/reports/{org.id}/{last_year}")
    section = BeautifulSoup(public.text, "html.parser").find("h2", string="Young people's verdict").parent
    answered = section.select_one("tbody tr td").get_text(strip=True)
    assert answered == expected.answered.text and "Pay bus fares" not in public.text
