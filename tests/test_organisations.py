"""Organisations sign up with a charter pledge, wait for the Cyfle team, and manage their people."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

from app.audit.tables import AuditEntry
from app.core.i18n import alphabetical
from app.mail.tables import MailMessage
from app.offers.tables import Offer
from app.organisations.tables import Membership, Organisation
from tests import factories
from tests.people import admin, member, post, session_for, user

GOOD = {
    "kind": "third_sector",
    "name": "Llamau Young Futures",
    "website": "https://llamau.example",
    "council_area": "W06000015",
    "charity_number": "1234567",
    "company_number": "",
    "principles": ["5", "10", "3"],
}


async def _seen(team, org_id: int) -> dict[str, str]:
    """The version of the organisation the team's page shows: decisions name it."""
    page = BeautifulSoup((await team.get(f"/admin/organisations/{org_id}")).text, "html.parser")
    return {"version": page.select_one('input[name="version"]')["value"]}


async def _signed_in(new_client, email: str):
    client = new_client()
    await session_for(client, await user(email))
    return client


async def test_a_charity_signs_up_and_waits_for_the_team(new_client) -> None:
    await admin("team@cyfle.test")
    client = await _signed_in(new_client, "owner@llamau.example")
    response = await post(client, "/organisations/new", GOOD)
    assert response.status_code == 303
    org = await Organisation.select().where(Organisation.kind == "third_sector").first()
    assert org["name"] == "Llamau Young Futures" and org["approved_at"] is None
    assert org["pledged_principles"] == [3, 5, 10] and org["pledged_at"] is not None
    assert response.headers["location"] == f"/organisations/{org['id']}"
    roles = await Membership.select(Membership.role, Membership.user.email).where(Membership.organisation == org["id"])
    assert roles == [{"role": "owner", "user.email": "owner@llamau.example"}]
    page = await client.get(response.headers["location"])
    assert "Waiting for approval" in page.text
    assert [row["action"] for row in await AuditEntry.select(AuditEntry.action)] == ["organisation.signed_up"]
    told = await MailMessage.select().where(MailMessage.recipient == "team@cyfle.test")
    assert len(told) == 1 and "Llamau Young Futures" in told[0]["subject"]


async def test_the_pledge_shows_each_principles_wording(new_client) -> None:
    page = await (await _signed_in(new_client, "a@example.org")).get("/organisations/new")
    soup = BeautifulSoup(page.text, "html.parser")
    options = soup.select('input[name="principles"]')
    assert len(options) == 11
    assert "wide experience of leisure, cultural, sport and social activities" in soup.get_text()


async def test_areas_are_named_and_ordered_in_the_pages_language(new_client) -> None:
    client = await _signed_in(new_client, "a@example.org")

    async def areas(lang: str) -> list[str]:
        soup = BeautifulSoup((await client.get(f"/organisations/new?lang={lang}")).text, "html.parser")
        return [
            option.get_text(strip=True) for option in soup.select('select[name="council_area"] option:not([value=""])')
        ]

    welsh = await areas("cy")
    assert "Caerdydd" in welsh and "Cardiff" not in welsh
    assert welsh == alphabetical(welsh, locale="cy")
    assert welsh.index("Cumberland") < welsh.index("Cheshire East"), "c before ch"
    assert welsh.index("Rutland") < welsh.index("Rhondda Cynon Taf"), "r before rh"
    assert welsh.index("Sir Ddinbych") < welsh.index("Sir Fynwy") < welsh.index("Sir y Fflint")
    english = await areas("en")
    assert english.index("Cheshire East") < english.index("Cumberland")
    assert english.index("Rhondda Cynon Taf") < english.index("Rutland")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the organisation's name"),
        ("name", "x" * 201, "200 characters or fewer"),
        ("website", "javascript:alert(1)", "starting with https://"),
        ("website", "llamau.example", "starting with https://"),
        ("council_area", "Atlantis", "Choose the area"),
        ("charity_number", "12", "charity number like"),
        ("company_number", "ABC", "company number of 8"),
        ("principles", [], "at least one principle"),
        ("principles", ["5", "99"], "at least one principle"),
        ("kind", "platform", "Choose what kind of organisation"),
    ],
)
async def test_each_bad_answer_is_named_by_its_field_and_nothing_is_created(new_client, field, value, message) -> None:
    client = await _signed_in(new_client, "b@example.org")
    response = await post(client, "/organisations/new", GOOD | {field: value})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    error = soup.select_one(f"#f-{field}-error")
    assert error is not None and message in error.get_text(), response.text
    assert soup.select_one(f'.error-summary a[href="#f-{field}"]') is not None
    assert await Organisation.count() == 0 and await Membership.count() == 0 and await AuditEntry.count() == 0


async def test_script_in_a_name_stays_text(new_client) -> None:
    team = await admin()
    client = await _signed_in(new_client, "c@example.org")
    await post(client, "/organisations/new", GOOD | {"name": '<script>alert("x")</script><img src=x onerror=alert(1)>'})
    org = await Organisation.select().where(Organisation.kind == "third_sector").first()
    for page in (await client.get(f"/organisations/{org['id']}"), await client.get("/account")):
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;" in page.text
    admin_client = new_client()
    await session_for(admin_client, team)
    page = await admin_client.get("/admin")
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text


async def test_the_team_approves_and_the_owner_is_told(new_client) -> None:
    team = await admin()
    org = await factories.organisation(approved_at=None, kind="third_sector")
    await member(org, "owner@example.org")
    client = new_client()
    await session_for(client, team)
    assert org.name in (await client.get("/admin")).text
    assert (
        await post(client, f"/admin/organisations/{org.id}/approve", await _seen(client, org.id))
    ).status_code == 303
    row = await Organisation.select().where(Organisation.id == org.id).first()
    assert row["approved_at"] is not None
    audit = await AuditEntry.select().where(AuditEntry.action == "organisation.approved").first()
    assert audit["actor"] == team and audit["organisation"] == org.id
    assert await MailMessage.count().where(MailMessage.recipient == "owner@example.org") == 1


async def test_the_team_returns_with_a_reason_the_owner_sees_and_answers(new_client) -> None:
    team = await admin()
    org = await factories.organisation(approved_at=None, kind="third_sector", council_area="W06000015")
    owner = await member(org, "owner@example.org")
    reviewer = new_client()
    await session_for(reviewer, team)
    empty = await post(
        reviewer, f"/admin/organisations/{org.id}/return", {"reason": "  "} | await _seen(reviewer, org.id)
    )
    assert empty.status_code == 422 and "Enter what needs to change" in empty.text
    reason = "Please add your charity number."
    assert (
        await post(
            reviewer, f"/admin/organisations/{org.id}/return", {"reason": reason} | await _seen(reviewer, org.id)
        )
    ).status_code == 303
    assert await AuditEntry.count().where(AuditEntry.action == "organisation.returned") == 1

    client = new_client()
    await session_for(client, owner)
    page = await client.get(f"/organisations/{org.id}")
    assert reason in page.text and "Returned for changes" in page.text
    assert (await post(client, f"/organisations/{org.id}/edit", GOOD)).status_code == 303
    row = await Organisation.select().where(Organisation.id == org.id).first()
    assert row["review_note"] == "" and row["approved_at"] is None and row["charity_number"] == "1234567"
    assert org.name not in (await reviewer.get("/admin")).text  # renamed by the edit
    assert "Llamau Young Futures" in (await reviewer.get("/admin")).text


async def test_owners_add_colleagues_and_change_roles(new_client) -> None:
    org = await factories.organisation()
    owner = await member(org, "owner@example.org")
    client = new_client()
    await session_for(client, owner)
    assert (
        await post(client, f"/organisations/{org.id}/members", {"email": "Staff@Example.org", "role": "staff"})
    ).status_code == 303
    again = await post(client, f"/organisations/{org.id}/members", {"email": "staff@example.org", "role": "staff"})
    assert again.status_code == 422 and "already a member" in again.text
    verifier = await post(client, f"/organisations/{org.id}/members", {"email": "v@example.org", "role": "verifier"})
    assert verifier.status_code == 422  # only councils have verifiers
    staff = await Membership.select().where(Membership.role == "staff").first()
    mail = await MailMessage.select().where(MailMessage.recipient == "staff@example.org").first()
    assert f"/sign-in?next=/organisations/{org.id}" in mail["body"]
    changed = await post(client, f"/organisations/{org.id}/members/{staff['id']}/role", {"role": "redeemer"})
    assert changed.status_code == 303
    assert (await Membership.select(Membership.role).where(Membership.id == staff["id"]).first())["role"] == "redeemer"
    actions = [row["action"] for row in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)]
    assert actions == ["membership.added", "membership.role_changed"]


async def test_councils_can_have_verifiers(new_client) -> None:
    council = await factories.organisation(kind="council")
    client = new_client()
    await session_for(client, await member(council, "owner@council.example"))
    response = await post(
        client, f"/organisations/{council.id}/members", {"email": "v@council.example", "role": "verifier"}
    )
    assert response.status_code == 303


async def test_an_organisation_always_keeps_an_owner(new_client) -> None:
    org = await factories.organisation()
    owner = await member(org, "owner@example.org")
    client = new_client()
    await session_for(client, owner)
    mine = await Membership.select().where(Membership.user == owner).first()
    demote = await post(client, f"/organisations/{org.id}/members/{mine['id']}/role", {"role": "staff"})
    assert demote.status_code == 409 and "at least one owner" in demote.text
    remove = await post(client, f"/organisations/{org.id}/members/{mine['id']}/remove")
    assert remove.status_code == 409
    assert await Membership.count().where(Membership.role == "owner") == 1


async def test_two_owners_stepping_down_at_once_leave_one(new_client) -> None:
    org = await factories.organisation()
    clients = []
    for email in ("one@example.org", "two@example.org"):
        client = new_client()
        await session_for(client, await member(org, email))
        clients.append(client)
    ids = [row["id"] for row in await Membership.select(Membership.id).order_by(Membership.id)]
    for client in clients:
        await post(client, "/account")  # fetch each CSRF cookie first, so the two posts race only each other
    responses = await asyncio.gather(
        *(
            post(client, f"/organisations/{org.id}/members/{mid}/remove")
            for client, mid in zip(clients, ids, strict=True)
        )
    )
    assert sorted(r.status_code for r in responses) == [303, 409]
    assert await Membership.count().where(Membership.role == "owner") == 1


async def test_the_team_finds_organisations_by_name(new_client) -> None:
    await factories.organisation(name="Theatr Clwyd")
    await factories.organisation(name="Swim Wales")
    client = new_client()
    await session_for(client, await admin())
    page = await client.get("/admin/organisations?q=theatr")
    assert "Theatr Clwyd" in page.text and "Swim Wales" not in page.text
    fragment = await client.get("/admin/organisations?q=swim", headers={"HX-Request": "true"})
    assert "Swim Wales" in fragment.text and "<html" not in fragment.text
    assert (await client.get("/admin/organisations?q=" + "%25" * 300)).status_code == 200


async def test_script_in_names_and_reasons_stays_text_wherever_it_is_shown(new_client) -> None:
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    team = await admin()
    org = await factories.organisation(approved_at=None, kind="third_sector")
    owner = await member(org, "owner@example.org")
    client = new_client()
    await session_for(client, owner)
    assert (await post(client, "/account", {"display_name": attack[:100]})).status_code == 303
    reviewer = new_client()
    await session_for(reviewer, team)
    await post(reviewer, f"/admin/organisations/{org.id}/return", {"reason": attack} | await _seen(reviewer, org.id))
    offer = await factories.offer(org, status="in_review")
    version = (await Offer.select(Offer.updated_at).where(Offer.id == offer.id).first())["updated_at"].isoformat()
    assert (
        await post(reviewer, f"/admin/offers/{offer.id}/return", {"reason": attack, "version": version})
    ).status_code == 303
    pages = [
        await client.get(f"/organisations/{org.id}"),
        await client.get(f"/organisations/{org.id}/members"),
        await client.get(f"/organisations/{org.id}/edit"),
        await reviewer.get(f"/admin/organisations/{org.id}"),
    ]
    await Organisation.update({Organisation.approved_at: datetime.now(UTC)}).where(Organisation.id == org.id)
    pages.append(await client.get(f"/organisations/{org.id}/offers/{offer.id}"))
    for page in pages:
        soup = BeautifulSoup(page.text, "html.parser")
        assert page.status_code == 200 and not soup.select("main script, main img"), page.url
        assert "&lt;script&gt;" in page.text, page.url


async def test_an_owner_cannot_touch_another_organisations_people(new_client) -> None:
    mine, theirs = await factories.organisation(), await factories.organisation()
    client = new_client()
    await session_for(client, await member(mine, "owner@mine.example"))
    await member(theirs, "owner@theirs.example")
    staff = await member(theirs, "staff@theirs.example", "staff")
    target = (await Membership.select(Membership.id).where(Membership.user == staff).first())["id"]
    assert (await post(client, f"/organisations/{mine.id}/members/{target}/role", {"role": "owner"})).status_code == 404
    assert (await post(client, f"/organisations/{mine.id}/members/{target}/remove")).status_code == 404
    assert (await Membership.select(Membership.role).where(Membership.id == target).first())["role"] == "staff"


async def test_nobody_is_emailed_for_an_organisation_waiting_for_approval(new_client) -> None:
    org = await factories.organisation(approved_at=None)
    client = new_client()
    await session_for(client, await member(org, "owner@example.org"))
    response = await post(client, f"/organisations/{org.id}/members", {"email": "x@example.org", "role": "staff"})
    assert response.status_code == 403 and "waiting for the Cyfle team to approve it" in response.text
    assert await MailMessage.count() == 0 and await Membership.count() == 1


async def test_a_waiting_organisation_sees_its_details_and_people_and_nothing_more(new_client) -> None:
    org = await factories.organisation(approved_at=None, kind="council", council_area="W06000015")
    client = new_client()
    await session_for(client, await member(org, "owner@example.org"))
    page = BeautifulSoup((await client.get(f"/organisations/{org.id}")).text, "html.parser")
    links = {a["href"] for a in page.select("main a[href]")}
    assert links == {
        f"/organisations/{org.id}/edit",
        f"/organisations/{org.id}/pledge",
        f"/organisations/{org.id}/members",
    }
    assert "Waiting for approval" in page.get_text()
    for path in ("uptake", "uptake.json", "verification", "invitations", "redeem", "offers/new", "objectives"):
        assert (await client.get(f"/organisations/{org.id}/{path}")).status_code == 403, path


CHANGED = GOOD | {
    "kind": "council",
    "name": "Cyngor Newydd",
    "council_area": "W06000011",
    "website": "https://new.example",
}


async def _approved_council_owner(new_client):
    org = await factories.organisation(kind="employer", council_area="W06000015", name="Old Name")
    client = new_client()
    await session_for(client, await member(org, "owner@example.org"))
    return org, client


async def test_a_new_name_kind_or_area_waits_for_the_team_and_the_old_ones_stay_in_force(new_client) -> None:
    org, client = await _approved_council_owner(new_client)
    assert (await post(client, f"/organisations/{org.id}/edit", CHANGED)).status_code == 303
    row = await Organisation.select().where(Organisation.id == org.id).first()
    assert (row["name"], row["kind"], row["council_area"]) == ("Old Name", "employer", "W06000015")
    assert row["website"] == "https://new.example" and row["approved_at"] is not None  # the rest applies at once
    page = (await client.get(f"/organisations/{org.id}")).text
    assert "Waiting for the Cyfle team" in page and "Cyngor Newydd" in page
    assert "Cyngor Newydd" in (await client.get(f"/organisations/{org.id}/edit")).text  # the form shows the ask
    # A council's pages are not theirs until the team agrees.
    await member(org.id, "verifier@example.org", "staff")
    assert (await client.get(f"/organisations/{org.id}/verification")).status_code == 403

    team = new_client()
    await session_for(team, await admin())
    assert "Asks to change its name, kind or area" in (await team.get("/admin")).text
    review = BeautifulSoup((await team.get(f"/admin/organisations/{org.id}")).text, "html.parser")
    rows = [[cell.get_text(strip=True) for cell in tr.select("th, td")] for tr in review.select("tbody tr")]
    assert rows == [
        ["Name", "Old Name", "Cyngor Newydd"],
        ["Kind", "Business or employer", "Council"],
        ["Area", "Cardiff", "Swansea"],
    ]
    assert (await post(team, f"/admin/organisations/{org.id}/approve", await _seen(team, org.id))).status_code == 303
    row = await Organisation.select().where(Organisation.id == org.id).first()
    assert (row["name"], row["kind"], row["council_area"], row["proposed"]) == (
        "Cyngor Newydd", "council", "W06000011", None
    )  # fmt: skip
    assert await AuditEntry.count().where(AuditEntry.action == "organisation.change_approved") == 1
    told = await MailMessage.select().where(MailMessage.recipient == "owner@example.org")
    assert [m["subject"] for m in told] == ["Your change to Cyngor Newydd is approved"]


async def test_a_returned_change_leaves_the_approved_details_as_they_were(new_client) -> None:
    org, client = await _approved_council_owner(new_client)
    await post(client, f"/organisations/{org.id}/edit", CHANGED)
    team = new_client()
    await session_for(team, await admin())
    reason = "Please tell us who at the council asked for this."
    assert (
        await post(team, f"/admin/organisations/{org.id}/return", {"reason": reason} | await _seen(team, org.id))
    ).status_code == 303
    row = await Organisation.select().where(Organisation.id == org.id).first()
    assert (row["name"], row["kind"], row["council_area"], row["proposed"]) == (
        "Old Name", "employer", "W06000015", None
    )  # fmt: skip
    assert row["approved_at"] is not None
    assert reason in (await client.get(f"/organisations/{org.id}")).text
    assert "Asks to change" not in (await team.get("/admin")).text
    # Asking for what is already in force asks for nothing.
    same = GOOD | {"kind": "employer", "name": "Old Name", "council_area": "W06000015"}
    assert (await post(client, f"/organisations/{org.id}/edit", same)).status_code == 303
    assert (await Organisation.select(Organisation.proposed).where(Organisation.id == org.id).first()) == {
        "proposed": None
    }


async def test_the_team_decides_on_the_version_it_saw_never_one_changed_since(new_client) -> None:
    """A small club signs up; while the team looks, it turns itself into a council of another area."""
    org = await factories.organisation(approved_at=None, kind="third_sector", name="Tiny Youth Club")
    owner = new_client()
    await session_for(owner, await member(org, "owner@example.org"))
    team = new_client()
    await session_for(team, await admin())
    seen = await _seen(team, org.id)
    become = GOOD | {"kind": "council", "name": "Cyngor Caerdydd", "council_area": "W06000011"}
    assert (await post(owner, f"/organisations/{org.id}/edit", become)).status_code == 303
    late = await post(team, f"/admin/organisations/{org.id}/approve", seen)
    assert late.status_code == 409 and "changed while you were looking" in late.text and "Cyngor Caerdydd" in late.text
    assert (await Organisation.select(Organisation.approved_at).where(Organisation.id == org.id).first()) == {
        "approved_at": None
    }
    returned = await post(team, f"/admin/organisations/{org.id}/return", {"reason": "Who are you?"} | seen)
    assert returned.status_code == 409
    # An approved organisation's asked-for change, swapped for another while the team looks, is not applied either.
    await Organisation.update({Organisation.approved_at: datetime.now(UTC)}).where(Organisation.id == org.id)
    await post(owner, f"/organisations/{org.id}/edit", become | {"name": "Cyngor Bach"})
    seen = await _seen(team, org.id)
    await post(owner, f"/organisations/{org.id}/edit", become | {"name": "Cyngor Mawr", "council_area": "W06000015"})
    assert (await post(team, f"/admin/organisations/{org.id}/approve", seen)).status_code == 409
    row = await Organisation.select().where(Organisation.id == org.id).first()
    assert row["name"] == "Cyngor Caerdydd" and row["proposed"] is not None


async def test_a_council_with_verifiers_cannot_become_something_else(new_client) -> None:
    org = await factories.organisation(kind="council", council_area="W06000015")
    client = new_client()
    await session_for(client, await member(org, "owner@example.org"))
    await member(org, "verifier@example.org", "verifier")
    response = await post(client, f"/organisations/{org.id}/edit", GOOD | {"kind": "employer"})
    assert response.status_code == 422 and "Only a council has verifiers" in response.text
    assert (await Organisation.select(Organisation.proposed).where(Organisation.id == org.id).first()) == {
        "proposed": None
    }


async def test_a_line_break_in_a_name_cannot_stop_the_mail(new_client, settings, smtp_server) -> None:
    from dataclasses import replace

    from app.mail import service as mail

    await admin("team@cyfle.test")
    client = await _signed_in(new_client, "owner@example.org")
    assert (
        await post(client, "/organisations/new", GOOD | {"name": "Llamau\r\nBcc: victim@example.org"})
    ).status_code == 303
    org = await Organisation.select(Organisation.name).where(Organisation.kind == "third_sector").first()
    assert org["name"] == "Llamau Bcc: victim@example.org"  # one line
    assert await mail.deliver_once(replace(settings, smtp_url=smtp_server.url)) == 1
    assert [m["To"] for m in smtp_server.messages] == ["team@cyfle.test"]


async def test_an_owner_says_what_they_will_do_for_each_principle_in_english_or_welsh(new_client) -> None:
    org = await factories.organisation(kind="employer", pledged_principles=[5, 10])
    client = new_client()
    await session_for(client, await member(org, "owner@example.org"))
    form = BeautifulSoup((await client.get(f"/organisations/{org.id}/pledge")).text, "html.parser")
    assert {area["name"] for area in form.select("textarea")} == {
        "statement_5_en", "statement_5_cy", "statement_10_en", "statement_10_cy"
    }  # fmt: skip
    too_long = await post(client, f"/organisations/{org.id}/pledge", {"statement_5_en": "x" * 601})
    assert too_long.status_code == 422 and "600 characters or fewer" in too_long.text
    assert (await Organisation.select(Organisation.pledge_statements).first())["pledge_statements"] in ({}, "{}")
    saved = await post(
        client,
        f"/organisations/{org.id}/pledge",
        {
            "statement_5_en": "Ten apprenticeships a year, kept for care leavers.",
            "statement_10_cy": "Mentor i bob prentis.",
            "statement_7_en": "Not pledged, so not kept.",
        },
    )
    assert saved.status_code == 303
    page = BeautifulSoup((await client.get(f"/organisations/{org.id}")).text, "html.parser")
    said = page.select(".pledge li p")
    assert [p.get_text() for p in said] == [
        "Ten apprenticeships a year, kept for care leavers.",
        "Mentor i bob prentis.",
    ]
    assert said[1]["lang"] == "cy" and not said[0].has_attr("lang")
    assert "Not pledged" not in page.get_text()
    action = await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id, ascending=False).first()
    assert action["action"] == "organisation.pledge_statements"
    team = new_client()
    await session_for(team, await admin())
    assert "Ten apprenticeships a year" in (await team.get(f"/admin/organisations/{org.id}")).text
    report = await client.get(f"/organisations/{org.id}/report/2026")
    assert "What we will do: Ten apprenticeships a year" in BeautifulSoup(report.text, "html.parser").get_text()
