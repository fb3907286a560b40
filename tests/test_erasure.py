"""Erasure and export are complete: the one owner of an organisation hands it over before leaving; /me/data
holds everything about the person; a verifier's reason is written under a warning and goes with the person."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from bs4 import BeautifulSoup

from app.accounts.tables import User
from app.applications.tables import Application, StageChange
from app.audit import service as audit
from app.audit.tables import AuditEntry
from app.codes.tables import Code, CodeWaiter
from app.core import db
from app.feedback.tables import Feedback
from app.organisations.tables import Membership
from app.piccolo_app import APP_CONFIG
from app.verification.tables import Verification
from tests import factories
from tests.people import member, post, session_for, young_person


async def test_the_only_owner_is_asked_to_hand_over_first_and_nothing_is_deleted(new_client) -> None:
    org = await factories.organisation(name="Menter Caerdydd")
    owner = await member(org, "owner@menter.example", "owner")
    await member(org, "staff@menter.example", "staff")
    client = new_client()
    await session_for(client, owner)

    page = BeautifulSoup((await client.get("/me/delete")).text, "html.parser")
    assert page.select_one(f'main a[href="/organisations/{org.id}/members"]') is not None
    assert page.select_one('form[action="/me/delete"]') is None  # no button to press yet

    refused = await post(client, "/me/delete")
    assert refused.status_code == 409
    assert "Menter Caerdydd" in refused.text and "Nothing has been deleted" in refused.text
    assert await User.exists().where(User.id == owner)
    assert await Membership.count().where(Membership.organisation == org.id) == 2

    # Handed over: now they can go, and the organisation still has an owner.
    await Membership.update({Membership.role: "owner"}).where(Membership.organisation == org.id)
    assert (await post(client, "/me/delete")).status_code == 303
    assert not await User.exists().where(User.id == owner)
    assert await Membership.count().where((Membership.organisation == org.id) & (Membership.role == "owner")) == 1


async def test_your_data_holds_codes_waiting_lists_history_feedback_and_the_audit_log(new_client) -> None:
    user_id, yp = await young_person("ffion@example.org", "Ffion")
    offer = await factories.offer(title="Swim at the Pool")
    other = await factories.offer(title="Climbing wall")
    now = datetime.now(UTC)
    await Code.insert(Code(offer=offer.id, code="SWIM-4821", claimed_by=yp, claimed_at=now, redeemed_at=now))
    await CodeWaiter.insert(CodeWaiter(offer=other.id, young_person=yp))
    rows = await Application.insert(Application(offer=offer.id, young_person=yp)).returning(Application.id)
    await StageChange.insert(
        StageChange(application=rows[0]["id"], stage="new", at=now - timedelta(days=2)),
        StageChange(application=rows[0]["id"], stage="offered", at=now),
    )
    await Feedback.insert(Feedback(young_person=yp, offer=offer.id, subject="code:1", rating=4, words="Great fun"))
    council = await factories.organisation(kind="council", name="Cardiff Council")
    verification = await Verification.insert(Verification(young_person=yp, council=council.id)).returning(
        Verification.id
    )
    async with db.engine().transaction():
        await audit.record("sign_in.new_device", actor=user_id, subject=("user", user_id))
        await audit.record("verification.refused", actor=None, organisation=council.id,
                           subject=("verification", verification[0]["id"]))  # fmt: skip
        await audit.record("offer.created", actor=None, subject=("offer", offer.id))  # not about them

    client = new_client()
    await session_for(client, user_id)
    data = json.loads((await client.get("/me/data")).content)
    assert [(c["offer"], c["code"]) for c in data["codes"]] == [("Swim at the Pool", "SWIM-4821")]
    assert data["codes"][0]["redeemed_at"]
    assert [w["offer"] for w in data["waiting_lists"]] == ["Climbing wall"]
    assert [(h["offer"], h["stage"]) for h in data["application_history"]] == [
        ("Swim at the Pool", "new"),
        ("Swim at the Pool", "offered"),
    ]
    assert [f["words"] for f in data["feedback"]] == ["Great fun"]
    assert [(a["action"], a["organisation"]) for a in data["audit"]] == [
        ("sign_in.new_device", None),
        ("verification.refused", "Cardiff Council"),
    ]


async def _refused_by_a_verifier(new_client, reason: str) -> tuple[object, int, int]:
    council = await factories.organisation(kind="council", council_area="W06000015", name="Cardiff Council")
    verifier = await member(council, "verifier@cardiff.example", "verifier")
    user_id, _ = await young_person("leaving@example.org", "Dylan")
    young = new_client()
    await session_for(young, user_id)
    await post(young, "/me/verification", {"council": str(council.id)})
    request_id = (await Verification.select(Verification.id).first())["id"]
    decider = new_client()
    await session_for(decider, verifier)
    page = BeautifulSoup(
        (await decider.get(f"/organisations/{council.id}/verification/{request_id}")).text, "html.parser"
    )
    form = page.select_one(f'form[action$="/{request_id}/refuse"]')
    assert form is not None
    warning = form.select_one(".notice")
    assert warning is not None and "Do not write anything about the young person's care history" in warning.text
    url = f"/organisations/{council.id}/verification/{request_id}/refuse"
    assert (await post(decider, url, {"reason": reason})).status_code == 303
    return young, request_id, council.id


async def test_a_verifiers_reason_is_written_under_a_warning_and_goes_with_the_young_person(new_client) -> None:
    reason = "Quillfeather: please ring Sam on 029 2000 0000 and we will sort it out."
    young, request_id, council_id = await _refused_by_a_verifier(new_client, reason)
    async with db.engine().transaction():  # should a reason ever be audited, it goes too
        await audit.record("verification.refused", actor=None, organisation=council_id,
                           subject=("verification", request_id), reason=reason)  # fmt: skip
    assert (await post(young, "/me/delete")).status_code == 303

    for table in APP_CONFIG.table_classes:
        rows = await db.engine().run_ddl(f"SELECT t::text AS row FROM {table._meta.tablename} t")  # noqa: S608 (table names from the code)
        assert not [row for row in rows if "Quillfeather" in row["row"]], table._meta.tablename
    about_it = await AuditEntry.count().where(
        (AuditEntry.subject_type == "verification") & (AuditEntry.subject_id == request_id)
    )
    assert about_it == 0, "the audit log still points at the erased person's verification"
    assert await AuditEntry.count().where(AuditEntry.action == "verification.refused") == 2  # still counted


async def test_the_revoke_form_warns_too(new_client) -> None:
    council = await factories.organisation(kind="council", council_area="W06000015")
    verifier = await member(council, "verifier@cardiff.example", "verifier")
    _, yp = await young_person("kept@example.org", "Kept", verified_until=date.today() + timedelta(days=30))
    await Verification.update({Verification.council: council.id}).where(Verification.young_person == yp)
    request_id = (await Verification.select(Verification.id).first())["id"]
    client = new_client()
    await session_for(client, verifier)
    page = BeautifulSoup(
        (await client.get(f"/organisations/{council.id}/verification/{request_id}")).text, "html.parser"
    )
    form = page.select_one(f'form[action$="/{request_id}/revoke"]')
    assert form is not None and "care history" in form.select_one(".notice").text
