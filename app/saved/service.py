"""Saving offers to come back to: save and unsave (each said once, however often it is pressed), the list of them,
and one reminder three days before a saved offer closes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.core.errors import NotFound
from app.core.i18n import _
from app.mail import service as mail
from app.offers.documents import is_searchable
from app.offers.languages import in_language, title_in_languages
from app.offers.service import open_on
from app.offers.tables import Offer
from app.saved.tables import SavedOffer
from app.settings import Settings

REMIND_DAYS = 3


async def save(user_id: int, offer_id: int, today: date) -> None:
    """Saves an offer young people can take up today; saving it again changes nothing."""
    if not await Offer.exists().where((Offer.id == offer_id) & open_on(today)):
        raise NotFound(_("We could not find that opportunity."))
    await SavedOffer.raw(
        'INSERT INTO saved_offer ("user", offer, created_at) VALUES ({}, {}, now()) ON CONFLICT DO NOTHING',
        user_id,
        offer_id,
    )


async def unsave(user_id: int, offer_id: int) -> None:
    await SavedOffer.delete().where((SavedOffer.user == user_id) & (SavedOffer.offer == offer_id))


async def saved_among(user_id: int | None, offer_ids: Iterable[int]) -> set[int]:
    """Which of these offers this person saved (none for someone not signed in): the hearts on a list of cards."""
    ids = sorted(set(offer_ids))
    if user_id is None or not ids:
        return set()
    rows = await SavedOffer.select(SavedOffer.offer).where((SavedOffer.user == user_id) & SavedOffer.offer.is_in(ids))
    return {int(row["offer"]) for row in rows}


@dataclass(frozen=True)
class Saved:
    """A saved offer in its person's list, in their language where it is written."""

    offer_id: int
    title: str
    lang: str
    organisation_name: str
    closes_on: date | None
    is_open: bool
    saved_at: datetime


async def mine(user_id: int, today: date, reader: str) -> list[Saved]:
    """What this person saved, newest first; offers that closed say so rather than vanish."""
    rows = (
        await SavedOffer.select(
            SavedOffer.offer.as_alias("offer_id"),
            SavedOffer.offer._.title.as_alias("title"),
            SavedOffer.offer._.language.as_alias("language"),
            SavedOffer.offer._.title_alt.as_alias("title_alt"),
            SavedOffer.offer._.organisation._.name.as_alias("organisation_name"),
            SavedOffer.offer._.closes_on.as_alias("closes_on"),
            SavedOffer.offer._.status.as_alias("status"),
            SavedOffer.created_at.as_alias("saved_at"),
        )
        .where(SavedOffer.user == user_id)
        .order_by(SavedOffer.created_at, ascending=False)
    )
    saved = []
    for row in rows:
        shown = in_language(row, reader)
        is_open = is_searchable(shown, today)  # published and not closed: what open_on says in SQL
        del shown["status"]
        saved.append(Saved(**shown, is_open=is_open))
    return saved


async def remind_closing(settings: Settings, today: date) -> int:
    """Housekeeping: one email, once, when a saved offer that is still open closes within three days."""
    async with SavedOffer._meta.db.transaction():
        rows = await SavedOffer.raw(
            "UPDATE saved_offer s SET reminded_at = now() FROM offer o, user_account u"
            ' WHERE o.id = s.offer AND u.id = s."user" AND s.reminded_at IS NULL'
            " AND o.status = 'published'"
            " AND o.closes_on BETWEEN {} AND {}"
            " RETURNING o.id, o.title, o.language, o.title_alt, o.closes_on, u.email",
            today,
            today + timedelta(days=REMIND_DAYS),
        )
        for row in rows:
            link = f"{settings.base_url}/offers/{row['id']}"
            await mail.send(
                row["email"], "saved_closing", title=title_in_languages(row), closes_on=row["closes_on"], link=link
            )
    return len(rows)
