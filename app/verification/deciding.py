"""Verification, the council's side: its queue, approving (until a date) or refusing with a kind reason, ending a
verification, and the decisions log. Only a council's own verifiers see or decide its requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.audit import service as audit
from app.audit.tables import AuditEntry
from app.core.auth import Principal
from app.core.counts import shown
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.settings import Settings
from app.verification.asking import active_on, verifier_emails
from app.verification.tables import Verification, VerificationStatus
from app.young_people import service as young_people


@dataclass(frozen=True)
class Waiting:
    """A request in a council's queue."""

    id: int
    requested_at: datetime
    adviser_name: str
    name: str
    date_of_birth: date


@dataclass(frozen=True)
class ForVerifier:
    """A request or an active verification, as the council's verifiers see it."""

    id: int
    young_person: int
    status: VerificationStatus
    adviser_name: str
    requested_at: datetime
    expires_on: date | None
    name: str
    email: str
    date_of_birth: date
    latest_expiry: date  # the day before their 26th birthday: no verification runs past it


@dataclass(frozen=True)
class VerifiedPerson:
    id: int
    expires_on: date
    name: str


@dataclass(frozen=True)
class Counts:
    verified: str  # as shown: small numbers are not shown exactly
    waiting: str


@dataclass(frozen=True)
class Decision:
    """A line of the decisions log (the young person is a reference number only)."""

    at: datetime
    action: str
    subject_id: int | None
    actor_name: str | None
    actor_email: str | None


async def queue(council_id: int) -> list[Waiting]:
    """Requests waiting for this council, oldest first."""
    rows = await (
        Verification.select(
            Verification.id,
            Verification.requested_at,
            Verification.adviser_name,
            Verification.young_person._.user._.display_name.as_alias("name"),
            Verification.young_person.date_of_birth.as_alias("date_of_birth"),
        )
        .where((Verification.council == council_id) & (Verification.status == VerificationStatus.requested))
        .order_by(Verification.requested_at)
    )
    return [Waiting(**row) for row in rows]


async def one(council_id: int, verification_id: int) -> ForVerifier:
    """A verification of this council's (another council's is simply not found)."""
    row = await (
        Verification.select(
            Verification.id,
            Verification.young_person,
            Verification.status,
            Verification.adviser_name,
            Verification.requested_at,
            Verification.expires_on,
            Verification.young_person._.user._.display_name.as_alias("name"),
            Verification.young_person._.user._.email.as_alias("email"),
            Verification.young_person.date_of_birth.as_alias("date_of_birth"),
        )
        .where(
            (Verification.id == verification_id)
            & (Verification.council == council_id)
            # Once decided against, withdrawn or run out, the council no longer sees the person's details.
            & ((Verification.status == VerificationStatus.requested) | active_on(date.today()))
        )
        .first()
    )
    if row is None:
        raise NotFound(_("We could not find that request."))
    latest_expiry = young_people.last_day_of_eligibility(row["date_of_birth"])
    return ForVerifier(**(row | {"status": VerificationStatus(row["status"]), "latest_expiry": latest_expiry}))


async def _locked_status(council_id: int, verification_id: int) -> tuple[str, int]:
    """Within a transaction: the verification's status and young person, its row locked."""
    rows = await Verification.raw(
        "SELECT status, young_person FROM verification WHERE id = {} AND council = {} FOR UPDATE",
        verification_id,
        council_id,
    )
    if not rows:  # the young person deleted their account meanwhile
        raise NotFound(_("We could not find that request."))
    return rows[0]["status"], rows[0]["young_person"]


def _expiry(form: Form, latest_expiry: date, today: date) -> date:
    raw = form.raw("expires_on")
    try:
        chosen = date.fromisoformat(raw) if raw else latest_expiry
    except ValueError:
        form.error("expires_on", _("Enter a real date, like 2027-03-31."))
        return latest_expiry
    if chosen > latest_expiry:
        form.error("expires_on", _("Choose a date no later than the day before their 26th birthday."))
    elif chosen < today:
        form.error("expires_on", _("Choose today or a later date."))
    return chosen


async def approve(settings: Settings, who: Principal, council_id: int, verification_id: int, form: Form) -> None:
    today = date.today()
    row = await one(council_id, verification_id)
    expires_on = _expiry(form, row.latest_expiry, today)
    form.check()
    async with Verification._meta.db.transaction():
        status, young_person = await _locked_status(council_id, verification_id)
        if status != VerificationStatus.requested:
            raise Conflict(_("Someone has already decided this request."))
        await Verification.update(
            {
                Verification.status: VerificationStatus.verified,
                Verification.decided_at: datetime.now(UTC),
                Verification.decided_by: who.user_id,
                Verification.expires_on: expires_on,
                Verification.reminders_sent: 0,
            }
        ).where(Verification.id == verification_id)
        await end_others(young_person, verification_id, council_id)
        await audit.record(
            "verification.approved",
            actor=who.user_id,
            organisation=council_id,
            subject=("verification", verification_id),
        )
        await mail.send(row.email, "verification_approved", until=expires_on, link=f"{settings.base_url}/offers")


async def end_others(yp_id: int, keep_id: int, council_id: int) -> None:
    """A young person is verified by one council at a time. When a new council verifies them (they moved), the
    old verification ends and that council is told, by reference number only; a renewal by the same council
    simply replaces the old one."""
    ended = await Verification.raw(
        "WITH old AS (SELECT id, council, status FROM verification WHERE young_person = {} AND id <> {}"
        " AND status IN ('verified', 'requested') FOR UPDATE)"
        " UPDATE verification v SET status = 'withdrawn' FROM old WHERE v.id = old.id"
        " RETURNING old.id, old.council, old.status",
        yp_id,
        keep_id,
    )
    for row in ended:
        if row["status"] == VerificationStatus.verified and row["council"] != council_id:
            for email in await verifier_emails(row["council"]):
                await mail.send(email, "verification_moved", reference=row["id"])


async def refuse(settings: Settings, who: Principal, council_id: int, verification_id: int, form: Form) -> None:
    await _close(settings, who, council_id, verification_id, form, VerificationStatus.refused)


async def revoke(settings: Settings, who: Principal, council_id: int, verification_id: int, form: Form) -> None:
    await _close(settings, who, council_id, verification_id, form, VerificationStatus.revoked)


async def _close(
    settings: Settings, who: Principal, council_id: int, verification_id: int, form: Form, status: VerificationStatus
) -> None:
    row = await one(council_id, verification_id)
    reason = form.text("reason", 1000, required=True, label=_("the reason, for the young person"), multiline=True)
    form.check()
    expected = VerificationStatus.requested if status == VerificationStatus.refused else VerificationStatus.verified
    async with Verification._meta.db.transaction():
        found, _young_person = await _locked_status(council_id, verification_id)
        if found != expected:
            raise Conflict(_("Someone has already decided this request."))
        await Verification.update(
            {
                Verification.status: status,
                Verification.decided_at: datetime.now(UTC),
                Verification.decided_by: who.user_id,
                Verification.reason: reason,
            }
        ).where(Verification.id == verification_id)
        await audit.record(
            f"verification.{status}",
            actor=who.user_id,
            organisation=council_id,
            subject=("verification", verification_id),
        )
        await mail.send(row.email, f"verification_{status}", reason=reason, link=f"{settings.base_url}/me")


async def verified_people(council_id: int, today: date) -> list[VerifiedPerson]:
    rows = await (
        Verification.select(
            Verification.id,
            Verification.expires_on,
            Verification.young_person._.user._.display_name.as_alias("name"),
        )
        .where((Verification.council == council_id) & active_on(today))
        .order_by(Verification.expires_on)
    )
    return [VerifiedPerson(**row) for row in rows]


async def counts(council_id: int, today: date) -> Counts:
    verified = await Verification.count().where((Verification.council == council_id) & active_on(today))
    waiting = await Verification.count().where(
        (Verification.council == council_id) & (Verification.status == VerificationStatus.requested)
    )
    return Counts(verified=shown(int(verified)), waiting=str(waiting))


async def decisions(council_id: int, limit: int = 100) -> list[Decision]:
    """The verifiers' decisions log: who decided what, when (the young person is a reference number only)."""
    rows = await (
        AuditEntry.select(
            AuditEntry.at,
            AuditEntry.action,
            AuditEntry.subject_id,
            AuditEntry.actor.display_name.as_alias("actor_name"),
            AuditEntry.actor.email.as_alias("actor_email"),
        )
        .where(
            (AuditEntry.organisation == council_id)
            & (AuditEntry.action.like("verification.%") | AuditEntry.action.like("invitation.%"))
        )
        .order_by(AuditEntry.id, ascending=False)
        .limit(limit)
    )
    return [Decision(**row) for row in rows]
