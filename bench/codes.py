"""Claiming and redeeming concession codes on a pool of 10 000: one client at a time (the server's own time),
then 20 clients at once, each claim by a different confirmed young person (as at the start of a summer offer),
then each claimed code redeemed. The 20 clients share the 2 cores with the server and PostgreSQL."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, date, datetime, timedelta

import httpx

from bench.harness import Answer, Target, Wire, latencies_ms

POOL = 10_000
CLAIMS = 1000
ALONE = 60  # first, one at a time: the server's own time per claim and redemption
CONCURRENCY = 20


async def _setup(url: str) -> tuple[int, int, list[str], str]:
    """The offer, its organisation, a session per young person, and the redeemer's session."""
    from app.accounts.sessions import session_hash
    from app.accounts.tables import User, UserSession
    from app.codes.pool import insert_codes, new_codes
    from app.codes.tables import Code
    from app.core import db
    from app.offers.tables import Offer
    from app.organisations.tables import Membership, Organisation
    from app.settings import load_settings
    from app.verification.tables import Verification
    from app.young_people.tables import YoungPerson

    db.configure(os.environ["DATABASE_URL"])
    settings = load_settings()
    now = datetime.now(UTC)
    org = (await Organisation.insert(Organisation(name="Bench Leisure", slug="bench-leisure", kind="leisure",
                                                  pledged_principles=[5], approved_at=now)).returning(Organisation.id))[0]["id"]  # fmt: skip
    council = (await Organisation.insert(Organisation(name="Bench Council", slug="bench-council", kind="council",
                                                      pledged_principles=[5], approved_at=now)).returning(Organisation.id))[0]["id"]  # fmt: skip
    offer = (await Offer.insert(Offer(organisation=org, type="sport", title="Bench swim", status="published",
                                      principles=[5], published_at=now)).returning(Offer.id))[0]["id"]  # fmt: skip
    await insert_codes(offer, new_codes(POOL), "generated")

    async def session(user_id: int) -> str:
        token = secrets.token_urlsafe(32)
        await UserSession.insert(
            UserSession(token_hash=session_hash(settings, token), user=user_id, expires_at=now + timedelta(days=1))
        )
        return token

    sessions = []
    for n in range(CLAIMS + ALONE):
        user_id = (await User.insert(User(email=f"bench{n}@example.org", known_devices=[])).returning(User.id))[0]["id"]
        young = await YoungPerson.insert(
            YoungPerson(user=user_id, date_of_birth=date(2005, 1, 1), home_council="W06000015")
        ).returning(YoungPerson.id)
        await Verification.insert(
            Verification(young_person=young[0]["id"], council=council, status="verified", expires_on=date(2030, 1, 1))
        )
        sessions.append(await session(user_id))
    redeemer = (await User.insert(User(email="door@example.org", known_devices=[])).returning(User.id))[0]["id"]
    await Membership.insert(Membership(user=redeemer, organisation=org, role="redeemer"))
    door = await session(redeemer)
    await Code.raw("VACUUM ANALYZE")  # as a database that has been running a while: statistics are current
    return offer, org, sessions, door


async def run(target: Target) -> dict[str, float]:
    from app.codes.tables import Code

    offer, org, sessions, door = await _setup(target.url)
    async with httpx.AsyncClient(base_url=target.url) as client:
        csrf = (await client.get("/sign-in")).cookies["csrftoken"]
    people = iter(sessions)

    async def claim(client: Wire) -> Answer:
        cookies = {"session": next(people), "csrftoken": csrf}
        return await client.post(f"/offers/{offer}/claim", data={"_csrf_token": csrf}, cookies=cookies)

    claimed_alone = await latencies_ms(claim, ALONE - 1, 1, target.url)  # one more is the warm-up
    claimed = await latencies_ms(claim, CLAIMS - CONCURRENCY, CONCURRENCY, target.url)
    codes = iter([row["code"] for row in await Code.select(Code.code).where(Code.claimed_at.is_not_null())])
    door_cookies = {"session": door, "csrftoken": csrf}
    fragment = {"HX-Request": "true"}  # the door page posts with htmx and swaps in the answer

    async def redeem(client: Wire) -> Answer:
        data = {"_csrf_token": csrf, "code": next(codes)}
        return await client.post(f"/organisations/{org}/redeem", data=data, cookies=door_cookies, headers=fragment)

    redeemed_alone = await latencies_ms(redeem, ALONE - 1, 1, target.url)
    redeemed = await latencies_ms(redeem, CLAIMS - CONCURRENCY, CONCURRENCY, target.url)
    return {
        "claim_single_client_p50_ms": claimed_alone["p50_ms"],
        "claim_single_client_p95_ms": claimed_alone["p95_ms"],
        "redeem_single_client_p50_ms": redeemed_alone["p50_ms"],
        "redeem_single_client_p95_ms": redeemed_alone["p95_ms"],
        "claim_p50_ms": claimed["p50_ms"],
        "claim_p95_ms": claimed["p95_ms"],
        "redeem_p50_ms": redeemed["p50_ms"],
        "redeem_p95_ms": redeemed["p95_ms"],
    }
