"""Linking a young person and their adviser, always by the young person's choice, and what the adviser may see.

A young person asks (by the adviser's work email or the short code the adviser shows them); the adviser accepts.
While linked, the adviser sees the name the young person chose, their council confirmation and when it ends, and
the applications and codes they shared (all, or one by one): nothing else. Either side can end the link at any
time, and access ends with it. Every step is in the audit log."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.advisers import links
from app.advisers.tables import AdviserLink, LinkCode, LinkStatus, SharedItem, Suggestion
from app.applications import service as applications
from app.audit import service as audit
from app.codes import claiming
from app.core import ratelimit
from app.core.auth import Principal
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.languages import in_language
from app.organisations.tables import Membership, OrganisationKind
from app.settings import Settings
from app.verification import asking
from app.young_people import service as young_people
from app.young_people.service import Profile

# Who can be linked as an adviser: advisers, and council verifiers (who may advise too; an adviser never verifies).
ADVISING = links.ADVISING
# Councils, and leaving-care services working for one (charities).
ADVISER_KINDS = (OrganisationKind.council.value, OrganisationKind.third_sector.value)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no look-alikes (0/O, 1/I/L, U)
CODE_LENGTH = 8
ASKS_PER_HOUR = 10
HOUR_S = 3600
FINISHED = ("completed", "unsuccessful", "withdrawn")


@dataclass(frozen=True)
class MyAdviser:
    """A link, as the young person sees it."""

    id: int
    status: str
    name: str
    organisation: str
    share_applications: bool
    share_codes: bool
    email_suggestions: bool
    created_at: datetime


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


# A suggestion's offer (its title in each language), note and dates: what both sides see of it.
SUGGESTED = (
    Suggestion.id,
    Suggestion.offer.as_alias("offer_id"),
    Suggestion.offer._.title.as_alias("title"),
    Suggestion.offer._.language.as_alias("language"),
    Suggestion.offer._.title_alt.as_alias("title_alt"),
    Suggestion.note,
    Suggestion.created_at,
    Suggestion.opened_at,
)


def name_of(display_name: str, email: str) -> str:
    return display_name or email


# The young person's side -------------------------------------------------------------------------------------


async def profile_of(who: Principal) -> Profile:
    profile = await young_people.get(who.user_id)
    if profile is None:
        raise NotFound(_("Tell us a little about you first."))
    return profile


async def mine(user_id: int) -> list[MyAdviser]:
    rows = (
        await AdviserLink.select(
            AdviserLink.id,
            AdviserLink.status,
            AdviserLink.membership._.user._.display_name.as_alias("display_name"),
            AdviserLink.membership._.user._.email.as_alias("email"),
            AdviserLink.membership._.organisation._.name.as_alias("organisation"),
            AdviserLink.share_applications,
            AdviserLink.share_codes,
            AdviserLink.email_suggestions,
            AdviserLink.created_at,
        )
        .where((AdviserLink.young_person._.user == user_id) & still_advising())
        .order_by(AdviserLink.id)
    )
    return [MyAdviser(name=name_of(row.pop("display_name"), row.pop("email")), **row) for row in rows]


def still_advising() -> Any:
    """A link counts only while the adviser still advises for an approved organisation: a role changed or an
    organisation sent back ends what they see at once, before anything tidies the rows away."""
    membership = AdviserLink.membership
    return membership._.role.is_in(list(ADVISING)) & membership._.organisation._.approved_at.is_not_null()


def normalise_code(typed: str) -> str:
    return "".join(ch for ch in typed.upper() if ch.isalnum())[: CODE_LENGTH * 2]


async def _adviser_by(typed: str, form: Form) -> dict[str, Any] | None:
    """The adviser's membership (id, user, organisation) from a work email or a link code."""
    query = Membership.select(Membership.id, Membership.user, Membership.organisation).where(
        Membership.role.is_in(list(ADVISING))
        & Membership.organisation._.approved_at.is_not_null()
        & Membership.organisation._.kind.is_in(list(ADVISER_KINDS))
    )
    if "@" in typed:
        email = form.email("adviser")
        form.check()
        return await query.where(Membership.user._.email == email).order_by(Membership.id).first()
    code = await LinkCode.select(LinkCode.membership).where(LinkCode.code == normalise_code(typed)).first()
    if code is None:
        return None
    return await query.where(Membership.id == code["membership"]).first()


async def ask(settings: Settings, who: Principal, form: Form) -> None:
    """The young person asks to link an adviser; the adviser is emailed to accept."""
    profile = await profile_of(who)
    typed = form.raw("adviser")
    if not typed:
        form.error("adviser", _("Enter your adviser's work email, or the code they showed you."))
        form.check()
    await ratelimit.hit(
        ratelimit.limit_key(settings, "adviser-ask", str(who.user_id)),
        ASKS_PER_HOUR,
        HOUR_S,
        _("You have tried a lot of advisers this hour. Please wait a while, or ask your adviser for their code."),
    )
    found = await _adviser_by(typed, form)
    if found is None or found["user"] == who.user_id:
        form.error(
            "adviser",
            _("We could not find an adviser with that email or code. Check it with your adviser: their council or"
              " service needs to be on Cyfle, with them as an adviser."),
        )  # fmt: skip
        form.check()
    assert found is not None
    async with AdviserLink._meta.db.transaction():
        rows = await AdviserLink.raw(
            "INSERT INTO adviser_link (young_person, membership, status, share_applications, share_codes,"
            " email_suggestions, created_at) VALUES ({}, {}, 'asked', false, false, {}, now())"
            " ON CONFLICT (young_person, membership) DO NOTHING RETURNING id",
            profile.id,
            found["id"],
            form.flag("email_suggestions"),
        )
        if not rows:
            form.error("adviser", _("You have already asked this adviser. They are in your list below."))
            form.check()
        await audit.record(
            "adviser.asked",
            actor=who.user_id,
            organisation=found["organisation"],
            subject=("user", found["user"]),
            link=rows[0]["id"],
        )
        adviser = (
            await Membership.select(Membership.user._.email.as_alias("email"))
            .where(Membership.id == found["id"])
            .first()
        )
        assert adviser is not None
        link = f"{settings.base_url}/organisations/{found['organisation']}/advising"
        await mail.send(adviser["email"], "adviser_asked", name=name_of(who.display_name, who.email), link=link)


async def _my_link(who: Principal, link_id: int) -> dict[str, Any]:
    row = (
        await AdviserLink.select(
            AdviserLink.id,
            AdviserLink.young_person,
            AdviserLink.membership._.organisation.as_alias("organisation"),
            AdviserLink.membership._.user.as_alias("adviser"),
            AdviserLink.share_applications,
            AdviserLink.share_codes,
        )
        .where((AdviserLink.id == link_id) & (AdviserLink.young_person._.user == who.user_id))
        .first()
    )
    if row is None:
        raise NotFound(_("That adviser is not linked to you."))
    return row


async def unlink(who: Principal, link_id: int) -> None:
    """The young person ends the link (or takes back their request): the adviser sees nothing from now on."""
    async with AdviserLink._meta.db.transaction():
        link = await _my_link(who, link_id)
        await AdviserLink.delete().where(AdviserLink.id == link_id)
        await audit.record(
            "adviser.unlinked", actor=who.user_id, organisation=link["organisation"], subject=("user", link["adviser"])
        )


@dataclass(frozen=True)
class Choosing:
    """The sharing page: the link, and everything the young person could share with their ticks."""

    adviser: MyAdviser
    applications: list[tuple[applications.MyApplication, bool]]
    codes: list[tuple[claiming.HeldCode, bool]]


async def choosing(who: Principal, link_id: int, reader: str) -> Choosing:
    adviser = next((link for link in await mine(who.user_id) if link.id == link_id), None)
    if adviser is None:
        raise NotFound(_("That adviser is not linked to you."))
    shared = await _shared_ids(link_id)
    return Choosing(
        adviser=adviser,
        applications=[(row, row.id in shared["application"]) for row in await applications.mine(who.user_id, reader)],
        codes=[(row, row.id in shared["code"]) for row in await claiming.mine(who.user_id, reader)],
    )


async def _shared_ids(link_id: int) -> dict[str, set[int]]:
    rows = await SharedItem.select(SharedItem.application, SharedItem.code).where(SharedItem.link == link_id)
    return {
        "application": {row["application"] for row in rows if row["application"]},
        "code": {row["code"] for row in rows if row["code"]},
    }


async def share(who: Principal, link_id: int, form: Form, reader: str) -> None:
    """What this adviser sees: every application (new ones too) or the ones ticked; the same for codes; and
    whether suggestions come by email too."""
    choice = await choosing(who, link_id, reader)
    all_applications = form.choice("applications", ("all", "chosen"))
    all_codes = form.choice("codes", ("all", "chosen"))
    picked_applications = form.ids("application", [row.id for row, _shared in choice.applications])
    picked_codes = form.ids("code", [row.id for row, _shared in choice.codes])
    if picked_applications is None or picked_codes is None:
        form.error("applications", _("Choose from your own applications and codes."))
    form.check()
    assert picked_applications is not None and picked_codes is not None
    async with AdviserLink._meta.db.transaction():
        link = await _my_link(who, link_id)
        await AdviserLink.update(
            {
                AdviserLink.share_applications: all_applications == "all",
                AdviserLink.share_codes: all_codes == "all",
                AdviserLink.email_suggestions: form.flag("email_suggestions"),
            }
        ).where(AdviserLink.id == link_id)
        await SharedItem.delete().where(SharedItem.link == link_id)
        items = [SharedItem(link=link_id, application=item) for item in picked_applications]
        items += [SharedItem(link=link_id, code=item) for item in picked_codes]
        if items:
            await SharedItem.insert(*items)
        await audit.record(
            "adviser.sharing_changed",
            actor=who.user_id,
            organisation=link["organisation"],
            subject=("user", link["adviser"]),
            applications="all" if all_applications == "all" else len(picked_applications),
            codes="all" if all_codes == "all" else len(picked_codes),
        )


# The adviser's side ------------------------------------------------------------------------------------------


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
    chosen = await _shared_ids(link["id"])
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


async def link_from_invitation(who: Principal, profile: Profile, council_id: int, minted_by: int | None) -> None:
    """An invitation whose maker offered to advise, used by a young person who agreed: linked at once (the adviser
    asked by handing the code over). Inside the transaction that spent the code."""
    if minted_by is None:
        return
    membership = (
        await Membership.select(Membership.id)
        .where(
            (Membership.user == minted_by)
            & (Membership.organisation == council_id)
            & Membership.role.is_in(list(ADVISING))
        )
        .first()
    )
    if membership is None:
        return
    rows = await AdviserLink.raw(
        "INSERT INTO adviser_link (young_person, membership, status, share_applications, share_codes,"
        " email_suggestions, created_at, linked_at) VALUES ({}, {}, 'linked', false, false, false, now(), now())"
        " ON CONFLICT (young_person, membership) DO UPDATE SET status = 'linked', linked_at = now() RETURNING id",
        profile.id,
        membership["id"],
    )
    await audit.record(
        "adviser.linked_by_invitation",
        actor=who.user_id,
        organisation=council_id,
        subject=("user", minted_by),
        link=rows[0]["id"],
    )
