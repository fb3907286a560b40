"""An adviser suggests an opportunity to the young people they advise, with a short note; the young person sees it
at /me (and by email if they asked), opens it, saves it, applies or dismisses it. An application or claim that
follows is counted as taken up after a suggestion (app.uptake), never named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.advisers.service import ADVISING, SUGGESTED, name_of, still_advising
from app.advisers.tables import AdviserLink, LinkStatus, Suggestion
from app.audit import service as audit
from app.core.auth import Principal
from app.core.db import MAX_ID
from app.core.errors import NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.languages import in_language, title_in_languages
from app.offers.service import open_for_uptake
from app.offers.tables import Offer
from app.settings import Settings

NOTE_LENGTH = 500


@dataclass(frozen=True)
class Recipient:
    """Someone an adviser may suggest to: a linked young person."""

    link_id: int
    name: str


@dataclass(frozen=True)
class ForMe:
    """A suggestion, as the young person sees it."""

    id: int
    offer_id: int
    title: str
    lang: str
    note: str
    adviser: str
    created_at: datetime
    opened_at: datetime | None


async def recipients(who: Principal, org_id: int) -> list[Recipient]:
    rows = await AdviserLink.select(
        AdviserLink.id,
        AdviserLink.young_person._.user._.display_name.as_alias("display_name"),
        AdviserLink.young_person._.user._.email.as_alias("email"),
    ).where(
        (AdviserLink.membership._.user == who.user_id)
        & (AdviserLink.membership._.organisation == org_id)
        & (AdviserLink.status == LinkStatus.linked)
        & still_advising()
    )
    found = [Recipient(row["id"], name_of(row["display_name"], row["email"])) for row in rows]
    return sorted(found, key=lambda one: one.name.casefold())


@dataclass(frozen=True)
class Advising:
    """The young people an adviser can suggest an offer to, in one organisation they advise for."""

    org_id: int
    people: list[Recipient]

    @property
    def options(self) -> list[tuple[int, str, str]]:
        """As checkboxes: value, label, note."""
        return [(one.link_id, one.name, "") for one in self.people]


async def advising(who: Principal | None) -> list[Advising]:
    """For an offer's page: nothing (and no query) for anyone who advises nobody."""
    if who is None:
        return []
    found = []
    for member in who.memberships:
        if member.role in ADVISING and member.approved and (people := await recipients(who, member.organisation_id)):
            found.append(Advising(member.organisation_id, people))
    return found


@dataclass(frozen=True)
class Made:
    """What a suggestion did: how many were sent, and the names it had already gone to."""

    sent: int
    already: list[str]


async def suggest(settings: Settings, who: Principal, org_id: int, form: Form, today: date) -> Made:
    """Suggest one open offer to some of the adviser's linked young people (each hears of it once)."""
    people = {one.link_id: one.name for one in await recipients(who, org_id)}
    offer_id = form.number("offer", 1, MAX_ID)
    chosen = form.ids("to", people)
    note = form.text("note", NOTE_LENGTH, multiline=True)
    if not chosen:
        form.error("to", _("Choose who to suggest it to."))
    offer = await open_for_uptake(offer_id, today) if offer_id else None
    if offer_id and offer is None:
        form.error("offer", _("This opportunity is not open any more."))
    form.check()
    assert offer is not None and chosen
    made, already = 0, []
    async with Suggestion._meta.db.transaction():
        words = await Offer.select(Offer.language, Offer.title, Offer.title_alt).where(Offer.id == offer["id"]).first()
        titles = title_in_languages(words or {})
        for link_id in chosen:
            rows = await Suggestion.raw(
                "INSERT INTO adviser_suggestion (link, offer, note, created_at) VALUES ({}, {}, {}, now())"
                " ON CONFLICT (link, offer) DO NOTHING RETURNING id",
                link_id,
                offer["id"],
                note,
            )
            if not rows:
                already.append(people[link_id])
                continue
            made += 1
            await audit.record("adviser.suggested", actor=who.user_id, organisation=org_id, offer=offer["id"],
                               link=link_id)  # fmt: skip
            await _tell(settings, who, link_id, rows[0]["id"], titles)
    return Made(made, already)


async def _tell(settings: Settings, who: Principal, link_id: int, suggestion_id: int, title: Any) -> None:
    link = (
        await AdviserLink.select(
            AdviserLink.email_suggestions, AdviserLink.young_person._.user._.email.as_alias("email")
        )
        .where(AdviserLink.id == link_id)
        .first()
    )
    if link is None or not link["email_suggestions"]:
        return
    url = f"{settings.base_url}/me/suggestions/{suggestion_id}"
    await mail.send(link["email"], "adviser_suggestion", adviser=who.name, title=title, link=url)


SELECT = (
    *SUGGESTED,
    Suggestion.link._.membership._.user._.display_name.as_alias("display_name"),
    Suggestion.link._.membership._.user._.email.as_alias("email"),
)


def _for_me(row: dict[str, Any], reader: str) -> ForMe:
    row = in_language(row, reader)
    adviser = name_of(row.pop("display_name"), row.pop("email"))
    return ForMe(adviser=adviser, **row)


def _theirs(user_id: int) -> Any:
    return (
        (Suggestion.link._.young_person._.user == user_id)
        & (Suggestion.link._.status == LinkStatus.linked)
        & Suggestion.dismissed_at.is_null()
    )


async def for_me(user_id: int, reader: str) -> list[ForMe]:
    """Suggestions not dismissed, newest first."""
    rows = await Suggestion.select(*SELECT).where(_theirs(user_id)).order_by(Suggestion.id, ascending=False)
    return [_for_me(row, reader) for row in rows]


async def open_one(user_id: int, suggestion_id: int, reader: str, looking_only: bool = False) -> ForMe:
    """The young person opens a suggestion: the adviser will see that it was opened (not if `looking_only`)."""
    row = await Suggestion.select(*SELECT).where(_theirs(user_id) & (Suggestion.id == suggestion_id)).first()
    if row is None:
        raise NotFound(_("We could not find that suggestion. It may have been dismissed."))
    if row["opened_at"] is None and not looking_only:
        await Suggestion.raw(
            "UPDATE adviser_suggestion SET opened_at = now() WHERE id = {} AND opened_at IS NULL", suggestion_id
        )
    return _for_me(row, reader)


async def dismiss(user_id: int, suggestion_id: int) -> None:
    rows = await Suggestion.raw(
        "UPDATE adviser_suggestion s SET dismissed_at = now(), opened_at = coalesce(s.opened_at, now())"
        " FROM adviser_link l JOIN young_person y ON y.id = l.young_person"
        ' WHERE s.id = {} AND s.link = l.id AND y."user" = {} AND s.dismissed_at IS NULL RETURNING s.id',
        suggestion_id,
        user_id,
    )
    if not rows:
        raise NotFound(_("We could not find that suggestion. It may have been dismissed."))
