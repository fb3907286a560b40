"""The Open Referral UK API over the 100 000 offers search.run wrote: `/openreferral/services?per_page=50`, one
client, a fixed mix of pages (the first, middle ones, deep ones by number, one by its next link) and filters (a
type, a principle, a support flag, words, changed since), each asked as often as the others."""

from __future__ import annotations

import asyncpg

from app.openreferral.ids import Kind, named_uuid, row_uuid
from bench.harness import Answer, Target, Wire, latencies_ms

REQUESTS = 400
SERVICES = "/openreferral/services?per_page=50"


def _term(taxonomy: str, slug: str) -> str:
    return named_uuid("taxonomy", taxonomy, "term", slug)


async def _mix(database_url: str) -> tuple[list[str], list[int]]:
    connection = await asyncpg.connect(database_url)
    try:
        # As on a database that has been running a while (bench/codes.py does the same): the 100 000 offers were
        # just written with COPY, and until autovacuum passes, every index entry sends PostgreSQL to the table to
        # ask whether the row is visible, which the index-only reads here exist to avoid.
        await connection.execute("VACUUM ANALYZE offer")
        middle = await connection.fetchval("SELECT id FROM offer ORDER BY id OFFSET 50000 LIMIT 1")
        since = await connection.fetchval("SELECT max(public_changed_at) - interval '1 minute' FROM offer")
        live = await connection.fetch(
            "SELECT o.id FROM offer o JOIN organisation g ON g.id = o.organisation WHERE o.status = 'published'"
            " AND (o.closes_on IS NULL OR o.closes_on >= current_date) AND g.approved_at IS NOT NULL"
            " AND o.id % 500 = 0 ORDER BY o.id"
        )
    finally:
        await connection.close()
    mix = [
        SERVICES,
        SERVICES + "&page=2",
        SERVICES + "&page=200",
        SERVICES + "&page=1000",
        SERVICES + "&page=1990",  # the last pages, by number: the deepest offset
        SERVICES + f"&page=1001&after={row_uuid(Kind.service, middle)}",  # as the next link asks
        SERVICES + f"&taxonomy_term_id={_term('offer-type', 'sport')}",
        SERVICES + f"&taxonomy_term_id={_term('charter-principle', 'lifelong')}&page=3",
        SERVICES + f"&taxonomy_term_id={_term('support', 'travel_paid')}",
        SERVICES + "&search=swimming",
        SERVICES + f"&modified_after={since.isoformat().replace('+00:00', 'Z')}",
    ]
    return mix, [row["id"] for row in live]


async def run(target: Target) -> dict[str, float]:
    urls, ids = await _mix(target.env["DATABASE_URL"])
    asked = iter(urls * (REQUESTS // len(urls) + 1))

    async def services(client: Wire) -> Answer:
        return await client.get(next(asked))

    measured = await latencies_ms(services, REQUESTS, 1, target.url)
    full = iter(ids * 2)

    async def one_service(client: Wire) -> Answer:  # a service in full: its terms, place, area, languages
        return await client.get(f"/openreferral/services/{row_uuid(Kind.service, next(full, ids[0]))}")

    alone = await latencies_ms(one_service, len(ids), 1, target.url)
    # The first page of a list whose count is not kept yet (a count is kept per query while the data stays the
    # same; app/openreferral/totals.py): each asks a minimum age never asked before, so each counts 100 000 offers.
    ages = iter(range(REQUESTS))

    async def counted(client: Wire) -> Answer:
        return await client.get(SERVICES + f"&minimum_age={next(ages, 0) / 1000:.3f}")

    cold = await latencies_ms(counted, 40, 1, target.url)
    return {
        "openreferral_services_p50_ms": measured["p50_ms"],
        "openreferral_services_p95_ms": measured["p95_ms"],
        "openreferral_services_uncounted_p95_ms": cold["p95_ms"],
        "openreferral_service_p95_ms": alone["p95_ms"],
    }
