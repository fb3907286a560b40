"""A young person's profile, and their data: everything we hold, to download, and erasure on request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from app.accounts.tables import SignInToken, User, UserSession
from app.advisers.tables import AdviserLink, Suggestion
from app.applications.tables import Application, StageChange
from app.audit.tables import AuditEntry
from app.codes.tables import Code, CodeWaiter
from app.core.auth import Principal
from app.core.errors import Conflict
from app.core.forms import Form
from app.core.i18n import _
from app.feedback.tables import Feedback
from app.mail.tables import MailMessage
from app.organisations import members
from app.organisations.tables import Membership
from app.verdicts.tables import VerdictGiven, VerdictInvite
from app.verification.tables import Verification
from app.young_people.tables import YoungPerson
from search.places import by_code

MIN_AGE = 16
MAX_AGE = 25


@dataclass(frozen=True)
class Profile:
    """A young person's profile, as kept."""

    id: int
    user: int
    date_of_birth: date
    home_council: str
    email_updates: bool
    created_at: datetime


@dataclass(frozen=True)
class Person:
    """A young person as the counts know them: which one (for the keyed hash) and the council area they live in."""

    id: int
    home_council: str


@dataclass(frozen=True)
class ProfileForm:
    """A profile as typed, once it is valid."""

    display_name: str
    date_of_birth: date
    home_council: str
    email_updates: bool


class StillOwns(Conflict):
    """The person is the one owner of organisations: they make someone else owner before their account goes."""

    def __init__(self, organisations: list[members.Owned]) -> None:
        super().__init__(_("Make someone else an owner of your organisations before you delete your account."))
        self.organisations = organisations


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def birthday(born: date, age: int) -> date:
    """The day someone turns `age` (a 29 February birthday falls on 1 March in other years)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


def last_day_of_eligibility(born: date) -> date:
    """The day before their 26th birthday: verification runs out then at the latest."""
    return birthday(born, MAX_AGE + 1) - timedelta(days=1)


def outside_age_range(raw: str, today: date) -> bool:
    """Whether a typed date of birth is a real one outside 16 to 25 (the page then says where else to look)."""
    try:
        born = date.fromisoformat(raw.strip())
    except ValueError:
        return False
    return born <= today and not MIN_AGE <= age_on(born, today) <= MAX_AGE and age_on(born, today) <= 100


def read_profile(form: Form, today: date) -> ProfileForm:
    display_name = form.text("display_name", 100, required=True, label=_("the name to show"))
    home_council = form.raw("home_council")
    email_updates = form.flag("email_updates")
    raw = form.raw("date_of_birth")
    try:
        born = date.fromisoformat(raw)
    except ValueError:
        form.error("date_of_birth", _("Enter your date of birth, like 2007-03-31."))
        born = None
    if born is not None:
        age = age_on(born, today)
        if born > today or age > 100:
            form.error("date_of_birth", _("Enter your real date of birth."))
        elif age < MIN_AGE:
            form.error("date_of_birth", _("Cyfle is for people aged 16 to 25, so you cannot join yet."))
        elif age > MAX_AGE:
            form.error("date_of_birth", _("Cyfle is for people aged 16 to 25, so you cannot join."))
    if not home_council or by_code(home_council) is None:
        form.error("home_council", _("Choose the council area you live in."))
    form.check()
    assert born is not None  # a date that did not parse is an error, and check() has raised
    return ProfileForm(display_name, born, home_council, email_updates)


async def get(user_id: int) -> Profile | None:
    row = await YoungPerson.select().where(YoungPerson.user == user_id).first()
    return None if row is None else Profile(**row)


async def save(who: Principal, form: Form, today: date) -> int:
    """Create or change the profile; returns the young person's id."""
    values = read_profile(form, today)
    async with YoungPerson._meta.db.transaction():
        await User.update({User.display_name: values.display_name}).where(User.id == who.user_id)
        rows = await YoungPerson.raw(
            'INSERT INTO young_person ("user", date_of_birth, home_council, email_updates, created_at)'
            ' VALUES ({}, {}, {}, {}, now()) ON CONFLICT ("user") DO UPDATE SET'
            " date_of_birth = EXCLUDED.date_of_birth, home_council = EXCLUDED.home_council,"
            " email_updates = EXCLUDED.email_updates RETURNING id",
            who.user_id,
            values.date_of_birth,
            values.home_council,
            values.email_updates,
        )
    return int(rows[0]["id"])


class Everything(TypedDict):
    """All we hold about a person, as the JSON document they download: each row a JSON object."""

    account: dict[str, object]
    advisers: list[dict[str, object]]
    suggestions: list[dict[str, object]]
    profile: dict[str, object] | None
    verifications: list[dict[str, object]]
    applications: list[dict[str, object]]
    application_history: list[dict[str, object]]
    codes: list[dict[str, object]]
    waiting_lists: list[dict[str, object]]
    feedback: list[dict[str, object]]
    verdicts: list[dict[str, object]]
    verdict_invitations: list[dict[str, object]]
    memberships: list[dict[str, object]]
    audit: list[dict[str, object]]
    sessions: list[dict[str, object]]
    emails: list[dict[str, object]]


def _plain(row: dict[str, Any]) -> dict[str, object]:
    """A row as a JSON object: dates (and times) as ISO text."""
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in row.items()}


async def everything(user_id: int) -> Everything:
    """All we hold about a person, for them to download."""
    user = (
        await User.select(User.email, User.display_name, User.locale, User.created_at, User.last_sign_in_at)
        .where(User.id == user_id)
        .first()
    )
    assert user is not None
    profile = (
        await YoungPerson.select(
            YoungPerson.date_of_birth, YoungPerson.home_council, YoungPerson.email_updates, YoungPerson.created_at
        )
        .where(YoungPerson.user == user_id)
        .first()
    )
    verifications = (
        await Verification.select(
            Verification.council.name.as_alias("council"),
            Verification.status,
            Verification.adviser_name,
            Verification.requested_at,
            Verification.decided_at,
            Verification.expires_on,
            Verification.reason,
        )
        .where(Verification.young_person.user == user_id)
        .order_by(Verification.id)
    )
    sessions = await UserSession.select(UserSession.created_at, UserSession.last_seen_at).where(
        UserSession.user == user_id
    )
    applications = await Application.select(
        Application.offer._.title.as_alias("offer"),
        Application.message,
        Application.contact_by,
        Application.phone,
        Application.stage,
        Application.created_at,
    ).where(Application.young_person._.user == user_id)
    feedback = await Feedback.select(
        Feedback.offer._.title.as_alias("offer"),
        Feedback.rating,
        Feedback.words,
        Feedback.share_name,
        Feedback.created_at,
    ).where(Feedback.young_person._.user == user_id)
    # Which organisations they gave their verdict on, not what they said: the answers are kept apart from them,
    # with nothing that says whose they are (app.verdicts), so nobody can find theirs, to give back or to read.
    verdicts = (
        await VerdictGiven.select(
            VerdictGiven.organisation._.name.as_alias("organisation"), VerdictGiven.year.as_alias("reporting_year")
        )
        .where(VerdictGiven.young_person._.user == user_id)
        .order_by(VerdictGiven.year)
    )
    invited = await VerdictInvite.select(VerdictInvite.year.as_alias("reporting_year")).where(
        VerdictInvite.young_person._.user == user_id
    )
    emails = await MailMessage.select(MailMessage.subject, MailMessage.created_at, MailMessage.sent_at).where(
        MailMessage.recipient == user["email"]
    )
    codes = await Code.select(
        Code.offer._.title.as_alias("offer"),
        Code.code,
        Code.claimed_at,
        Code.expires_at,
        Code.redeemed_at,
    ).where(Code.claimed_by._.user == user_id)
    waiting = await CodeWaiter.select(CodeWaiter.offer._.title.as_alias("offer"), CodeWaiter.created_at).where(
        CodeWaiter.young_person._.user == user_id
    )
    history = (
        await StageChange.select(
            StageChange.application._.offer._.title.as_alias("offer"), StageChange.stage, StageChange.at
        )
        .where(StageChange.application._.young_person._.user == user_id)
        .order_by(StageChange.id)
    )
    memberships = await Membership.select(
        Membership.organisation._.name.as_alias("organisation"), Membership.role
    ).where(Membership.user == user_id)
    advisers = await AdviserLink.select(
        AdviserLink.membership._.user._.display_name.as_alias("adviser"),
        AdviserLink.membership._.organisation._.name.as_alias("organisation"),
        AdviserLink.status,
        AdviserLink.share_applications,
        AdviserLink.share_codes,
        AdviserLink.email_suggestions,
        AdviserLink.created_at,
        AdviserLink.linked_at,
    ).where(AdviserLink.young_person._.user == user_id)
    suggestions = await Suggestion.select(
        Suggestion.offer._.title.as_alias("offer"),
        Suggestion.note,
        Suggestion.created_at,
        Suggestion.opened_at,
        Suggestion.dismissed_at,
    ).where(Suggestion.link._.young_person._.user == user_id)
    return {
        "account": _plain(user),
        "advisers": [_plain(row) for row in advisers],
        "suggestions": [_plain(row) for row in suggestions],
        "profile": _plain(profile) if profile else None,
        "verifications": [_plain(row) for row in verifications],
        "applications": [_plain(row) for row in applications],
        "application_history": [_plain(row) for row in history],
        "codes": [_plain(row) for row in codes],
        "waiting_lists": [_plain(row) for row in waiting],
        "feedback": [_plain(row) for row in feedback],
        "verdicts": [_plain(row) for row in verdicts],
        "verdict_invitations": [_plain(row) for row in invited],
        "memberships": [_plain(row) for row in memberships],
        "audit": await _audit_about(user_id),
        "sessions": [_plain(row) for row in sessions],
        "emails": [_plain(row) for row in emails],
    }


# What the audit log says about a person: what they did, and what was done to them or their verifications.
AUDIT_ABOUT_SQL = """
SELECT a.at, a.action, o.name AS organisation, a.detail, (a.actor = {user}) AS by_you
FROM audit_log a LEFT JOIN organisation o ON o.id = a.organisation
WHERE a.actor = {user}
   OR (a.subject_type = 'user' AND a.subject_id = {user})
   OR (a.subject_type = 'verification' AND a.subject_id IN (
       SELECT v.id FROM verification v JOIN young_person y ON y.id = v.young_person WHERE y."user" = {user}))
ORDER BY a.id
"""


async def _audit_about(user_id: int) -> list[dict[str, object]]:
    rows = await AuditEntry.raw(AUDIT_ABOUT_SQL.replace("{user}", "{}"), user_id, user_id, user_id, user_id)
    return [_plain(row) for row in rows]


async def erase(user_id: int) -> None:
    """Delete the person: their account, profile, verifications (and the reasons a verifier wrote), sessions,
    sign-in links and emails go. Records of what happened stay, with nobody's name on them (uptake counts, the
    audit log's actions, no longer pointing at them or their verifications, and their verdicts' answers, which
    never named them). The one owner of an organisation is
    refused (StillOwns) until they hand it over: an organisation is never left with nobody to run it."""
    async with User._meta.db.transaction():
        user = await User.select(User.email).where(User.id == user_id).first()
        if user is None:
            return
        if alone := await members.only_owner_of(user_id, lock=True):
            raise StillOwns(alone)
        theirs = await Verification.select(Verification.id).where(Verification.young_person._.user == user_id)
        if theirs:
            await AuditEntry.raw(
                "UPDATE audit_log SET subject_id = NULL, detail = detail - 'reason'"
                " WHERE subject_type = 'verification' AND subject_id = ANY({})",
                [row["id"] for row in theirs],
            )
        await MailMessage.delete().where(MailMessage.recipient == user["email"])
        await SignInToken.delete().where(SignInToken.email == user["email"])
        await AuditEntry.update({AuditEntry.subject_id: None}).where(
            (AuditEntry.subject_type == "user") & (AuditEntry.subject_id == user_id)
        )
        await User.delete().where(User.id == user_id)  # cascades to profile, verifications, sessions
