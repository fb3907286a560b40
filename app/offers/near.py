"""Offers near a place, found through a grid instead of Meilisearch's geo filter.

Meilisearch reads its whole geo index for every `_geoRadius` filter or `_geoPoint` sort: 4–5 ms a search over
100 000 offers, against well under 1 ms for a range of plain numbers. So each document carries, in `near`, the cell
it lies in on grids of LEVELS sizes (each cell a number: its level, row and column), and a search within a radius
asks, row by row of the grid whose cells are at most a twenty-fifth of the radius tall, for the run of cells whose
centre is within the radius: one range of numbers a row, 50 to 100 of them. The circle's edge is therefore right to
within half a cell's diagonal, at most about 2.5 % of the radius (125 m at 5 km, 2.5 km at 100 km); cells are
squares of latitude and longitude, so narrower than tall away from the equator.
"""

from __future__ import annotations

import math

EARTH_M = 6_371_008.8  # the mean radius, as Meilisearch measures distance
TOP_DEG = 0.8  # the largest cell: 0.8° of latitude and of longitude (89 km by 55 km in Wales)
LEVELS = 12  # down to 0.8° / 2**11 (43 m by 27 m): cells small enough for a radius of 1 km
ROWS = 50  # a circle spans at least this many rows of the grid its search uses
_ROW = 1 << 20  # a cell's number: (level × 2**20 + row) × 2**20 + column; 2**20 columns of 0.8° / 2**11 go round


def _size(level: int) -> float:
    return TOP_DEG / (1 << level)


def _number(level: int, row: int, col: int) -> int:
    return (level * _ROW + row) * _ROW + col


def cells(lat: float, lng: float) -> list[int]:
    """The numbers of the cells a point lies in, one a level."""
    found = []
    for level in range(LEVELS):
        size = _size(level)
        found.append(_number(level, math.floor((lat + 90) / size), math.floor((lng + 180) / size)))
    return found


def metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), as Meilisearch measures it."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    return 2 * EARTH_M * math.asin(min(1.0, math.sqrt(a)))


def ranges(lat: float, lng: float, radius_m: float) -> list[tuple[int, int]]:
    """The cells whose centre is within `radius_m` of (lat, lng), as ranges of their numbers (first, last)."""
    angle = radius_m / EARTH_M
    level = _level(math.degrees(angle))
    size = _size(level)
    lat0 = math.radians(lat)
    found = []
    dlat = math.degrees(angle)
    for row in range(math.floor((lat - dlat + 90) / size), math.floor((lat + dlat + 90) / size) + 1):
        middle = math.radians((row + 0.5) * size - 90)
        # The centres on this row within the radius are those within `spread` of longitude of the place's.
        cos_spread = (math.cos(angle) - math.sin(lat0) * math.sin(middle)) / (
            math.cos(lat0) * math.cos(middle) or 1e-12
        )
        if cos_spread > 1:
            continue
        spread = math.degrees(math.acos(max(cos_spread, -1.0)))
        first = math.ceil((lng - spread + 180) / size - 0.5)
        last = math.floor((lng + spread + 180) / size - 0.5)
        if first <= last:
            found.append((_number(level, row, first), _number(level, row, last)))
    return found


def _level(radius_deg: float) -> int:
    """The grid a radius is searched on: the coarsest whose rows a circle's diameter spans ROWS of."""
    level = 0
    while level < LEVELS - 1 and _size(level) > 2 * radius_deg / ROWS:
        level += 1
    return level
