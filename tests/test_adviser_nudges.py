"""Nudges for advisers: across their linked young people only, confirmations ending within four weeks, shared
applications with no news for two weeks and their own suggestions not opened yet; emailed once a week, whoever
runs the worker and however often, and only when there is something to say."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.accounts.tables import User
from app.advisers import nudges
from app.advisers.tables import AdviserLink, NudgeSent, NudgesOff, SharedItem, Suggestion
from app.applications.tables import Application
from app.core.auth import Principal
from app.mail.tables import MailMessage
from app.organisations.tables import Membership, Organisation
from app.settings import Settings
from app.verification.tables import Verification
from tests import factories
from tests.people import member, post, session_for, young_person
from tests.test_advisers import TODAY, _adviser, _linked, _soup

ADVISER = "pa@council.example"


async def _membership(email: str) -> int:
    row = await Membership.select(Membership.id).where(Membership.user.email == email).first()
    return int(row["id"])


async def _link(membership_id: int, yp_id: int, status: str = "linked", **fields) -> int:
    rows = await AdviserLink.insert(
        AdviserLink(young_person=yp_id, membership=membership_id, status=status, **fields)
    ).returning(AdviserLink.id)
    return int(rows[0]["id"])


async def _applied(yp_id: int, title: str, stage: str = "in_review", days_ago: int = 15) -> int:
    offer = await factories.offer(title=title)
    rows = await Application.insert(
        Application(offer=offer.id, young_person=yp_id, stage=stage,
                    updated_at=datetime.now(UTC) - timedelta(days=days_ago))
    ).returning(Application.id)  # fmt: skip
    return int(rows[0]["id"])


async def _suggested(link_id: int, title: str, opened: bool = False, dismissed: bool = False) -> None:
    offer = await factories.offer(title=title)
    now = datetime.now(UTC)
    await Suggestion.insert(
        Suggestion(link=link_id, offer=offer.id, opened_at=now if opened or dismissed else None,
                   dismissed_at=now if dismissed else None)
    )  # fmt: skip


async def _expires(yp_id: int, days: int) -> None:
    await Verification.update({Verification.expires_on: TODAY + timedelta(days=days)}).where(
        Verification.young_person == yp_id
    )


async def _world(new_client):
    """Adviser A (pa@council.example) linked by Sam, Kai and Ana, asked by Zofia and Yusuf; adviser B
    (pb@council.example) linked by Sam and Quentin."""
    org, adviser_client, _sam_client, sam_link, sam = await _linked(new_client)
    mine = await _membership(ADVISER)
    _, kai = await young_person("kai@example.org", "Kai", verified_until=TODAY + timedelta(days=29))
    kai_link = await _link(mine, kai, share_applications=True)
    _, ana = await young_person("ana@example.org", "Ana", verified_until=TODAY)
    await _link(mine, ana)
    council = await factories.organisation(kind="council")
    await Verification.insert(Verification(young_person=ana, council=council.id, status="requested"))
    _, zofia = await young_person("zofia@example.org", "Zofia", verified_until=TODAY + timedelta(days=3))
    await _link(mine, zofia, status="asked", share_applications=True)
    await _applied(zofia, "Zofia's quiet application")
    _, yusuf = await young_person("yusuf@example.org", "Yusuf")
    await _suggested(await _link(mine, yusuf, status="asked"), "Yusuf's")

    await _expires(sam, 28)
    shared = await _applied(sam, "Joinery apprenticeship")
    finished = await _applied(sam, "Finished course", stage="completed")
    recent = await _applied(sam, "Recent application", days_ago=13)
    await _applied(sam, "Kept to themselves")
    for application in (shared, finished, recent):
        await SharedItem.insert(SharedItem(link=sam_link, application=application))
    await _applied(kai, "Kai's warehouse job", stage="new", days_ago=40)
    await _applied(kai, "Kai's withdrawn one", stage="withdrawn", days_ago=40)

    await _suggested(sam_link, "Bricklaying taster")
    await _suggested(sam_link, "Opened already", opened=True)
    await _suggested(sam_link, "Dismissed one", dismissed=True)
    await _suggested(kai_link, "Kai's coding club")

    _other_org, _, _ = await _adviser(new_client, "pb@council.example")
    theirs = await _membership("pb@council.example")
    await _suggested(await _link(theirs, sam, share_applications=True), "Adviser B's idea")
    _, quentin = await young_person("quentin@example.org", "Quentin", verified_until=TODAY + timedelta(days=2))
    await _link(theirs, quentin)
    await MailMessage.delete(force=True)  # the request to link: only the nudges are counted
    return org, adviser_client


async def test_each_kind_of_nudge_shows_only_what_the_adviser_can_already_see(new_client) -> None:
    org, adviser_client = await _world(new_client)
    user_id = (await Membership.select(Membership.user).where(Membership.id == await _membership(ADVISER)).first())[
        "user"
    ]
    found = await nudges.for_adviser(Principal(user_id, ADVISER, ""), org.id, TODAY, "en")

    assert [(one.name, one.expires_on, one.renewing) for one in found.ending] == [
        ("Ana", TODAY, True),
        ("Sam", TODAY + timedelta(days=28), False),
    ]
    assert [(one.name, one.title, one.stage) for one in found.quiet] == [
        ("Kai", "Kai's warehouse job", "new"),
        ("Sam", "Joinery apprenticeship", "in_review"),
    ]
    assert sorted((one.name, one.title) for one in found.unopened) == [
        ("Kai", "Kai's coding club"),
        ("Sam", "Bricklaying taster"),
    ]

    response = await adviser_client.get(f"/organisations/{org.id}/advising/nudges")
    assert response.status_code == 200 and "HX-Request" in response.headers["vary"]
    page = _soup(response)
    text = page.get_text()
    for shown in ("Joinery apprenticeship", "Kai's warehouse job", "Bricklaying taster", "Kai's coding club"):
        assert shown in text
    for hidden in ("Zofia", "Quentin", "Yusuf", "Kept to themselves", "Finished course", "Recent application",
                   "withdrawn one", "Opened already", "Dismissed one", "Adviser B's idea"):  # fmt: skip
        assert hidden not in text, hidden
    assert "They have asked to renew it" in text
    people = {a["href"] for a in page.select("main .card__title a")}
    assert all(href.startswith(f"/organisations/{org.id}/advising/") for href in people) and len(people) == 3
    fragment = await adviser_client.get(f"/organisations/{org.id}/advising/nudges", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "Bricklaying taster" in fragment.text
    index = _soup(await adviser_client.get(f"/organisations/{org.id}/advising"))
    assert index.select_one(f"a[href='/organisations/{org.id}/advising/nudges']") is not None


async def test_another_adviser_in_the_same_organisation_sees_none_of_it(new_client) -> None:
    org, _ = await _world(new_client)
    _, other_client = await _colleague(new_client, org.id)
    response = await other_client.get(f"/organisations/{org.id}/advising/nudges")
    assert response.status_code == 200
    text = _soup(response).get_text()
    assert "Nothing needs a look just now." in text and "Sam" not in text and "Bricklaying" not in text


async def _colleague(new_client, org_id: int):
    user_id = await member(org_id, "colleague@council.example", "adviser")
    client = new_client()
    await session_for(client, user_id)
    return user_id, client


async def test_the_weekly_email_goes_once_a_week_and_again_the_next(new_client, settings: Settings) -> None:
    org, _ = await _world(new_client)
    assert await nudges.send_weekly(settings, TODAY) == 2  # adviser A, and B (for Sam and Quentin)
    assert await nudges.send_weekly(settings, TODAY) == 0
    assert await nudges.send_weekly(settings, nudges.week_of(TODAY) + timedelta(days=6)) == 0
    mails = await MailMessage.select().where(MailMessage.recipient == ADVISER)
    assert len(mails) == 1
    body = mails[0]["body"]
    assert f"/organisations/{org.id}/advising/nudges" in body
    for shown in ("Sam: until", "Ana: until", "they have asked to renew it", "Joinery apprenticeship, In review since",
                  "Kai: Kai's warehouse job", "Sam: Bricklaying taster, suggested"):  # fmt: skip
        assert shown in body, shown
    for hidden in ("Zofia", "Quentin", "Yusuf", "Kept to themselves", "Finished course", "Adviser B's idea", "care"):
        assert hidden not in body, hidden
    assert "\n\n\n" not in body
    theirs = await MailMessage.select().where(MailMessage.recipient == "pb@council.example")
    assert len(theirs) == 1 and "Quentin: until" in theirs[0]["body"] and "Kai" not in theirs[0]["body"]

    assert await nudges.send_weekly(settings, TODAY + timedelta(days=7)) == 2
    assert await MailMessage.count().where(MailMessage.recipient == ADVISER) == 2
    weeks = await NudgeSent.select(NudgeSent.week).where(NudgeSent.membership == await _membership(ADVISER))
    assert sorted(row["week"] for row in weeks) == [nudges.week_of(TODAY), nudges.week_of(TODAY) + timedelta(days=7)]


async def test_two_workers_at_once_still_send_one(new_client, settings: Settings) -> None:
    await _world(new_client)
    sent = await asyncio.gather(*(nudges.send_weekly(settings, TODAY) for _ in range(3)))
    assert sum(sent) == 2
    assert await MailMessage.count().where(MailMessage.recipient == ADVISER) == 1
    assert await NudgeSent.count() == 2


async def test_nothing_to_say_sends_nothing(new_client, settings: Settings) -> None:
    _org, _adviser_client, _client, link_id, _sam = await _linked(new_client)  # Sam: confirmed for 300 days
    await _suggested(link_id, "Opened already", opened=True)
    waiting_org, _, _ = await _adviser(new_client, "new@council.example")
    await Organisation.update({Organisation.approved_at: None}).where(Organisation.id == waiting_org.id)
    _, yusuf = await young_person("yusuf@example.org", "Yusuf", verified_until=TODAY + timedelta(days=3))
    await _suggested(await _link(await _membership("new@council.example"), yusuf), "Not yet approved")
    await MailMessage.delete(force=True)
    assert await nudges.send_weekly(settings, TODAY) == 0
    assert await NudgeSent.count() == 0
    assert await MailMessage.count().where(MailMessage.recipient.is_in([ADVISER, "new@council.example"])) == 0


async def test_any_one_kind_is_enough_to_be_told(new_client, settings: Settings) -> None:
    *_, ending_sam = await _linked(new_client)
    await _expires(ending_sam, 5)
    *_, quiet_link, quiet_kai = await _linked(new_client, "kai@example.org", email="pb@council.example")
    await AdviserLink.update({AdviserLink.share_applications: True}).where(AdviserLink.id == quiet_link)
    await _applied(quiet_kai, "Kai's warehouse job", stage="offered", days_ago=14)
    *_, unshared_ana = await _linked(new_client, "ana@example.org", email="pc@council.example")
    await _applied(unshared_ana, "Kept to themselves", days_ago=60)
    await MailMessage.delete(force=True)
    assert await nudges.send_weekly(settings, TODAY) == 2
    told = {row["recipient"]: row["body"] for row in await MailMessage.select()}
    assert set(told) == {ADVISER, "pb@council.example"}
    assert "Sam: until" in told[ADVISER], told[ADVISER]
    assert "Kai's warehouse job, Offered a place since" in told["pb@council.example"], told["pb@council.example"]


async def test_the_email_is_in_the_advisers_language(new_client, settings: Settings) -> None:
    await _world(new_client)
    await User.update({User.locale: "cy"}).where(User.email == ADVISER)
    assert await nudges.send_weekly(settings, TODAY) == 2
    mail = await MailMessage.select().where(MailMessage.recipient == ADVISER).first()
    english = await MailMessage.select().where(MailMessage.recipient == "pb@council.example").first()
    assert mail["subject"] != english["subject"]
    assert "Council confirmation ending" not in mail["body"]


async def test_an_adviser_turns_the_weekly_email_off_and_on_again_on_the_page(new_client, settings: Settings) -> None:
    org, adviser_client = await _world(new_client)
    page = f"/organisations/{org.id}/advising/nudges"
    off = await post(adviser_client, f"{page}/email", {"email": "off"})
    assert off.status_code == 303 and off.headers["location"] == f"{page}?email=off#weekly-email"
    shown = _soup(await adviser_client.get(off.headers["location"])).get_text()
    assert "We will not email you this each week." in shown and "Email me this once a week" in shown
    assert "Bricklaying taster" in shown, "the page still shows what needs a look"
    assert await nudges.send_weekly(settings, TODAY) == 1  # adviser B only
    assert await MailMessage.count().where(MailMessage.recipient == ADVISER) == 0

    on = await post(adviser_client, f"{page}/email", {"email": "on"})
    assert on.headers["location"] == f"{page}?email=on#weekly-email"
    assert "Stop the weekly email" in _soup(await adviser_client.get(page)).get_text()
    assert await nudges.send_weekly(settings, TODAY) == 1
    assert await MailMessage.count().where(MailMessage.recipient == ADVISER) == 1


async def test_the_weekly_email_stops_in_one_click_with_no_sign_in_and_only_with_its_key(
    new_client, settings: Settings, app
) -> None:
    await _world(new_client)
    assert await nudges.send_weekly(settings, TODAY) == 2
    mine = await _membership(ADVISER)
    message = await MailMessage.select().where(MailMessage.recipient == ADVISER).first()
    link = f"{settings.base_url}/advising/unsubscribe/{mine}/{nudges.unsubscribe_token(settings, mine)}"
    assert message["unsubscribe"] == link and f"Stop this email: {link}" in message["body"]
    path = link.removeprefix(settings.base_url)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as bare:
        wrong = await bare.post(f"/advising/unsubscribe/{mine}/{'0' * 32}", data={"List-Unsubscribe": "One-Click"})
        theirs = await _membership("pb@council.example")
        other = await bare.post(f"/advising/unsubscribe/{theirs}/{path.rsplit('/', 1)[1]}")
        assert wrong.status_code == other.status_code == 404 and await NudgesOff.count() == 0
        asked = await bare.get(path)
        assert asked.status_code == 200 and '<meta name="robots" content="noindex">' in asked.text
        assert await NudgesOff.count() == 0, "opening the link changes nothing"
        done = await bare.post(path, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "Done: we will not email you each week" in done.text
        again = await bare.post(path, data={"List-Unsubscribe": "One-Click"})
        assert again.status_code == 200
    assert await NudgesOff.count() == 1
    assert await nudges.send_weekly(settings, TODAY + timedelta(days=7)) == 1  # adviser B still hears
    assert await MailMessage.count().where(MailMessage.recipient == ADVISER) == 1

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as bare:
        for odd in ("%C3%A9" * 16, "%00", "x" * 300):  # a link altered by hand: not found, never an error
            assert (await bare.get(f"/advising/unsubscribe/{theirs}/{odd}")).status_code == 404, odd
            assert (await bare.post(f"/advising/unsubscribe/{theirs}/{odd}")).status_code == 404, odd
        # A link that outlived its membership (they left the organisation): nothing left to stop, and no error.
        await Membership.delete().where(Membership.id == theirs)
        gone = f"/advising/unsubscribe/{theirs}/{nudges.unsubscribe_token(settings, theirs)}"
        assert (await bare.post(gone, data={"List-Unsubscribe": "One-Click"})).status_code == 200
    assert await NudgesOff.count().where(NudgesOff.membership == theirs) == 0 and await NudgesOff.count() == 1


async def test_stopping_while_the_weekly_sweep_runs_is_heeded(
    new_client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep lists who to tell first and works out each one's nudges after: someone who stops the email in
    between is not sent it."""
    await _world(new_client)
    mine = await _membership(ADVISER)
    working_out = nudges.for_membership

    async def stopped_meanwhile(membership_id: int, today, reader: str):
        if membership_id == mine:
            await NudgesOff.insert(NudgesOff(membership=mine))
        return await working_out(membership_id, today, reader)

    monkeypatch.setattr(nudges, "for_membership", stopped_meanwhile)
    assert await nudges.send_weekly(settings, TODAY) == 1  # adviser B only
    assert await MailMessage.count().where(MailMessage.recipient == ADVISER) == 0
    assert await NudgeSent.count().where(NudgeSent.membership == mine) == 0
