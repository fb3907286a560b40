"""Offer rows → Meilisearch documents. Pure functions, so tests can call them without any server."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any, NotRequired, TypedDict

from app.core.charter import BY_ID
from app.core.i18n import LOCALES, speaking
from app.offers.labels import type_label
from app.offers.near import cells
from search.folding import words
from search.normalise import keys, normalise
from search.vocabulary import vocabulary

SUPPORT_FLAGS = ("travel_paid", "equipment_provided", "mentor", "flexible_hours", "accessible_venue", "free")
# What a work offer keeps for care-experienced young people: places only they can take, a guaranteed interview.
COMMITMENTS = ("ring_fenced", "guaranteed_interview")


class Geo(TypedDict):
    lat: float
    lng: float


class OfferDocument(TypedDict):
    """A document of the offers index (JSON for Meilisearch: a dict is what it takes).

    The words people read (title, summary, in the offer's `language` and the other one's *_alt) are shown on result
    cards as written; search matches the `match_*` attributes instead: the same words in both languages through
    search/normalise.py (Welsh mutations undone, plurals and endings removed, accents folded), the type's name in
    both languages, and `match_related`, the bilingual vocabulary's other phrases for what the offer contains."""

    id: int
    title: str
    summary: str
    language: str
    title_alt: str
    summary_alt: str
    organisation: str
    type: str
    facets: list[str]
    location: str
    remote: bool
    closes_on: str | None
    closes_ts: int | None
    published_ts: int | None
    match_title: str
    match_title_related: str
    match_words: str
    match_type: str
    match_organisation: str
    match_summary: str
    match_location: str
    match_description: str
    match_related: str
    _geo: NotRequired[Geo]
    near: NotRequired[list[int]]


@cache
def type_keys(kind: str) -> list[str]:
    """The type's name in English and Welsh, as keys (an apprenticeship is found by 'prentisiaeth' too)."""
    names = []
    for locale in LOCALES:
        with speaking(locale):
            names.append(type_label(kind))
    return keys(" ".join(names))


def is_searchable(offer: Mapping[str, Any], today: date) -> bool:
    """Only published offers that have not closed are found; everything else is removed from the index."""
    closes_on = offer.get("closes_on")
    return offer.get("status") == "published" and (closes_on is None or closes_on >= today)


def day_ts(day: date | None) -> int | None:
    """A date as a Unix timestamp (start of the day, UTC), for filters and sorts Meilisearch does on numbers."""
    if day is None:
        return None
    return int(datetime.combine(day, time.min, tzinfo=UTC).timestamp())


def facets(offer: Mapping[str, Any]) -> list[str]:
    """What search filters on and counts, in one attribute as "name:value" ("type:sport", "principles:thrive",
    "support:free", "commitment:ring_fenced"): Meilisearch counts one attribute's values for a query in about half
    the time it takes for four."""
    values = [("type", offer["type"])]
    values += [("principles", BY_ID[pid].slug) for pid in offer.get("principles") or [] if pid in BY_ID]
    values += [("support", flag) for flag in SUPPORT_FLAGS if offer.get(flag)]
    values += [("commitment", flag) for flag in COMMITMENTS if offer.get(flag)]
    return [facet(name, value) for name, value in values]


def facet(name: str, value: str) -> str:
    """One of the `facets` values: the filter's name and the value, as search filters and counts them."""
    return f"{name}:{value}"


def offer_document(offer: Mapping[str, Any]) -> OfferDocument:
    """`offer` is a row of the offer table with the organisation's name as `organisation_name`. The document holds
    what search matches, filters and sorts on, and what a result card shows; the offer page reads the database."""
    published_at = offer.get("live_since") or offer.get("published_at")  # new to saved searches: findable since
    texts = [
        f"{offer['title']} {offer.get('title_alt') or ''}",
        f"{offer.get('summary') or ''} {offer.get('summary_alt') or ''}",
    ]
    title, summary = keys(texts[0]), keys(texts[1])
    description = keys(f"{offer.get('description') or ''} {offer.get('description_alt') or ''}")
    kind = type_keys(offer["type"])
    document = OfferDocument(
        id=offer["id"],
        title=offer["title"],
        summary=offer.get("summary") or "",
        language=offer.get("language") or "en",
        title_alt=offer.get("title_alt") or "",
        summary_alt=offer.get("summary_alt") or "",
        organisation=offer.get("organisation_name") or "",
        type=offer["type"],
        facets=facets(offer),
        location=offer.get("location_name") or "",
        remote=bool(offer.get("remote")),
        closes_on=offer["closes_on"].isoformat() if offer.get("closes_on") else None,
        closes_ts=day_ts(offer.get("closes_on")),
        published_ts=int(published_at.timestamp()) if published_at else None,
        match_title=" ".join(title),
        # What the title is about in other words (caffi for a café): found as surely as the title's own words.
        match_title_related=vocabulary().related(title),
        # The title's and summary's words as written (folded): a word still being typed ("nursin", "volunte") is
        # the start of one of these, though not of its key (nurs, volunt).
        match_words=" ".join(words(" ".join(texts[:2]))),
        match_type=" ".join(kind),
        match_organisation=normalise(offer.get("organisation_name") or ""),
        match_summary=" ".join(summary),
        match_location=normalise(offer.get("location_name") or ""),
        match_description=" ".join(description),
        # A phrase may run across a field's end into the next one's start: harmless, fields are never that short.
        match_related=vocabulary().related([*title, *kind, *summary, *description]),
    )
    lat, lng = offer.get("latitude"), offer.get("longitude")
    if lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180:  # NaN fails both
        document["_geo"] = Geo(lat=lat, lng=lng)
        document["near"] = cells(lat, lng)
    return document
