"""Concession codes: providers fill a pool (generated or uploaded); a confirmed young person claims one
(atomically, within the offer's per-person limit); a redeemer at the door redeems it exactly once, and may undo
their own redemption within five minutes."""

from __future__ import annotations

import csv
import io
import re
import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.audit import service as audit
from app.codes.tables import Code, CodeWaiter
from app.core.auth import Principal
from app.core.db import MAX_ID
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.service import open_for_uptake, open_on
from app.offers.tables import Offer
from app.settings import Settings
from app.uptake import service as uptake
from app.verification import service as verification
from app.young_people import service as young_people

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read aloud at a till without mistakes
LENGTH = 12  # 60 bits
GROUP = 4
CONCESSIONS = {"sport", "leisure", "culture"}
UPLOADED = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,38}[A-Z0-9]$")
MAX_GENERATE = 10_000
UNDO_WINDOW = timedelta(minutes=5)


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def new_codes(count: int) -> list[str]:
    """`count` different new codes, sorted (a repeat in 60 bits is astronomically unlikely, but cheap to rule out)."""
    made = {new_code() for _ in range(count)}
    while len(made) < count:
        made.add(new_code())
    return sorted(made)


def normalise(typed: str) -> str:
    """As typed at the door: any case, spaces for dashes. (Too long to be a code stays too long, so it fails.)"""
    return "-".join(typed[:200].upper().replace("-", " ").split())


# The provider's pool ------------------------------------------------------------------------------------------


async def concession(org_id: int, offer_id: int) -> dict[str, Any]:
    row = None
    if 0 < offer_id <= MAX_ID:
        row = await Offer.select().where((Offer.id == offer_id) & (Offer.organisation == org_id)).first()
    if row is None or row["type"] not in CONCESSIONS:
        raise NotFound(_("We could not find that concession."))
    return row


TOTALS = (
    "SELECT count(c.id) AS total, count(c.claimed_at) AS claimed, count(c.redeemed_at) AS redeemed,"
    " count(c.id) FILTER (WHERE c.claimed_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())) AS left"
    " FROM concession_code c JOIN offer o ON o.id = c.offer WHERE "
)


async def _totals(where: str, value: int) -> dict[str, int]:
    rows = await Code.raw(TOTALS + where, value)
    return {key: int(number) for key, number in rows[0].items()}


async def pool(offer_id: int) -> dict[str, int]:
    """Codes in one offer's pool: total, claimed, redeemed, left to claim."""
    return await _totals("o.id = {}", offer_id)


async def organisation_totals(org_id: int) -> dict[str, int]:
    """The same across all of an organisation's offers, for its dashboard."""
    return await _totals("o.organisation = {}", org_id)


def _expiry(form: Form) -> datetime | None:
    raw = form.raw("expires_on")
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        form.error("expires_on", _("Enter a real date, like 2027-03-31."))
        return None
    if day < date.today():
        form.error("expires_on", _("Choose today or a later date."))
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


async def generate(settings: Settings, who: Principal, org_id: int, offer_id: int, form: Form) -> int:
    offer = await concession(org_id, offer_id)
    count = form.number("count", 1, MAX_GENERATE)
    expires_at = _expiry(form)
    form.check()
    assert count is not None
    await _add(settings, who, offer, new_codes(count), "generated", expires_at)
    return count


def read_csv(form: Form, upload: bytes) -> list[str]:
    """One code per line (the first column); every bad line is named, and then nothing is added."""
    try:
        text = upload.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.error("file", _("Save the file as CSV (UTF-8) and try again."))
        form.check()
    codes: list[str] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        form.error("file", _("We could not read that file as CSV. Save it as CSV (UTF-8) and try again."))
        form.check()
    if len(rows) > MAX_GENERATE:
        form.error("file", _("Upload at most %(max)d codes at a time.") % {"max": MAX_GENERATE})
        form.check()
    for number, row in enumerate(rows, start=1):
        value = normalise(row[0]) if row and row[0].strip() else ""
        if not value:
            continue
        if not UPLOADED.match(value):
            problems.append(
                _("line %(n)d: “%(code)s” is not a code (4 to 40 letters, numbers and dashes)")
                % {"n": number, "code": row[0][:40]}
            )
        elif value in seen:
            problems.append(
                _("line %(n)d: “%(code)s” is also on line %(first)d")
                % {"n": number, "code": value, "first": seen[value]}
            )
        else:
            seen[value] = number
            codes.append(value)
    if not codes and not problems:
        problems.append(_("The file has no codes in it."))
    if problems:
        form.error("file", "; ".join(problems[:20]) + (" …" if len(problems) > 20 else ""))
    form.check()
    return codes


async def upload(settings: Settings, who: Principal, org_id: int, offer_id: int, form: Form, data: bytes) -> int:
    offer = await concession(org_id, offer_id)
    expires_at = _expiry(form)
    codes = read_csv(form, data)
    # Codes are unique across the organisation, so a code typed at the door means exactly one thing.
    taken = await Code.raw(
        "SELECT c.code FROM concession_code c JOIN offer o ON o.id = c.offer"
        " WHERE o.organisation = {} AND c.code = ANY({})",
        org_id,
        codes,
    )
    if taken:
        found = sorted(row["code"] for row in taken)
        form.error("file", _("Already in one of your pools: %(codes)s") % {"codes": ", ".join(found[:20])})
    form.check()
    await _add(settings, who, offer, codes, "uploaded", expires_at)
    return len(codes)


CHUNK = 1000  # PostgreSQL takes at most 32 767 values in one statement


async def insert_codes(
    offer_id: int, codes: list[str], source: str, expires_at: datetime | None = None, funded_by: int | None = None
) -> None:
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        await Code.insert(
            *[
                Code(offer=offer_id, code=code, source=source, expires_at=expires_at, funded_by=funded_by)
                for code in chunk
            ]
        )


async def _add(
    settings: Settings,
    who: Principal,
    offer: dict[str, Any],
    codes: list[str],
    source: str,
    expires_at: datetime | None,
) -> None:
    async with Code._meta.db.transaction():
        await insert_codes(offer["id"], codes, source, expires_at)
        await audit.record(
            "codes.added",
            actor=who.user_id,
            organisation=offer["organisation"],
            subject=("offer", offer["id"]),
            count=len(codes),
            source=source,
        )
        await tell_waiters(settings, offer)


async def tell_waiters(settings: Settings, offer: dict[str, Any]) -> None:
    """Within the transaction that added codes: email everyone who asked to hear, once."""
    waiting = await CodeWaiter.select(CodeWaiter.young_person._.user._.email.as_alias("email")).where(
        CodeWaiter.offer == offer["id"]
    )
    for row in waiting:
        await mail.send(
            row["email"], "codes_available", title=offer["title"], link=f"{settings.base_url}/offers/{offer['id']}"
        )
    await CodeWaiter.delete().where(CodeWaiter.offer == offer["id"])


# Claiming -----------------------------------------------------------------------------------------------------


async def claim_state_for(who: Principal | None, offer: dict[str, Any], today: date) -> str:
    """For a concession: 'sign_in', 'get_confirmed', 'claim', or 'claimed' (they have a code already)."""
    if who is None:
        return "sign_in"
    if not await verification.is_verified(who.user_id, today):
        return "get_confirmed"
    return "claim" if await can_claim_more(who.user_id, offer, today) else "claimed"


async def can_claim_more(user_id: int, offer: dict[str, Any], today: date) -> bool:
    """Whether this person is still under the offer's limit for the current period."""
    rows = await Code.raw(
        "SELECT count(*) AS n FROM concession_code c JOIN young_person yp ON yp.id = c.claimed_by"
        ' WHERE c.offer = {} AND yp."user" = {} AND c.claimed_at >= {}',
        offer["id"],
        user_id,
        _period_start(offer, today),
    )
    return bool(rows[0]["n"] < offer["claim_limit"])


def _period_start(offer: dict[str, Any], today: date) -> datetime:
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
    INSERT INTO uptake_event ({columns}, sponsorship) SELECT {}, {}, {}, {}, {}, {}, {}, funded_by FROM taken
)
SELECT (SELECT n FROM mine) AS mine, (SELECT code FROM taken) AS code
""".replace("{columns}", uptake.COLUMNS)


async def claim(settings: Settings, who: Principal, offer_id: int, today: date) -> str:
    """One code from the pool for this young person, or a friendly refusal. Two taps, or fifty people at once,
    never share a code or go past the limit."""
    offer = await open_for_uptake(offer_id, today) if 0 < offer_id <= MAX_ID else None
    if offer is None or offer["type"] not in CONCESSIONS:
        raise NotFound(_("This offer has no codes to claim. It may have closed."))
    async with Code._meta.db.transaction():
        person = await verification.lock_verified_person(who, today)  # one claim at a time per person
        since = _period_start(offer, today)
        counted = uptake.values(settings, "claimed", offer, person)
        key = uptake.person_key(settings, person["id"])
        rows = await Code.raw(
            CLAIM_SQL, offer_id, person["id"], since, person["id"], key, offer["claim_limit"], offer_id, *counted
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
    if profile is not None and 0 < offer_id <= MAX_ID:
        offer = await Offer.select(Offer.type).where((Offer.id == offer_id) & open_on(today)).first()
    if profile is None or offer is None or offer["type"] not in CONCESSIONS:
        raise NotFound(_("This offer has no codes to claim. It may have closed."))
    await CodeWaiter.raw(
        "INSERT INTO code_waiter (offer, young_person, created_at) VALUES ({}, {}, now())"
        " ON CONFLICT (offer, young_person) DO NOTHING",
        offer_id,
        profile["id"],
    )


async def mine(user_id: int) -> list[dict[str, Any]]:
    return await (
        Code.select(
            Code.id,
            Code.code,
            Code.claimed_at,
            Code.expires_at,
            Code.redeemed_at,
            Code.offer._.id.as_alias("offer_id"),
            Code.offer._.title.as_alias("title"),
            Code.offer._.organisation._.name.as_alias("organisation_name"),
            Code.offer._.location_name.as_alias("where"),
        )
        .where(Code.claimed_by._.user == user_id)
        .order_by(Code.claimed_at, ascending=False)
    )


# Redeeming at the door ----------------------------------------------------------------------------------------


def _at_the_door(change: str, action: str, kind: str, owed: str) -> str:
    """`change` (an UPDATE of concession_code c FROM offer o), its audit row, its uptake event and, for a code a
    sponsor paid for, what we owe the provider (`owed`: "+" or "-" one unit), as one statement: atomic without a
    transaction, and one round trip at a busy door. Parameters: those of `change`, then the actor and the
    organisation (audit), the organisation (uptake), and the organisation (ledger)."""
    return (
        f"WITH done AS ({change} RETURNING c.id, c.code, o.title, o.id AS offer_id, o.type, o.principles,"
        " c.claimed_key, c.funded_by,"
        " coalesce((SELECT home_council FROM young_person WHERE id = c.claimed_by), '') AS area),"
        " logged AS (INSERT INTO audit_log (actor, action, organisation, subject_type, subject_id)"
        f" SELECT {{}}, '{action}', {{}}, 'code', id FROM done),"
        f" counted AS (INSERT INTO uptake_event ({uptake.COLUMNS}, sponsorship)"
        f" SELECT '{kind}', offer_id, {{}}, type, principles, area, claimed_key, funded_by FROM done),"
        " owed AS (INSERT INTO ledger_entry (at, kind, sponsorship, provider, amount_pence, code_id)"
        f" SELECT now(), 'due_to_provider', s.id, {{}}, {owed}s.unit_pence, done.id"
        " FROM done JOIN sponsorship s ON s.id = done.funded_by)"
        " SELECT id, code, title FROM done"
    )


# One row at most: uploads are unique across the organisation (and generated codes are 60 random bits).
REDEEM_SQL = _at_the_door(
    "UPDATE concession_code c SET redeemed_at = now(), redeemed_by = {} FROM offer o"
    " WHERE c.id = (SELECT c2.id FROM concession_code c2 JOIN offer o2 ON o2.id = c2.offer"
    " WHERE o2.organisation = {} AND c2.code = {} AND c2.claimed_at IS NOT NULL AND c2.redeemed_at IS NULL"
    " AND (c2.expires_at IS NULL OR c2.expires_at > now()) ORDER BY c2.id LIMIT 1 FOR UPDATE)"
    " AND c.offer = o.id",
    "code.redeemed",
    "redeemed",
    "+",
)
UNDO_SQL = _at_the_door(
    "UPDATE concession_code c SET redeemed_at = NULL, redeemed_by = NULL FROM offer o"
    " WHERE c.offer = o.id AND o.organisation = {} AND c.id = {} AND c.redeemed_by = {}"
    " AND c.redeemed_at > now() - make_interval(secs => {})",
    "code.redeem_undone",
    "redeem_undone",
    "-",
)


async def redeem(who: Principal, org_id: int, form: Form) -> dict[str, Any]:
    """What to tell the person at the door: 'redeemed' (just now), 'already' (and when), 'expired' or 'unknown'."""
    typed = normalise(form.raw("code"))
    if not typed:
        form.error("code", _("Enter the code."))
    form.check()
    rows = await Code.raw(REDEEM_SQL, who.user_id, org_id, typed, who.user_id, org_id, org_id, org_id)
    if rows:
        return {"result": "redeemed", "code": rows[0]["code"], "title": rows[0]["title"], "id": rows[0]["id"]}
    found = await Code.raw(
        "SELECT c.code, c.redeemed_at, c.expires_at, c.claimed_at, o.title FROM concession_code c"
        " JOIN offer o ON o.id = c.offer WHERE o.organisation = {} AND c.code = {}",
        org_id,
        typed,
    )
    if not found or found[0]["claimed_at"] is None:
        return {"result": "unknown", "code": typed}
    row = found[0]
    if row["redeemed_at"] is not None:
        return {"result": "already", "code": row["code"], "when": row["redeemed_at"], "title": row["title"]}
    return {"result": "expired", "code": row["code"], "when": row["expires_at"], "title": row["title"]}


async def undo(who: Principal, org_id: int, code_id: int) -> None:
    """The same redeemer, within five minutes (a mistaken tap at a busy door)."""
    code_id = code_id if 0 < code_id <= MAX_ID else 0
    window = int(UNDO_WINDOW.total_seconds())
    if not await Code.raw(UNDO_SQL, org_id, code_id, who.user_id, window, who.user_id, org_id, org_id, org_id):
        raise Conflict(_("Only the person who redeemed a code can undo it, and only within five minutes."))
