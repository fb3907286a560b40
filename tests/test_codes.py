"""Concession codes: claimed atomically within limits, redeemed exactly once, uploads checked line by line."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from app.accounts.tables import User
from app.audit.tables import AuditEntry
from app.codes import claiming
from app.codes import door as redeeming
from app.codes import pool as code_pool
from app.codes.tables import Code, CodeWaiter
from app.core.auth import Principal
from app.core.errors import Conflict, Forbidden
from app.core.forms import Form
from app.mail.tables import MailMessage
from app.offers.tables import Offer
from app.settings import Settings
from app.uptake.tables import UptakeEvent
from app.young_people.tables import YoungPerson
from tests import factories
from tests.people import member, post, session_for, young_person

TODAY = date.today()


_seq = itertools.count()


async def _people(n: int, verified: bool = True) -> list[Principal]:
    people = []
    for _ in range(n):
        i = next(_seq)
        user_id, _ = await young_person(f"young{i}@example.org", f"Young {i}", TODAY if verified else None)
        people.append(Principal(user_id, f"young{i}@example.org", f"Young {i}"))
    return people


async def _pool(n: int, **offer_fields) -> tuple:
    org = await factories.organisation(kind="leisure")
    offer = await factories.offer(org, type="sport", **offer_fields)
    owner = await member(org, f"owner{org.id}@example.org", "owner")
    codes = [code_pool.new_code() for _ in range(n)]
    if codes:
        await Code.insert(*[Code(offer=offer.id, code=code) for code in codes])
    return org, offer, owner, codes


async def test_fifty_people_claiming_ten_codes_get_ten_different_codes(settings: Settings) -> None:
    _, offer, _, _ = await _pool(10)
    people = await _people(50)

    async def attempt(who: Principal) -> str | None:
        try:
            return await claiming.claim(settings, who, offer.id, TODAY)
        except claiming.PoolEmpty:
            return None

    results = await asyncio.gather(*(attempt(who) for who in people))
    got = [code for code in results if code]
    assert len(got) == 10 and len(set(got)) == 10 and results.count(None) == 40
    assert await UptakeEvent.count().where(UptakeEvent.kind == "claimed") == 10


async def test_the_per_person_limit_holds_when_someone_taps_many_times(settings: Settings) -> None:
    _, offer, _, _ = await _pool(20, claim_limit=2, claim_period="month")
    [who] = await _people(1)

    async def attempt() -> bool:
        try:
            await claiming.claim(settings, who, offer.id, TODAY)
        except Conflict:
            return False
        return True

    results = await asyncio.gather(*(attempt() for _ in range(8)))
    assert sum(results) == 2
    assert await Code.count().where(Code.claimed_at.is_not_null()) == 2


async def test_unconfirmed_or_expired_young_people_cannot_claim(settings: Settings) -> None:
    _, offer, _, _ = await _pool(5)
    [unverified] = await _people(1, verified=False)
    with pytest.raises(Forbidden):
        await claiming.claim(settings, unverified, offer.id, TODAY)
    [expired] = await _people(1)  # verified until today
    with pytest.raises(Forbidden):
        await claiming.claim(settings, expired, offer.id, TODAY + timedelta(days=1))
    assert await Code.count().where(Code.claimed_at.is_not_null()) == 0


async def test_twenty_redeemers_at_once_redeem_a_code_exactly_once(settings: Settings) -> None:
    org, offer, owner, _ = await _pool(1)
    [who] = await _people(1)
    code = await claiming.claim(settings, who, offer.id, TODAY)
    door = Principal(owner, "owner@example.org", "")
    outcomes = await asyncio.gather(
        *(redeeming.redeem(door, org.id, Form({"code": code.lower().replace("-", " ")})) for _ in range(20))
    )
    assert sorted(o.result for o in outcomes) == ["already"] * 19 + ["redeemed"]
    assert await UptakeEvent.count().where(UptakeEvent.kind == "redeemed") == 1
    [logged] = await AuditEntry.select().where(AuditEntry.action == "code.redeemed")
    redeemed = await Code.select(Code.id).where(Code.code == code).first()
    assert (logged["actor"], logged["organisation"], logged["subject_type"]) == (owner, org.id, "code")
    assert logged["subject_id"] == redeemed["id"] and logged["detail"] in ({}, "{}")
    [claimed] = await UptakeEvent.select().where(UptakeEvent.kind == "claimed")
    assert (claimed["offer"], claimed["organisation"], claimed["offer_type"]) == (offer.id, org.id, offer.type)
    assert claimed["council_area"] and len(claimed["person_key"]) == 64


async def test_the_door_says_unknown_expired_or_already_used_and_never_by_whom(settings: Settings, new_client) -> None:
    org, offer, _owner, codes = await _pool(3)
    people = await _people(2)
    first = await claiming.claim(settings, people[0], offer.id, TODAY)
    second = await claiming.claim(settings, people[1], offer.id, TODAY)
    await Code.update({Code.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(Code.code == second)
    door = new_client()
    await session_for(door, await member(org, "door@example.org", "redeemer"))
    page = await post(door, f"/organisations/{org.id}/redeem", {"code": first})
    assert "Valid: let them in" in page.text
    again = await post(door, f"/organisations/{org.id}/redeem", {"code": first})
    assert "Already used" in again.text and "Young 0" not in again.text and "young0" not in again.text
    assert "Expired" in (await post(door, f"/organisations/{org.id}/redeem", {"code": second})).text
    unclaimed = next(code for code in codes if code not in (first, second))
    assert "Not a code we know" in (await post(door, f"/organisations/{org.id}/redeem", {"code": unclaimed})).text
    assert (
        "Not a code we know" in (await post(door, f"/organisations/{org.id}/redeem", {"code": "NOPE-NOPE-NOPE"})).text
    )
    other_org = await factories.organisation()
    elsewhere = new_client()
    await session_for(elsewhere, await member(other_org, "other@example.org", "redeemer"))
    assert (
        "Not a code we know" in (await post(elsewhere, f"/organisations/{other_org.id}/redeem", {"code": first})).text
    )


async def test_the_same_redeemer_can_undo_within_five_minutes(settings: Settings) -> None:
    org, offer, owner, _ = await _pool(1)
    [who] = await _people(1)
    code = await claiming.claim(settings, who, offer.id, TODAY)
    door = Principal(owner, "owner@example.org", "")
    outcome = await redeeming.redeem(door, org.id, Form({"code": code}))
    someone_else = Principal(await member(org, "staff@example.org", "staff"), "staff@example.org", "")
    with pytest.raises(Conflict):
        await redeeming.undo(someone_else, org.id, outcome.id)
    await redeeming.undo(door, org.id, outcome.id)
    assert (await Code.select(Code.redeemed_at).first())["redeemed_at"] is None
    await redeeming.redeem(door, org.id, Form({"code": code}))
    await Code.update({Code.redeemed_at: datetime.now(UTC) - timedelta(minutes=6)}).where(Code.code == code)
    with pytest.raises(Conflict):
        await redeeming.undo(door, org.id, outcome.id)
    actions = (
        await AuditEntry.select(AuditEntry.action).where(AuditEntry.subject_id == outcome.id).order_by(AuditEntry.id)
    )
    assert [row["action"] for row in actions] == ["code.redeemed", "code.redeem_undone", "code.redeemed"]
    # Each redemption and undo counts the person who claimed the code, by the same keyed hash as the claim.
    events = await UptakeEvent.select(UptakeEvent.kind, UptakeEvent.person_key, UptakeEvent.council_area).order_by(
        UptakeEvent.id
    )
    assert [event["kind"] for event in events] == ["claimed", "redeemed", "redeem_undone", "redeemed"]
    assert len({(event["person_key"], event["council_area"]) for event in events}) == 1


async def test_only_the_door_may_ask_for_the_camera_and_its_scanner_starts_hidden(new_client) -> None:
    org, _, _, _ = await _pool(0)
    door = new_client()
    await session_for(door, await member(org, "door@example.org", "redeemer"))
    page = await door.get(f"/organisations/{org.id}/redeem")
    answer = await post(door, f"/organisations/{org.id}/redeem", {"code": "NOPE-NOPE-NOPE"})
    for response in (page, answer):
        assert "camera=(self)" in response.headers["permissions-policy"].split(", ")
    for path in ("/", "/me/codes", f"/organisations/{org.id}"):
        assert "camera=()" in (await door.get(path)).headers["permissions-policy"].split(", "), path
    # Without JavaScript (or a browser that reads QR codes) the page is the typing form: the scanner is hidden.
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one("[data-scan]").has_attr("hidden")
    assert [s["src"].split("?")[0] for s in soup.select("script")][-1] == "/static/js/door-scan.js"
    assert soup.select_one("form input[name=code]") is not None


async def test_my_codes_show_the_code_a_qr_and_nothing_about_care(settings: Settings, new_client) -> None:
    _, offer, _, _ = await _pool(2, title="Swim at the Valleys pool")
    [who] = await _people(1)
    client = new_client()
    await session_for(client, who.user_id)
    assert (await post(client, f"/offers/{offer.id}/claim")).headers["location"] == "/me/codes"
    page = await client.get("/me/codes")
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one(".code-box").get_text().count("-") == 2 and soup.select_one("img.qr") is not None
    assert "Swim at the Valleys pool" in page.text
    assert all("care" not in card.get_text().lower() for card in soup.select(".code-card"))


async def test_an_empty_pool_offers_to_tell_you_when_there_are_more(settings: Settings, new_client) -> None:
    org, offer, owner, _ = await _pool(0)
    [who] = await _people(1)
    client = new_client()
    await session_for(client, who.user_id)
    empty = await post(client, f"/offers/{offer.id}/claim")
    assert empty.status_code == 409 and "Tell me when there are more" in empty.text
    assert (await post(client, f"/offers/{offer.id}/wait")).status_code == 303
    provider = new_client()
    await session_for(provider, owner)
    assert (
        await post(provider, f"/organisations/{org.id}/offers/{offer.id}/codes/generate", {"count": "5"})
    ).status_code == 303
    told = await MailMessage.select().where(MailMessage.recipient == who.email).first()
    assert told is not None and "More codes" in told["subject"]
    assert await CodeWaiter.count() == 0


async def test_a_csv_with_bad_lines_changes_nothing_and_names_them(new_client) -> None:
    org, offer, owner, _ = await _pool(1)
    provider = new_client()
    await session_for(provider, owner)
    await provider.get(f"/organisations/{org.id}/offers/{offer.id}/codes")  # the CSRF cookie

    async def send(text: str):
        token = {"_csrf_token": provider.cookies["csrftoken"]}
        files = {"file": ("codes.csv", text.encode(), "text/csv")}
        return await provider.post(f"/organisations/{org.id}/offers/{offer.id}/codes/upload", data=token, files=files)

    response = await send("SWIM-0001\nSWIM-0002\nno good!\nSWIM-0001\n")
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one("#f-file-error").get_text()
    assert "line 3" in error and "line 4" in error and "line 1" in error
    assert await Code.count() == 1
    assert (await send("SWIM-0001\nswim 0002\n")).status_code == 303
    uploaded = await Code.select(Code.code).where(Code.source == "uploaded")
    assert sorted(row["code"] for row in uploaded) == ["SWIM-0001", "SWIM-0002"]


async def test_a_provider_can_make_the_largest_pool_in_one_go(new_client) -> None:
    org, offer, owner, _ = await _pool(0)
    provider = new_client()
    await session_for(provider, owner)
    url = f"/organisations/{org.id}/offers/{offer.id}/codes/generate"
    made = await post(
        provider, url, {"count": str(code_pool.MAX_GENERATE), "expires_on": (TODAY + timedelta(days=30)).isoformat()}
    )
    assert made.status_code == 303
    assert await Code.count().where(Code.offer == offer.id) == code_pool.MAX_GENERATE
    too_many = await post(provider, url, {"count": str(code_pool.MAX_GENERATE + 1)})
    assert too_many.status_code == 422 and await Code.count() == code_pool.MAX_GENERATE


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no codes"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"SWIM-0001\rSWIM-0002\r", None),  # old Mac line endings are fine
        (b"A" * 200_000, "could not read"),
        (b'"unclosed\n', None),
        ("\n".join(f"CODE-{n:05d}" for n in range(code_pool.MAX_GENERATE + 1)).encode(), "at most"),
        (("X" * 50 + "\n").encode(), "not a code"),
    ],
)
async def test_odd_files_get_a_message_not_an_error(new_client, content: bytes, message: str | None) -> None:
    org, offer, owner, _ = await _pool(0)
    provider = new_client()
    await session_for(provider, owner)
    await provider.get(f"/organisations/{org.id}/offers/{offer.id}/codes")
    token = {"_csrf_token": provider.cookies["csrftoken"]}
    url = f"/organisations/{org.id}/offers/{offer.id}/codes/upload"
    response = await provider.post(url, data=token, files={"file": ("codes.csv", content, "text/csv")})
    assert response.status_code in (303, 422), response.text[:500]
    if message:
        assert response.status_code == 422 and message in response.text
    missing = await provider.post(url, data=token)
    assert missing.status_code == 422


async def test_a_code_already_in_another_pool_of_the_organisation_is_refused(new_client) -> None:
    org, _, owner, codes = await _pool(1)
    other = await factories.offer(org, type="culture")
    provider = new_client()
    await session_for(provider, owner)
    await provider.get(f"/organisations/{org.id}/offers/{other.id}/codes")
    response = await provider.post(
        f"/organisations/{org.id}/offers/{other.id}/codes/upload",
        data={"_csrf_token": provider.cookies["csrftoken"]},
        files={"file": ("codes.csv", f"{codes[0]}\n".encode(), "text/csv")},
    )
    assert response.status_code == 422 and "Already in one of your pools" in response.text
    assert await Code.count() == 1


async def test_another_organisation_can_neither_redeem_nor_undo_nor_fill_your_pools(settings, new_client) -> None:
    org, offer, owner, _ = await _pool(1)
    [who] = await _people(1)
    code = await claiming.claim(settings, who, offer.id, TODAY)
    outcome = await redeeming.redeem(Principal(owner, "o@example.org", ""), org.id, Form({"code": code}))
    other = await factories.organisation(kind="leisure")
    stranger = Principal(await member(other, "x@example.org", "owner"), "x@example.org", "")
    with pytest.raises(Conflict):
        await redeeming.undo(stranger, other.id, outcome.id)
    client = new_client()
    await session_for(client, stranger.user_id)
    for path in ("codes", "codes/generate"):
        response = await (client.get if path == "codes" else lambda u: post(client, u, {"count": "5"}))(
            f"/organisations/{other.id}/offers/{offer.id}/{path}"
        )
        assert response.status_code == 404
    assert await Code.count() == 1


async def test_asking_to_wait_for_an_offer_that_is_not_there_is_not_found(new_client) -> None:
    [who] = await _people(1)
    client = new_client()
    await session_for(client, who.user_id)
    assert (await post(client, "/offers/999999/wait")).status_code == 404
    apprenticeship = await factories.offer()
    assert (await post(client, f"/offers/{apprenticeship.id}/wait")).status_code == 404


async def test_two_a_month_can_be_claimed_from_the_offer_page(settings, new_client) -> None:
    _, offer, _, _ = await _pool(5, claim_limit=2, claim_period="month")
    [who] = await _people(1)
    client = new_client()
    await session_for(client, who.user_id)
    for _ in range(2):
        page = BeautifulSoup((await client.get(f"/offers/{offer.id}")).text, "html.parser")
        assert page.find("button", string="Claim a code") is not None
        assert (await post(client, f"/offers/{offer.id}/claim")).status_code == 303
    page = BeautifulSoup((await client.get(f"/offers/{offer.id}")).text, "html.parser")
    assert page.find("button", string="Claim a code") is None and "You have a code for this" in page.get_text()


async def test_more_codes_email_names_the_offer_in_each_readers_language(settings: Settings) -> None:
    _, offer, _, _ = await _pool(0, title="Free swimming", language="en", title_alt="Nofio am ddim")
    english, welsh = await _people(2)
    await User.update({User.locale: "cy"}).where(User.id == welsh.user_id)
    for who in (english, welsh):
        young = await YoungPerson.select(YoungPerson.id).where(YoungPerson.user == who.user_id).first()
        await CodeWaiter.insert(CodeWaiter(offer=offer.id, young_person=young["id"]))
    await code_pool.tell_waiters(settings, offer.id)
    bodies = {row["recipient"]: row["body"] for row in await MailMessage.select()}
    assert "Free swimming" in bodies[english.email] and "Nofio am ddim" not in bodies[english.email]
    assert "Nofio am ddim" in bodies[welsh.email] and "Free swimming" not in bodies[welsh.email]


async def test_your_codes_name_each_offer_in_your_language(settings: Settings, new_client) -> None:
    _, offer, _, _ = await _pool(2, title="Free swimming", language="en", title_alt="Nofio am ddim")
    [who] = await _people(1)
    await claiming.claim(settings, who, offer.id, TODAY)
    client = new_client()
    await session_for(client, who.user_id)
    for lang, title, marked in (("en", "Free swimming", None), ("cy", "Nofio am ddim", None)):
        page = BeautifulSoup((await client.get(f"/me/codes?lang={lang}")).text, "html.parser")
        heading = page.select_one(".card__title")
        assert (heading.get_text(strip=True), heading.get("lang")) == (title, marked)
    await Offer.update({Offer.title_alt: ""}).where(Offer.id == offer.id)
    page = BeautifulSoup((await client.get("/me/codes?lang=cy")).text, "html.parser")
    heading = page.select_one(".card__title")
    assert (heading.get_text(strip=True), heading["lang"]) == ("Free swimming", "en"), "English only: marked so"
