"""A search within a radius, through the grid (app/offers/near.py), finds what Meilisearch's own geo filter finds,
except offers within half a grid cell of the circle's edge."""

from __future__ import annotations

import math
import random
from datetime import date
from typing import Any

from app.offers import near
from app.offers.query import build_filter, parse
from search.client import SearchClient
from search.settings import OFFERS, TASK_TIMEOUT_MS
from tests.unit.test_search_near import _point


async def test_the_grid_finds_what_the_geo_filter_finds_but_at_the_very_edge(search: SearchClient) -> None:
    rng = random.Random(24)
    cardiff = parse({"near": ["Cardiff"]}).place
    assert cardiff is not None
    documents: list[dict[str, Any]] = []
    for n in range(900):
        lat, lng = _point(cardiff.lat, cardiff.lng, rng.uniform(0, 120_000), rng.uniform(0, 2 * math.pi))
        documents.append({"id": n, "_geo": {"lat": lat, "lng": lng}, "near": near.cells(lat, lng), "remote": False})
    documents.append({"id": 900, "remote": True})  # online: found whatever the place
    task = await search.index(OFFERS).add_documents(documents)
    await search.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
    distance = {
        doc["id"]: near.metres(cardiff.lat, cardiff.lng, doc["_geo"]["lat"], doc["_geo"]["lng"])
        for doc in documents[:900]
    }

    async def ids(filter_: str | list[str]) -> set[int]:
        asked = {"indexUid": OFFERS, "filter": filter_, "limit": 1000, "attributesToRetrieve": ["id"]}
        [found] = await search.searches([asked])
        return {hit["id"] for hit in found["hits"]}

    for radius_km in (5, 10, 25, 50, 100):
        params = parse({"near": ["Cardiff"], "radius_km": [str(radius_km)]})
        grid = await ids(build_filter(params, date.today())[-1])
        geo = await ids(f"_geoRadius({cardiff.lat}, {cardiff.lng}, {radius_km * 1000}) OR remote = true")
        assert 900 in grid and 900 in geo
        assert len(geo) > 5  # the comparison means something
        for differing in grid ^ geo:
            assert abs(distance[differing] / (radius_km * 1000) - 1) < 0.025, (radius_km, differing)
