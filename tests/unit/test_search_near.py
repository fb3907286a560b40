"""The grid that finds offers within a radius (app/offers/near.py): right to within half a cell at the edge."""

from __future__ import annotations

import math
import random

import pytest

from app.offers import near


def _point(lat: float, lng: float, metres: float, bearing: float) -> tuple[float, float]:
    """The point `metres` from (lat, lng) on a bearing (radians), on the sphere."""
    d = metres / near.EARTH_M
    p1, l1 = math.radians(lat), math.radians(lng)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
    l2 = l1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


def _found(ranges: list[tuple[int, int]], lat: float, lng: float) -> bool:
    return any(first <= cell <= last for cell in near.cells(lat, lng) for first, last in ranges)


@pytest.mark.parametrize("radius_km", [1, 5, 10, 25, 50, 100])
def test_a_radius_finds_what_is_inside_and_nothing_beyond_its_edge(radius_km: int) -> None:
    rng = random.Random(radius_km)
    radius = radius_km * 1000
    for _ in range(40):
        lat, lng = rng.uniform(49.9, 58.7), rng.uniform(-6.4, 1.8)  # Britain
        ranges = near.ranges(lat, lng, radius)
        assert 0 < len(ranges) <= 110  # about a hundred rows at most: one range of numbers each
        for _ in range(50):
            share = rng.choice([rng.uniform(0, 0.97), rng.uniform(1.03, 1.5)])
            here = _point(lat, lng, radius * share, rng.uniform(0, 2 * math.pi))
            assert abs(near.metres(lat, lng, *here) / radius - share) < 1e-6
            assert _found(ranges, *here) is (share < 1), (lat, lng, radius_km, share)


def test_the_place_itself_and_its_own_cell_are_found() -> None:
    for lat, lng in [(51.4816, -3.1791), (53.4808, -2.2426), (0.0, 0.0), (-33.9, 151.2)]:
        assert _found(near.ranges(lat, lng, 5000), lat, lng)


def test_a_point_has_one_cell_a_level_and_a_cell_number_is_exact_as_a_json_number() -> None:
    cells = near.cells(51.4816, -3.1791)
    assert len(cells) == near.LEVELS and len(set(cells)) == near.LEVELS
    assert max(near.cells(89.9999, 179.9999)) < 2**53  # Meilisearch keeps numbers as doubles
