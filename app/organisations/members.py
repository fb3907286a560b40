"""Who acts for an organisation, in which role. An organisation always keeps at least one owner."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.tables import User
from app.advisers import links
from app.audit import service as audit
from app.core import ratelimit
from app.core.auth import Principal
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _, alphabetical
from app.mail import service as mail
from app.organisations.service import DAY_S, INVITES_PER_DAY, OrgStatus, get, roles_for
from app.organisations.tables import MemberRole, Membership, Organisation
from app.settings import Settings


@dataclass(frozen=True)
class Member:
    """Someone who acts for the organisation (`id` is their membership's)."""

    id: int
    role: str
    user_id: int
    email: str
    display_name: str


@dataclass(frozen=True)
class Owned:
    """An organisation someone is the one owner of."""

    id: int
    name: str


@dataclass(frozen=True)
class _Membership:
    id: int
    user: int
    role: str


async def of(org_id: int) -> list[Member]:
    rows = await Membership.select(
        Membership.id,
        Membership.role,
        Membership.user.id.as_alias("user_id"),
        Membership.user.email.as_alias("email"),
        Membership.user.display_name.as_alias("display_name"),
    ).where(Membership.organisation == org_id)
    return sorted((Member(**row) for row in rows), key=lambda member: (member.role != MemberRole.owner, member.email))


async def invite(settings: Settings, who: Principal, org_id: int, form: Form) -> None:
    """Adds the person in the given role (creating their account) and emails them how to sign in."""
    org = await get(org_id)
    email = form.email()
    role = form.choice("role", roles_for(org.kind))
    form.check()
    if org.status != OrgStatus.approved:  # nobody is emailed on behalf of an organisation the team has not checked
        raise Conflict(_("You can add people once the Cyfle team has approved your organisation."))
    await ratelimit.hit(
        ratelimit.limit_key(settings, "invite", str(org_id)),
        INVITES_PER_DAY,
        DAY_S,
        _("You have added a lot of people today. Please wait a day, or ask the Cyfle team."),
    )
    async with Membership._meta.db.transaction():
        users = await User.raw(
            "INSERT INTO user_account (email, known_devices, created_at) VALUES ({}, {}, now())"
            " ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id",
            email,
            [],
        )
        user_id = users[0]["id"]
        added = await Membership.raw(
            'INSERT INTO membership ("user", organisation, role, created_at) VALUES ({}, {}, {}, now())'
            ' ON CONFLICT ("user", organisation) DO NOTHING RETURNING id',
            user_id,
            org_id,
            role,
        )
        if not added:
            form.error(
                "email", _("%(email)s is already a member. Change their role in the list below.") % {"email": email}
            )
            form.check()
        await audit.record(
            "membership.added", actor=who.user_id, organisation=org_id, subject=("user", user_id), role=role
        )
        link = f"{settings.base_url}/sign-in?next=/organisations/{org_id}"
        await mail.send(email, "member_added", organisation=org.name, inviter=who.name, role=role, link=link)


async def _lock_and_find(org_id: int, membership_id: int) -> _Membership:
    """Locks the organisation row, so two owners cannot both step down at the same moment."""
    await Organisation.raw("SELECT id FROM organisation WHERE id = {} FOR UPDATE", org_id)
    row = (
        await Membership.select(Membership.id, Membership.user, Membership.role)
        .where((Membership.id == membership_id) & (Membership.organisation == org_id))
        .first()
    )
    if row is None:
        raise NotFound(_("That person is not a member of this organisation."))
    return _Membership(**row)


async def _keep_an_owner(org_id: int, membership: _Membership) -> None:
    """Refuse to demote or remove the last owner (the organisation row is already locked)."""
    if membership.role != MemberRole.owner:
        return
    others = await Membership.count().where(
        (Membership.organisation == org_id) & (Membership.role == MemberRole.owner) & (Membership.id != membership.id)
    )
    if not others:
        raise Conflict(_("An organisation needs at least one owner. Make someone else an owner first."))


async def change_role(who: Principal, org_id: int, membership_id: int, form: Form) -> None:
    org = await get(org_id)
    role = form.choice("role", roles_for(org.kind))
    form.check()
    async with Membership._meta.db.transaction():
        membership = await _lock_and_find(org_id, membership_id)
        if membership.role == role:
            return
        await _keep_an_owner(org_id, membership)
        await Membership.update({Membership.role: role}).where(Membership.id == membership_id)
        if membership.role in links.ADVISING and role not in links.ADVISING:
            await links.drop_links(membership_id, who.user_id, org_id)
        await audit.record(
            "membership.role_changed",
            actor=who.user_id,
            organisation=org_id,
            subject=("user", membership.user),
            before=membership.role,
            after=role,
        )


async def remove(who: Principal, org_id: int, membership_id: int) -> int:
    """Returns the id of the person removed."""
    async with Membership._meta.db.transaction():
        membership = await _lock_and_find(org_id, membership_id)
        await _keep_an_owner(org_id, membership)
        await links.drop_links(membership_id, who.user_id, org_id)
        await Membership.delete().where(Membership.id == membership_id)
        await audit.record(
            "membership.removed",
            actor=who.user_id,
            organisation=org_id,
            subject=("user", membership.user),
            role=membership.role,
        )
    return membership.user


async def only_owner_of(user_id: int, lock: bool = False) -> list[Owned]:
    """The organisations (id, name) this person is the one owner of: they hand them over before they leave.
    With `lock` (inside a transaction) those organisations' rows are locked, as when an owner steps down, so a
    co-owner leaving at the same moment cannot leave an organisation with nobody."""
    owned = await Membership.select(Membership.organisation).where(
        (Membership.user == user_id) & (Membership.role == MemberRole.owner)
    )
    ids = sorted(row["organisation"] for row in owned)
    if lock and ids:
        await Organisation.raw("SELECT id FROM organisation WHERE id = ANY({}) ORDER BY id FOR UPDATE", ids)
    alone = []
    for org_id in ids:
        others = await Membership.count().where(
            (Membership.organisation == org_id) & (Membership.role == MemberRole.owner) & (Membership.user != user_id)
        )
        if not others:
            alone.append(org_id)
    if not alone:
        return []
    rows = await Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.is_in(alone))
    return alphabetical((Owned(**row) for row in rows), lambda org: org.name)
