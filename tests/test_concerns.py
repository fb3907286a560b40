"""Raising a concern: anyone can, about what anyone can see; a safety worry reaches the team at once without its
words; the team's queue, its decisions audited; and the count of upheld concerns, protected as every count is.

Erasure has nothing to do here: a concern keeps no account, no address, nobody's id (only the contact its writer
chose to type), and the team member who handled it is forgotten with their account (`handled_by` set null)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from bs4 import BeautifulSoup

from app.accounts.tables import User
from app.audit.tables import AuditEntry
from app.concerns import service
from app.concerns.tables import Concern, ConcernAddition
from app.mail.tables import MailMessage
from app.outbox.tables import OutboxItem
from app.settings import Settings
from tests import factories
from tests.people import admin, csrf, member, post, session_for

WORDS = "The mentor shouted at us and told us not to come back. It was on Tuesday at the Cardiff office."


async def test_anyone_raises_a_concern_from_an_offers_page(new_client) -> None:
    org = await factories.organisation(name="Gwaith Da Cyf")
    offer = await factories.offer(org, title="Trainee joiner")
    anyone = new_client()
    page = BeautifulSoup((await anyone.get(f"/offers/{offer.id}")).text, "html.parser")
    link = page.find("a", string="Raise a concern about this opportunity")
    assert link is not None and link["href"] == f"/concerns/new?offer={offer.id}"
    form = await anyone.get(link["href"])
    assert form.status_code == 200
    text = BeautifulSoup(form.text, "html.parser").get_text(" ", strip=True)
    assert "Trainee joiner" in text and "Gwaith Da Cyf" in text
    assert "You do not have to give one. Only the Cyfle team sees it" in text
    assert "If someone is in danger right now, call 999." in text
    sent = await post(anyone, link["href"], {"what_happened": WORDS, "contact": "07700 900123"})
    assert sent.status_code == 303 and sent.headers["location"].startswith("/concerns/receipt/")
    receipt = BeautifulSoup((await anyone.get(sent.headers["location"])).text, "html.parser").get_text(" ", strip=True)
    assert "Thank you for telling us" in receipt and "What happens next" in receipt
    assert "Keep this page to see what we did." in receipt and "Gwaith Da Cyf: Trainee joiner" in receipt
    assert WORDS not in receipt and "07700" not in receipt, "what they wrote is not on a page a link opens"
    rows = await Concern.select()
    assert len(rows) == 1
    row = rows[0]
    assert (row["organisation"], row["offer"], row["what_happened"], row["contact"]) == (
        org.id,
        offer.id,
        WORDS,
        "07700 900123",
    )
    assert row["safety"] is False and row["status"] == "new" and row["handled_by"] is None
    assert await MailMessage.count() == 0, "only a safety worry is emailed"


async def test_the_form_is_in_welsh_too(new_client) -> None:
    offer = await factories.offer(title="Prentis saer")
    page = BeautifulSoup((await new_client().get(f"/concerns/new?offer={offer.id}&lang=cy")).text, "html.parser")
    assert page.h1.get_text() == "Codi pryder"
    assert page.find("label", attrs={"for": "f-contact"}).get_text() == "Sut gallwn ni gysylltu â chi? (dewisol)"
    assert "ffoniwch 999" in page.get_text()


async def test_a_signed_in_person_raises_one_about_an_organisation_and_nothing_says_who(new_client) -> None:
    sponsor = await factories.organisation(kind="sponsor", name="Banc Cymru")
    client = new_client()
    await session_for(client, await member(await factories.organisation(), "someone@example.org", "staff"))
    impact = BeautifulSoup((await client.get(f"/sponsors/{sponsor.id}/impact")).text, "html.parser")
    link = impact.find("a", string="Raise a concern about Banc Cymru")
    assert link is not None and link["href"] == f"/concerns/new?organisation={sponsor.id}"
    response = await post(client, link["href"], {"what_happened": "Line one\r\nLine two"})
    assert response.status_code == 303
    row = await Concern.select().first()
    assert row["organisation"] == sponsor.id and row["offer"] is None
    assert row["what_happened"] == "Line one\nLine two" and row["contact"] == ""
    assert "someone@example.org" not in str(row)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"what_happened": "   "}, "what_happened", "Enter what happened."),
        ({"what_happened": "x" * 4001}, "what_happened", "Use 4000 characters or fewer (this has 4001)."),
        ({"what_happened": WORDS, "contact": "x" * 201}, "contact", "Use 200 characters or fewer (this has 201)."),
    ],
)
async def test_bad_input_is_said_plainly_and_nothing_is_kept(new_client, data, field, message) -> None:
    offer = await factories.offer()
    client = new_client()
    response = await post(client, f"/concerns/new?offer={offer.id}", data | {"safety": "on"})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one(f"#f-{field}-error").get_text(" ", strip=True).endswith(message)
    assert page.select_one("#f-safety input").has_attr("checked"), "what was typed stays"
    assert await Concern.count() == 0 and await MailMessage.count() == 0


async def test_only_what_anyone_can_see_can_be_reported(new_client) -> None:
    approved = await factories.organisation()
    waiting = await factories.organisation(approved_at=None)
    team = await factories.organisation(kind="platform")
    draft = await factories.offer(approved, status="draft", published_at=None)
    in_review = await factories.offer(approved, status="in_review", published_at=None)
    never_approved = await factories.offer(approved, status="closed", published_at=None)
    closed = await factories.offer(approved, status="closed")
    client = new_client()
    for query in (
        f"offer={draft.id}",
        f"offer={in_review.id}",
        f"offer={never_approved.id}",
        "offer=999999",
        f"organisation={waiting.id}",
        f"organisation={team.id}",
        "organisation=999999",
        "",
    ):
        assert (await client.get(f"/concerns/new?{query}")).status_code == 404, query
        sent = await post(client, f"/concerns/new?{query}", {"what_happened": WORDS})
        assert sent.status_code == 404, query
    for query in ("offer=0", "offer=99999999999", "organisation=x"):
        assert (await client.get(f"/concerns/new?{query}")).status_code == 400, query
    assert await Concern.count() == 0
    # A closed offer that was once live can still be reported: its page is still there for people with the link.
    assert (await post(client, f"/concerns/new?offer={closed.id}", {"what_happened": WORDS})).status_code == 303


async def test_a_safety_worry_emails_every_admin_at_once_without_what_was_written(new_client) -> None:
    await admin("one@cyfle.test")
    await member(await factories.organisation(kind="platform", name="Cyfle team 2"), "two@cyfle.test", "staff")
    await User.update({User.locale: "cy"}).where(User.email == "two@cyfle.test")
    await member(await factories.organisation(kind="platform", approved_at=None), "not-yet@cyfle.test")
    await member(await factories.organisation(), "provider@example.org")
    org = await factories.organisation(name="Gwaith Da Cyf")
    offer = await factories.offer(org, title="Trainee joiner")
    client = new_client()
    data = {"what_happened": WORDS, "contact": "me@example.org", "safety": "on"}
    assert (await post(client, f"/concerns/new?offer={offer.id}", data)).status_code == 303
    concern = await Concern.select().first()
    assert concern["safety"] is True
    mails = await MailMessage.select().order_by(MailMessage.recipient)
    assert [m["recipient"] for m in mails] == ["one@cyfle.test", "two@cyfle.test"]
    assert await OutboxItem.count() == 2, "queued for the worker in the same transaction"
    assert mails[0]["subject"] == "Urgent: a safety concern about Gwaith Da Cyf"
    assert mails[1]["subject"] == "Brys: pryder diogelwch am Gwaith Da Cyf", "in the reader's language"
    for mail in mails:
        assert "“Trainee joiner”" in mail["body"]
        assert f"/admin/concerns/{concern['id']}" in mail["body"]
        assert "Cardiff" not in mail["body"] and "shouted" not in mail["body"]
        assert "me@example.org" not in mail["body"] and "me@example.org" not in mail["subject"]


async def test_the_queue_puts_unsettled_safety_worries_first_and_is_for_the_team_only(new_client) -> None:
    org = await factories.organisation(name="Gwaith Da Cyf")
    other = await factories.organisation(name="Hwyl Hamdden")

    async def concern(org_id: int, day: int, safety: bool = False, status: str = "new") -> int:
        at = datetime(2026, 3, day, tzinfo=UTC)
        rows = await Concern.insert(
            Concern(organisation=org_id, what_happened=f"day {day}", safety=safety, status=status, created_at=at)
        ).returning(Concern.id)
        return int(rows[0]["id"])

    old_safety = await concern(org.id, 1, safety=True)
    newest = await concern(other.id, 9)
    settled_safety = await concern(org.id, 10, safety=True, status="not_upheld")
    middle = await concern(org.id, 5, status="looking")
    upheld = await concern(other.id, 3, status="upheld")
    assert [c.id for c in await service.queue()] == [old_safety, newest, middle]
    assert [c.id for c in await service.queue("all")] == [old_safety, settled_safety, newest, middle, upheld]
    assert [c.id for c in await service.queue("upheld")] == [upheld]
    assert [c.id for c in await service.queue("nonsense")] == []

    team = new_client()
    await session_for(team, await admin())
    page = BeautifulSoup((await team.get("/admin/concerns?status=all")).text, "html.parser")
    items = page.select(".link-list li")
    assert [item.a["href"] for item in items][:2] == [
        f"/admin/concerns/{old_safety}",
        f"/admin/concerns/{settled_safety}",
    ]
    assert "Urgent: safety" in items[0].get_text() and "Urgent" not in items[1].get_text()
    assert (await team.get("/admin/concerns?status=<script>")).status_code == 200, (
        "an unknown filter shows the open ones"
    )
    front = BeautifulSoup((await team.get("/admin")).text, "html.parser").get_text(" ", strip=True)
    assert "1 safety concern waiting" in front and "3 open" in front

    owner = new_client()
    await session_for(owner, await member(org, "owner@gwaithda.example"))
    for url in ("/admin/concerns", f"/admin/concerns/{old_safety}"):
        assert (await owner.get(url)).status_code == 403
        assert (await new_client().get(url)).status_code == 303  # to sign in
    refused = await post(owner, f"/admin/concerns/{old_safety}", {"status": "closed"})
    assert refused.status_code == 403
    assert (await Concern.select(Concern.status).where(Concern.id == old_safety).first())["status"] == "new"


async def _version(client: httpx.AsyncClient, concern_id: int) -> str:
    page = BeautifulSoup((await client.get(f"/admin/concerns/{concern_id}")).text, "html.parser")
    return page.select_one('input[name="version"]')["value"]


async def test_the_team_sets_status_and_response_and_it_is_audited(new_client) -> None:
    org = await factories.organisation(name="Gwaith Da Cyf")
    rows = await Concern.insert(
        Concern(organisation=org.id, what_happened=WORDS, contact="me@example.org", safety=True)
    ).returning(Concern.id)
    concern_id = int(rows[0]["id"])
    admin_id = await admin()
    team = new_client()
    await session_for(team, admin_id)
    page = (await team.get(f"/admin/concerns/{concern_id}")).text
    assert WORDS in page and "me@example.org" in page

    seen = await _version(team, concern_id)
    bad = await post(team, f"/admin/concerns/{concern_id}", {"status": "maybe", "response": "x", "version": seen})
    assert bad.status_code == 422 and "Choose where this concern stands." in bad.text
    response = "We spoke to the provider, who has changed the mentor. We rang the person back."
    done = await post(
        team, f"/admin/concerns/{concern_id}", {"status": "upheld", "response": response, "version": seen}
    )
    assert done.status_code == 303 and done.headers["location"] == f"/admin/concerns/{concern_id}?saved=1"
    row = await Concern.select().where(Concern.id == concern_id).first()
    assert (row["status"], row["response"], row["handled_by"]) == ("upheld", response, admin_id)
    assert row["updated_at"] > row["created_at"]
    entries = await AuditEntry.select().where(AuditEntry.action == "concern.updated")
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["actor"], entry["organisation"], entry["subject_type"], entry["subject_id"]) == (
        admin_id,
        org.id,
        "concern",
        concern_id,
    )
    assert json.loads(entry["detail"]) == {
        "status": "upheld",
        "was": "new",
        "response_changed": True,
        "reply_changed": False,
    }
    shown = BeautifulSoup((await team.get(done.headers["location"])).text, "html.parser")
    assert shown.select_one('[role="status"]').get_text(strip=True) == "Saved."
    assert "Upheld" in shown.select_one("h1 + p").get_text()

    # Someone else's change made meanwhile is shown, not overwritten.
    stale = await post(team, f"/admin/concerns/{concern_id}", {"status": "closed", "response": "", "version": seen})
    assert stale.status_code == 409 and "Someone else changed this concern" in stale.text
    assert (await Concern.select(Concern.status).where(Concern.id == concern_id).first())["status"] == "upheld"
    assert await AuditEntry.count().where(AuditEntry.action == "concern.updated") == 1


async def test_five_an_hour_from_one_network(app, new_client) -> None:
    offer = await factories.offer()
    url = f"/concerns/new?offer={offer.id}"
    client = new_client()
    for _ in range(5):
        assert (await post(client, url, {"what_happened": WORDS})).status_code == 303
    refused = await post(client, url, {"what_happened": WORDS, "safety": "on"})
    assert refused.status_code == 429 and "call 999" in refused.text
    assert await Concern.count() == 5
    # Mistakes do not use the allowance up, and another network is not held back.
    assert (await post(client, url, {"what_happened": ""})).status_code == 422
    elsewhere = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("192.0.2.7", 40000)), base_url="http://127.0.0.1"
    )
    async with elsewhere:
        token = await csrf(elsewhere)
        sent = await elsewhere.post(url, data={"what_happened": WORDS, "_csrf_token": token})
        assert sent.status_code == 303
    assert await Concern.count() == 6


async def test_the_upheld_count_is_protected(settings: Settings) -> None:
    orgs = [await factories.organisation() for _ in range(14)]
    for n, org in enumerate(orgs):
        for _ in range(n):
            await Concern.insert(Concern(organisation=org.id, what_happened="x", status="upheld"))
        await Concern.insert(Concern(organisation=org.id, what_happened="x", status="not_upheld"))
        await Concern.insert(Concern(organisation=org.id, what_happened="x", status="looking"))
    cells = await service.upheld_by_organisation(settings, [org.id for org in orgs])
    assert cells[orgs[0].id].value == 0 and cells[orgs[0].id].text == "0"
    for n in range(1, 6):
        cell = cells[orgs[n].id]
        assert cell.value is None and cell.text == "fewer than 6" and cell.exported == "fewer than 6", n
    for n in range(6, 14):
        cell = cells[orgs[n].id]
        assert cell.value is not None and cell.value >= 6 and abs(cell.value - n) <= 2, (n, cell)
        assert await service.upheld(settings, orgs[n].id) == cell, "the same concerns always give the same number"
    assert (await service.upheld(settings, 999999)).value == 0


async def test_whoever_raised_it_reads_where_it_stands_and_the_teams_reply_by_its_link_alone(new_client) -> None:
    org = await factories.organisation(name="Gwaith Da Cyf")
    anyone = new_client()
    sent = await post(anyone, f"/concerns/new?organisation={org.id}", {"what_happened": WORDS})
    link = sent.headers["location"].split("?")[0]
    token = link.rsplit("/", 1)[1]
    row = await Concern.select(Concern.id, Concern.receipt).first()
    assert row["receipt"] and token not in row["receipt"], "only the token's keyed hash is kept"
    elsewhere = new_client()  # the link alone, on another device, with no session
    page = BeautifulSoup((await elsewhere.get(link)).text, "html.parser")
    assert page.h1.get_text() == "Your concern" and "New" in page.get_text()
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "What the team told you" not in page.get_text()

    team = new_client()
    await session_for(team, await admin())
    reply = "We asked the organisation to change how it supervises, and it has."
    await post(team, f"/admin/concerns/{row['id']}", {
        "status": "upheld", "response": "Spoke to their manager, Dai; see the notes.", "reply": reply,
        "version": await _version(team, row["id"]),
    })  # fmt: skip
    text = BeautifulSoup((await elsewhere.get(link)).text, "html.parser").get_text(" ", strip=True)
    assert "Upheld" in text and "What the team told you" in text and reply in text
    assert "Dai" not in text, "the team's own notes stay with the team"
    first = (await Concern.select(Concern.replied_at).first())["replied_at"]
    await post(team, f"/admin/concerns/{row['id']}", {
        "status": "closed", "response": "", "reply": reply, "version": await _version(team, row["id"]),
    })  # fmt: skip
    assert (await Concern.select(Concern.replied_at).first())["replied_at"] == first, "the reply did not change"
    await post(team, f"/admin/concerns/{row['id']}", {
        "status": "closed", "response": "", "reply": reply + " Thank you.", "version": await _version(team, row["id"]),
    })  # fmt: skip
    assert (await Concern.select(Concern.replied_at).first())["replied_at"] > first, "a new reply has a new time"

    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x", "x" * 300):
        assert (await elsewhere.get(f"/concerns/receipt/{wrong}")).status_code == 404


async def test_whoever_raised_it_adds_something_from_the_receipt_and_the_team_sees_it_in_the_open_queue(
    new_client,
) -> None:
    org = await factories.organisation(name="Gwaith Da Cyf")
    anyone = new_client()
    sent = await post(anyone, f"/concerns/new?organisation={org.id}", {"what_happened": WORDS})
    link = sent.headers["location"].split("?")[0]
    concern_id = (await Concern.select(Concern.id).first())["id"]
    await Concern.update({Concern.status: "not_upheld"}).where(Concern.id == concern_id)

    empty = await post(anyone, link, {"more": "  "})
    assert empty.status_code == 422 and "Enter what you want to add." in empty.text
    assert await ConcernAddition.count() == 0
    more = "They rang me back and it happened again on Friday."
    added = await post(anyone, link, {"more": more})
    assert added.status_code == 303 and added.headers["location"] == f"{link}?added=1"
    page = BeautifulSoup((await anyone.get(added.headers["location"])).text, "html.parser").get_text(" ", strip=True)
    assert "Thank you: the team has what you added." in page and "You added something on" in page
    assert more not in page, "what they wrote is not on a page a link opens"
    assert (await Concern.select(Concern.status).first())["status"] == "not_upheld", "the team's to say"

    team = new_client()
    await session_for(team, await admin())
    queue = BeautifulSoup((await team.get("/admin/concerns")).text, "html.parser").get_text(" ", strip=True)
    assert "Gwaith Da Cyf" in queue and "Something added" in queue, "settled, yet in the open queue again"
    assert (await service.waiting()).open == 1
    shown = (await team.get(f"/admin/concerns/{concern_id}")).text
    assert more in shown and "Added on" in shown and "new since last saved" in shown
    await post(team, f"/admin/concerns/{concern_id}", {
        "status": "not_upheld", "response": "", "reply": "", "version": await _version(team, concern_id),
    })  # fmt: skip
    assert "Gwaith Da Cyf" not in (await team.get("/admin/concerns")).text, "seen and saved: settled again"
    assert (await post(anyone, "/concerns/receipt/not-the-token", {"more": more})).status_code == 404
    assert await ConcernAddition.count() == 1
    assert await MailMessage.count() == 0, "not about someone's safety: the queue says so, no email"


async def test_something_added_to_a_safety_worry_emails_every_admin_at_once_without_what_was_added(
    new_client,
) -> None:
    await admin("one@cyfle.test")
    await member(await factories.organisation(kind="platform", name="Cyfle team 2"), "two@cyfle.test", "staff")
    await User.update({User.locale: "cy"}).where(User.email == "two@cyfle.test")
    offer = await factories.offer(await factories.organisation(name="Gwaith Da Cyf"), title="Trainee joiner")
    anyone = new_client()
    data = {"what_happened": WORDS, "contact": "me@example.org", "safety": "on"}
    link = (await post(anyone, f"/concerns/new?offer={offer.id}", data)).headers["location"].split("?")[0]
    await MailMessage.delete(force=True)  # the emails about the concern itself (the test above)
    more = "He was waiting outside again tonight."
    assert (await post(anyone, link, {"more": more})).status_code == 303
    concern_id = (await Concern.select(Concern.id).first())["id"]
    mails = await MailMessage.select().order_by(MailMessage.recipient)
    assert [m["recipient"] for m in mails] == ["one@cyfle.test", "two@cyfle.test"]
    assert mails[0]["subject"] == "Urgent: more about a safety concern about Gwaith Da Cyf"
    assert mails[1]["subject"] == "Brys: mwy am bryder diogelwch am Gwaith Da Cyf", "in the reader's language"
    for mail in mails:
        assert "has added something" in mail["body"] or "wedi ychwanegu rhywbeth" in mail["body"]
        assert "“Trainee joiner”" in mail["body"] and f"/admin/concerns/{concern_id}" in mail["body"]
        assert more not in mail["body"] and "me@example.org" not in mail["body"]
