"""Organisations: signing up with a charter pledge, approval by the Cyfle team, and who may act for them."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from app.audit import service as audit
from app.core import ratelimit
from app.core.auth import Principal
from app.core.charter import BY_ID as PRINCIPLES
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _, alphabetical
from app.mail import service as mail
from app.organisations.labels import SIGN_UP_KINDS
from app.organisations.tables import MemberRole, Membership, Organisation, OrganisationKind
from app.settings import Settings
from search.places import by_code

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
CHARITY_NUMBER = re.compile(r"^[0-9]{6,8}(-[0-9]{1,2})?$|^SC[0-9]{6}$", re.IGNORECASE)
COMPANY_NUMBER = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$", re.IGNORECASE)


# What an organisation says it will do for each principle it pledged, by principle id (as text) and language.
Statements = dict[str, dict[str, str]]
STATEMENT_LENGTH = 600


def statements_of(stored: Any) -> Statements:
    """The statements column as kept (JSONB arrives as text from the query builder)."""
    found = json.loads(stored) if isinstance(stored, str) else stored
    return found if isinstance(found, dict) else {}


class OrgStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    returned = "returned"


def status_of(approved_at: datetime | None, review_note: str) -> OrgStatus:
    if approved_at is not None:
        return OrgStatus.approved
    return OrgStatus.returned if review_note else OrgStatus.pending


@dataclass(frozen=True)
class Org:
    """An organisation as its pages and the team's decisions see it: its row, where it stands (`status`), the
    new name, kind or area it asks for (`proposed`, empty when none) and the `version` a decision names."""

    id: int
    name: str
    slug: str
    kind: str
    website: str
    council_area: str
    charity_number: str
    company_number: str
    pledged_principles: list[int]
    pledged_at: datetime | None
    pledge_statements: Statements
    approved_at: datetime | None
    review_note: str
    proposed: dict[str, str]
    created_at: datetime
    public_changed_at: datetime  # when what the open data shows of it last changed (a trigger keeps it)
    status: OrgStatus
    version: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Org:
        """A row of the organisation table (all its columns)."""
        stored = row["proposed"]
        proposed = (json.loads(stored) if isinstance(stored, str) else stored) or {}
        version = version_of(row["name"], row["kind"], row["council_area"], proposed, row["review_note"])
        status = status_of(row["approved_at"], row["review_note"])
        statements = statements_of(row["pledge_statements"])
        return cls(**{**row, "proposed": proposed, "status": status, "version": version,
                      "pledge_statements": statements})  # fmt: skip


@dataclass(frozen=True)
class UserOrganisation:
    """One of a person's organisations, with their role in it."""

    id: int
    name: str
    kind: str
    role: str
    status: OrgStatus


class Details(TypedDict):
    """The sign-up and edit form's answers, checked: columns of the organisation table (`kind` only when the
    form asks it)."""

    kind: NotRequired[str]
    name: str
    website: str
    council_area: str
    charity_number: str
    company_number: str
    pledged_principles: list[int]


def roles_for(kind: str) -> list[str]:
    """Verifiers belong to councils; advisers to councils and leaving-care services (charities working for one)."""
    roles = [MemberRole.owner.value, MemberRole.staff.value, MemberRole.redeemer.value]
    if kind == OrganisationKind.council:
        roles.append(MemberRole.verifier.value)
    if kind in (OrganisationKind.council, OrganisationKind.third_sector):
        roles.append(MemberRole.adviser.value)
    return roles


async def _roles_it_cannot_have(org_id: int, kind: str) -> bool:
    """Whether any member has a role an organisation of this kind does not have (a verifier, an adviser)."""
    return bool(
        await Membership.exists().where((Membership.organisation == org_id) & Membership.role.not_in(roles_for(kind)))
    )


def read_details(form: Form, with_kind: bool) -> Details:
    """The sign-up (and edit) form: every field is checked and each problem named next to its field."""
    # Read in the order the form asks, so the list of problems follows the page.
    kind = None
    if with_kind:
        kind = form.choice("kind", SIGN_UP_KINDS, message=_("Choose what kind of organisation it is."))
    values = Details(
        name=form.text("name", 200, required=True, label=_("the organisation's name")),
        website=form.text("website", 300),
        council_area=form.raw("council_area"),
        charity_number=form.text("charity_number", 20).upper(),
        company_number=form.text("company_number", 20).upper(),
        pledged_principles=[],
    )
    if kind is not None:
        values["kind"] = kind
    if values["website"] and not URL.match(values["website"]):
        form.error("website", _("Enter a web address starting with https:// or http://"))
    if not values["council_area"] or by_code(values["council_area"]) is None:
        form.error("council_area", _("Choose the area you are based in."))
    if values["charity_number"] and not CHARITY_NUMBER.match(values["charity_number"]):
        form.error("charity_number", _("Enter a charity number like 1234567 or SC012345, or leave it empty."))
    if values["company_number"] and not COMPANY_NUMBER.match(values["company_number"]):
        form.error("company_number", _("Enter a company number of 8 characters, like 01234567, or leave it empty."))
    pledged = form.ids("principles", PRINCIPLES)
    if not pledged:
        form.error("principles", _("Choose at least one principle your organisation will keep."))
    values["pledged_principles"] = pledged or []
    form.check()
    return values


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "organisation"


async def _free_slug(name: str) -> str:
    base = _slug(name)
    taken = {
        row["slug"] for row in await Organisation.select(Organisation.slug).where(Organisation.slug.like(base + "%"))
    }
    return next(slug for n in range(1, len(taken) + 2) if (slug := base if n == 1 else f"{base}-{n}") not in taken)


async def admin_emails() -> list[str]:
    rows = await Membership.select(Membership.user.email).where(
        (Membership.organisation.kind == OrganisationKind.platform) & Membership.organisation.approved_at.is_not_null()
    )
    return [row["user.email"] for row in rows]


SIGN_UPS_PER_DAY = 5
INVITES_PER_DAY = 50
DAY_S = 24 * 3600


async def sign_up(settings: Settings, who: Principal, form: Form) -> int:
    values = read_details(form, with_kind=True)
    await ratelimit.hit(
        ratelimit.limit_key(settings, "sign-up", str(who.user_id)),
        SIGN_UPS_PER_DAY,
        DAY_S,
        _("You have signed up several organisations today. Please wait a day, or ask the Cyfle team."),
    )
    async with Organisation._meta.db.transaction():
        rows = await Organisation.insert(
            Organisation(**values, slug=await _free_slug(values["name"]), pledged_at=datetime.now(UTC))
        ).returning(Organisation.id)
        org_id = int(rows[0]["id"])
        await Membership.insert(Membership(user=who.user_id, organisation=org_id, role=MemberRole.owner))
        await audit.record("organisation.signed_up", actor=who.user_id, organisation=org_id)
        for email in await admin_emails():
            await mail.send(email, "organisation_waiting", name=values["name"], link=f"{settings.base_url}/admin")
    return org_id


REVIEWED = ("name", "kind", "council_area")  # who an organisation is: a change waits for the team


def version_of(name: str, kind: str, council_area: str, proposed: Mapping[str, str], review_note: str) -> str:
    """What the team decides on: who the organisation says it is, and what it asks to become. A decision names
    the version the reviewer saw, so a change made meanwhile is shown to them instead of approved."""
    seen = [name, kind, council_area, proposed, review_note]
    return hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()[:32]


async def _locked(org_id: int, version: str) -> Org:
    rows = await Organisation.raw("SELECT * FROM organisation WHERE id = {} FOR UPDATE", org_id)
    if not rows:
        raise NotFound(_("We could not find that organisation."))
    org = Org.from_row(rows[0])
    if org.version != version:
        raise Conflict(_("This organisation was changed while you were looking at it. Here is what it says now."))
    return org


async def get(org_id: int) -> Org:
    row = await Organisation.select().where(Organisation.id == org_id).first()
    if row is None:
        raise NotFound(_("We could not find that organisation."))
    return Org.from_row(row)


def as_form(org: Org) -> dict[str, str | list[str]]:
    """The edit form's values: the organisation's details, with the new name, kind or area it asks for."""
    details = {
        "name": org.name,
        "kind": org.kind,
        "website": org.website,
        "council_area": org.council_area,
        "charity_number": org.charity_number,
        "company_number": org.company_number,
    }
    return details | org.proposed | {"principles": [str(p) for p in org.pledged_principles]}


async def _check_kind(form: Form, org_id: int, kind: str) -> None:
    """Verifiers belong to councils only (advisers to councils and charities): an organisation cannot become a
    kind that does not have the roles its people hold."""
    if await _roles_it_cannot_have(org_id, kind):
        form.error(
            "kind",
            _("Only a council has verifiers, and only councils and charities have advisers. Give those people"
              " another role or remove them first."),
        )  # fmt: skip
        form.check()


async def update(who: Principal, org_id: int, form: Form) -> bool:
    """Owners keep their details up to date; a returned organisation goes back in the queue once changed.
    Once approved, a new name, kind or area waits for the team (the approved ones stay in force meanwhile);
    returns whether something now waits."""
    org = await get(org_id)
    values = read_details(form, with_kind=org.kind != OrganisationKind.platform)
    values.setdefault("kind", org.kind)
    await _check_kind(form, org_id, values["kind"])
    columns: dict[str, Any] = {**values}
    proposed: dict[str, str] = {}
    if org.status == OrgStatus.approved:
        proposed = {field: columns.pop(field) for field in REVIEWED if columns[field] != getattr(org, field)}
    async with Organisation._meta.db.transaction():
        changes: dict[Any, Any] = {**columns, "review_note": "", "proposed": json.dumps(proposed) if proposed else None}
        await Organisation.update(changes).where(Organisation.id == org_id)
        await audit.record("organisation.updated", actor=who.user_id, organisation=org_id, proposed=proposed)
    return bool(proposed)


def read_statements(form: Form, pledged: list[int]) -> Statements:
    """A statement per pledged principle, in English, Welsh or both (each optional, at most STATEMENT_LENGTH)."""
    statements: Statements = {}
    for principle in pledged:
        said = {
            lang: text
            for lang in ("en", "cy")
            if (text := form.text(f"statement_{principle}_{lang}", STATEMENT_LENGTH, multiline=True))
        }
        if said:
            statements[str(principle)] = said
    form.check()
    return statements


async def save_statements(who: Principal, org_id: int, form: Form) -> None:
    """What the organisation says it will do for each principle it pledged: public once it is approved, so each
    change is in the audit log."""
    org = await get(org_id)
    statements = read_statements(form, org.pledged_principles)
    async with Organisation._meta.db.transaction():
        await Organisation.update({Organisation.pledge_statements: statements}).where(Organisation.id == org_id)
        await audit.record(
            "organisation.pledge_statements", actor=who.user_id, organisation=org_id, principles=sorted(statements)
        )


async def of_user(user_id: int) -> list[UserOrganisation]:
    rows = await Membership.select(
        Membership.organisation.id.as_alias("id"),
        Membership.organisation.name.as_alias("name"),
        Membership.organisation.kind.as_alias("kind"),
        Membership.organisation.approved_at.as_alias("approved_at"),
        Membership.organisation.review_note.as_alias("review_note"),
        Membership.role,
    ).where(Membership.user == user_id)
    return [
        UserOrganisation(
            row["id"], row["name"], row["kind"], row["role"], status_of(row["approved_at"], row["review_note"])
        )
        for row in alphabetical(rows, lambda row: row["name"])
    ]


# The Cyfle team's decisions ----------------------------------------------------------------------------------


async def _owners(org_id: int) -> list[str]:
    rows = await Membership.select(Membership.user.email).where(
        (Membership.organisation == org_id) & (Membership.role == MemberRole.owner)
    )
    return [row["user.email"] for row in rows]


async def approve(settings: Settings, admin: Principal, org_id: int, version: str) -> None:
    """Approves a new organisation, or the new name, kind or area an approved one asked for: the version the
    reviewer saw, never one changed since."""
    async with Organisation._meta.db.transaction():
        org = await _locked(org_id, version)
        approved = org.status == OrgStatus.approved
        if approved and not org.proposed:
            return
        changes: dict[Any, Any] = {Organisation.review_note: "", Organisation.proposed: None}
        if approved:
            changes |= {getattr(Organisation, field): value for field, value in org.proposed.items()}
            if await _roles_it_cannot_have(org_id, org.proposed.get("kind", org.kind)):
                raise Conflict(
                    _("This organisation still has verifiers (councils only) or advisers (councils and charities).")
                )
        else:
            changes[Organisation.approved_at] = datetime.now(UTC)
        await Organisation.update(changes).where(Organisation.id == org_id)
        what = "organisation.change_approved" if approved else "organisation.approved"
        await audit.record(what, actor=admin.user_id, organisation=org_id, changed=org.proposed)
        name = org.proposed.get("name", org.name)
        template = "organisation_change_approved" if approved else "organisation_approved"
        for email in await _owners(org_id):
            await mail.send(email, template, name=name, link=f"{settings.base_url}/organisations/{org_id}")


async def send_back(settings: Settings, admin: Principal, org_id: int, form: Form) -> None:
    """Returns a new organisation, or an approved one's asked-for change (its approved details stay)."""
    reason = form.text("reason", 1000, required=True, label=_("what needs to change"), multiline=True)
    form.check()
    async with Organisation._meta.db.transaction():
        org = await _locked(org_id, form.raw("version"))
        approved = org.status == OrgStatus.approved
        if approved and not org.proposed:
            raise Conflict(_("This organisation has already been approved."))
        await Organisation.update({Organisation.review_note: reason, Organisation.proposed: None}).where(
            Organisation.id == org_id
        )
        what = "organisation.change_returned" if approved else "organisation.returned"
        await audit.record(what, actor=admin.user_id, organisation=org_id, reason=reason)
        template = "organisation_change_returned" if approved else "organisation_returned"
        for email in await _owners(org_id):
            await mail.send(
                email, template, name=org.name, reason=reason, link=f"{settings.base_url}/organisations/{org_id}"
            )


async def waiting() -> list[Org]:
    """Organisations waiting for a decision (new ones, and approved ones asking to change who they are), oldest
    first."""
    rows = (
        await Organisation.select()
        .where(
            (Organisation.approved_at.is_null() & (Organisation.review_note == ""))
            | Organisation.proposed.is_not_null()
        )
        .order_by(Organisation.created_at)
    )
    return [Org.from_row(row) for row in rows]


async def find(text: str, limit: int = 50) -> list[Org]:
    query = Organisation.select().order_by(Organisation.name).limit(limit)
    if text:
        query = query.where(Organisation.name.ilike("%" + text.replace("%", r"\%").replace("_", r"\_") + "%"))
    return [Org.from_row(row) for row in await query]
