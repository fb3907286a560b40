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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from app.dev.services import fresh_services, served_in_subprocess
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


@dataclass
class Answer:
    status_code: int
    body: bytes
    head: list[str] = field(default_factory=list)  # the header lines as they came

    def cookies(self) -> dict[str, str]:
        """What the answer's Set-Cookie headers set (name and value only)."""
        sets = [line.split(":", 1)[1].strip() for line in self.head if line.lower().startswith("set-cookie:")]
        return dict(part.split(";", 1)[0].split("=", 1) for part in sets if "=" in part.split(";", 1)[0])


class Wire:
    """One keep-alive HTTP/1.1 connection that sends a request and reads its answer, and little else. The load
    runs on the same 2 cores as the app and PostgreSQL, and httpx spent about as much CPU per request as the app
    itself; phones do not take their share of the server's cores, so neither should the load."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return await self.send("GET", path, headers or {}, b"")

    async def post(
        self, path: str, data: dict[str, str], cookies: dict[str, str], headers: dict[str, str] | None = None
    ) -> Answer:
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        sent = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, **(headers or {})}
        return await self.send("POST", path, sent, urlencode(data).encode())

    async def send(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        length = next(int(line[15:]) for line in head if line.lower().startswith("content-length:"))
        return Answer(int(head[0].split()[1]), await reader.readexactly(length), head[1:])

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


async def latencies_ms(
    request: Callable[[Wire], Awaitable[Answer]], total: int, concurrency: int, base_url: str
) -> dict[str, float]:
    """Send `total` requests, `concurrency` at a time, each sender on its own connection; p50/p95/p99 in ms and
    requests per second. First one request per sender, not counted, so the server has opened its database
    connections: the figures are for a server that is already running, not one starting."""
    samples: list[float] = []
    queue = iter(range(total))
    wires = [Wire(base_url) for _ in range(concurrency)]
    await asyncio.gather(*(request(wire) for wire in wires))

    async def worker(wire: Wire) -> None:
        for _ in queue:
            started = time.perf_counter()
            response = await request(wire)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                raise RuntimeError(f"{base_url} answered {response.status_code}: {response.body[:200]!r}")

    began = time.perf_counter()
    try:
        await asyncio.gather(*(worker(wire) for wire in wires))
    finally:
        for wire in wires:
            await wire.close()
    return _summary(samples, total, time.perf_counter() - began)


async def calls_ms(call: Callable[[int], Awaitable[object]], total: int, concurrency: int) -> dict[str, float]:
    """As latencies_ms, for calls that are not HTTP requests to the app (Meilisearch straight through its client):
    call(n) for n in range(total), `concurrency` at a time, after one uncounted call per sender."""
    samples: list[float] = []
    queue = iter(range(total))
    await asyncio.gather(*(call(n) for n in range(concurrency)))

    async def worker() -> None:
        for n in queue:
            started = time.perf_counter()
            await call(n)
            samples.append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return _summary(samples, total, time.perf_counter() - began)


def _summary(samples: list[float], total: int, elapsed_s: float) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "rps": round(total / elapsed_s, 1),
    }


@contextmanager
def served_app(
    var_dir: Path = BENCH_VAR, database: str = BENCH_DATABASE, extra_env: dict[str, str] | None = None
) -> Iterator[Target]:
    """Fresh database and search index under var_dir, migrated, and the app served on a free port."""
    env, meili = fresh_services(var_dir, database)
    # One client sends everything here: the open data's limit per client would stop it (it still counts each one).
    env["OPENREFERRAL_PER_MINUTE"] = "1000000"
    env |= extra_env or {}
    os.environ.update(env)
    subprocess.run([sys.executable, "-m", "app", "migrate"], cwd=ROOT, check=True, capture_output=True)
    try:
        with served_in_subprocess(var_dir / "server.log", "--log-level", "warning") as url:
            yield Target(url=url, env=env)
    finally:
        meili.stop()


def server_pid() -> int:
    """The uvicorn process served_app started (a child of this one): its CPU time and memory are read from /proc."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
            if parent == os.getpid() and b"uvicorn" in command:
                return int(entry.name)
    raise RuntimeError("the app's process was not found")


def cpu_s(pid: int) -> float:
    """CPU time the process has used so far (user and system), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for {pid}")


def write_figures(figures: dict[str, float], path: Path) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
