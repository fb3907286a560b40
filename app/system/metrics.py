"""Prometheus at /metrics, off the public site: it answers only a scraper that sends METRICS_TOKEN as a bearer
token (anyone else, and everyone while it is unset, is told there is no such page), and `python -m app serve`
can also answer on METRICS_PORT, a port no public service exposes (on Fly: the private network its scraper uses,
which sends no token). What it counts is in app/core/metrics.py; the queues are read from the database at each
scrape, with SQL of its own (by app/outbox's marks: how many tries is failing, how a row set aside says so).

Nothing personal is in any of it: route templates, status classes, outbox topics and counts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric

from app.core import db, keys
from app.core.auth import Rule
from app.core.errors import NotFound
from app.core.i18n import _
from app.core.metrics import exposition, registry_with
from app.mail.service import TOPIC as MAIL_TOPIC
from app.outbox.service import SET_ASIDE, TROUBLED_ATTEMPTS
from app.settings import Settings
from app.system.routes import NO_STORE

log = logging.getLogger(__name__)
READ_TIMEOUT_S = db.HEALTH_TIMEOUT_S

# Per topic: rows not done; the age of the oldest that is late (due, or tried before: a row backing off after a
# failure is late, not scheduled); rows failing (tried TROUBLED_ATTEMPTS times or more, not done, whatever they
# wait for); rows set aside (done, with the reason app/outbox keeps in last_error). One pass over the outbox, which
# is purged of old rows.
QUEUE_SQL = f"""
SELECT topic,
       count(*) FILTER (WHERE done_at IS NULL) AS pending,
       coalesce(extract(epoch FROM now() - min(created_at)
                FILTER (WHERE done_at IS NULL AND (available_at <= now() OR attempts > 0))), 0)::float8 AS lag_seconds,
       count(*) FILTER (WHERE done_at IS NULL AND attempts >= {TROUBLED_ATTEMPTS}) AS failing,
       count(*) FILTER (WHERE done_at IS NOT NULL AND last_error LIKE '{SET_ASIDE}') AS set_aside
FROM outbox
WHERE done_at IS NULL OR last_error LIKE '{SET_ASIDE}'
GROUP BY topic ORDER BY topic
"""  # noqa: S608 (a constant of this module, no input)


@dataclass(frozen=True)
class Queue:
    topic: str
    pending: int
    lag_seconds: float
    failing: int
    set_aside: int


class QueueFigures:
    """The outbox as read for one scrape (None: the database did not answer, which is itself worth a series)."""

    def __init__(self, queues: list[Queue] | None) -> None:
        self.queues = queues

    def collect(self) -> Iterator[Metric]:
        read = GaugeMetricFamily("cyfle_outbox_read", "1 when this scrape could read the outbox, 0 when it could not.")
        read.add_metric([], 0 if self.queues is None else 1)
        yield read
        if self.queues is None:
            return
        families = {
            "pending": GaugeMetricFamily("cyfle_outbox_pending", "Outbox rows not done yet.", labels=["topic"]),
            "lag_seconds": GaugeMetricFamily(
                "cyfle_outbox_lag_seconds", "Age of the oldest outbox row that is late (0: none).", labels=["topic"]
            ),
            "failing": GaugeMetricFamily(
                "cyfle_outbox_failing",
                f"Outbox rows tried {TROUBLED_ATTEMPTS} times or more, not done.",
                labels=["topic"],
            ),
            "set_aside": GaugeMetricFamily(
                "cyfle_outbox_set_aside", "Outbox rows given up on (set aside), still kept.", labels=["topic"]
            ),
        }
        for queue in self.queues:
            for field, family in families.items():
                family.add_metric([queue.topic], getattr(queue, field))
        yield from families.values()
        mail = GaugeMetricFamily("cyfle_mail_queue", "Emails waiting to be sent (their outbox rows not done).")
        mail.add_metric([], sum(queue.pending for queue in self.queues if queue.topic == MAIL_TOPIC))
        yield mail


def _queues(rows: list[Mapping[str, Any]]) -> list[Queue]:
    return [
        Queue(row["topic"], int(row["pending"]), float(row["lag_seconds"]), int(row["failing"]), int(row["set_aside"]))
        for row in rows
    ]


async def read_queues() -> list[Queue] | None:
    """Through the app's pool (the /metrics route)."""
    try:
        rows = await asyncio.wait_for(db.engine().run_ddl(QUEUE_SQL), READ_TIMEOUT_S)
    except Exception:  # the database away: the scrape still answers, and says so
        log.warning("metrics could not read the outbox")
        return None
    return _queues(rows)


async def _read_queues_directly(database_url: str) -> list[Queue] | None:
    """On a connection of its own (the metrics port's thread, which has no pool and no event loop of its own)."""
    import asyncpg

    try:
        connection = await asyncpg.connect(database_url, timeout=READ_TIMEOUT_S)
        try:
            rows = await connection.fetch(QUEUE_SQL, timeout=READ_TIMEOUT_S)
        finally:
            await connection.close()
    except Exception:  # as read_queues
        log.warning("metrics could not read the outbox")
        return None
    return _queues([dict(row) for row in rows])


class MetricsScraper(Rule):
    """Only a request with `Authorization: Bearer <METRICS_TOKEN>`; without the setting, nobody. Anyone else is told
    there is nothing here, as they would be on any unknown path."""

    name = "metrics_scraper"

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        token: str | None = connection.app.state.settings.metrics_token
        scheme, _space, given = connection.headers.get("authorization", "").partition(" ")
        if not token or scheme.lower() != "bearer" or not keys.matches(token, given):
            raise NotFound(_("We could not find that page."))


@get("/metrics", name="metrics", guards=[MetricsScraper()], cache_control=None, include_in_schema=False)
async def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    queues = await read_queues()
    body = exposition(QueueFigures(queues))
    return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4, headers=NO_STORE)


class _ReadAtScrape:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def collect(self) -> Iterator[Metric]:
        yield from QueueFigures(asyncio.run(_read_queues_directly(self.database_url))).collect()


def serve_on_port(settings: Settings) -> None:
    """Prometheus on METRICS_PORT from the serving (parent) process, in a thread: every worker's counts (their
    files) and the queues. For Fly's scraper, which reaches each machine on its private address and sends no
    token; no [[services]] entry exposes this port, so the public never can."""
    assert settings.metrics_port is not None and settings.database_url is not None
    start_http_server(settings.metrics_port, settings.host, registry_with(_ReadAtScrape(settings.database_url)))
    log.info("Prometheus metrics on http://%s:%s/metrics", settings.host, settings.metrics_port)
