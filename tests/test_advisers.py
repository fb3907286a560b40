"""Personal advisers: linked only by the young person's choice, seeing only what was shared, losing everything the
moment the link (or their role) ends; suggestions sent once, counted as uptake without a name."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from bs4 import BeautifulSoup

from app.advisers.tables import AdviserLink, SharedItem, Suggestion
from app.applications.tables import Application
from app.audit.tables import AuditEntry
from app.mail.tables import MailMessage
from app.organisations.tables import Membership, Organisation
from app.uptake.tables import UptakeEvent
from app.young_people import service as young_people
from tests import factories
from tests.people import member, post, session_for, young_person
from tests.test_organisations import GOOD

TODAY = date.today()


async def _adviser(new_client, email: str = "pa@council.example", kind: str = "council", role: str = "adviser"):
    org = await factories.organisation(kind=kind, name=f"Council of {email}")
    user_id = await member(org, email, role)
    client = new_client()
    await session_for(client, user_id)
    return org, user_id, client


async def _young(new_client, email: str = "sam@example.org", name: str = "Sam"):
    user_id, yp_id = await young_person(email, name, verified_until=TODAY + timedelta(days=300))
    client = new_client()
    await session_for(client, user_id)
    return user_id, yp_id, client


def _soup(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def _linked(new_client, young: str = "sam@example.org", **adviser):
    """An adviser and a young person who linked them (by email), accepted."""
    org, _adviser_id, adviser_client = await _adviser(new_client, **adviser)
    _user_id, yp_id, client = await _young(new_client, young)
    email = adviser.get("email", "pa@council.example")
    asked = await post(client, "/me/advisers", {"adviser": email, "email_suggestions": "on"})
    assert asked.status_code == 303, asked.text
    link = await AdviserLink.select().where(AdviserLink.young_person == yp_id).first()
    assert link["status"] == "asked"
    accepted = await post(adviser_client, f"/organisations/{org.id}/advising/{link['id']}/accept")
    assert accepted.status_code == 303
    return org, adviser_client, client, link["id"], yp_id


async def test_a_young_person_links_their_adviser_by_email_and_the_adviser_accepts(new_client) -> None:
    org, _adviser_id, adviser_client = await _adviser(new_client)
    _, _yp_id, client = await _young(new_client)
    asked = await post(client, "/me/advisers", {"adviser": "PA@council.example"})
    assert asked.status_code == 303
    mail = await MailMessage.select().where(MailMessage.recipient == "pa@council.example").first()
    assert "Sam asked to link you" in mail["subject"] and f"/organisations/{org.id}/advising" in mail["body"]
    listing = _soup(await client.get("/me/advisers"))
    assert "Waiting for them to accept" in listing.get_text()

    link_id = (await AdviserLink.select(AdviserLink.id).first())["id"]
    page = _soup(await adviser_client.get(f"/organisations/{org.id}/advising"))
    assert "Sam" in page.get_text() and "Asking to link you" in page.get_text()
    before = await adviser_client.get(f"/organisations/{org.id}/advising/{link_id}")
    assert before.status_code == 404, "nothing is seen before the adviser accepts"
    await post(adviser_client, f"/organisations/{org.id}/advising/{link_id}/accept")
    person = await adviser_client.get(f"/organisations/{org.id}/advising/{link_id}")
    assert person.status_code == 200
    text = _soup(person).get_text()
    assert "Sam" in text and "Confirmed by" in text and "None shared with you." in text
    actions = [row["action"] for row in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)]
    assert actions[-2:] == ["adviser.asked", "adviser.accepted"]


async def test_only_advisers_of_approved_councils_or_services_can_be_linked(new_client) -> None:
    _, _yp_id, client = await _young(new_client)
    staff_org = await factories.organisation(kind="council")
    await member(staff_org, "staff@council.example", "staff")
    waiting = await factories.organisation(kind="council", approved_at=None)
    await member(waiting, "new@council.example", "adviser")
    for typed in ("staff@council.example", "new@council.example", "nobody@example.org", "ABCD-2345", ""):
        response = await post(client, "/me/advisers", {"adviser": typed})
        assert response.status_code == 422, typed
        assert _soup(response).select_one(".error-summary"), typed
    assert await AdviserLink.count() == 0
    _service_org, _, _ = await _adviser(new_client, "worker@leaving-care.example", kind="third_sector")
    assert (await post(client, "/me/advisers", {"adviser": "worker@leaving-care.example"})).status_code == 303
    again = await post(client, "/me/advisers", {"adviser": "worker@leaving-care.example"})
    assert again.status_code == 422 and "already asked" in again.text
    assert await AdviserLink.count() == 1


async def test_the_link_code_links_and_a_new_code_replaces_it(new_client) -> None:
    org, _, adviser_client = await _adviser(new_client)
    code = _soup(await adviser_client.get(f"/organisations/{org.id}/advising")).select_one(".code-box").get_text()
    assert len(code) == 9 and code[4] == "-"
    await post(adviser_client, f"/organisations/{org.id}/advising/code")
    fresh = _soup(await adviser_client.get(f"/organisations/{org.id}/advising")).select_one(".code-box").get_text()
    assert fresh != code
    _, _, client = await _young(new_client)
    old = await post(client, "/me/advisers", {"adviser": code})
    assert old.status_code == 422
    typed = fresh.lower().replace("-", " ")
    assert (await post(client, "/me/advisers", {"adviser": typed})).status_code == 303
    assert await AdviserLink.count() == 1


async def test_the_adviser_sees_only_what_was_shared_all_or_one_by_one(new_client) -> None:
    org, adviser_client, client, link_id, _yp_id = await _linked(new_client)
    first = await factories.offer(title="Joinery apprenticeship")
    second = await factories.offer(title="Office internship")
    for offer in (first, second):
        applied = await post(client, f"/offers/{offer.id}/apply", {"message": "Private words", "contact_by": "email"})
        assert applied.status_code == 303
    ids = {row["offer"]: row["id"] for row in await Application.select(Application.id, Application.offer)}
    person_url = f"/organisations/{org.id}/advising/{link_id}"
    assert "Joinery" not in (await adviser_client.get(person_url)).text

    chosen = await post(client, f"/me/advisers/{link_id}",
                        {"applications": "chosen", "application": str(ids[first.id]), "codes": "chosen"})  # fmt: skip
    assert chosen.status_code == 303
    text = (await adviser_client.get(person_url)).text
    assert "Joinery apprenticeship" in text and "Office internship" not in text
    assert "Private words" not in text and "sam@example.org" not in text and "2005" not in text

    everything = await post(client, f"/me/advisers/{link_id}", {"applications": "all", "codes": "chosen"})
    assert everything.status_code == 303
    text = (await adviser_client.get(person_url)).text
    assert "Joinery apprenticeship" in text and "Office internship" in text

    # someone else's application cannot be shared, and a bad choice changes nothing
    _, other_yp, _ = await _young(new_client, "other@example.org")
    theirs = await Application.insert(Application(offer=first.id, young_person=other_yp)).returning(Application.id)
    bad = await post(client, f"/me/advisers/{link_id}",
                     {"applications": "chosen", "application": str(theirs[0]["id"]), "codes": "chosen"})  # fmt: skip
    assert bad.status_code == 422
    assert (await AdviserLink.select(AdviserLink.share_applications).first())["share_applications"] is True
    assert await SharedItem.count() == 0


async def test_unlinking_ends_access_at_once_mid_session(new_client) -> None:
    org, adviser_client, client, link_id, _ = await _linked(new_client)
    person_url = f"/organisations/{org.id}/advising/{link_id}"
    assert (await adviser_client.get(person_url)).status_code == 200
    assert (await post(client, f"/me/advisers/{link_id}/unlink")).status_code == 303
    assert (await adviser_client.get(person_url)).status_code == 404
    assert "Sam" not in (await adviser_client.get(f"/organisations/{org.id}/advising")).text
    assert await AdviserLink.count() == 0
    assert (await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id, ascending=False).first())[
        "action"
    ] == "adviser.unlinked"


async def test_an_adviser_who_changes_role_or_leaves_loses_every_link(new_client) -> None:
    org, adviser_client, _, link_id, _ = await _linked(new_client)
    membership = await Membership.select(Membership.id).where(Membership.role == "adviser").first()
    owner_id = await member(org, "boss@council.example", "owner")
    boss = new_client()
    await session_for(boss, owner_id)
    person_url = f"/organisations/{org.id}/advising/{link_id}"
    assert (await adviser_client.get(person_url)).status_code == 200
    changed = await post(boss, f"/organisations/{org.id}/members/{membership['id']}/role", {"role": "staff"})
    assert changed.status_code == 303
    assert (await adviser_client.get(person_url)).status_code == 403
    assert await AdviserLink.count() == 0

    org2, adviser_client2, _, link2, _ = await _linked(new_client, "kai@example.org", email="pa2@council.example")
    membership2 = await Membership.select(Membership.id).where(Membership.role == "adviser").first()
    owner2 = await member(org2, "boss2@council.example", "owner")
    await session_for(boss, owner2)
    removed = await post(boss, f"/organisations/{org2.id}/members/{membership2['id']}/remove")
    assert removed.status_code == 303
    assert await AdviserLink.count() == 0
    assert (await adviser_client2.get(f"/organisations/{org2.id}/advising/{link2}")).status_code == 403


async def test_an_organisation_with_advisers_cannot_become_a_kind_without_them(new_client) -> None:
    org, _, _ = await _adviser(new_client, kind="third_sector")
    owner_id = await member(org, "boss@charity.example", "owner")
    boss = new_client()
    await session_for(boss, owner_id)
    response = await post(boss, f"/organisations/{org.id}/edit", GOOD | {"kind": "employer"})
    assert response.status_code == 422 and "only councils and charities have advisers" in response.text
    assert (await Organisation.select(Organisation.kind).where(Organisation.id == org.id).first())["kind"] == (
        "third_sector"
    )


async def test_a_suggestion_reaches_the_young_person_once_and_its_uptake_is_counted(new_client) -> None:
    org, adviser_client, client, link_id, _yp_id = await _linked(new_client)
    offer = await factories.offer(title="Bricklaying apprenticeship")
    page = _soup(await adviser_client.get(f"/offers/{offer.id}"))
    form = page.select_one(f"form[action='/organisations/{org.id}/advising/suggest']")
    assert form is not None and "Sam" in form.get_text()
    data = {"offer": str(offer.id), "to": str(link_id), "note": "You said you like building.",
            "next": f"/offers/{offer.id}"}  # fmt: skip
    made = await post(adviser_client, f"/organisations/{org.id}/advising/suggest", data)
    assert made.status_code == 200 and "Sent to 1 young person" in made.text
    again = await post(adviser_client, f"/organisations/{org.id}/advising/suggest", data)
    assert "already suggested it to: Sam" in again.text
    assert await Suggestion.count() == 1
    emails = await MailMessage.select().where(MailMessage.recipient == "sam@example.org")
    assert len(emails) == 1 and "suggested an opportunity" in emails[0]["subject"]
    assert "care" not in emails[0]["body"].lower()

    person_url = f"/organisations/{org.id}/advising/{link_id}"
    assert "Not opened yet" in (await adviser_client.get(person_url)).text
    home = _soup(await client.get("/me"))
    link = home.select_one("a[href^='/me/suggestions/']")
    assert link is not None and "Bricklaying" in link.get_text()
    opened = await client.get(link["href"])
    assert opened.status_code == 200 and "You said you like building." in opened.text
    assert "Opened" in (await adviser_client.get(person_url)).text

    applied = await post(client, f"/offers/{offer.id}/apply", {"contact_by": "email"})
    assert applied.status_code == 303
    events = await UptakeEvent.select(UptakeEvent.kind, UptakeEvent.suggested).where(UptakeEvent.offer == offer.id)
    assert events == [{"kind": "applied", "suggested": True}]
    assert "Sent" not in _soup(await adviser_client.get(person_url)).select(".card")[-1].get_text(), (
        "what came of it shows only once shared"
    )
    await post(client, f"/me/advisers/{link_id}", {"applications": "all", "codes": "chosen"})
    assert "New" in _soup(await adviser_client.get(person_url)).select(".card")[-1].get_text()

    suggestion_id = (await Suggestion.select(Suggestion.id).first())["id"]
    assert (await post(client, f"/me/suggestions/{suggestion_id}/dismiss")).status_code == 303
    assert not _soup(await client.get("/me")).select("a[href^='/me/suggestions/']")
    assert (await client.get(f"/me/suggestions/{suggestion_id}")).status_code == 404


async def test_suggestions_go_only_to_the_advisers_own_links_and_open_offers(new_client) -> None:
    org, adviser_client, _, link_id, _ = await _linked(new_client)
    *_, other_link, _ = await _linked(new_client, "kai@example.org", email="pa2@council.example")
    offer = await factories.offer()
    theirs = await post(adviser_client, f"/organisations/{org.id}/advising/suggest",
                        {"offer": str(offer.id), "to": str(other_link)})  # fmt: skip
    assert theirs.status_code == 422
    closed = await factories.offer(status="closed")
    shut = await post(adviser_client, f"/organisations/{org.id}/advising/suggest",
                      {"offer": str(closed.id), "to": str(link_id)})  # fmt: skip
    assert shut.status_code == 422 and "not open any more" in shut.text
    assert await Suggestion.count() == 0


async def test_an_invitation_links_its_maker_only_when_the_young_person_agrees(new_client) -> None:
    org, _verifier_id, verifier = await _adviser(new_client, "verifier@council.example", role="verifier")
    minted = await post(verifier, f"/organisations/{org.id}/invitations",
                        {"count": "2", "days": "30", "link_adviser": "on"})  # fmt: skip
    codes = [node.get_text() for node in _soup(minted).select(".invitation .code-box")]
    declined_id, _ = await young_person("no@example.org", "Ana")
    agreed_id, agreed_yp = await young_person("yes@example.org", "Bo")
    declined, agreed = new_client(), new_client()
    await session_for(declined, declined_id)
    await session_for(agreed, agreed_id)
    form = _soup(await agreed.get("/me/verification"))
    assert "link them" in form.get_text() and not form.select_one("input[name=link_adviser]").has_attr("checked")
    assert (await post(declined, "/me/verification/code", {"code": codes[0]})).status_code == 303
    assert await AdviserLink.count() == 0
    assert (await post(agreed, "/me/verification/code", {"code": codes[1], "link_adviser": "on"})).status_code == 303
    link = await AdviserLink.select().first()
    assert link["young_person"] == agreed_yp and link["status"] == "linked"
    assert link["share_applications"] is False and link["share_codes"] is False


async def test_erasure_takes_links_and_suggestions_with_it(new_client) -> None:
    _org, _, _client, link_id, _yp_id = await _linked(new_client)
    offer = await factories.offer()
    await Suggestion.insert(Suggestion(link=link_id, offer=offer.id, note="For you"))
    user_id = (await AdviserLink.select(AdviserLink.young_person.user.as_alias("user")).first())["user"]
    everything = await young_people.everything(user_id)
    assert everything["advisers"][0]["status"] == "linked" and everything["suggestions"][0]["note"] == "For you"
    await young_people.erase(user_id)
    assert await AdviserLink.count() == 0 and await Suggestion.count() == 0
