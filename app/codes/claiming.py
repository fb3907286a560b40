"""Claiming a code: a confirmed young person takes one from the pool (atomically, within the offer's
per-person limit), asks to hear when an empty pool fills again, and sees the codes they hold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from app.advisers import links as advisers
from app.codes.tables import Code, CodeWaiter
from app.core.auth import Principal
from app.core.errors import Conflict, NotFound
from app.core.i18n import _
from app.offers.languages import in_language
from app.offers.service import open_for_uptake, open_on
from app.offers.tables import CONCESSIONS, Offer
from app.settings import Settings
from app.uptake import service as uptake
from app.verification import asking as verification
from app.young_people import service as young_people

ClaimState = Literal["sign_in", "get_confirmed", "claim", "claimed"]


@dataclass(frozen=True)
class HeldCode:
    """A code a young person has claimed, for "Your codes"."""

    id: int
    code: str
    claimed_at: datetime
    expires_at: datetime | None
    redeemed_at: datetime | None
    offer_id: int
    title: str
    organisation_name: str
    where: str
    lang: str = "en"  # the language of `title`: the reader's when the offer is written in it


async def claim_state_for(who: Principal | None, offer: Mapping[str, Any], today: date) -> ClaimState:
    """For a concession: 'sign_in', 'get_confirmed', 'claim', or 'claimed' (they have a code already)."""
    if who is None:
        return "sign_in"
    if not await verification.is_verified(who.user_id, today):
        return "get_confirmed"
    return "claim" if await can_claim_more(who.user_id, offer, today) else "claimed"


async def can_claim_more(user_id: int, offer: Mapping[str, Any], today: date) -> bool:
    """Whether this person is still under the offer's limit for the current period."""
    rows = await Code.raw(
        "SELECT count(*) AS n FROM concession_code c JOIN young_person yp ON yp.id = c.claimed_by"
        ' WHERE c.offer = {} AND yp."user" = {} AND c.claimed_at >= {}',
        offer["id"],
        user_id,
        _period_start(offer, today),
    )
    return bool(rows[0]["n"] < offer["claim_limit"])


def _period_start(offer: Mapping[str, Any], today: date) -> datetime:
    if offer["claim_period"] == "month":
        return datetime(today.year, today.month, 1).astimezone()  # midnight where the server is (TZ in production)
    return datetime(1970, 1, 1, tzinfo=UTC)


# The pick reads the partial index concession_code_unclaimed, so it does not step over the codes already claimed
# (without it, it walked the primary key past every one of them: a claim got slower as a pool was used).
# The limit is counted in the same statement that takes a code (and counts it as uptake). It runs after the
# person's row is locked, so (read committed) it sees every claim of theirs that finished first: two taps never
# go past the limit.
CLAIM_SQL = """
WITH mine AS (
    SELECT count(*) AS n FROM concession_code WHERE offer = {} AND claimed_by = {} AND claimed_at >= {}
), taken AS (
    UPDATE concession_code SET claimed_by = {}, claimed_at = now(), claimed_key = {}
    WHERE (SELECT n FROM mine) < {} AND id = (
        SELECT id FROM concession_code WHERE offer = {} AND claimed_at IS NULL
        AND (expires_at IS NULL OR expires_at > now()) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING code, funded_by
), counted AS (
    INSERT INTO uptake_event ({columns}, sponsorship, suggested) SELECT {}, {}, {}, {}, {}, {}, {}, funded_by, {}
    FROM taken
)
SELECT (SELECT n FROM mine) AS mine, (SELECT code FROM taken) AS code
""".replace("{columns}", uptake.COLUMNS)


async def claim(settings: Settings, who: Principal, offer_id: int, today: date) -> str:
    """One code from the pool for this young person, or a friendly refusal. Two taps, or fifty people at once,
    never share a code or go past the limit."""
    offer = await open_for_uptake(offer_id, today)
    if offer is None or offer["type"] not in CONCESSIONS:
        raise NotFound(_("This offer has no codes to claim. It may have closed."))
    async with Code._meta.db.transaction():
        person = await verification.lock_verified_person(who, today)  # one claim at a time per person
        since = _period_start(offer, today)
        counted = uptake.values(settings, "claimed", offer, person)
        key = uptake.person_key(settings, person.id)
        suggested = await advisers.was_suggested(person.id, offer_id)
        rows = await Code.raw(
            CLAIM_SQL, offer_id, person.id, since, person.id, key, offer["claim_limit"], offer_id, *counted, suggested
        )
        if rows[0]["mine"] >= offer["claim_limit"]:
            raise Conflict(
                _("You have claimed all the codes you can for this offer this month.")
                if offer["claim_period"] == "month"
                else _("You have already claimed a code for this offer. You will find it in your codes.")
            )
        if rows[0]["code"] is None:
            raise PoolEmpty(_("All the codes for this offer have gone for now."))
    return str(rows[0]["code"])


class PoolEmpty(Conflict):
    """No code left: the page offers to tell them when there are more."""


async def wait_for_more(who: Principal, offer_id: int, today: date) -> None:
    profile = await young_people.get(who.user_id)
    offer = None
    if profile is not None:
        offer = await Offer.select(Offer.type).where((Offer.id == offer_id) & open_on(today)).first()
    if profile is None or offer is None or offer["type"] not in CONCESSIONS:
        raise NotFound(_("This offer has no codes to claim. It may have closed."))
    await CodeWaiter.raw(
        "INSERT INTO code_waiter (offer, young_person, created_at) VALUES ({}, {}, now())"
        " ON CONFLICT (offer, young_person) DO NOTHING",
        offer_id,
        profile.id,
    )


async def mine(user_id: int, reader: str = "en") -> list[HeldCode]:
    rows = await (
        Code.select(
            Code.id,
            Code.code,
            Code.claimed_at,
            Code.expires_at,
            Code.redeemed_at,
            Code.offer._.id.as_alias("offer_id"),
            Code.offer._.title.as_alias("title"),
            Code.offer._.language.as_alias("language"),
            Code.offer._.title_alt.as_alias("title_alt"),
            Code.offer._.organisation._.name.as_alias("organisation_name"),
            Code.offer._.location_name.as_alias("where"),
        )
        .where(Code.claimed_by._.user == user_id)
        .order_by(Code.claimed_at, ascending=False)
    )
    return [HeldCode(**in_language(row, reader)) for row in rows]
