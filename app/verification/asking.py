"""Verification, the young person's side: whether they are confirmed today (the rule every application and claim
checks), asking a council once (or again, to renew), and the locks that keep one change to a person at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.audit import service as audit
from app.core import ratelimit
from app.core.auth import Principal
from app.core.errors import Conflict, Forbidden
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.organisations.tables import MemberRole, Membership, Organisation, OrganisationKind
from app.settings import Settings
from app.verification.reminders import REMINDER_DAYS
from app.verification.tables import Verification, VerificationStatus
from app.young_people import service as young_people
from app.young_people.service import Person

DIGITS = re.compile(r"[0-9]{1,9}")
ASKS_PER_DAY = 5


@dataclass(frozen=True)
class Asked:
    """One of a young person's verifications, as they see it."""

    id: int
    council: int
    council_name: str
    status: VerificationStatus
    adviser_name: str
    requested_at: datetime
    expires_on: date | None
    reason: str


@dataclass(frozen=True)
class Council:
    """A council on Cyfle that can verify."""

    id: int
    name: str
    council_area: str


def active_on(today: date) -> Any:
    return (Verification.status == VerificationStatus.verified) & (Verification.expires_on >= today)


async def is_verified(user_id: int, today: date) -> bool:
    """Whether this person may apply and claim codes today."""
    return bool(await Verification.exists().where((Verification.young_person.user == user_id) & active_on(today)))


async def require_verified(who: Principal, today: date) -> None:
    if not await is_verified(who.user_id, today):
        raise Forbidden(_("Your council needs to confirm you can use Cyfle first. It only takes one request."))


ASKED = (
    Verification.id,
    Verification.council,
    Verification.council.name.as_alias("council_name"),
    Verification.status,
    Verification.adviser_name,
    Verification.requested_at,
    Verification.expires_on,
    Verification.reason,
)


def _asked(row: dict[str, Any] | None) -> Asked | None:
    return None if row is None else Asked(**(row | {"status": VerificationStatus(row["status"])}))


async def active(yp_id: int, today: date) -> Asked | None:
    """The verification that is in force today, if any."""
    return _asked(
        await Verification.select(*ASKED)
        .where((Verification.young_person == yp_id) & active_on(today))
        .order_by(Verification.id, ascending=False)
        .first()
    )


def can_renew(latest: Asked | None, active: Asked | None, today: date) -> bool:
    """Renewal is offered once a verification has run out, or from the first reminder (four weeks before), and
    not while a request is already waiting."""
    if latest is None or latest.expires_on is None or latest.status == VerificationStatus.requested:
        return False
    return active is None or (
        active.expires_on is not None and active.expires_on <= today + timedelta(days=REMINDER_DAYS[0])
    )


async def latest(yp_id: int) -> Asked | None:
    return _asked(
        await Verification.select(*ASKED)
        .where(Verification.young_person == yp_id)
        .order_by(Verification.id, ascending=False)
        .first()
    )


async def councils() -> list[Council]:
    """Councils on Cyfle that can verify (approved ones)."""
    rows = await (
        Organisation.select(Organisation.id, Organisation.name, Organisation.council_area)
        .where((Organisation.kind == OrganisationKind.council) & Organisation.approved_at.is_not_null())
        .order_by(Organisation.name)
    )
    return [Council(**row) for row in rows]


async def verifier_emails(council_id: int) -> list[str]:
    rows = await Membership.select(Membership.user.email).where(
        (Membership.organisation == council_id) & (Membership.role == MemberRole.verifier)
    )
    return [row["user.email"] for row in rows]


async def ask(settings: Settings, who: Principal, form: Form) -> None:
    """A young person asks a council (usually their own) to confirm them; any earlier open request is replaced."""
    profile = await young_people.get(who.user_id)
    if profile is None:
        raise Conflict(_("Tell us a little about you first."))
    choices = {council.id for council in await councils()}
    council = form.raw("council")
    council_id = int(council) if DIGITS.fullmatch(council) else 0
    if council_id not in choices:
        form.error("council", _("Choose your council from the list."))
    adviser = form.text("adviser_name", 100)
    form.check()
    await ratelimit.hit(
        ratelimit.limit_key(settings, "verification:ask", str(who.user_id)),
        ASKS_PER_DAY,
        24 * 3600,
        _("You have asked several times today. Please wait a day, or talk to your council."),
    )
    async with Verification._meta.db.transaction():
        await lock_person(profile.id)
        await Verification.update({Verification.status: VerificationStatus.withdrawn}).where(
            (Verification.young_person == profile.id) & (Verification.status == VerificationStatus.requested)
        )
        rows = await Verification.insert(
            Verification(young_person=profile.id, council=council_id, adviser_name=adviser)
        ).returning(Verification.id)
        await audit.record(
            "verification.requested",
            actor=who.user_id,
            organisation=council_id,
            subject=("verification", rows[0]["id"]),
        )
        link = f"{settings.base_url}/organisations/{council_id}/verification"
        for email in await verifier_emails(council_id):
            await mail.send(email, "verification_waiting", link=link)


async def renew(settings: Settings, who: Principal) -> None:
    """One tap when a verification has run out: ask the same council again."""
    profile = await young_people.get(who.user_id)
    last = await latest(profile.id) if profile else None
    if last is None:
        raise Conflict(_("Choose your council to ask for the first time."))
    await ask(settings, who, Form({"council": str(last.council), "adviser_name": last.adviser_name}))


async def lock_verified_person(who: Principal, today: date) -> Person:
    """Within a transaction: the young person (id, home_council), locked as lock_person does, if they may take
    something up today (the rule of active_on, in the same statement); otherwise Forbidden."""
    rows = await Verification.raw(
        'SELECT yp.id, yp.home_council FROM young_person yp WHERE yp."user" = {} AND EXISTS ('
        " SELECT 1 FROM verification v WHERE v.young_person = yp.id AND v.status = {} AND v.expires_on >= {}"
        ") FOR UPDATE OF yp",
        who.user_id,
        VerificationStatus.verified.value,
        today,
    )
    if not rows:
        raise Forbidden(_("Your council needs to confirm you can use Cyfle first. It only takes one request."))
    return Person(**rows[0])


async def lock_person(yp_id: int) -> None:
    """Within a transaction: one change at a time to a young person's verifications (a double-tap, or a code
    used while a verifier approves, cannot leave two open or two active)."""
    await Verification.raw("SELECT id FROM young_person WHERE id = {} FOR UPDATE", yp_id)
