"""Rules about offers."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.offers.tables import Offer, OfferStatus


@dataclass(frozen=True)
class OfferCard:
    id: int
    title: str
    summary: str
    type: str
    organisation: str
    location: str
    remote: bool
    closes_on: date | None


def _open_on(today: date) -> Any:
    return (Offer.status == OfferStatus.published) & (Offer.closes_on.is_null() | (Offer.closes_on >= today))


async def open_offers(today: date, limit: int) -> list[OfferCard]:
    """The newest offers a young person can still take up today."""
    rows = (
        await Offer.select(
            Offer.id,
            Offer.title,
            Offer.summary,
            Offer.type,
            Offer.organisation.name.as_alias("organisation"),
            Offer.location_name.as_alias("location"),
            Offer.remote,
            Offer.closes_on,
        )
        .where(_open_on(today))
        .order_by(Offer.published_at, ascending=False)
        .order_by(Offer.id, ascending=False)
        .limit(limit)
    )
    return [OfferCard(**row) for row in rows]


async def count_open(today: date) -> int:
    return int(await Offer.count().where(_open_on(today)))
