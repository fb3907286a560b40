"""What the app measures for Prometheus (prometheus-client), and the request's id, both from one wrapper round the
app's ASGI handler: it sees every request, the 404s and 405s that no route's middleware does among them.

Requests are labelled by route template and status class only, never the path as asked (tokens, codes, places)
and never anything a client chooses freely (an unknown method is "other"), so nobody can grow the series.

With several uvicorn workers (WEB_CONCURRENCY > 1) each process counts into files under PROMETHEUS_MULTIPROC_DIR,
which `python -m app serve` makes (empty) and names before the workers start; any process, or the serving parent on
METRICS_PORT, then adds them all up. With one worker, the process counts in memory and answers for itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.registry import REGISTRY, Collector

from app.core.accesslog import new_request_id, request_id, route_of

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUEST_ID_HEADER = b"x-request-id"

REQUEST_SECONDS = Histogram(
    "cyfle_http_request_duration_seconds",
    "Time from a request arriving to its response's last byte, by route template.",
    ["method", "route"],
)
RESPONSES = Counter(
    "cyfle_http_responses",
    "Responses by route template and status class (2xx, 3xx, 4xx, 5xx); 5xx are the app's errors.",
    ["method", "route", "status"],
)
SEARCH_SECONDS = Histogram(
    "cyfle_search_duration_seconds",
    "Time the app waited for Meilisearch on a search (offers: the search page; feed: a search's feed; saved: the"
    " new offers for someone's saved searches).",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0),
)


def observed(handler: ASGIApp) -> ASGIApp:
    """The app's ASGI handler, each HTTP request given an id (in the log's records and the X-Request-ID header)
    and counted and timed once its response has gone."""

    async def observe(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await handler(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in METHODS else "other"
        started = time.perf_counter()
        asked = new_request_id()
        token = request_id.set(asked)
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, asked.encode())]
            await send(message)

        try:
            await handler(scope, receive, send_with_id)
        except Exception:  # not a cancellation (a server stopping): that is no error of the app's
            status = status or 500
            raise
        finally:
            request_id.reset(token)
            if status is not None:
                route = route_of(scope)
                REQUEST_SECONDS.labels(method, route).observe(time.perf_counter() - started)
                RESPONSES.labels(method, route, f"{status // 100}xx").inc()

    return observe


@contextmanager
def timed_search(kind: str) -> Iterator[None]:
    """Times the Meilisearch calls inside (failures too: a timeout is exactly what this should show)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        SEARCH_SECONDS.labels(kind).observe(time.perf_counter() - started)


class _Counted:
    """What this process (or, with several, every worker process) has counted."""

    def collect(self) -> Iterable[Any]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return registry.collect()
        return REGISTRY.collect()


def registry_with(*collectors: Collector) -> CollectorRegistry:
    """A registry for one scrape: what was counted, and figures read just now (the queues in the database)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Counted())
    for collector in collectors:
        registry.register(collector)
    return registry


def exposition(*collectors: Collector) -> bytes:
    """The Prometheus text format (version 0.0.4) of everything counted, with `collectors` read now."""
    return generate_latest(registry_with(*collectors))
