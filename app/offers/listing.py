"""Every findable offer, for the sitemap: its id, the languages it is written in, and when its page last changed.

A page changes when what anyone sees of its offer changes (public_changed_at, kept by triggers: an edit waiting
for the team, or returned to its provider, is not a change anyone sees). Read from the partial index
`offer_findable` (migrations), in id order, a page of the sitemap at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from app.offers.languages import other
from app.offers.service import OPEN_SQL
from app.offers.tables import Offer

CHANGED: Final = "public_changed_at"
# The only interpolations are this module's and service's constants; dates and numbers go as parameters.
PAGE_SQL: Final = (
    f"SELECT id, language, title_alt <> '' AS both, {CHANGED} AS changed FROM offer"  # noqa: S608
    f" WHERE {OPEN_SQL} ORDER BY id LIMIT {{}} OFFSET {{}}"
)
SUMMARY_SQL: Final = f"SELECT count(*) AS findable, max({CHANGED}) AS changed FROM offer WHERE {OPEN_SQL}"  # noqa: S608


@dataclass(frozen=True)
class Listed:
    id: int
    languages: tuple[str, ...]  # its first language first
    changed: datetime


@dataclass(frozen=True)
class Summary:
    findable: int
    changed: datetime | None  # the last change among them, None when there are none


async def summary(today: date) -> Summary:
    row = (await Offer.raw(SUMMARY_SQL, today))[0]
    return Summary(findable=int(row["findable"]), changed=row["changed"])


async def findable(today: date, limit: int, offset: int = 0) -> list[Listed]:
    rows = await Offer.raw(PAGE_SQL, today, limit, offset)
    return [
        Listed(
            id=row["id"],
            languages=(row["language"], other(row["language"])) if row["both"] else (row["language"],),
            changed=row["changed"],
        )
        for row in rows
    ]
