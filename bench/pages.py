"""Server time for the home page and /ready, and what the home page costs a phone to load.

`home_single_client_*` is one request at a time (server time plus loopback); the others are 8 clients at once
on the same 2 cores as the client, so they include queueing."""

from __future__ import annotations

import re

import httpx

from bench.harness import Target, latencies_ms

REQUESTS = 400
CONCURRENCY = 8


async def page_weight_bytes(base_url: str, path: str) -> int:
    """Bytes on the wire (gzip, as a browser asks) for the page and every script, style and icon it links."""
    async with httpx.AsyncClient(base_url=base_url, headers={"Accept-Encoding": "gzip"}) as client:
        page = await client.get(path)
        total = page.num_bytes_downloaded
        for asset in set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)):
            response = await client.get(asset.replace("&amp;", "&"))
            total += response.num_bytes_downloaded
    return int(total)


async def run(target: Target) -> dict[str, float]:
    alone = await latencies_ms(lambda client: client.get("/"), REQUESTS // 2, 1, target.url)
    home = await latencies_ms(lambda client: client.get("/"), REQUESTS, CONCURRENCY, target.url)
    ready = await latencies_ms(lambda client: client.get("/ready"), REQUESTS, CONCURRENCY, target.url)
    return {
        "home_single_client_p50_ms": alone["p50_ms"],
        "home_single_client_p95_ms": alone["p95_ms"],
        "home_p50_ms": home["p50_ms"],
        "home_p95_ms": home["p95_ms"],
        "home_rps": home["rps"],
        "ready_p95_ms": ready["p95_ms"],  # database, Meilisearch and migrations asked
        "home_first_load_kb": round(await page_weight_bytes(target.url, "/") / 1024, 1),
    }
