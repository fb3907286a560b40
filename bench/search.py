"""Search on 100 000 offers: reindex time, the app's search fragment against Meilisearch's own time, page weight.

The synthetic offers are the demo offers repeated across every place in the gazetteer with varied dates,
written straight into the bench database with COPY."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import httpx

from app.demo import demo_offers
from app.offers import query
from app.offers.documents import SUPPORT_FLAGS
from app.offers.reindex import reindex
from bench.harness import Answer, Target, Wire, calls_ms, cpu_s, latencies_ms, server_pid
from bench.pages import page_weight_bytes
from search.client import make_client
from search.places import places

SIZE = 100_000
COLUMNS = [
    "organisation", "type", "title", "summary", "description", "language", "title_alt", "summary_alt",
    "description_alt", "principles", "travel_paid", "equipment_provided",
    "mentor", "flexible_hours", "accessible_venue", "free", "pay_pence", "pay_per", "price_pence",
    "usual_price_pence", "min_age", "max_age", "places", "location_name", "latitude", "longitude", "remote",
    "council_area", "closes_on", "starts_on", "status", "apply_method", "apply_url", "created_at", "updated_at",
    "published_at",
]  # fmt: skip
# A fixed mix of what young people type and tick, as search page URLs.
QUERIES = [
    "/offers",
    "/offers?q=apprentice",
    "/offers?q=aprentiseship",
    "/offers?q=swiming",
    "/offers?q=gym&near=Swansea&radius_km=25",
    "/offers?q=cinema",
    "/offers?type=apprenticeship&near=Manchester&radius_km=10&sort=nearest",
    "/offers?type=sport&type=leisure&support=free",
    "/offers?q=mentor&support=flexible_hours",
    "/offers?q=engineering&type=apprenticeship&type=internship&sort=closing",
    "/offers?principle=thrive&near=Cardiff&radius_km=50",
    "/offers?q=theatre&sort=newest&page=2",
    "/offers?q=web%20design&near=Bristol",
    "/offers?q=gelf",
    "/offers?q=nofio&near=Caerdydd",
    "/offers?q=free%20tickets%20opera",
    "/offers?support=travel_paid&support=mentor&type=work_experience",
]
REQUESTS = 340  # each query 20 times
CONCURRENT = 20


async def load_synthetic(database_url: str, today: date) -> None:
    rng = random.Random(7)
    templates = demo_offers(today)
    gazetteer = places()
    now = datetime.now(UTC)
    connection = await asyncpg.connect(database_url)
    try:
        organisations = [row["id"] for row in await connection.fetch("SELECT id FROM organisation")]
        records: list[tuple[Any, ...]] = []
        for n in range(SIZE):
            offer = templates[n % len(templates)]
            place = gazetteer[rng.randrange(len(gazetteer))]
            remote = rng.random() < 0.05
            closes_on = today + timedelta(days=rng.randint(0, 180))
            values = (
                {flag: False for flag in SUPPORT_FLAGS}
                | {"language": "en", "title_alt": "", "summary_alt": "", "description_alt": ""}
                | offer
                | {
                    "organisation": rng.choice(organisations),
                    "remote": remote,
                    "location_name": "" if remote else place.name,
                    "latitude": None if remote else round(place.lat + rng.uniform(-0.05, 0.05), 5),
                    "longitude": None if remote else round(place.lng + rng.uniform(-0.05, 0.05), 5),
                    "council_area": place.area_code or place.code,
                    "closes_on": closes_on,
                    "starts_on": closes_on + timedelta(days=30),
                    "status": "published",
                    "apply_method": "in_app",
                    "apply_url": "",
                    "min_age": 16,
                    "max_age": 25,
                    "created_at": now,
                    "updated_at": now,
                    "published_at": now - timedelta(minutes=n),
                }
            )
            records.append(tuple(values.get(column) for column in COLUMNS))
        await connection.copy_records_to_table("offer", records=records, columns=COLUMNS)
    finally:
        await connection.close()


async def run(target: Target) -> dict[str, float]:
    today = date.today()
    await load_synthetic(target.env["DATABASE_URL"], today)
    meili = make_client(target.env["MEILI_URL"], target.env["MEILI_MASTER_KEY"], timeout_s=60)
    started = time.perf_counter()
    count = await reindex(meili, today)
    reindex_s = time.perf_counter() - started

    urls = iter(QUERIES * (REQUESTS // len(QUERIES)))
    fragment = {"HX-Request": "true"}

    async def through_app(client: Wire) -> Answer:
        return await client.get(next(urls, QUERIES[0]), headers=fragment)

    one = await latencies_ms(through_app, REQUESTS, 1, target.url)
    urls = iter(QUERIES * (REQUESTS // len(QUERIES)))
    # The app's own CPU time per request too: on 2 cores shared with the load, PostgreSQL, Meilisearch (and, on a
    # shared machine, others' work) latency moves with everything else, what the app spends does not.
    server = server_pid()
    cpu_before = cpu_s(server)
    many = await latencies_ms(through_app, REQUESTS, CONCURRENT, target.url)
    cpu_ms = (cpu_s(server) - cpu_before) * 1000 / (REQUESTS + CONCURRENT)

    # The same searches straight to Meilisearch, as the app makes them (including the facet query), from one client
    # as the app's process shares one: alone, then 20 at a time as the app was asked above.
    searches = [query.parse(parse_qs(urlsplit(url).query)) for url in QUERIES]

    async def direct(n: int) -> object:
        return await query.search_offers(meili, searches[n % len(searches)], today)

    meili_one = await calls_ms(direct, REQUESTS, 1)
    meili_many = await calls_ms(direct, REQUESTS, CONCURRENT)
    await meili.aclose()

    async with httpx.AsyncClient(base_url=target.url, headers={"Accept-Encoding": "gzip", **fragment}) as client:
        fragment_bytes = (await client.get(QUERIES[1])).num_bytes_downloaded
    return {
        "offers_indexed": count,
        "reindex_100k_s": round(reindex_s, 1),
        "search_fragment_p50_ms": one["p50_ms"],
        "search_fragment_p95_ms": one["p95_ms"],
        "search_fragment_p95_ms_20_clients": many["p95_ms"],
        "search_fragment_rps_20": many["rps"],
        "search_fragment_app_cpu_ms_20_clients": round(cpu_ms, 2),
        "meili_p50_ms": meili_one["p50_ms"],
        "meili_p95_ms_20_clients": meili_many["p95_ms"],
        "app_over_meili_p50_ratio": round(one["p50_ms"] / meili_one["p50_ms"], 2),
        "app_over_meili_p95_ratio_20_clients": round(many["p95_ms"] / meili_many["p95_ms"], 2),
        "search_page_first_load_bytes": await page_weight_bytes(target.url, "/offers"),
        "search_fragment_bytes": int(fragment_bytes),
    }
