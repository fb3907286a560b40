"""Nudges for advisers: across the young people who linked them, what may need a word. A council confirmation
ending within four weeks, a shared application with no news for two weeks, a suggestion not opened yet. Shown on
a page, and emailed once a week (when there is something to say) by the worker's housekeeping.

Only what the adviser can already see: linked young people only, applications only as shared, and only the
adviser's own suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.advisers.advising import FINISHED, shared_with
from app.advisers.service import ADVISING, name_of, still_advising
from app.advisers.tables import AdviserLink, LinkStatus, NudgeSent, NudgesOff, Suggestion
from app.applications.labels import provider_stage_label
from app.core.auth import Principal
from app.core.errors import NotFound
from app.core.i18n import _
from app.core.keys import matches, unsubscribe_key
from app.mail import service as mail
from app.offers.languages import in_language
from app.organisations.tables import Membership
from app.settings import Settings
from app.verification import asking
from app.verification.reminders import REMINDER_DAYS
from app.verification.tables import VerificationStatus

UNSUBSCRIBE = "/advising/unsubscribe"  # mail programs POST here with no cookies and no CSRF token (RFC 8058)
ENDING_DAYS = REMINDER_DAYS[0]  # the young person's own first reminder: four weeks
QUIET_DAYS = 14


@dataclass(frozen=True)
class Ending:
    """A council confirmation that runs out soon."""

    link_id: int
    name: str
    expires_on: date
    renewing: bool  # they have already asked for it to be renewed


@dataclass(frozen=True)
class Quiet:
    """A shared application that has not moved for a while."""

    link_id: int
    name: str
    offer_id: int
    title: str
    lang: str
    organisation_name: str
    stage: str
    changed: datetime


@dataclass(frozen=True)
class Unopened:
    """One of the adviser's suggestions the young person has not opened (nor dismissed)."""

    link_id: int
    name: str
    offer_id: int
    title: str
    lang: str
    created_at: datetime


@dataclass(frozen=True)
class Nudges:
    ending: list[Ending]
    quiet: list[Quiet]
    unopened: list[Unopened]

    def __bool__(self) -> bool:
        return bool(self.ending or self.quiet or self.unopened)


async def for_adviser(who: Principal, org_id: int, today: date, reader: str) -> Nudges:
    """This person's nudges as an adviser in this organisation."""
    return await for_membership(await _membership(who, org_id), today, reader)


async def page(who: Principal, org_id: int, today: date, reader: str) -> tuple[Nudges, bool]:
    """The page: this person's nudges as an adviser in this organisation, and whether they have the weekly email
    (everyone does until they turn it off)."""
    membership = await _membership(who, org_id)
    off = await NudgesOff.exists().where(NudgesOff.membership == membership)
    return await for_membership(membership, today, reader), not off


async def _membership(who: Principal, org_id: int) -> int:
    membership = (
        await Membership.select(Membership.id)
        .where(
            (Membership.user == who.user_id)
            & (Membership.organisation == org_id)
            & Membership.role.is_in(list(ADVISING))
        )
        .first()
    )
    if membership is None:
        raise NotFound(_("You are not an adviser here."))
    return int(membership["id"])


async def for_membership(membership_id: int, today: date, reader: str) -> Nudges:
    """One adviser's nudges (a membership: the same person advising elsewhere hears about that separately), each
    naming the young person by the name they chose, titles in the reader's language."""
    links = await AdviserLink.select(
        AdviserLink.id,
        AdviserLink.young_person,
        AdviserLink.young_person.user.as_alias("user"),
        AdviserLink.young_person._.user._.display_name.as_alias("display_name"),
        AdviserLink.young_person._.user._.email.as_alias("email"),
        AdviserLink.share_applications,
        AdviserLink.share_codes,
    ).where((AdviserLink.membership == membership_id) & (AdviserLink.status == LinkStatus.linked) & still_advising())
    names = {link["id"]: name_of(link["display_name"], link["email"]) for link in links}
    ending: list[Ending] = []
    quiet: list[Quiet] = []
    for link in links:
        if found := await _ending(link, names[link["id"]], today):
            ending.append(found)
        quiet += await _quiet(link, names[link["id"]], today, reader)
    unopened = await _unopened(names, reader)
    return Nudges(
        ending=sorted(ending, key=lambda one: (one.expires_on, one.name.casefold())),
        quiet=sorted(quiet, key=lambda one: (one.changed, one.name.casefold())),
        unopened=unopened,
    )


async def _ending(link: dict[str, Any], name: str, today: date) -> Ending | None:
    active = await asking.active(link["young_person"], today)
    if active is None or active.expires_on is None or active.expires_on > today + timedelta(days=ENDING_DAYS):
        return None
    latest = await asking.latest(link["young_person"])
    renewing = latest is not None and latest.status == VerificationStatus.requested
    return Ending(link["id"], name, active.expires_on, renewing)


async def _quiet(link: dict[str, Any], name: str, today: date, reader: str) -> list[Quiet]:
    since = today - timedelta(days=QUIET_DAYS)
    shared_applications, _codes = await shared_with(link, reader)
    return [
        Quiet(link["id"], name, row.offer_id, row.title, row.lang, row.organisation_name, row.stage, row.changed)
        for row in shared_applications
        if row.stage not in FINISHED and row.changed.astimezone().date() <= since
    ]


async def _unopened(names: dict[int, str], reader: str) -> list[Unopened]:
    if not names:
        return []
    rows = (
        await Suggestion.select(
            Suggestion.link,
            Suggestion.offer.as_alias("offer_id"),
            Suggestion.offer.title.as_alias("title"),
            Suggestion.offer.language.as_alias("language"),
            Suggestion.offer.title_alt.as_alias("title_alt"),
            Suggestion.created_at,
        )
        .where(Suggestion.link.is_in(list(names)) & Suggestion.opened_at.is_null() & Suggestion.dismissed_at.is_null())
        .order_by(Suggestion.created_at, Suggestion.id)
    )
    found = []
    for row in rows:
        row = in_language(row, reader)
        link_id = row.pop("link")
        found.append(Unopened(link_id=link_id, name=names[link_id], **row))
    return found


# The weekly email, on or off ----------------------------------------------------------------------------------


async def email_weekly(who: Principal, org_id: int, on: bool) -> None:
    """Turn the weekly email on or off from the page (it shows what needs a look either way)."""
    await _email(await _membership(who, org_id), on)


async def _email(membership_id: int, on: bool) -> None:
    if on:
        await NudgesOff.delete().where(NudgesOff.membership == membership_id)
    else:
        await NudgesOff.raw(  # a link from an email may outlive its membership: then there is nothing to stop
            "INSERT INTO adviser_nudges_off (membership, since) SELECT id, now() FROM membership WHERE id = {}"
            " ON CONFLICT DO NOTHING",
            membership_id,
        )


def unsubscribe_token(settings: Settings, membership_id: int) -> str:
    return unsubscribe_key(settings, "nudges", membership_id)


async def unsubscribe(settings: Settings, membership_id: int, key: str, stop: bool) -> None:
    """The one-click link in the email (RFC 8058): its key is its permission, so no sign-in is needed. Opening it
    (`stop` false) only checks the key; its button stops the email."""
    if not matches(unsubscribe_token(settings, membership_id), key):
        raise NotFound(_("This link to stop the email is not right. You can turn it off on the page it links to."))
    if stop:
        await _email(membership_id, on=False)


def week_of(today: date) -> date:
    """The Monday of today's week: one email per adviser per week."""
    return today - timedelta(days=today.weekday())


async def send_weekly(settings: Settings, today: date) -> int:
    """Housekeeping: each adviser with something to say hears once this week, however often (and by however many
    workers) this runs. Returns how many were emailed."""
    week = week_of(today)
    # Those not told this week with a link that might have something (more than will: sharing is checked
    # after), so that a sweep every few minutes does not work everyone's nudges out again to find nothing.
    advisers = await AdviserLink.raw(
        "SELECT DISTINCT m.id, m.organisation, u.email, u.locale FROM membership m"
        ' JOIN organisation o ON o.id = m.organisation JOIN user_account u ON u.id = m."user"'
        " JOIN adviser_link l ON l.membership = m.id AND l.status = 'linked'"
        " WHERE m.role = ANY({}) AND o.approved_at IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM adviser_nudges_off f WHERE f.membership = m.id)"
        " AND NOT EXISTS (SELECT 1 FROM adviser_nudge n WHERE n.membership = m.id AND n.week = {})"
        " AND (EXISTS (SELECT 1 FROM verification v WHERE v.young_person = l.young_person"
        "   AND v.status = 'verified' AND v.expires_on BETWEEN {} AND {})"
        " OR EXISTS (SELECT 1 FROM application a WHERE a.young_person = l.young_person"
        "   AND a.stage <> ALL({}) AND a.updated_at < {})"
        " OR EXISTS (SELECT 1 FROM adviser_suggestion s WHERE s.link = l.id"
        "   AND s.opened_at IS NULL AND s.dismissed_at IS NULL))"
        " ORDER BY m.id",
        list(ADVISING),
        week,
        today,
        today + timedelta(days=ENDING_DAYS),
        list(FINISHED),
        datetime.combine(today - timedelta(days=QUIET_DAYS - 2), time(), UTC),  # a day either side of any zone
    )
    sent = 0
    for adviser in advisers:
        nudges = await for_membership(adviser["id"], today, adviser["locale"])
        if not nudges:
            continue
        async with NudgeSent._meta.db.transaction():
            rows = await NudgeSent.raw(
                "INSERT INTO adviser_nudge (membership, week, sent_at) SELECT {}, {}, now()"
                " WHERE NOT EXISTS (SELECT 1 FROM adviser_nudges_off WHERE membership = {})"
                " ON CONFLICT (membership, week) DO NOTHING RETURNING id",
                adviser["id"],
                week,
                adviser["id"],
            )
            if not rows:  # another worker got there first, or they stopped the email since the list was made
                continue
            link = f"{settings.base_url}/organisations/{adviser['organisation']}/advising/nudges"
            stop = f"{settings.base_url}{UNSUBSCRIBE}/{adviser['id']}/{unsubscribe_token(settings, adviser['id'])}"
            await mail.send(adviser["email"], "adviser_nudges", unsubscribe=stop, nudges=nudges,
                            stage_label=provider_stage_label, link=link)  # fmt: skip
            sent += 1
    return sent
