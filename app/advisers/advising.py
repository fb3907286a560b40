"""The adviser's side: the young people who linked them (requests to accept, links to end), what each one shared
with them, the suggestions they made and what came of them, and their link code. Only ever through a link of their
own that they accepted, while they still advise for an approved organisation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.advisers.service import ADVISING, CODE_ALPHABET, CODE_LENGTH, SUGGESTED, name_of, shared_ids
from app.advisers.tables import AdviserLink, LinkCode, LinkStatus, Suggestion
from app.applications import service as applications
from app.audit import service as audit
from app.codes import claiming
from app.core.auth import Principal
from app.core.errors import Conflict, NotFound
from app.core.i18n import _
from app.offers.languages import in_language
from app.organisations.tables import Membership
from app.verification import asking

FINISHED = ("completed", "unsuccessful", "withdrawn")


@dataclass(frozen=True)
class Advisee:
    """A link, as the adviser sees it: the young person by the name they chose."""

    id: int
    status: str
    name: str
    created_at: datetime
    linked_at: datetime | None


@dataclass(frozen=True)
class Shared:
    """An application or code the young person shared: what, where, how far it got and when."""

    kind: str  # "application" or "code"
    id: int
    offer_id: int
    title: str
    lang: str
    organisation_name: str
    stage: str  # an application's stage; "claimed", "used" or "expired" for a code
    started: datetime
    changed: datetime


@dataclass(frozen=True)
class SentSuggestion:
    """A suggestion, as the adviser who made it sees it."""

    id: int
    offer_id: int
    title: str
    note: str
    created_at: datetime
    opened_at: datetime | None
    dismissed_at: datetime | None
    outcome: Shared | None  # what came of it, when the young person shared that


@dataclass(frozen=True)
class Person:
    """Everything an adviser sees of one linked young person."""

    link: Advisee
    verification: asking.Asked | None
    applications: list[Shared]
    codes: list[Shared]
    suggestions: list[SentSuggestion]


def _advising(who: Principal, org_id: int) -> Any:
    return (
        (AdviserLink.membership._.user == who.user_id)
        & (AdviserLink.membership._.organisation == org_id)
        & AdviserLink.membership._.role.is_in(list(ADVISING))
    )


async def advisees(who: Principal, org_id: int) -> list[Advisee]:
    rows = await AdviserLink.select(
        AdviserLink.id,
        AdviserLink.status,
        AdviserLink.young_person._.user._.display_name.as_alias("display_name"),
        AdviserLink.young_person._.user._.email.as_alias("email"),
        AdviserLink.created_at,
        AdviserLink.linked_at,
    ).where(_advising(who, org_id))
    found = [Advisee(name=name_of(row.pop("display_name"), row.pop("email")), **row) for row in rows]
    return sorted(found, key=lambda link: (link.status != LinkStatus.asked, link.name.casefold()))


async def _their_link(who: Principal, org_id: int, link_id: int, status: str | None = LinkStatus.linked) -> Any:
    where = _advising(who, org_id) & (AdviserLink.id == link_id)
    if status:
        where &= AdviserLink.status == status
    row = (
        await AdviserLink.select(
            AdviserLink.id,
            AdviserLink.status,
            AdviserLink.young_person,
            AdviserLink.young_person._.user.as_alias("user"),
        )
        .where(where)
        .first()
    )
    if row is None:
        raise NotFound(_("That young person is not linked to you."))
    return row


async def accept(who: Principal, org_id: int, link_id: int) -> None:
    async with AdviserLink._meta.db.transaction():
        link = await _their_link(who, org_id, link_id, status=LinkStatus.asked)
        await AdviserLink.raw(
            "UPDATE adviser_link SET status = 'linked', linked_at = now() WHERE id = {} AND status = 'asked'", link_id
        )
        await audit.record("adviser.accepted", actor=who.user_id, organisation=org_id, subject=("user", link["user"]))


async def end(who: Principal, org_id: int, link_id: int) -> None:
    """The adviser turns down a request, or ends a link (the young person can ask again)."""
    async with AdviserLink._meta.db.transaction():
        link = await _their_link(who, org_id, link_id, status=None)
        await AdviserLink.delete().where(AdviserLink.id == link_id)
        action = "adviser.declined" if link["status"] == LinkStatus.asked else "adviser.ended"
        await audit.record(action, actor=who.user_id, organisation=org_id, subject=("user", link["user"]))


async def shared_with(link: dict[str, Any], reader: str) -> tuple[list[Shared], list[Shared]]:
    """The applications and codes this link's young person shared with its adviser."""
    chosen = await shared_ids(link["id"])
    found_applications = [
        Shared("application", row.id, row.offer_id, row.title, row.lang, row.organisation_name, row.stage,
               row.created_at, row.updated_at)
        for row in await applications.mine(link["user"], reader)
        if link["share_applications"] or row.id in chosen["application"]
    ]  # fmt: skip
    now = datetime.now().astimezone()
    found_codes = [
        Shared("code", row.id, row.offer_id, row.title, row.lang, row.organisation_name,
               "used" if row.redeemed_at else "expired" if row.expires_at and row.expires_at < now else "claimed",
               row.claimed_at, row.redeemed_at or row.claimed_at)
        for row in await claiming.mine(link["user"], reader)
        if link["share_codes"] or row.id in chosen["code"]
    ]  # fmt: skip
    return found_applications, found_codes


async def person(who: Principal, org_id: int, link_id: int, reader: str) -> Person:
    found = await _their_link(who, org_id, link_id)
    link = (
        await AdviserLink.select(
            AdviserLink.id,
            AdviserLink.status,
            AdviserLink.young_person._.user.as_alias("user"),
            AdviserLink.young_person._.user._.display_name.as_alias("display_name"),
            AdviserLink.young_person._.user._.email.as_alias("email"),
            AdviserLink.share_applications,
            AdviserLink.share_codes,
            AdviserLink.created_at,
            AdviserLink.linked_at,
        )
        .where(AdviserLink.id == found["id"])
        .first()
    )
    assert link is not None
    shared_applications, shared_codes = await shared_with(link, reader)
    outcomes = {item.offer_id: item for item in [*shared_codes, *shared_applications]}
    rows = (
        await Suggestion.select(*SUGGESTED, Suggestion.dismissed_at)
        .where(Suggestion.link == link_id)
        .order_by(Suggestion.id, ascending=False)
    )
    sent = []
    for row in rows:
        row = in_language(row, reader)
        row.pop("lang")
        sent.append(SentSuggestion(**row, outcome=outcomes.get(row["offer_id"])))
    return Person(
        link=Advisee(link["id"], link["status"], name_of(link["display_name"], link["email"]), link["created_at"],
                     link["linked_at"]),
        verification=await asking.latest(found["young_person"]),
        applications=shared_applications,
        codes=shared_codes,
        suggestions=sent,
    )  # fmt: skip


async def link_code(who: Principal, org_id: int, fresh: bool = False) -> str:
    """The adviser's short code for young people to type (made on first asking; `fresh` replaces it, and the old
    one stops working)."""
    membership = (
        await Membership.select(Membership.id)
        .where((Membership.user == who.user_id) & (Membership.organisation == org_id))
        .first()
    )
    if membership is None:
        raise NotFound(_("You are not an adviser here."))
    async with LinkCode._meta.db.transaction():
        kept = await LinkCode.select(LinkCode.code).where(LinkCode.membership == membership["id"]).first()
        if kept and not fresh:
            return grouped(kept["code"])
        for _attempt in range(5):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            rows = await LinkCode.raw(
                "INSERT INTO adviser_code (membership, code, created_at) VALUES ({}, {}, now())"
                " ON CONFLICT (membership) DO UPDATE SET code = EXCLUDED.code, created_at = now()"
                " WHERE NOT EXISTS (SELECT 1 FROM adviser_code WHERE code = EXCLUDED.code) RETURNING code",
                membership["id"],
                code,
            )
            if rows:
                if fresh:
                    await audit.record("adviser.code_changed", actor=who.user_id, organisation=org_id)
                return grouped(rows[0]["code"])
    raise Conflict(_("We could not make a new code just now. Please try again."))


def grouped(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
