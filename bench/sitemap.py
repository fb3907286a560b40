"""The sitemaps over 100 000 offers, as a crawler fetches them from the served app (gzip): /sitemap.xml (then an
index) and one page of offers, /sitemap-offers.xml?page=2 (10 000 offers, read from the partial index
offer_findable).

`make bench` runs it over the offers bench/search.py wrote; `python -m bench.sitemap` runs it alone, on a fresh
database with the demo data and the same 100 000 synthetic offers."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import date

import httpx

from bench.harness import Target, served_app

TIMES = 5


async def _fetch(client: httpx.AsyncClient, path: str) -> tuple[list[float], httpx.Response]:
    taken: list[float] = []
    response = await client.get(path)  # not counted: the app opens its connections, PostgreSQL warms the index
    for _ in range(TIMES):
        began = time.perf_counter()
        response = await client.get(path)
        taken.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, f"{path} → {response.status_code}"
    return sorted(taken), response


async def run(target: Target) -> dict[str, float]:
    headers = {"Accept-Encoding": "gzip"}
    async with httpx.AsyncClient(base_url=target.url, headers=headers, timeout=60) as client:
        index_ms, index = await _fetch(client, "/sitemap.xml")
        page_ms, page = await _fetch(client, "/sitemap-offers.xml?page=2")
    assert b"<sitemapindex" in index.content, "100 000 offers need a sitemap index"
    return {
        "sitemap_index_p50_ms": round(index_ms[TIMES // 2], 1),
        "sitemap_page_p50_ms": round(page_ms[TIMES // 2], 1),
        "sitemap_page_urls": page.content.count(b"<url>"),
        "sitemap_page_bytes": len(page.content),
        "sitemap_page_gzip_bytes": page.num_bytes_downloaded,
    }


def main() -> int:
    from app.core import db
    from app.demo import load_demo
    from bench.search import load_synthetic

    with served_app() as target:
        today = date.today()

        async def load() -> None:
            db.configure(target.env["DATABASE_URL"])
            await load_demo(today)
            await load_synthetic(target.env["DATABASE_URL"], today)
            await db.engine().run_ddl("VACUUM ANALYZE offer")  # as autovacuum does soon after, in make bench too

        asyncio.run(load())
        figures = asyncio.run(run(target))
    for name, value in sorted(figures.items()):
        print(f"  {name:<28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
