"""What every benchmark needs: its own PostgreSQL database and Meilisearch, the app served by uvicorn in its
own process as in production, and latency statistics."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.core.embedded import fresh_services, served_in_subprocess
from app.settings import ROOT

BENCH_VAR = ROOT / "var" / "bench"
BENCH_DATABASE = "cyfle_bench"


@dataclass
class Target:
    url: str
    env: dict[str, str]


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def latencies_ms(
    request: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]], total: int, concurrency: int, base_url: str
) -> dict[str, float]:
    """Send `total` requests, `concurrency` at a time; p50/p95/p99 in ms and requests per second."""
    samples: list[float] = []
    queue = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        await request(client)  # warm up

        async def worker() -> None:
            for _ in queue:
                started = time.perf_counter()
                response = await request(client)
                samples.append((time.perf_counter() - started) * 1000)
                if response.status_code >= 400:
                    raise RuntimeError(f"{response.request.url} answered {response.status_code}")

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "rps": round(total / elapsed, 1),
    }


@contextmanager
def served_app() -> Iterator[Target]:
    """Fresh database and search index under var/bench, migrated, and the app served on a free port."""
    env, meili = fresh_services(BENCH_VAR, BENCH_DATABASE)
    os.environ.update(env)
    subprocess.run([sys.executable, "-m", "app", "migrate"], cwd=ROOT, check=True, capture_output=True)
    try:
        with served_in_subprocess(BENCH_VAR / "server.log", "--log-level", "warning") as url:
            yield Target(url=url, env=env)
    finally:
        meili.stop()


def write_figures(figures: dict[str, float], path: Path) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
