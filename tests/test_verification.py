"""Councils verify young people: on request or by invitation code; only a council's own verifiers decide; access
follows the dates exactly; a young person can take their data away or delete it."""

from __future__ import annotations

import asyncio
import hmac
import json
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from app.audit.tables import AuditEntry
from app.core.auth import Principal
from app.core.errors import Forbidden, NotFound, TooManyRequests
from app.core.forms import Form, FormInvalid
from app.mail.tables import MailMessage
from app.piccolo_app import APP_CONFIG
from app.settings import Settings
from app.verification import asking, deciding, invitations, reminders
from app.verification.tables import Invitation, Verification
from app.young_people.service import last_day_of_eligibility
from app.young_people.tables import YoungPerson
from tests import factories
from tests.people import member, post, session_for, user

TODAY = date.today()


def born_aged(years: int, days_after_birthday: int = 10) -> date:
    """Someone who turned `years` this many days ago (or will in -days)."""
    try:
        birthday = TODAY.replace(year=TODAY.year - years)
    except ValueError:  # today is 29 February
        birthday = date(TODAY.year - years, 3, 1)
    return birthday - timedelta(days=days_after_birthday)


async def _young(new_client, email: str = "ffion@example.org", years: int = 19, area: str = "W06000015"):
    client = new_client()
    user_id = await user(email, display_name="Ffion")
    await session_for(client, user_id)
    profile = {"display_name": "Ffion", "date_of_birth": born_aged(years).isoformat(), "home_council": area}
    response = await post(client, "/me/profile", profile | {"email_updates": "on"})
    assert response.status_code == 303, response.text
    return client, user_id


async def _council(email: str = "verifier@cardiff.example", area: str = "W06000015", name: str = "Cardiff Council"):
    council = await factories.organisation(kind="council", council_area=area, name=name)
    client_user = await member(council, email, "verifier")
    return council, client_user


async def _verifier_client(new_client, user_id: int):
    client = new_client()
    await session_for(client, user_id)
    return client


@pytest.mark.parametrize(
    ("years", "days_after", "ok"),
    [(16, 0, True), (16, -1, False), (25, 300, True), (26, 0, False), (15, 10, False), (19, 10, True)],
)
async def test_only_16_to_25_year_olds_can_join_and_others_are_told_where_to_look(
    new_client, years: int, days_after: int, ok: bool
) -> None:
    client = new_client()
    await session_for(client, await user("a@example.org"))
    data = {"display_name": "A", "date_of_birth": born_aged(years, days_after).isoformat(), "home_council": "W06000015"}
    response = await post(client, "/me/profile", data)
    if ok:
        assert response.status_code == 303
        assert await YoungPerson.count() == 1
    else:
        assert response.status_code == 422 and "16 to 25" in response.text
        assert "vfcc.org.uk" in response.text  # somewhere else to look
        assert await YoungPerson.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("date_of_birth", "31/12/2007", "like 2007-03-31"), ("date_of_birth", "2999-01-01", "real date of birth"),
     ("home_council", "Atlantis", "council area you live in"), ("display_name", "", "Enter the name to show")],
)  # fmt: skip
async def test_bad_profile_answers_are_named_and_nothing_is_saved(new_client, field, value, message) -> None:
    client = new_client()
    await session_for(client, await user("b@example.org"))
    data = {"display_name": "B", "date_of_birth": born_aged(20).isoformat(), "home_council": "W06000015"}
    response = await post(client, "/me/profile", data | {field: value})
    error = BeautifulSoup(response.text, "html.parser").select_one(f"#f-{field}-error")
    assert response.status_code == 422 and error is not None and message in error.get_text()
    assert await YoungPerson.count() == 0


async def test_a_request_reaches_only_that_councils_verifiers(new_client) -> None:
    council, verifier = await _council()
    other, other_verifier = await _council("v@swansea.example", "W06000011", "Swansea Council")
    client, _ = await _young(new_client)
    page = await client.get("/me/verification")
    assert BeautifulSoup(page.text, "html.parser").select_one("#f-council option[selected]")["value"] == str(council.id)
    assert (
        await post(client, "/me/verification", {"council": str(council.id), "adviser_name": "Siân"})
    ).status_code == 303
    request_id = (await Verification.select(Verification.id).first())["id"]
    mine = await (await _verifier_client(new_client, verifier)).get(f"/organisations/{council.id}/verification")
    assert "Ffion" in mine.text and "Siân" in mine.text
    theirs = await _verifier_client(new_client, other_verifier)
    assert "Ffion" not in (await theirs.get(f"/organisations/{other.id}/verification")).text
    assert (await theirs.get(f"/organisations/{other.id}/verification/{request_id}")).status_code == 404
    refused = await post(theirs, f"/organisations/{other.id}/verification/{request_id}/approve", {})
    assert refused.status_code == 404
    with pytest.raises(NotFound):
        await deciding.one(other.id, request_id)
    assert (await Verification.select(Verification.status).first())["status"] == "requested"
    assert await MailMessage.count().where(MailMessage.recipient == "verifier@cardiff.example") == 1
    assert await MailMessage.count().where(MailMessage.recipient == "v@swansea.example") == 0


async def test_approval_lasts_until_the_day_before_their_26th_birthday_unless_sooner(new_client) -> None:
    council, verifier_id = await _council()
    client, young_id = await _young(new_client, years=24)
    await post(client, "/me/verification", {"council": str(council.id)})
    request_id = (await Verification.select(Verification.id).first())["id"]
    verifier = await _verifier_client(new_client, verifier_id)
    born = (await YoungPerson.select(YoungPerson.date_of_birth).first())["date_of_birth"]
    latest = last_day_of_eligibility(born)
    url = f"/organisations/{council.id}/verification/{request_id}/approve"
    too_late = await post(verifier, url, {"expires_on": (latest + timedelta(days=1)).isoformat()})
    assert too_late.status_code == 422 and "26th birthday" in too_late.text
    assert not await asking.is_verified(young_id, TODAY)
    page = BeautifulSoup((await verifier.get(url.removesuffix("/approve"))).text, "html.parser")
    assert page.select_one("#f-expires_on")["value"] == latest.isoformat()  # the default
    assert (await post(verifier, url, {"expires_on": latest.isoformat()})).status_code == 303
    assert await asking.is_verified(young_id, TODAY)
    assert await asking.is_verified(young_id, latest)  # the last day counts
    assert not await asking.is_verified(young_id, latest + timedelta(days=1))  # and then it is over
    told = await MailMessage.select().where(MailMessage.recipient == "ffion@example.org").first()
    assert "can now apply" in told["subject"]
    audit = await AuditEntry.select(AuditEntry.action, AuditEntry.actor).where(
        AuditEntry.action == "verification.approved"
    )
    assert audit == [{"action": "verification.approved", "actor": verifier_id}]
    again = await post(verifier, url, {})
    assert again.status_code == 409


async def test_expired_young_people_are_refused_and_can_renew_in_one_tap(new_client) -> None:
    council, _ = await _council()
    client, young_id = await _young(new_client)
    young = (await YoungPerson.select(YoungPerson.id).first())["id"]
    await Verification.insert(
        Verification(young_person=young, council=council.id, status="verified", expires_on=TODAY - timedelta(days=1))
    )
    who = Principal(young_id, "ffion@example.org", "Ffion")
    with pytest.raises(Forbidden):
        await asking.require_verified(who, TODAY)
    page = await client.get("/me/verification")
    assert "ended on" in page.text
    assert (await post(client, "/me/verification/renew")).status_code == 303
    statuses = [row["status"] for row in await Verification.select(Verification.status).order_by(Verification.id)]
    assert statuses == ["verified", "requested"]  # the old one stays as history; a new request waits


async def test_a_refusal_is_explained_to_the_young_person(new_client) -> None:
    council, verifier_id = await _council()
    client, young_id = await _young(new_client)
    await post(client, "/me/verification", {"council": str(council.id)})
    request_id = (await Verification.select(Verification.id).first())["id"]
    verifier = await _verifier_client(new_client, verifier_id)
    url = f"/organisations/{council.id}/verification/{request_id}/refuse"
    assert (await post(verifier, url, {"reason": ""})).status_code == 422
    reason = "We could not find you in our records. Please ring Sam on 029 2000 0000 and we will sort it out."
    assert (await post(verifier, url, {"reason": reason})).status_code == 303
    assert reason in (await client.get("/me/verification")).text
    assert not await asking.is_verified(young_id, TODAY)


async def test_a_verifier_can_revoke_and_it_is_audited(new_client) -> None:
    council, verifier_id = await _council()
    _, young_id = await _young(new_client)
    young = (await YoungPerson.select(YoungPerson.id).first())["id"]
    rows = await Verification.insert(
        Verification(young_person=young, council=council.id, status="verified", expires_on=TODAY + timedelta(days=90))
    ).returning(Verification.id)
    verifier = await _verifier_client(new_client, verifier_id)
    url = f"/organisations/{council.id}/verification/{rows[0]['id']}/revoke"
    assert (await post(verifier, url, {"reason": "You have moved away from Cardiff."})).status_code == 303
    assert not await asking.is_verified(young_id, TODAY)
    assert await AuditEntry.count().where(AuditEntry.action == "verification.revoked") == 1


async def test_moving_council_the_new_one_verifies_and_the_old_one_is_told(new_client) -> None:
    old, _ = await _council("old@cardiff.example")
    new, new_verifier = await _council("new@swansea.example", "W06000011", "Swansea Council")
    client, _ = await _young(new_client)
    young = (await YoungPerson.select(YoungPerson.id).first())["id"]
    await Verification.insert(
        Verification(young_person=young, council=old.id, status="verified", expires_on=TODAY + timedelta(days=90))
    )
    await post(client, "/me/verification", {"council": str(new.id)})
    request_id = (await Verification.select(Verification.id).where(Verification.council == new.id).first())["id"]
    verifier = await _verifier_client(new_client, new_verifier)
    assert (await post(verifier, f"/organisations/{new.id}/verification/{request_id}/approve", {})).status_code == 303
    statuses = {
        row["council"]: row["status"] for row in await Verification.select(Verification.council, Verification.status)
    }
    assert statuses == {old.id: "withdrawn", new.id: "verified"}
    assert await MailMessage.count().where(MailMessage.recipient == "old@cardiff.example") == 1


async def test_counts_of_one_to_five_are_never_shown_exactly(new_client) -> None:
    council, _ = await _council()
    assert (await deciding.counts(council.id, TODAY)).verified == "0"
    for n in range(6):
        young = await YoungPerson.insert(
            YoungPerson(user=await user(f"y{n}@example.org"), date_of_birth=born_aged(20), home_council="W06000015")
        ).returning(YoungPerson.id)
        await Verification.insert(
            Verification(young_person=young[0]["id"], council=council.id, status="verified", expires_on=TODAY)
        )
        expected = "fewer than 6" if n < 5 else "6"
        assert (await deciding.counts(council.id, TODAY)).verified == expected


async def test_reminders_go_four_weeks_and_one_week_before_once_each(settings: Settings) -> None:
    council = await factories.organisation(kind="council")
    for email, days in (("month@example.org", 28), ("soon@example.org", 5), ("later@example.org", 60)):
        young = await YoungPerson.insert(
            YoungPerson(user=await user(email), date_of_birth=born_aged(20), home_council="W06000015")
        ).returning(YoungPerson.id)
        await Verification.insert(
            Verification(
                young_person=young[0]["id"],
                council=council.id,
                status="verified",
                expires_on=TODAY + timedelta(days=days),
            )
        )
    assert await reminders.send_reminders(settings, TODAY) == 2
    assert await reminders.send_reminders(settings, TODAY) == 0  # not twice
    recipients = sorted(row["recipient"] for row in await MailMessage.select(MailMessage.recipient))
    assert recipients == ["month@example.org", "soon@example.org"]
    assert await reminders.send_reminders(settings, TODAY + timedelta(days=21)) == 1  # a week before: the second
    assert await reminders.send_reminders(settings, TODAY + timedelta(days=22)) == 0


async def test_invitation_codes_verify_on_sign_up_once(new_client, settings: Settings) -> None:
    council, verifier_id = await _council()
    verifier = await _verifier_client(new_client, verifier_id)
    minted = await post(verifier, f"/organisations/{council.id}/invitations", {"count": "3", "days": "30"})
    assert minted.status_code == 200 and minted.headers["cache-control"] == "no-store"
    soup = BeautifulSoup(minted.text, "html.parser")
    codes = [node.get_text() for node in soup.select(".invitation .code-box")]
    assert len(codes) == 3 and len(soup.select(".invitation img.qr")) == 3
    assert all(len(code) == 17 and set(code.replace("-", "")) <= set(invitations.ALPHABET) for code in codes)
    stored = {row["code_hash"] for row in await Invitation.select(Invitation.code_hash)}
    assert stored == {invitations.code_hash(settings, code) for code in codes}  # only keyed hashes are kept

    client, young_id = await _young(new_client)
    typed = codes[0].lower().replace("-", " ")  # people type codes any old way
    assert (await post(client, "/me/verification/code", {"code": typed})).status_code == 303
    assert await asking.is_verified(young_id, TODAY)
    row = await Verification.select().first()
    born = (await YoungPerson.select(YoungPerson.date_of_birth).first())["date_of_birth"]
    assert row["expires_on"] == last_day_of_eligibility(born) and row["decided_by"] == verifier_id

    other, _ = await _young(new_client, "other@example.org")
    reused = await post(other, "/me/verification/code", {"code": codes[0]})
    assert reused.status_code == 422 and "does not work" in reused.text


async def test_a_code_handed_out_before_each_purpose_had_its_own_key_still_works(
    new_client, settings: Settings
) -> None:
    council, verifier_id = await _council()
    who = Principal(verifier_id, "verifier@cardiff.example", "")
    [code] = await invitations.mint(settings, who, council.id, Form({"count": "1", "days": "30"}))
    kept_before = hmac.new(
        settings.secret_key.encode(), b"invitation:" + invitations.normalise(code).encode(), "sha256"
    )
    await Invitation.update({Invitation.code_hash: kept_before.hexdigest()}, force=True)
    client, young_id = await _young(new_client)
    assert (await post(client, "/me/verification/code", {"code": code})).status_code == 303
    assert await asking.is_verified(young_id, TODAY)


async def test_an_expired_invitation_code_does_not_work(new_client, settings: Settings) -> None:
    council, verifier_id = await _council()
    who = Principal(verifier_id, "verifier@cardiff.example", "")
    [code] = await invitations.mint(settings, who, council.id, Form({"count": "1", "days": "1"}))
    await Invitation.raw("UPDATE invitation SET expires_at = now() - interval '1 second'")
    client, young_id = await _young(new_client)
    assert (await post(client, "/me/verification/code", {"code": code})).status_code == 422
    assert not await asking.is_verified(young_id, TODAY)


async def test_twenty_people_racing_for_one_code_gives_exactly_one_verification(new_client, settings: Settings) -> None:
    council, verifier_id = await _council()
    [code] = await invitations.mint(
        settings, Principal(verifier_id, "v@example.org", ""), council.id, Form({"count": "1", "days": "30"})
    )
    people = []
    for n in range(20):
        user_id = await user(f"racer{n}@example.org", display_name=f"Racer {n}")
        await YoungPerson.insert(YoungPerson(user=user_id, date_of_birth=born_aged(19), home_council="W06000015"))
        people.append(Principal(user_id, f"racer{n}@example.org", f"Racer {n}"))

    async def attempt(who: Principal) -> bool:
        try:
            await invitations.use(settings, who, Form({"code": code}), f"10.0.0.{who.user_id}", TODAY)
        except FormInvalid:
            return False
        return True

    results = await asyncio.gather(*(attempt(who) for who in people))
    assert sum(results) == 1
    assert await Verification.count() == 1


async def test_guessing_codes_is_rate_limited(new_client) -> None:
    await _council()
    client, _ = await _young(new_client)
    for n in range(invitations.WRONG_PER_PERSON):
        response = await post(client, "/me/verification/code", {"code": f"AAAAA-BBBBB-{n:05d}"})
        assert response.status_code == 422
    assert (await post(client, "/me/verification/code", {"code": "AAAAA-BBBBB-CCCCC"})).status_code == 429


def _count_lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every code looked up in the database goes through code_hash first: the list grows by one per lookup."""
    looked_up: list[str] = []
    real = invitations.code_hash

    def counting(settings: Settings, code: str) -> str:
        looked_up.append(code)
        return real(settings, code)

    monkeypatch.setattr(invitations, "code_hash", counting)
    return looked_up


async def test_wrong_codes_sent_at_once_never_pass_the_limit(new_client, monkeypatch, settings: Settings) -> None:
    council, verifier_id = await _council()
    [code] = await invitations.mint(
        settings, Principal(verifier_id, "v@example.org", ""), council.id, Form({"count": "1", "days": "30"})
    )
    client, young_id = await _young(new_client)
    looked_up = _count_lookups(monkeypatch)
    guesses = [f"AAAAA-BBBBB-{n:05d}" for n in range(40)]
    answers = await asyncio.gather(*(post(client, "/me/verification/code", {"code": g}) for g in guesses))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [422] * invitations.WRONG_PER_PERSON + [429] * (40 - invitations.WRONG_PER_PERSON)
    assert len(looked_up) == invitations.WRONG_PER_PERSON
    # For the rest of the hour even the right code is not looked up.
    assert (await post(client, "/me/verification/code", {"code": code})).status_code == 429
    assert len(looked_up) == invitations.WRONG_PER_PERSON and not await asking.is_verified(young_id, TODAY)

    # Many people on one address, each under their own limit, guessing at once: the address's limit holds.
    people = []
    for n in range(12):
        user_id = await user(f"guesser{n}@example.org", display_name=f"Guesser {n}")
        await YoungPerson.insert(YoungPerson(user=user_id, date_of_birth=born_aged(19), home_council="W06000015"))
        people.append(Principal(user_id, f"guesser{n}@example.org", ""))

    async def guess(who: Principal, n: int) -> str:
        try:
            await invitations.use(settings, who, Form({"code": f"CCCCC-DDDDD-{n:05d}"}), "10.9.9.9", TODAY)
        except FormInvalid:
            return "wrong"
        except TooManyRequests:
            return "refused"
        return "verified"

    looked_up.clear()
    results = await asyncio.gather(*(guess(who, n) for who in people for n in range(3)))
    assert results.count("wrong") == invitations.WRONG_PER_IP == len(looked_up)
    assert results.count("refused") == 36 - invitations.WRONG_PER_IP


async def test_a_code_that_works_gives_its_try_back(settings: Settings) -> None:
    council, verifier_id = await _council()
    verifier = Principal(verifier_id, "v@example.org", "")
    codes = [
        *await invitations.mint(settings, verifier, council.id, Form({"count": "20", "days": "30"})),
        *await invitations.mint(settings, verifier, council.id, Form({"count": "20", "days": "30"})),
    ]
    # A room of 40 young people at a council event, on one Wi-Fi: every one of them can sign up.
    room = []
    for n, code in enumerate(codes):
        room.append(Principal(await user(f"room{n}@example.org", display_name=f"Room {n}"), "", ""))
        await YoungPerson.insert(
            YoungPerson(user=room[-1].user_id, date_of_birth=born_aged(19), home_council="W06000015")
        )
        await invitations.use(settings, room[-1], Form({"code": code}), "10.1.1.1", TODAY)
    assert await Verification.count() == 40
    # And afterwards every wrong try of the hour is still there, for each of them and for the address.
    tries = invitations.WRONG_PER_IP // invitations.WRONG_PER_PERSON
    for who in room[:tries]:
        for n in range(invitations.WRONG_PER_PERSON):
            with pytest.raises(FormInvalid):
                await invitations.use(settings, who, Form({"code": f"EEEEE-{n}"}), "10.1.1.1", TODAY)
    with pytest.raises(TooManyRequests):
        await invitations.use(settings, room[tries], Form({"code": "EEEEE-X"}), "10.1.1.1", TODAY)


async def test_the_qr_code_leads_to_sign_in_and_back_with_the_code_kept_only_on_the_phone(new_client) -> None:
    await _council()
    client = new_client()
    page = await client.get("/join?code=abcde-fghjk-mnpqr")
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one(".code-box").get_text() == "ABCDE-FGHJK-MNPQR"
    link = soup.find("a", string="Sign in to use the code")["href"]
    assert link == "/sign-in?next=%2Fme%2Fverification"  # the code is not in the sign-in link we store
    cookie = next(h for h in page.headers.get_list("set-cookie") if h.startswith("invite="))
    assert "HttpOnly" in cookie and "Max-Age=3600" in cookie
    await session_for(client, await user("joiner@example.org"))
    data = {"display_name": "J", "date_of_birth": born_aged(18).isoformat(), "home_council": "W06000015"}
    assert (await post(client, "/me/profile", data)).headers["location"] == "/me/verification"
    form = BeautifulSoup((await client.get("/me/verification")).text, "html.parser")
    assert form.select_one("#f-code")["value"] == "ABCDE-FGHJK-MNPQR"


async def test_your_data_downloads_as_json(new_client) -> None:
    council, _ = await _council()
    client, _ = await _young(new_client)
    await post(client, "/me/verification", {"council": str(council.id), "adviser_name": "Siân"})
    response = await client.get("/me/data")
    assert response.headers["content-disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "ffion@example.org"
    assert data["profile"]["home_council"] == "W06000015"
    assert data["verifications"][0]["adviser_name"] == "Siân"


async def test_deleting_an_account_leaves_no_personal_data_in_any_table(new_client) -> None:
    council, verifier_id = await _council()
    client, _ = await _young(new_client, "erase.me@example.org")
    await post(client, "/me/verification", {"council": str(council.id), "adviser_name": "Adviser Zephyrine"})
    request_id = (await Verification.select(Verification.id).first())["id"]
    verifier = await _verifier_client(new_client, verifier_id)
    await post(verifier, f"/organisations/{council.id}/verification/{request_id}/approve", {})
    born = (await YoungPerson.select(YoungPerson.date_of_birth).first())["date_of_birth"]
    await post(new_client(), "/sign-in", {"email": "erase.me@example.org"})  # a sign-in link, and its email
    offer = await factories.offer(title="Apprentice roofer")
    await post(
        client,
        f"/offers/{offer.id}/apply",
        {"contact_by": "phone", "phone": "07700 900123", "message": "Zephyrine here"},
    )
    from app.uptake.tables import UptakeEvent

    assert await UptakeEvent.count() == 1
    audit_rows = await AuditEntry.count()

    assert (await post(client, "/me/delete")).status_code == 303
    assert (await client.get("/me")).status_code == 303  # signed out

    personal = ["erase.me@example.org", "Zephyrine", born.isoformat(), "Ffion", "07700 900123"]
    from app.core import db

    for table in APP_CONFIG.table_classes:
        rows = await db.engine().run_ddl(f"SELECT t::text AS row FROM {table._meta.tablename} t")  # noqa: S608 (table names from the code)
        for row in rows:
            for value in personal:
                assert value not in row["row"], f"{value!r} is still in {table._meta.tablename}: {row['row']}"
    assert await AuditEntry.count() == audit_rows  # what happened is still counted, with nobody's name on it
    assert await UptakeEvent.count() == 1  # and so is the application


async def test_script_in_a_young_persons_name_stays_text_for_the_council(new_client) -> None:
    council, verifier_id = await _council()
    client = new_client()
    await session_for(client, await user("x@example.org"))
    data = {
        "display_name": "<script>alert(1)</script>",
        "date_of_birth": born_aged(20).isoformat(),
        "home_council": "W06000015",
    }
    await post(client, "/me/profile", data)
    await post(client, "/me/verification", {"council": str(council.id), "adviser_name": "<img src=x onerror=alert(1)>"})
    page = await (await _verifier_client(new_client, verifier_id)).get(f"/organisations/{council.id}/verification")
    soup = BeautifulSoup(page.text, "html.parser")
    assert not soup.select("main script, main img") and "&lt;script&gt;" in page.text


async def test_a_council_id_that_is_not_on_the_list_is_refused(new_client) -> None:
    council, _ = await _council()
    pending = await factories.organisation(kind="council", approved_at=None)
    client, _ = await _young(new_client)
    for value in (f"0000000{pending.id}", str(pending.id), "9" * 30, "٣", f"{council.id}x"):
        response = await post(client, "/me/verification", {"council": value})
        assert response.status_code == 422, value
    assert await Verification.count() == 0


async def test_asking_twice_at_once_leaves_one_request(new_client) -> None:
    council, _ = await _council()
    client, _ = await _young(new_client)
    await post(client, "/me/profile")  # the CSRF cookie first, so the two posts race only each other
    await asyncio.gather(*(post(client, "/me/verification", {"council": str(council.id)}) for _ in range(2)))
    assert await Verification.count().where(Verification.status == "requested") == 1


async def test_a_council_no_longer_sees_someone_once_its_decision_is_over(new_client) -> None:
    council, verifier_id = await _council()
    client, _ = await _young(new_client)
    await post(client, "/me/verification", {"council": str(council.id)})
    request_id = (await Verification.select(Verification.id).first())["id"]
    verifier = await _verifier_client(new_client, verifier_id)
    await post(verifier, f"/organisations/{council.id}/verification/{request_id}/refuse", {"reason": "Please ring us."})
    assert (await verifier.get(f"/organisations/{council.id}/verification/{request_id}")).status_code == 404


async def test_the_old_council_is_told_by_reference_only_and_a_renewal_tells_nobody(new_client) -> None:
    old, _ = await _council("old@cardiff.example")
    new, new_verifier = await _council("new@swansea.example", "W06000011", "Swansea Council")
    client, _ = await _young(new_client, "private.person@example.org")
    young = (await YoungPerson.select(YoungPerson.id).first())["id"]
    first = await Verification.insert(
        Verification(young_person=young, council=old.id, status="verified", expires_on=TODAY + timedelta(days=20))
    ).returning(Verification.id)
    assert (await post(client, "/me/verification/renew")).status_code == 303  # near its end: renew in one tap
    renewal = (await Verification.select(Verification.id).where(Verification.status == "requested").first())["id"]
    assert await asking.is_verified((await YoungPerson.select(YoungPerson.user).first())["user"], TODAY)
    old_verifier = (await MailMessage.select(MailMessage.recipient).first())["recipient"]
    assert old_verifier == "old@cardiff.example"  # told of the renewal request, as a request
    await MailMessage.delete().where(MailMessage.id > 0)
    await post(client, "/me/verification", {"council": str(new.id)})  # moved: ask the new council instead
    assert (await Verification.select(Verification.status).where(Verification.id == renewal).first())[
        "status"
    ] == "withdrawn"
    request_id = (await Verification.select(Verification.id).where(Verification.council == new.id).first())["id"]
    verifier = await _verifier_client(new_client, new_verifier)
    await post(verifier, f"/organisations/{new.id}/verification/{request_id}/approve", {})
    told = await MailMessage.select().where(MailMessage.recipient == "old@cardiff.example").first()
    assert told is not None and str(first[0]["id"]) in told["body"]
    assert "Ffion" not in told["body"] + told["subject"] and "private.person" not in told["body"]


async def test_people_outside_16_to_25_are_told_where_else_to_look_in_welsh_too(new_client) -> None:
    client = new_client()
    await session_for(client, await user("hen@example.org"))
    await client.get("/me/profile?lang=cy")
    data = {"display_name": "Hen", "date_of_birth": born_aged(30).isoformat(), "home_council": "W06000015"}
    response = await post(client, "/me/profile", data)
    assert response.status_code == 422 and "vfcc.org.uk" in response.text and 'lang="cy"' in response.text
