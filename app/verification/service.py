"""Verification: a young person asks their council once; the council's verifiers approve (until a date) or
refuse with a kind reason. Only a council's own verifiers see or decide its requests."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.audit import service as audit
from app.audit.tables import AuditEntry
from app.core import ratelimit
from app.core.auth import Principal
from app.core.counts import shown
from app.core.db import MAX_ID
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.organisations.tables import MemberRole, Membership, Organisation, OrganisationKind
from app.settings import Settings
from app.verification.tables import Verification, VerificationStatus
from app.young_people import service as young_people

DIGITS = re.compile(r"[0-9]{1,9}")
ASKS_PER_DAY = 5
REMINDER_DAYS = (28, 7)


def active_on(today: date) -> Any:
    return (Verification.status == VerificationStatus.verified) & (Verification.expires_on >= today)


async def is_verified(user_id: int, today: date) -> bool:
    """Whether this person may apply and claim codes today."""
    return bool(await Verification.exists().where((Verification.young_person.user == user_id) & active_on(today)))


async def require_verified(who: Principal, today: date) -> None:
    if not await is_verified(who.user_id, today):
        raise Forbidden(_("Your council needs to confirm you can use Cyfle first. It only takes one request."))


async def active(yp_id: int, today: date) -> dict[str, Any] | None:
    """The verification that is in force today, if any."""
    return (
        await Verification.select(*Verification.all_columns(), Verification.council.name.as_alias("council_name"))
        .where((Verification.young_person == yp_id) & active_on(today))
        .order_by(Verification.id, ascending=False)
        .first()
    )


def can_renew(latest: dict[str, Any] | None, active: dict[str, Any] | None, today: date) -> bool:
    """Renewal is offered once a verification has run out, or from the first reminder (four weeks before), and
    not while a request is already waiting."""
    if latest is None or latest["expires_on"] is None or latest["status"] == VerificationStatus.requested:
        return False
    return active is None or active["expires_on"] <= today + timedelta(days=REMINDER_DAYS[0])


async def latest(yp_id: int) -> dict[str, Any] | None:
    return (
        await Verification.select(*Verification.all_columns(), Verification.council.name.as_alias("council_name"))
        .where(Verification.young_person == yp_id)
        .order_by(Verification.id, ascending=False)
        .first()
    )


async def councils() -> list[dict[str, Any]]:
    """Councils on Cyfle that can verify (approved ones)."""
    return await (
        Organisation.select(Organisation.id, Organisation.name, Organisation.council_area)
        .where((Organisation.kind == OrganisationKind.council) & Organisation.approved_at.is_not_null())
        .order_by(Organisation.name)
    )


async def _verifier_emails(council_id: int) -> list[str]:
    rows = await Membership.select(Membership.user.email).where(
        (Membership.organisation == council_id) & (Membership.role == MemberRole.verifier)
    )
    return [row["user.email"] for row in rows]


async def ask(settings: Settings, who: Principal, form: Form) -> None:
    """A young person asks a council (usually their own) to confirm them; any earlier open request is replaced."""
    profile = await young_people.get(who.user_id)
    if profile is None:
        raise Conflict(_("Tell us a little about you first."))
    choices = {row["id"]: row for row in await councils()}
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
        await lock_person(profile["id"])
        await Verification.update({Verification.status: VerificationStatus.withdrawn}).where(
            (Verification.young_person == profile["id"]) & (Verification.status == VerificationStatus.requested)
        )
        rows = await Verification.insert(
            Verification(young_person=profile["id"], council=council_id, adviser_name=adviser)
        ).returning(Verification.id)
        await audit.record(
            "verification.requested",
            actor=who.user_id,
            organisation=council_id,
            subject=("verification", rows[0]["id"]),
        )
        link = f"{settings.base_url}/organisations/{council_id}/verification"
        for email in await _verifier_emails(council_id):
            await mail.send(email, "verification_waiting", link=link)


async def renew(settings: Settings, who: Principal) -> None:
    """One tap when a verification has run out: ask the same council again."""
    profile = await young_people.get(who.user_id)
    last = await latest(profile["id"]) if profile else None
    if last is None:
        raise Conflict(_("Choose your council to ask for the first time."))
    await ask(settings, who, Form({"council": str(last["council"]), "adviser_name": last["adviser_name"]}))


# The council's side -------------------------------------------------------------------------------------------


async def queue(council_id: int) -> list[dict[str, Any]]:
    """Requests waiting for this council, oldest first."""
    return await (
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


async def one(council_id: int, verification_id: int) -> dict[str, Any]:
    """A verification of this council's (another council's is simply not found)."""
    row = None
    if 0 < verification_id <= MAX_ID:
        row = await (
            Verification.select(
                *Verification.all_columns(),
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
    return row | {"latest_expiry": young_people.last_day_of_eligibility(row["date_of_birth"])}


async def _locked(council_id: int, verification_id: int) -> dict[str, Any]:
    rows = await Verification.raw(
        "SELECT * FROM verification WHERE id = {} AND council = {} FOR UPDATE", verification_id, council_id
    )
    if not rows:  # the young person deleted their account meanwhile
        raise NotFound(_("We could not find that request."))
    return rows[0]


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
    expires_on = _expiry(form, row["latest_expiry"], today)
    form.check()
    async with Verification._meta.db.transaction():
        locked = await _locked(council_id, verification_id)
        if locked["status"] != VerificationStatus.requested:
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
        await end_others(locked["young_person"], verification_id, council_id)
        await audit.record(
            "verification.approved",
            actor=who.user_id,
            organisation=council_id,
            subject=("verification", verification_id),
        )
        await mail.send(row["email"], "verification_approved", until=expires_on, link=f"{settings.base_url}/offers")


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
            for email in await _verifier_emails(row["council"]):
                await mail.send(email, "verification_moved", reference=row["id"])


async def lock_verified_person(who: Principal, today: date) -> dict[str, Any]:
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
    return dict(rows[0])


async def lock_person(yp_id: int) -> None:
    """Within a transaction: one change at a time to a young person's verifications (a double-tap, or a code
    used while a verifier approves, cannot leave two open or two active)."""
    await Verification.raw("SELECT id FROM young_person WHERE id = {} FOR UPDATE", yp_id)


async def refuse(settings: Settings, who: Principal, council_id: int, verification_id: int, form: Form) -> None:
    await _close(settings, who, council_id, verification_id, form, VerificationStatus.refused)


async def revoke(settings: Settings, who: Principal, council_id: int, verification_id: int, form: Form) -> None:
    await _close(settings, who, council_id, verification_id, form, VerificationStatus.revoked)


async def _close(
    settings: Settings, who: Principal, council_id: int, verification_id: int, form: Form, status: str
) -> None:
    row = await one(council_id, verification_id)
    reason = form.text("reason", 1000, required=True, label=_("the reason, for the young person"), multiline=True)
    form.check()
    expected = VerificationStatus.requested if status == VerificationStatus.refused else VerificationStatus.verified
    async with Verification._meta.db.transaction():
        locked = await _locked(council_id, verification_id)
        if locked["status"] != expected:
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
        await mail.send(row["email"], f"verification_{status}", reason=reason, link=f"{settings.base_url}/me")


async def verified_people(council_id: int, today: date) -> list[dict[str, Any]]:
    return await (
        Verification.select(
            Verification.id,
            Verification.expires_on,
            Verification.young_person._.user._.display_name.as_alias("name"),
        )
        .where((Verification.council == council_id) & active_on(today))
        .order_by(Verification.expires_on)
    )


async def counts(council_id: int, today: date) -> dict[str, str]:
    verified = await Verification.count().where((Verification.council == council_id) & active_on(today))
    waiting = await Verification.count().where(
        (Verification.council == council_id) & (Verification.status == VerificationStatus.requested)
    )
    return {"verified": shown(int(verified)), "waiting": str(waiting)}


async def decisions(council_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The verifiers' decisions log: who decided what, when (the young person is a reference number only)."""
    return await (
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


async def send_reminders(settings: Settings, today: date) -> int:
    """Housekeeping: tell people four weeks and one week before their verification runs out."""
    sent = 0
    # The one-week reminder first: someone whose four weeks were missed gets one email, not two.
    for number, days in sorted(enumerate(REMINDER_DAYS, start=1), reverse=True):
        async with Verification._meta.db.transaction():
            sent += await _remind(settings, today, number, days)
    return sent


async def _remind(settings: Settings, today: date, number: int, days: int) -> int:
    sent = 0
    rows = await Verification.raw(
        "UPDATE verification v SET reminders_sent = {} FROM young_person y, user_account u"
        " WHERE v.young_person = y.id AND y.\"user\" = u.id AND v.status = 'verified'"
        " AND v.expires_on >= {} AND v.expires_on <= {} AND v.reminders_sent < {}"
        " RETURNING v.expires_on, u.email, y.email_updates",
        number,
        today,
        today + timedelta(days=days),
        number,
    )
    for row in rows:
        if row["email_updates"]:
            await mail.send(
                row["email"], "verification_reminder", until=row["expires_on"], link=f"{settings.base_url}/me"
            )
            sent += 1
    return sent
