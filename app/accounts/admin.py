"""The first platform admin: `make admin EMAIL=...` (python -m app admin EMAIL)."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.tables import User
from app.audit import service as audit
from app.core.forms import Form
from app.organisations.tables import MemberRole, Membership, Organisation, OrganisationKind

TEAM_SLUG = "cyfle-team"


class AdminError(Exception):
    """The address is not one we can use; the message says why."""


async def make_admin(raw_email: str) -> bool:
    """Makes the person an owner of the Cyfle team organisation; False if they already were."""
    form = Form({"email": raw_email})
    email = form.email()
    if form.errors:
        raise AdminError(f"{raw_email!r} is not an email address.")
    async with User._meta.db.transaction():
        await Organisation.raw(
            "INSERT INTO organisation (name, slug, kind, pledged_principles, approved_at, created_at,"
            " website, council_area, charity_number, company_number, review_note)"
            " VALUES ('Cyfle team', {}, {}, {}, {}, now(), '', '', '', '', '') ON CONFLICT (slug) DO NOTHING",
            TEAM_SLUG,
            OrganisationKind.platform.value,
            [],
            datetime.now(UTC),
        )
        team = await Organisation.select(Organisation.id).where(Organisation.slug == TEAM_SLUG).first()
        assert team is not None
        user = await User.raw(
            "INSERT INTO user_account (email, known_devices, created_at) VALUES ({}, {}, now())"
            " ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id",
            email,
            [],
        )
        added = await Membership.raw(
            'INSERT INTO membership ("user", organisation, role, created_at) VALUES ({}, {}, {}, now())'
            ' ON CONFLICT ("user", organisation) DO UPDATE SET role = EXCLUDED.role'
            " RETURNING (xmax = 0) AS inserted",
            user[0]["id"],
            team["id"],
            MemberRole.owner.value,
        )
        inserted = bool(added[0]["inserted"])
        if inserted:
            await audit.record("admin.created", actor=None, organisation=team["id"], subject=("user", user[0]["id"]))
    return inserted
