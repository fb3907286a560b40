"""The query string of the open data's lists, read strictly: anything we cannot honour is a 400 that says why,
never a list that quietly ignores a filter (a directory would publish the wrong services)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from app.core.errors import BadRequest
from app.core.i18n import _
from app.openreferral.ids import Kind, row_id
from app.openreferral.taxonomies import Found, Taxonomy, taxonomies_by_id, terms_by_id
from search.places import find_place

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000
MAX_WORDS = 200
MAX_PROXIMITY_M = 1_000_000
UNSUPPORTED = ("start_time", "end_time", "day")  # the profile's schedule filters: our offers have no opening hours


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    after: int | None = None  # the offer id the page starts after (the Link header's next page)

    @property
    def offset(self) -> int:
        return 0 if self.after is not None else (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Near:
    lat: float
    lng: float
    metres: int


@dataclass(frozen=True)
class Filters:
    words: str = ""
    term: Found | None = None
    taxonomy: Taxonomy | None = None
    organisation: int | None = None
    modified_after: datetime | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    near: Near | None = None


class Query:
    """The first value of each parameter (a repeated one is not a list here), bounded in length."""

    def __init__(self, raw: Mapping[str, Sequence[str]]) -> None:
        self.raw = raw

    def get(self, name: str) -> str:
        values = self.raw.get(name) or [""]
        return values[0].strip()[:1000]


def _whole(query: Query, name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise BadRequest(_("%(name)s must be a whole number from %(low)d to %(high)d.") % {
            "name": name, "low": low, "high": high,
        })  # fmt: skip
    return value


def _number(query: Query, name: str, low: float, high: float) -> float | None:
    text = query.get(name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not low <= value <= high:  # NaN and infinities fail too
        raise BadRequest(_("%(name)s must be a number from %(low)s to %(high)s.") % {
            "name": name, "low": f"{low:g}", "high": f"{high:g}",
        })  # fmt: skip
    return value


def _ours(name: str) -> str:
    return _("%(name)s must be an id this API gave out.") % {"name": name}


def paging(raw: Mapping[str, Sequence[str]], keyset: bool = True) -> Paging:
    """`page` and `per_page`; with `keyset`, also `after` (the next link of a list of services)."""
    query = Query(raw)
    page = _whole(query, "page", 1, 1, MAX_PAGE)
    per_page = _whole(query, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    after_text = query.get("after") if keyset else ""
    if not after_text:
        return Paging(page, per_page)
    after = row_id(Kind.service, after_text)
    if after is None:
        raise BadRequest(_ours("after"))
    if not query.get("page") or page < 2:
        raise BadRequest(_("after goes with the page it starts: follow the next link in the Link header."))
    return Paging(page, per_page, after)


def _modified_after(query: Query) -> datetime | None:
    text = query.get("modified_after")
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace(" ", "+"))  # a + left unescaped in a URL arrives as a space
    except ValueError:
        try:
            when = datetime.combine(date.fromisoformat(text), time.min)
        except ValueError:
            raise BadRequest(
                _("modified_after must be a date and time, like %(example)s.") % {"example": "2026-11-28T09:00:00Z"}
            ) from None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    try:
        when.astimezone(UTC)  # PostgreSQL compares in UTC: a time that has none (year 1 at +14:00) is no time
    except OverflowError:
        raise BadRequest(
            _("modified_after must be a date and time, like %(example)s.") % {"example": "2026-11-28T09:00:00Z"}
        ) from None
    return when


def _near(query: Query) -> Near | None:
    metres = _whole(query, "proximity", 0, 1, MAX_PROXIMITY_M)
    if query.get("postcode"):
        raise BadRequest(_("Postcodes cannot be looked up here: use near (a town or council area), or lat and lng."))
    place_name = query.get("near")[:100]
    lat = _number(query, "lat", -90, 90)
    lng = _number(query, "lng", -180, 180)
    if not metres:
        if place_name or lat is not None or lng is not None:
            raise BadRequest(_("Say how far from there with proximity, in metres."))
        return None
    if place_name:
        place = find_place(place_name)
        if place is None:
            raise BadRequest(_("We do not know a place called %(near)s: name a town or council area.") % {
                "near": place_name,
            })  # fmt: skip
        return Near(place.lat, place.lng, metres)
    if lat is None or lng is None:
        raise BadRequest(_("proximity needs a place: near (a town or council area), or lat and lng."))
    return Near(lat, lng, metres)


def filters(raw: Mapping[str, Sequence[str]]) -> Filters:
    query = Query(raw)
    for name in UNSUPPORTED:
        if query.get(name):
            raise BadRequest(_("%(name)s is not supported: opportunities here have no opening hours.") % {"name": name})
    words = query.get("search") or query.get("text")
    if not words.isprintable():
        raise BadRequest(_("search must be words, without control characters."))
    if len(words) > MAX_WORDS:
        raise BadRequest(_("search must be at most %(count)d characters.") % {"count": MAX_WORDS})
    term: Found | None = None
    if query.get("taxonomy_term_id"):
        term = terms_by_id().get(query.get("taxonomy_term_id").lower())
        if term is None:
            raise BadRequest(_ours("taxonomy_term_id"))
    taxonomy: Taxonomy | None = None
    if query.get("taxonomy_id"):
        taxonomy = taxonomies_by_id().get(query.get("taxonomy_id").lower())
        if taxonomy is None:
            raise BadRequest(_ours("taxonomy_id"))
    organisation: int | None = None
    if query.get("organization_id"):
        organisation = row_id(Kind.organization, query.get("organization_id"))
        if organisation is None:
            raise BadRequest(_ours("organization_id"))
    return Filters(
        words=words,
        term=term,
        taxonomy=taxonomy,
        organisation=organisation,
        modified_after=_modified_after(query),
        minimum_age=_number(query, "minimum_age", 0, 200),
        maximum_age=_number(query, "maximum_age", 0, 200),
        near=_near(query),
    )
