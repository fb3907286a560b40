"""Prometheus at /metrics: nobody reads it without METRICS_TOKEN; with it, a scraper reads Prometheus text in which
requests are timed by route template (never the path as asked), searches are timed, and the outbox's queues are
read from the database. Served as in production with two workers, the counts of both add up, on the metrics port
as through the token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from typing import Any

import httpx
import pytest
from litestar import Litestar
from prometheus_client.parser import text_string_to_metric_families

from app.core import db
from app.core.accesslog import UNMATCHED
from app.core.startup import free_port, wait_until_ready
from app.settings import ROOT, Settings
from tests.conftest import TEST_VAR

TOKEN = "scrape-" + "k" * 40
SECRET = "tokEN-8c1f2Qh5XlZ"
AS_SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of Prometheus text by name and labels, read by prometheus-client's own parser."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def with_token(app: Litestar, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.state, "settings", replace(settings, metrics_token=TOKEN))


async def _scrape(client: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = await client.get("/metrics", headers=AS_SCRAPER)
    assert answer.status_code == 200, answer.status_code
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert answer.headers["cache-control"] == "no-store"
    return samples(answer.text)


async def test_without_its_token_there_is_no_metrics_page(client: httpx.AsyncClient, app: Litestar) -> None:
    assert app.state.settings.metrics_token is None  # the default: nobody at all
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer x"}):
        assert (await client.get("/metrics", headers=headers)).status_code == 404


@pytest.mark.usefixtures("with_token")
async def test_only_the_token_opens_it(client: httpx.AsyncClient) -> None:
    wrong = [
        {},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": f"Bearer {TOKEN}x"},
    ]
    for headers in wrong:
        answer = await client.get("/metrics", headers=headers)
        assert answer.status_code == 404 and "cyfle_" not in answer.text, headers
    assert (await client.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"})).status_code == 200


@pytest.mark.usefixtures("with_token")
async def test_requests_are_timed_by_route_template_and_the_histogram_moves(client: httpx.AsyncClient) -> None:
    before = await _scrape(client)
    for _ in range(2):
        answer = await client.get(f"/sign-in/{SECRET}")
        assert answer.status_code == 200 and len(answer.headers["x-request-id"]) == 32
    await client.get(f"/sign-in/{SECRET}/more")  # no route
    after_answer = await client.get("/metrics", headers=AS_SCRAPER)
    after = samples(after_answer.text)

    route = {"method": "GET", "route": "/sign-in/{token}"}
    count = "cyfle_http_request_duration_seconds_count"
    assert value(after, count, **route) - value(before, count, **route) == 2
    slowest = "cyfle_http_request_duration_seconds_bucket"
    assert value(after, slowest, **route, le="+Inf") - value(before, slowest, **route, le="+Inf") == 2
    assert value(after, "cyfle_http_request_duration_seconds_sum", **route) > value(
        before, "cyfle_http_request_duration_seconds_sum", **route
    )
    responses = "cyfle_http_responses_total"
    assert value(after, responses, **route, status="2xx") - value(before, responses, **route, status="2xx") == 2
    missing = {"method": "GET", "route": UNMATCHED, "status": "4xx"}
    assert value(after, responses, **missing) - value(before, responses, **missing) == 1
    assert SECRET not in after_answer.text and "/more" not in after_answer.text


@pytest.mark.usefixtures("with_token")
async def test_searches_are_timed(client: httpx.AsyncClient, search) -> None:
    before = await _scrape(client)
    assert (await client.get("/offers?q=swimming")).status_code == 200
    assert (await client.get("/offers.atom?q=swimming")).status_code == 200
    after = await _scrape(client)
    for kind in ("offers", "feed"):
        name = "cyfle_search_duration_seconds_count"
        assert value(after, name, kind=kind) - value(before, name, kind=kind) == 1, kind


@pytest.mark.usefixtures("with_token")
async def test_the_outbox_lag_failures_and_mail_queue_are_read_from_the_database(client: httpx.AsyncClient) -> None:
    await db.engine().run_ddl(
        """
        INSERT INTO outbox (topic, payload, created_at, available_at, attempts, last_error, done_at) VALUES
          ('mail.send', '{}', now() - interval '10 minutes', now() - interval '10 minutes', 0, '', NULL),
          ('mail.send', '{}', now(), now(), 0, '', NULL),
          ('search.offer', '{}', now() - interval '1 hour', now() + interval '4 minutes', 4, 'refused', NULL),
          ('search.offer', '{}', now() - interval '2 hours', now(), 1, 'set aside: no such offer', now()),
          ('search.offer', '{}', now() - interval '3 hours', now(), 2, 'timed out', now()),
          ('push.send', '{}', now(), now() + interval '1 hour', 0, '', NULL)
        """
    )
    found = await _scrape(client)
    assert value(found, "cyfle_outbox_read") == 1
    assert value(found, "cyfle_mail_queue") == 2
    assert value(found, "cyfle_outbox_pending", topic="mail.send") == 2
    assert 600 <= value(found, "cyfle_outbox_lag_seconds", topic="mail.send") < 700
    # backing off after failures is late, not scheduled: its age counts from when it was written
    assert value(found, "cyfle_outbox_lag_seconds", topic="search.offer") >= 3600
    assert value(found, "cyfle_outbox_failing", topic="search.offer") == 1
    assert value(found, "cyfle_outbox_set_aside", topic="search.offer") == 1
    assert value(found, "cyfle_outbox_pending", topic="search.offer") == 1
    # written for later, and not tried yet: waiting, not late
    assert value(found, "cyfle_outbox_lag_seconds", topic="push.send") == 0
    assert value(found, "cyfle_outbox_pending", topic="push.send") == 1


def _serve(env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def test_two_workers_add_up_on_the_metrics_port_and_through_the_token(search) -> None:
    """`python -m app serve` as production runs it (two uvicorn workers, JSON logs): each worker counts into its
    own file, and both ways in add every worker's counts up."""
    port, metrics_port = free_port(), free_port()
    url, log_path = f"http://127.0.0.1:{port}", TEST_VAR / "metrics_server.log"
    env = os.environ | {
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "BASE_URL": url,
        "WEB_CONCURRENCY": "2",
        "METRICS_PORT": str(metrics_port),
        "METRICS_TOKEN": TOKEN,
        "LOG_FORMAT": "json",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log_path.open("wb") as log:
        process = _serve(env, log)
        try:
            wait_until_ready(url, process, str(log_path))
            ids = []
            for _ in range(30):  # a new connection each: the kernel spreads them over both workers
                answer = httpx.get(f"{url}/sign-in")
                assert answer.status_code == 200
                ids.append(answer.headers["x-request-id"])
            on_port = samples(httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text)
            answer = httpx.get(f"{url}/metrics", headers=AS_SCRAPER)
            through_token = samples(answer.text)
            assert httpx.get(f"{url}/metrics").status_code == 404
        finally:
            process.terminate()
            process.wait(15)
    route = {"method": "GET", "route": "/sign-in"}
    for found in (on_port, through_token):
        assert value(found, "cyfle_http_request_duration_seconds_count", **route) == 30
        assert value(found, "cyfle_http_responses_total", **route, status="2xx") == 30
        assert value(found, "cyfle_outbox_read") == 1
    lines = [json.loads(line) for line in log_path.read_text().splitlines()]  # every line, uvicorn's too, is JSON
    started = [line for line in lines if line["message"].startswith("Started server process")]
    assert len(started) >= 2, lines  # more if uvicorn replaced a worker that was slow to answer its health check
    access = {line["request_id"]: line["message"] for line in lines if line["logger"] == "app.access"}
    assert all(access[asked] == '"GET /sign-in" 200' for asked in ids)
