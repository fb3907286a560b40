"""What every benchmark needs: its own PostgreSQL database and Meilisearch, the app served by uvicorn in its
own process as in production, and latency statistics."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.core.embedded import fresh_services
from app.core.startup import free_port
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
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (BENCH_VAR / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:create_app", "--factory", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(url, server)
        yield Target(url=url, env=env)
    finally:
        server.terminate()
        server.wait(10)
        meili.stop()
        log.close()


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app stopped at start; see {BENCH_VAR / 'server.log'}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the app did not answer within 30 s")


def write_figures(figures: dict[str, float], path: Path) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
