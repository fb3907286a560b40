"""Saved searches: a person keeps a search (its words, filters, place and radius, as the search page's query
string) with a name and how often to hear about new offers; /me/searches says how many new ones match each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from urllib.parse import parse_qs

from app.audit import service as audit
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _, current_locale
from app.core.metrics import timed_search
from app.offers import feeds, query
from app.saved.tables import Frequency, SavedSearch
from search.client import JsonDict, SearchClient
from search.settings import OFFERS, query_words

MAX_SEARCHES = 20
FREQUENCIES = tuple(frequency.value for frequency in Frequency)


def params_of(saved_query: str) -> query.SearchParams:
    """A saved query string back as the search it is (checked again, as anything from a URL is)."""
    return query.parse(parse_qs(saved_query))


def query_of(params: query.SearchParams) -> str:
    """What is saved: the search page's own query string for the first page, without its '?'. Where someone is
    ("Use where I am") is never kept: a town or area chosen by name is."""
    if params.place is not None and params.place.kind == "here":
        params = query.without_place(params)
    return query.page_query(params, 1).removeprefix("?")


def suggested_name(params: query.SearchParams) -> str:
    """A name to start from: the search in a few words, as its feed is named."""
    return feeds.search_name(params, current_locale())[:80]


def _read(form: Form) -> tuple[str, str]:
    name = form.text("name", 80, required=True, label=_("a name for this search"))
    frequency = form.choice("frequency", list(FREQUENCIES), message=_("Choose how often to hear about new ones."))
    return name, frequency


async def create(user_id: int, form: Form, params: query.SearchParams) -> int:
    """Saves the search (its query string, checked) with a name and how often to hear; nothing saved on a problem."""
    name, frequency = _read(form)
    form.check()
    async with SavedSearch._meta.db.transaction():
        count = await SavedSearch.count().where(SavedSearch.user == user_id)
        if count >= MAX_SEARCHES:
            raise Conflict(_("You can keep up to %(max)d searches. Delete one you no longer need first.") % {
                "max": MAX_SEARCHES})  # fmt: skip
        rows = await SavedSearch.insert(
            SavedSearch(user=user_id, name=name, query=query_of(params), frequency=frequency)
        ).returning(SavedSearch.id)
        search_id = int(rows[0]["id"])
        await audit.record("search.saved", actor=user_id, subject=("saved_search", search_id))
    return search_id


@dataclass(frozen=True)
class Kept:
    """One of a person's saved searches, with how many offers matching it are new since they last looked."""

    id: int
    name: str
    query: str
    frequency: str
    paused: bool
    seen_at: datetime
    new: int | None = None  # None: search could not say just now


async def _own(user_id: int, search_id: int) -> SavedSearch:
    found = await SavedSearch.objects().where((SavedSearch.id == search_id) & (SavedSearch.user == user_id)).first()
    if found is None:
        raise NotFound(_("We could not find that saved search."))
    return found


async def mine(user_id: int) -> list[Kept]:
    rows = (
        await SavedSearch.select(
            SavedSearch.id,
            SavedSearch.name,
            SavedSearch.query,
            SavedSearch.frequency,
            SavedSearch.paused,
            SavedSearch.seen_at,
        )
        .where(SavedSearch.user == user_id)
        .order_by(SavedSearch.created_at, ascending=False)
    )
    return [Kept(**row) for row in rows]


def _matching_since(kept: Kept, today: date) -> JsonDict:
    """The saved search as Meilisearch asks it, every word required, for offers published after it was last seen."""
    params = params_of(kept.query)
    since = [f"published_ts > {int(kept.seen_at.timestamp())}"]
    return {
        "indexUid": OFFERS,
        "q": query_words(params.q) + " ",  # the space: whole words only
        "filter": [*query.build_filter(params, today), *since],
        "limit": 0,
        "matchingStrategy": "all",
    }


async def with_new_counts(client: SearchClient, kept: list[Kept], today: date) -> list[Kept]:
    """The searches with how many new offers match each: one multi-search for them all."""
    if not kept:
        return kept
    with timed_search("saved"):
        results = await client.searches([_matching_since(search, today) for search in kept])
    return [
        replace(search, new=result.get("estimatedTotalHits") or 0) for search, result in zip(kept, results, strict=True)
    ]


async def update(user_id: int, search_id: int, form: Form) -> None:
    """Renames it, changes how often to hear, pauses or resumes it."""
    await _own(user_id, search_id)
    name, frequency = _read(form)
    form.check()
    await SavedSearch.update(
        {SavedSearch.name: name, SavedSearch.frequency: frequency, SavedSearch.paused: form.flag("paused")}
    ).where(SavedSearch.id == search_id)


async def delete(user_id: int, search_id: int) -> None:
    await _own(user_id, search_id)
    await SavedSearch.delete().where(SavedSearch.id == search_id)
    await audit.record("search.deleted", actor=user_id, subject=("saved_search", search_id))


async def opened(user_id: int, search_id: int, looking_only: bool = False) -> str:
    """Its results are being looked at now: what is new from here on is newer than this (unless `looking_only`).
    Returns its query."""
    found = await _own(user_id, search_id)
    if not looking_only:
        await SavedSearch.update({SavedSearch.seen_at: datetime.now(UTC)}).where(SavedSearch.id == search_id)
    return str(found.query)
