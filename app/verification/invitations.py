"""Invitation codes: a verifier prints them and hands them over in person; a young person who signs up with
one is verified for that council at once. Codes are single use, expire, and only their keyed hash is kept.

15 characters from a 30-letter alphabet with no look-alikes (no 0/O, 1/I/L, U) is 73 bits: guessing is hopeless,
and it is rate-limited anyway."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.advisers import links as advisers
from app.audit import service as audit
from app.core import keys, ratelimit
from app.core.auth import Principal
from app.core.errors import Conflict
from app.core.forms import Form
from app.core.i18n import _
from app.settings import Settings
from app.verification.asking import lock_person
from app.verification.deciding import end_others
from app.verification.tables import Invitation, Verification, VerificationStatus
from app.young_people import service as young_people
from app.young_people.service import Profile

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 15
GROUP = 5
MAX_AT_ONCE = 20
MAX_DAYS = 90
WRONG_PER_PERSON = 10
WRONG_PER_IP = 30
WINDOW_S = 3600


def new_code() -> str:
    return grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def grouped(code: str) -> str:
    """ABCDE-FGHJK-MNPQR: easier to read aloud and to copy."""
    plain = normalise(code)
    return "-".join(plain[i : i + GROUP] for i in range(0, len(plain), GROUP))


def normalise(typed: str) -> str:
    """What people type: any case, with or without spaces and dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[: LENGTH * 2]


def code_hash(settings: Settings, code: str) -> str:
    return keys.keyed_hash(settings, "invitation", normalise(code))


def _hash_before_keys_split(settings: Settings, code: str) -> str:
    """How codes handed out before each purpose had its own key were kept: they still work until they run out
    (MAX_DAYS after minting at most), after which this can go."""
    return hmac.new(settings.secret_key.encode(), b"invitation:" + normalise(code).encode(), hashlib.sha256).hexdigest()


async def mint(settings: Settings, who: Principal, council_id: int, form: Form) -> list[str]:
    """New codes for this council; they are shown once, to print or hand over, and never again."""
    count = form.number("count", 1, MAX_AT_ONCE)
    days = form.number("days", 1, MAX_DAYS)
    form.check()
    assert count is not None and days is not None
    codes = [new_code() for _ in range(count)]
    expires_at = datetime.now(UTC) + timedelta(days=days)
    async with Invitation._meta.db.transaction():
        await Invitation.insert(
            *[
                Invitation(
                    council=council_id,
                    code_hash=code_hash(settings, code),
                    minted_by=who.user_id,
                    expires_at=expires_at,
                    link_adviser=form.flag("link_adviser"),
                )
                for code in codes
            ]
        )
        await audit.record(
            "invitation.minted",
            actor=who.user_id,
            organisation=council_id,
            count=count,
            days=days,
            link_adviser=form.flag("link_adviser"),
        )
    return codes


async def use(settings: Settings, who: Principal, form: Form, ip: str, today: date) -> None:
    """Verify the signed-in young person with a code: exactly one person can ever use each code."""
    profile = await young_people.get(who.user_id)
    if profile is None:
        raise Conflict(_("Tell us a little about you first."))
    typed = form.raw("code")
    if not typed:
        form.error("code", _("Enter the code from your council."))
        form.check()
    # Every try is counted before the code is looked up, by one statement that also says whether it is past the
    # limit (ratelimit.hit), so many wrong guesses sent at once can never have more than the limit checked. A code
    # that works gives its try back, so only wrong codes use up the hour: a room of young people at a council
    # event on one Wi-Fi can all sign up.
    too_many = _("Too many codes tried. Please wait an hour, or ask your council to check the code.")
    limits = [
        (ratelimit.limit_key(settings, "invitation:user", str(who.user_id)), WRONG_PER_PERSON),
        (ratelimit.limit_key(settings, "invitation:ip", ip), WRONG_PER_IP),
    ]
    for key, limit in limits:
        await ratelimit.hit(key, limit, WINDOW_S, too_many)
    async with Invitation._meta.db.transaction():
        await lock_person(profile.id)
        used = await Invitation.raw(
            "UPDATE invitation SET used_at = now() WHERE code_hash IN ({}, {}) AND used_at IS NULL"
            " AND expires_at > now() RETURNING id, council, minted_by, link_adviser",
            code_hash(settings, typed),
            _hash_before_keys_split(settings, typed),
        )
        if used:
            await _verify(who, profile, used[0])
            # Only when the maker offered to advise and the young person agreed, on the form, before using it.
            if used[0]["link_adviser"] and form.flag("link_adviser"):
                await advisers.link_from_invitation(who, profile.id, used[0]["council"], used[0]["minted_by"])
    if used:
        for key, _limit in limits:
            await ratelimit.give_back(key, WINDOW_S)
        return
    form.error("code", _("That code does not work. Check it with your council: it may have been used or run out."))
    form.check()


async def _verify(who: Principal, profile: Profile, invitation: dict[str, Any]) -> None:
    """In the transaction that spent the code."""
    rows = await Verification.insert(
        Verification(
            young_person=profile.id,
            council=invitation["council"],
            status=VerificationStatus.verified,
            via_invitation=invitation["id"],
            decided_at=datetime.now(UTC),
            decided_by=invitation["minted_by"],
            expires_on=young_people.last_day_of_eligibility(profile.date_of_birth),
        )
    ).returning(Verification.id)
    await end_others(profile.id, rows[0]["id"], invitation["council"])
    await audit.record(
        "invitation.used",
        actor=who.user_id,
        organisation=invitation["council"],
        subject=("verification", rows[0]["id"]),
    )
