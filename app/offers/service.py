"""Rules about offers."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from httpx2 import HTTPError  # the Meilisearch SDK's HTTP client; it raises this for non-JSON error pages
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchError

from app.core.charter import AMBITION, LIFELONG, PRINCIPLES, THRIVE
from app.core.db import MAX_ID
from app.core.errors import NotFound, SearchUnavailable
from app.core.i18n import _
from app.offers import query
from app.offers.documents import SUPPORT_FLAGS
from app.offers.tables import Offer, OfferStatus

CLOSING_SOON_DAYS = 7
WORK = {"apprenticeship", "internship", "traineeship", "work_experience", "work_shadowing"}


def default_principles(offer_type: str) -> list[int]:
    """The charter principles an offer type serves before its organisation adds any (DESIGN §3)."""
    if offer_type in WORK:
        return [AMBITION, THRIVE]
    if offer_type == "mentoring":
        return [THRIVE, LIFELONG]
    return [AMBITION]  # sport, leisure, culture


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


def open_on(today: date) -> Any:
    """Offers a young person can still take up today (app.offers.documents.is_searchable says the same of a row)."""
    return (Offer.status == OfferStatus.published) & (Offer.closes_on.is_null() | (Offer.closes_on >= today))


def open_sql(alias: str = "") -> str:
    """`open_on`'s rule in SQL, for statements written by hand (here and in other domains), taking today's date
    as its one parameter: `alias` is the offer table's, with its dot ("o.")."""
    return f"{alias}status = '{OfferStatus.published.value}' AND ({alias}closes_on IS NULL OR {alias}closes_on >= {{}})"


async def open_for_uptake(offer_id: int, today: date) -> dict[str, Any] | None:
    """What taking up one offer needs to know of it, if it is open today: open_on's rule, written in SQL for
    claiming (the query builder took a fifth of a claim's time)."""
    rows = await Offer.raw(
        "SELECT id, organisation, type, principles, claim_limit, claim_period FROM offer"
        f" WHERE id = {{}} AND {open_sql()}",
        offer_id,
        today,
    )
    return dict(rows[0]) if rows else None


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
        .where(open_on(today))
        .order_by(Offer.published_at, ascending=False)
        .order_by(Offer.id, ascending=False)
        .limit(limit)
    )
    return [OfferCard(**row) for row in rows]


async def count_open(today: date) -> int:
    return int(await Offer.count().where(open_on(today)))


def closing_soon(closes_on: date | str | None, today: date) -> bool:
    if closes_on is None:
        return False
    day = date.fromisoformat(closes_on) if isinstance(closes_on, str) else closes_on
    return today <= day <= today + timedelta(days=CLOSING_SOON_DAYS)


async def search(client: AsyncClient, params: query.SearchParams, today: date) -> query.Results:
    try:
        return await query.search_offers(client, params, today)
    except (MeilisearchError, HTTPError, OSError) as exc:
        raise SearchUnavailable(_("Search is not answering just now. Please try again in a minute.")) from exc


def search_choices() -> dict[str, Any]:
    """What the search form offers to choose from."""
    return {
        "types": query.TYPES,
        "supports": SUPPORT_FLAGS,
        "principles": PRINCIPLES,
        "radii": query.RADII_KM,
        "sorts": query.SORTS,
    }


async def offer_for_young_people(offer_id: int, today: date) -> dict[str, Any]:
    """A published offer (or one that has closed, so shared links still explain themselves); drafts are 404."""
    if not 0 < offer_id <= MAX_ID:
        raise NotFound(_("We could not find that opportunity."))
    row = (
        await Offer.select(*Offer.all_columns(), Offer.organisation.name.as_alias("organisation_name"))
        .where(Offer.id == offer_id)
        .first()
    )
    # Closed offers stay readable for people who have the link, but only ones that were once approved.
    if row is None or row["status"] not in (OfferStatus.published, OfferStatus.closed) or row["published_at"] is None:
        raise NotFound(_("We could not find that opportunity."))
    row["is_open"] = row["status"] == OfferStatus.published and (row["closes_on"] is None or row["closes_on"] >= today)
    row["closing_soon"] = row["is_open"] and closing_soon(row["closes_on"], today)
    row["support"] = [flag for flag in SUPPORT_FLAGS if row[flag]]
    return row
