"""The gazetteer shipped with the project (search/gazetteer.csv; see search/gazetteer.md for its source)."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parent / "gazetteer.csv"


@dataclass(frozen=True)
class Place:
    slug: str
    name: str
    name_cy: str
    kind: str
    country: str
    code: str
    lat: float
    lng: float
    area_code: str


def _key(text: str) -> str:
    """Case, accents and punctuation do not matter: 'Ynys Môn', 'ynys mon' and 'ynys-mon' are one key."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


@cache
def places() -> tuple[Place, ...]:
    with GAZETTEER.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Place(**{**row, "lat": float(row["lat"]), "lng": float(row["lng"])})  # type: ignore[arg-type]
            for row in csv.DictReader(handle)
        )


@cache
def _index() -> dict[str, Place]:
    table: dict[str, Place] = {}
    for place in places():
        for name in (place.slug, place.name, place.name_cy, place.code):
            if name:
                table.setdefault(_key(name), place)
    return table


def find_place(text: str) -> Place | None:
    return _index().get(_key(text)) if text.strip() else None


def by_code(code: str) -> Place | None:
    return next((place for place in places() if place.code == code), None)


@cache
def councils() -> tuple[Place, ...]:
    """The council areas (Welsh principal areas and English upper-tier authorities), by name."""
    return tuple(sorted((place for place in places() if place.kind != "town"), key=lambda place: place.name))


def council_name(code: str, locale: str = "en") -> str:
    place = by_code(code) if code else None
    if place is None:
        return ""
    return place.name_cy if locale == "cy" and place.name_cy else place.name
