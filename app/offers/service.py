"""Rules about offers."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, TypedDict, cast

from httpx2 import HTTPError  # the Meilisearch SDK's HTTP client; it raises this for non-JSON error pages
from meilisearch_python_sdk.errors import MeilisearchError

from app.core.charter import AMBITION, LIFELONG, PRINCIPLES, THRIVE, Principle
from app.core.errors import NotFound, SearchUnavailable
from app.core.i18n import InLanguages, _
from app.core.metrics import timed_search
from app.offers import query
from app.offers.documents import COMMITMENTS, SUPPORT_FLAGS, is_searchable
from app.offers.feeds import FEED_SIZE, FeedOffer
from app.offers.languages import title_in_languages, words_for, written
from app.offers.query import OfferCard
from app.offers.rows import NamedOfferRow, OfferPage
from app.offers.tables import Offer, OfferStatus
from search.client import SearchClient

CLOSING_SOON_DAYS = 7
log = logging.getLogger(__name__)
WORK = {"apprenticeship", "internship", "traineeship", "work_experience", "work_shadowing"}
# Offers that may keep places for care-experienced young people or guarantee them an interview: work, where people
# apply and some are chosen. Not mentoring (everyone who asks is matched) nor concessions (codes, not places).
COMMITTING: Final = frozenset(WORK)


def default_principles(offer_type: str) -> list[int]:
    """The charter principles an offer type serves before its organisation adds any (DESIGN §3)."""
    if offer_type in WORK:
        return [AMBITION, THRIVE]
    if offer_type == "mentoring":
        return [THRIVE, LIFELONG]
    return [AMBITION]  # sport, leisure, culture


def open_on(today: date) -> Any:
    """Offers a young person can still take up today (app.offers.documents.is_searchable says the same of a row)."""
    return (Offer.status == OfferStatus.published) & (Offer.closes_on.is_null() | (Offer.closes_on >= today))


def open_sql(alias: str = "") -> str:
    """`open_on`'s rule in SQL, for statements written by hand (here and in other domains), taking today's date
    as its one parameter: `alias` is the offer table's, with its dot ("o.")."""
    return f"{alias}status = '{OfferStatus.published.value}' AND ({alias}closes_on IS NULL OR {alias}closes_on >= {{}})"


OPEN_SQL: Final = open_sql()  # open_on's rule for the offer table by its own name


class UptakeOffer(TypedDict):
    """What taking up one offer needs to know of it (a dict: other domains' rules and the uptake row read it)."""

    id: int
    organisation: int
    type: str
    principles: list[int]
    claim_limit: int
    claim_period: str


# The only interpolation is OPEN_SQL, this module's constant: the offer id and today go as parameters.
UPTAKE_SQL: Final = (
    "SELECT id, organisation, type, principles, claim_limit, claim_period FROM offer"  # noqa: S608
    f" WHERE id = {{}} AND {OPEN_SQL}"
)


async def open_for_uptake(offer_id: int, today: date) -> UptakeOffer | None:
    """What taking up one offer needs to know of it, if it is open today: open_on's rule, written in SQL for
    claiming (the query builder took a fifth of a claim's time)."""
    rows = await Offer.raw(UPTAKE_SQL, offer_id, today)
    return cast(UptakeOffer, dict(rows[0])) if rows else None


async def open_offers(today: date, limit: int, reader: str) -> list[OfferCard]:
    """The newest offers a young person can still take up today, in the reader's language where written."""
    rows = (
        await Offer.select(
            Offer.id,
            Offer.title,
            Offer.summary,
            Offer.language,
            Offer.title_alt,
            Offer.summary_alt,
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
    return [OfferCard.from_hit(row, reader) for row in rows]


async def count_open(today: date) -> int:
    return int(await Offer.count().where(open_on(today)))


def closing_soon(closes_on: date | str | None, today: date) -> bool:
    if closes_on is None:
        return False
    day = date.fromisoformat(closes_on) if isinstance(closes_on, str) else closes_on
    return today <= day <= today + timedelta(days=CLOSING_SOON_DAYS)


@contextmanager
def _search_answers() -> Iterator[None]:
    try:
        yield
    except (MeilisearchError, HTTPError, OSError) as exc:
        raise SearchUnavailable(_("Search is not answering just now. Please try again in a minute.")) from exc


async def search(client: SearchClient, params: query.SearchParams, today: date, reader: str) -> query.Results:
    with _search_answers(), timed_search("offers"):
        return await query.search_offers(client, params, today, reader)


async def search_or_newest(
    client: SearchClient, params: query.SearchParams, today: date, reader: str
) -> tuple[query.Results, bool]:
    """The search's results and False; while Meilisearch is away (restarting, or rebuilding after it lost its data),
    the newest open offers from the database and True, so the page says search is catching up instead of failing."""
    try:
        return await search(client, params, today, reader), False
    except SearchUnavailable:
        log.warning("search is not answering: the search page shows the newest offers meanwhile")
    offers = await open_offers(today, query.PER_PAGE, reader)
    return query.Results(hits=offers, total=len(offers), pages=1, page=1, facets={}), True


async def newest(client: SearchClient, params: query.SearchParams, today: date, reader: str) -> list[FeedOffer]:
    """A search's newest offers, for its feed: what the index finds (only findable offers are in it), newest first,
    with when each was first approved and last changed for young people (approved again, or findable again)."""
    with _search_answers(), timed_search("feed"):
        hits = await query.newest_hits(client, params, today, FEED_SIZE)
    if not hits:
        return []
    rows = await Offer.select(Offer.id, Offer.published_at, Offer.live_since, Offer.public_changed_at).where(
        Offer.id.is_in([int(hit["id"]) for hit in hits])
    )
    times = {row["id"]: row for row in rows}
    offers = []
    for hit in hits:
        row = times.get(int(hit["id"]))
        if row is None or row["published_at"] is None:  # gone from the database since the index last heard
            continue
        changed = [moment for moment in (row["published_at"], row["live_since"], row["public_changed_at"]) if moment]
        offers.append(FeedOffer(OfferCard.from_hit(hit, reader), published=row["published_at"], updated=max(changed)))
    return offers


@dataclass(frozen=True)
class SearchChoices:
    """What the search form offers to choose from."""

    types: tuple[str, ...] = query.TYPES
    supports: tuple[str, ...] = SUPPORT_FLAGS
    commitments: tuple[str, ...] = COMMITMENTS
    principles: tuple[Principle, ...] = PRINCIPLES
    radii: tuple[int, ...] = query.RADII_KM
    sorts: tuple[str, ...] = query.SORTS


def search_choices() -> SearchChoices:
    return SearchChoices()


async def titles(offer_id: int) -> InLanguages:
    """An offer's title as each language has it, for an email rendered in its reader's language."""
    row = await Offer.select(Offer.title, Offer.language, Offer.title_alt).where(Offer.id == offer_id).first()
    return title_in_languages(row) if row else InLanguages({})


async def offer_for_young_people(offer_id: int, today: date, reader: str = "en") -> OfferPage:
    """A published offer (or one that has closed, so shared links still explain themselves); drafts are 404.
    Its title, summary and description are the reader's language's when written (`lang` says which)."""
    found = (
        await Offer.select(*Offer.all_columns(), Offer.organisation.name.as_alias("organisation_name"))
        .where(Offer.id == offer_id)
        .first()
    )
    # Closed offers stay readable for people who have the link, but only ones that were once approved.
    if (
        found is None
        or found["status"] not in (OfferStatus.published, OfferStatus.closed)
        or found["published_at"] is None
    ):
        raise NotFound(_("We could not find that opportunity."))
    row = cast(NamedOfferRow, found)
    is_open = is_searchable(row, today)
    words = words_for(row, reader)
    return OfferPage(
        **(row | {"title": words.title, "summary": words.summary, "description": words.description}),
        lang=words.lang,
        languages=list(written(row)),
        is_open=is_open,
        closing_soon=is_open and closing_soon(row["closes_on"], today),
        support=[flag for flag in SUPPORT_FLAGS if found[flag]],
        commitments=[flag for flag in COMMITMENTS if found[flag]],
    )
