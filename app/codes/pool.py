"""Concession codes and a provider's pool of them: what a code looks like, generating or uploading codes
(every one unique across the organisation), the pool's totals, and telling those waiting when codes arrive."""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from app.audit import service as audit
from app.codes.tables import Code, CodeWaiter
from app.core.auth import Principal
from app.core.errors import NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.service import titles as offer_titles
from app.offers.tables import CONCESSIONS, Offer
from app.settings import Settings

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read aloud at a till without mistakes
LENGTH = 12  # 60 bits
GROUP = 4
UPLOADED = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,38}[A-Z0-9]$")
MAX_GENERATE = 10_000


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


@dataclass(frozen=True)
class Concession:
    """One of an organisation's concession offers, as its pool of codes needs it."""

    id: int
    organisation: int
    title: str
    type: str


async def concession(org_id: int, offer_id: int) -> Concession:
    row = await (
        Offer.select(Offer.id, Offer.organisation, Offer.title, Offer.type)
        .where((Offer.id == offer_id) & (Offer.organisation == org_id))
        .first()
    )
    if row is None or row["type"] not in CONCESSIONS:
        raise NotFound(_("We could not find that concession."))
    return Concession(**row)


@dataclass(frozen=True)
class Totals:
    """Codes in a pool (or all of an organisation's): total, claimed, redeemed, left to claim."""

    total: int
    claimed: int
    redeemed: int
    left: int


TOTALS = (
    "SELECT count(c.id) AS total, count(c.claimed_at) AS claimed, count(c.redeemed_at) AS redeemed,"
    " count(c.id) FILTER (WHERE c.claimed_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())) AS left"
    " FROM concession_code c JOIN offer o ON o.id = c.offer WHERE "
)


async def _totals(where: str, value: int) -> Totals:
    rows = await Code.raw(TOTALS + where, value)
    return Totals(**{key: int(number) for key, number in rows[0].items()})


async def pool(offer_id: int) -> Totals:
    """Codes in one offer's pool: total, claimed, redeemed, left to claim."""
    return await _totals("o.id = {}", offer_id)


async def organisation_totals(org_id: int) -> Totals:
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
    offer: Concession,
    codes: list[str],
    source: str,
    expires_at: datetime | None,
) -> None:
    async with Code._meta.db.transaction():
        await insert_codes(offer.id, codes, source, expires_at)
        await audit.record(
            "codes.added",
            actor=who.user_id,
            organisation=offer.organisation,
            subject=("offer", offer.id),
            count=len(codes),
            source=source,
        )
        await tell_waiters(settings, offer.id)


async def tell_waiters(settings: Settings, offer_id: int) -> None:
    """Within the transaction that added codes: email everyone who asked to hear, once (the offer's title in each
    reader's language)."""
    title = await offer_titles(offer_id)
    waiting = await CodeWaiter.select(CodeWaiter.young_person._.user._.email.as_alias("email")).where(
        CodeWaiter.offer == offer_id
    )
    for row in waiting:
        await mail.send(row["email"], "codes_available", title=title, link=f"{settings.base_url}/offers/{offer_id}")
    await CodeWaiter.delete().where(CodeWaiter.offer == offer_id)
