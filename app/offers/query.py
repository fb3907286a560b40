"""The search page's query: parameters parsed and normalised, Meilisearch filters built from allowed values only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from app.core.charter import BY_SLUG
from app.offers import near
from app.offers.documents import COMMITMENTS, SUPPORT_FLAGS, day_ts, facet
from app.offers.languages import words_for
from app.offers.tables import OfferType
from search.client import JsonDict, SearchClient
from search.folding import words as words_of
from search.normalise import finished, key
from search.places import Place, find_place
from search.settings import OFFERS, query_words

PER_PAGE = 20
MAX_PAGE = 50  # maxTotalHits 1000 / 20
MAX_QUERY = 200
RADII_KM = (5, 10, 25, 50, 100)
DEFAULT_RADIUS_KM = 25
SORTS = ("relevance", "closing", "newest", "nearest")
TYPES = tuple(member.value for member in OfferType)


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    types: tuple[str, ...] = ()
    principle: str = ""
    support: tuple[str, ...] = ()
    commitments: tuple[str, ...] = ()  # `commitment` in the URL and the documents
    near: str = ""
    place: Place | None = None
    radius_km: int = DEFAULT_RADIUS_KM
    sort: str = "relevance"
    page: int = 1
    unknown_place: bool = False

    @property
    def filtered(self) -> bool:
        return bool(self.types or self.principle or self.support or self.commitments or self.place)


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        return default
    return max(low, min(high, value))


def _here(lat: str, lng: str) -> Place | None:
    """'Near me': the browser's position, rounded to about a kilometre; only ever in the URL, never stored."""
    try:
        latitude, longitude = round(float(lat), 2), round(float(lng), 2)
    except ValueError:
        return None
    if not (49.0 <= latitude <= 61.0 and -9.0 <= longitude <= 2.5):  # Great Britain and around
        return None
    return Place(
        slug="here", name="", name_cy="", kind="here", country="", code="", lat=latitude, lng=longitude, area_code=""
    )


def parse(query: Mapping[str, Sequence[str]]) -> SearchParams:
    """Whatever arrives in the URL becomes a valid search: unknown values are dropped, numbers clamped."""

    def one(name: str) -> str:
        values = query.get(name) or [""]
        return str(values[0]).strip()

    near = one("near")[:100]
    place = find_place(near) if near else _here(one("lat"), one("lng"))
    sort = one("sort") if one("sort") in SORTS else "relevance"
    if sort == "nearest" and place is None:
        sort = "relevance"
    radius = _int(one("radius_km") or None, DEFAULT_RADIUS_KM, 1, max(RADII_KM))
    return SearchParams(
        q=" ".join(one("q").split())[:MAX_QUERY],
        types=tuple(dict.fromkeys(t for t in query.get("type", []) if t in TYPES)),
        principle=one("principle") if one("principle") in BY_SLUG else "",
        support=tuple(dict.fromkeys(s for s in query.get("support", []) if s in SUPPORT_FLAGS)),
        commitments=tuple(dict.fromkeys(c for c in query.get("commitment", []) if c in COMMITMENTS)),
        near=near,
        place=place,
        radius_km=radius,
        sort=sort,
        page=_int(one("page") or None, 1, 1, MAX_PAGE),
        unknown_place=bool(near) and place is None,
    )


def _quoted(value: str) -> str:
    # Values come from fixed lists, but quote them anyway so a filter can never be broken out of.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _facet(name: str, value: str) -> str:
    """A filter on one of the documents' `facets` ("type:sport"; app/offers/documents.py)."""
    return f"facets = {_quoted(facet(name, value))}"


def _counts(distribution: Mapping[str, Mapping[str, int]] | None) -> dict[str, dict[str, int]]:
    """Meilisearch's counts of the `facets` attribute ("type:sport": 4) as each name's values' counts
    ({"type": {"sport": 4}})."""
    counts: dict[str, dict[str, int]] = {}
    for tagged, n in ((distribution or {}).get("facets") or {}).items():
        name, _, value = tagged.partition(":")
        counts.setdefault(name, {})[value] = n
    return counts


def build_filter(params: SearchParams, today: date) -> list[str | list[str]]:
    """Meilisearch filters: an inner list is OR, the outer list is AND."""
    filters: list[str | list[str]] = [f"closes_ts >= {day_ts(today)} OR closes_ts IS NULL"]
    if params.types:
        filters.append([_facet("type", t) for t in params.types])
    if params.principle:
        filters.append(_facet("principles", params.principle))
    filters += [_facet("support", flag) for flag in params.support]
    filters += [_facet("commitment", flag) for flag in params.commitments]
    if params.place is not None:
        cells = near.ranges(params.place.lat, params.place.lng, params.radius_km * 1000)
        filters.append(" OR ".join([*(f"near {first} TO {last}" for first, last in cells), "remote = true"]))
    return filters


def build_sort(params: SearchParams) -> list[str] | None:
    if params.sort == "closing":
        return ["closes_ts:asc"]
    if params.sort == "newest":
        return ["published_ts:desc"]
    if params.sort == "nearest" and params.place is not None:
        return [f"_geoPoint({params.place.lat:.5f}, {params.place.lng:.5f}):asc"]
    return None


@dataclass(frozen=True)
class OfferCard:
    """One offer in a list (templates/offers/_card.html): a search hit, or a row on the home page."""

    id: int
    title: str
    summary: str
    type: str
    organisation: str
    location: str
    remote: bool
    closes_on: date | None
    lang: str = "en"

    @classmethod
    def from_hit(cls, hit: Mapping[str, Any], reader: str) -> OfferCard:
        """A search hit (the document's fields that CARD_FIELDS asks Meilisearch for), in the reader's language
        when the offer is written in it."""
        closes_on = hit.get("closes_on")
        words = words_for({"title": "", **hit}, reader)
        return cls(
            id=int(hit["id"]),
            title=words.title,
            summary=words.summary,
            lang=words.lang,
            type=hit.get("type") or "",
            organisation=hit.get("organisation") or "",
            location=hit.get("location") or "",
            remote=bool(hit.get("remote")),
            closes_on=date.fromisoformat(closes_on) if isinstance(closes_on, str) else closes_on,
        )


# What a result card shows (templates/offers/_card.html), nothing more over the wire.
CARD_FIELDS = ["id", "title", "summary", "language", "title_alt", "summary_alt", "organisation", "type", "location"]
CARD_FIELDS += ["remote", "closes_on"]


@dataclass(frozen=True)
class Results:
    hits: list[OfferCard]
    total: int
    pages: int
    page: int
    facets: dict[str, dict[str, int]]


async def search_offers(client: SearchClient, params: SearchParams, today: date, reader: str = "en") -> Results:
    """Offers with every word of the query first (its words as the offers' were indexed: search/normalise.py), then
    those with fewer, the commonest words let go first, so the rare one that says what someone wants is kept ("free
    tickets opera" keeps *opera*): the words go rarest first and Meilisearch's "last" strategy lets go of them from
    the end. (Its own "frequency" strategy finds nothing at all for some queries whose words each match, such as
    "chwarae pel", so it is not used.)"""
    words = await _words(client, params.q)
    asked = [_listed(words, params, today) | {"facets": ["facets"], "hitsPerPage": PER_PAGE, "page": params.page}]
    if params.types:
        # Types are OR'd, so their counts come from the same search without the type filter: "Internship (4)" says
        # what ticking it would add, not 0 because only apprenticeships are ticked.
        asked.append(_asked(words, replace(params, types=()), today) | {"facets": ["facets"], "limit": 0})
    result, *others = await client.searches(asked)
    facets = _counts(result.get("facetDistribution"))
    if others:
        facets["type"] = _counts(others[0].get("facetDistribution")).get("type", {})
    return Results(
        hits=[OfferCard.from_hit(hit, reader) for hit in result["hits"]],
        total=result.get("totalHits") or 0,
        pages=result.get("totalPages") or 0,
        page=result.get("page") or params.page,
        facets=facets,
    )


def _asked(words: str, params: SearchParams, today: date) -> JsonDict:
    """The search page's query as Meilisearch's API takes it: its words and filters."""
    return {"indexUid": OFFERS, "q": words, "matchingStrategy": "last", "filter": build_filter(params, today)}


def _listed(words: str, params: SearchParams, today: date) -> JsonDict:
    """The query, in its order, answered with what a card shows."""
    return _asked(words, params, today) | {"sort": build_sort(params), "attributesToRetrieve": CARD_FIELDS}


async def _words(client: SearchClient, text: str) -> str:
    """What Meilisearch is asked for a query: its words rarest first, and a space after a finished last word."""
    words = await rarest_first(client, query_words(text))
    typed = words_of(text)
    if not typed or finished(typed[-1]) or not words.endswith(key(typed[-1])):
        words += " "  # Meilisearch matches longer words only for a query's last word, and not after a space
    return words


async def newest_hits(client: SearchClient, params: SearchParams, today: date, limit: int) -> list[JsonDict]:
    """The search as the search page makes it (its words, filters and place) sorted newest first: its first `limit`
    hits, with what a card shows, are what a feed of the search lists."""
    newest = replace(params, sort="newest")
    [result] = await client.searches([_listed(await _words(client, params.q), newest, today) | {"limit": limit}])
    return list(result["hits"])


async def rarest_first(client: SearchClient, words: str) -> str:
    """The query's words, those in fewest offers first and those in none last (one multi-search of each word alone,
    for queries of two words or more)."""
    each = list(dict.fromkeys(words.split()))
    if len(each) < 2:
        return words
    counts = await client.searches([{"indexUid": OFFERS, "q": word, "limit": 0} for word in each])
    hits = [result.get("estimatedTotalHits") or 0 for result in counts]
    order = sorted(range(len(each)), key=lambda at: (hits[at] == 0, hits[at], at))
    return " ".join(each[at] for at in order)


def without_place(params: SearchParams) -> SearchParams:
    return replace(params, near="", place=None, sort="relevance" if params.sort == "nearest" else params.sort)


def page_query(params: SearchParams, page: int) -> str:
    """The search page's query string for these parameters on another page (what pagination links and htmx push
    after the page's path); empty for the plain page."""
    pairs: list[tuple[str, str | int | float]] = []
    if params.q:
        pairs.append(("q", params.q))
    pairs += [("type", t) for t in params.types]
    if params.principle:
        pairs.append(("principle", params.principle))
    pairs += [("support", s) for s in params.support]
    pairs += [("commitment", c) for c in params.commitments]
    if params.near:
        pairs += [("near", params.near), ("radius_km", params.radius_km)]
    elif params.place is not None:
        pairs += [("lat", params.place.lat), ("lng", params.place.lng), ("radius_km", params.radius_km)]
    if params.sort != "relevance":
        pairs.append(("sort", params.sort))
    if page > 1:
        pairs.append(("page", page))
    return "?" + urlencode(pairs) if pairs else ""


def page_url(path: str, params: SearchParams, page: int) -> str:
    """`path` (the search page's, from its route) with page_query's query string."""
    return path + page_query(params, page)
