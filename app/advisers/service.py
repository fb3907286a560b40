"""Linking a young person and their adviser, always by the young person's choice, and what the adviser may see.

A young person asks (by the adviser's work email or the short code the adviser shows them); the adviser accepts.
While linked, the adviser sees the name the young person chose, their council confirmation and when it ends, and
the applications and codes they shared (all, or one by one): nothing else. Either side can end the link at any
time, and access ends with it. Every step is in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.advisers import links
from app.advisers.tables import AdviserLink, LinkCode, SharedItem, Suggestion
from app.applications import service as applications
from app.audit import service as audit
from app.codes import claiming
from app.core import ratelimit
from app.core.auth import Principal
from app.core.errors import NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.organisations.tables import Membership, OrganisationKind
from app.settings import Settings
from app.verification import invitations
from app.young_people import service as young_people
from app.young_people.service import Profile

# Who can be linked as an adviser: advisers, and council verifiers (who may advise too; an adviser never verifies).
ADVISING = links.ADVISING
# Councils, and leaving-care services working for one (charities).
ADVISER_KINDS = (OrganisationKind.council.value, OrganisationKind.third_sector.value)
CODE_ALPHABET = invitations.ALPHABET  # no look-alikes (0/O, 1/I/L, U)
CODE_LENGTH = 8
ASKS_PER_HOUR = 10
HOUR_S = 3600


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
    code = await LinkCode.select(LinkCode.membership).where(LinkCode.code == invitations.normalise(typed)).first()
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
    shared = await shared_ids(link_id)
    return Choosing(
        adviser=adviser,
        applications=[(row, row.id in shared["application"]) for row in await applications.mine(who.user_id, reader)],
        codes=[(row, row.id in shared["code"]) for row in await claiming.mine(who.user_id, reader)],
    )


async def shared_ids(link_id: int) -> dict[str, set[int]]:
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
