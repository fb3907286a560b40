"""Recording uptake: call inside the transaction of the step it counts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final, Protocol

from app.core import keys
from app.settings import Settings
from app.uptake.tables import OfferView, UptakeEvent


def person_key(settings: Settings, young_person_id: int) -> str:
    return keys.person_key(settings, young_person_id)


# The columns of an event, in the order of values(): a statement that takes something up (a claim) can insert
# its event in the same round trip, "INSERT INTO uptake_event (COLUMNS) SELECT ... FROM <what it took>".
COLUMNS: Final = "kind, offer, organisation, offer_type, principles, council_area, person_key"
INSERT: Final = f"INSERT INTO uptake_event ({COLUMNS}) VALUES ({{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}})"  # noqa: S608 (constants)

# The same, for an application or claim that followed an adviser's suggestion.
SUGGESTED: Final = INSERT.replace("uptake_event (", "uptake_event (suggested, ").replace("VALUES (", "VALUES (true, ")


class Counted(Protocol):
    """The young person an event counts: only which one (as a keyed hash) and their home council."""

    @property
    def id(self) -> int: ...

    @property
    def home_council(self) -> str: ...


def values(settings: Settings, kind: str, offer: Mapping[str, Any], young_person: Counted) -> tuple[Any, ...]:
    principles = list(offer["principles"] or [])
    key = person_key(settings, young_person.id)
    return kind, offer["id"], offer["organisation"], offer["type"], principles, young_person.home_council, key


async def record(
    settings: Settings, kind: str, offer: Mapping[str, Any], young_person: Counted, suggested: bool = False
) -> None:
    """One event, in the caller's transaction (raw SQL: this runs on every claim and redemption, and the query
    builder's insert cost more than the rest of a claim's SQL). `suggested`: it followed an adviser's suggestion."""
    if suggested:
        await UptakeEvent.raw(SUGGESTED, *values(settings, kind, offer, young_person))
    else:
        await UptakeEvent.raw(INSERT, *values(settings, kind, offer, young_person))


# At most one "went to apply" per person, offer and day (UK), however often the link is followed: the partial
# unique index made by migration 2026-11-28T00:10 holds it, so requests at once cannot both count.
ONCE_A_DAY: Final = "(offer, person_key, ((at AT TIME ZONE 'Europe/London')::date)) WHERE kind = 'went_to_apply'"


async def went_to_apply(
    settings: Settings, offer: Mapping[str, Any], young_person: Counted, suggested: bool = False
) -> bool:
    """Record that this young person followed an offer's link to apply on the provider's own site; False if
    they already had today."""
    rows = await UptakeEvent.raw(
        f"{SUGGESTED if suggested else INSERT} ON CONFLICT {ONCE_A_DAY} DO NOTHING RETURNING id",
        *values(settings, "went_to_apply", offer, young_person),
    )
    return bool(rows)


# Search engines and link previews read offer pages now that the sitemap lists them: they are not people looking.
CRAWLER = re.compile(r"bot\b|bot/|crawl|spider|slurp|mediapartners|facebookexternalhit|feedfetcher|preview", re.I)


async def viewed(offer_id: int, day: date, user_agent: str = "") -> None:
    """A person looked at the offer's page today (a crawler's visit is not counted)."""
    if CRAWLER.search(user_agent):
        return
    await OfferView.raw(
        "INSERT INTO offer_view (offer, day, views) VALUES ({}, {}, 1)"
        " ON CONFLICT (offer, day) DO UPDATE SET views = offer_view.views + 1",
        offer_id,
        day,
    )
