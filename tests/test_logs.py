"""Logs hold no secrets or places: the access log names the route's template, never the path as asked or its
query, and a failure logs where it happened without any value someone typed."""

from __future__ import annotations

import json
import logging
from typing import Annotated

import httpx
import pytest
from litestar import post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from app.core.accesslog import UNMATCHED
from app.core.auth import public
from app.settings import Settings
from tests.conftest import TEST_VAR

TOKEN = "tokEN-8c1f2Qh5XlZ"
CODE = "JOIN-7Q2K-X9PA"
LAT, LNG = "51.4816", "-3.1791"
SECRETS = (TOKEN, CODE, LAT, LNG, "lat=", "code=", "Pontypridd")
ASKED = [
    f"/sign-in/{TOKEN}",
    f"/join?code={CODE}",
    f"/offers?lat={LAT}&lng={LNG}",
    "/offers?near=Pontypridd",
    f"/sign-in/{TOKEN}/more",  # no route: a 404 still logs no part of it
]


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _server_side(caplog: pytest.LogCaptureFixture) -> str:
    """What the app and its framework logged (httpx here is the test's own client, saying what it asked)."""
    return "\n".join(caplog.handler.format(r) for r in caplog.records if not r.name.startswith("httpx"))


async def test_the_access_log_names_routes_and_drops_tokens_codes_and_places(
    new_client, search, caplog: pytest.LogCaptureFixture
) -> None:
    client = new_client()
    with caplog.at_level(logging.DEBUG):
        for path in ASKED:
            await client.get(path)
    access = [r.getMessage() for r in caplog.records if r.name == "app.access"]
    assert access == [
        '"GET /sign-in/{token}" 200',
        '"GET /join" 200',
        '"GET /offers" 200',
        '"GET /offers" 200',
        f'"GET {UNMATCHED}" 404',
    ], access
    assert _leaks(_server_side(caplog)) == []


async def test_the_served_app_logs_no_secret_or_place(live_server: str, search) -> None:
    """The log the production server writes (uvicorn in its own process): uvicorn's own access log is off."""
    log = TEST_VAR / "live_server.log"
    async with httpx.AsyncClient(base_url=live_server) as client:
        for path in ASKED:
            await client.get(path)
        await client.get("/health?after=logs-test")
    written = log.read_text()  # each line is written (and flushed) before its response goes
    assert '"GET /health" 200' in written
    assert '"GET /sign-in/{token}" 200' in written and '"GET /join" 200' in written
    assert _leaks(written) == [] and "after=" not in written


@post("/boom", guards=[public], sync_to_thread=False, exclude_from_csrf=True)
def boom(data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]) -> None:
    int(data["age"])  # ValueError: invalid literal for int() with base 10: '<what was typed>'


async def test_a_failure_logs_where_not_what_was_typed(caplog: pytest.LogCaptureFixture, settings: Settings) -> None:
    from app import create_app

    app = create_app(settings)  # the real app (its error page links by route name), with a route that fails
    app.register(boom)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
        with caplog.at_level(logging.DEBUG):
            answer = await client.post("/boom", data={"age": "ffion.jones@example.org lives at CF37 1DB"})
    assert answer.status_code == 500
    assert "POST /boom failed" in caplog.text and "ValueError (message withheld)" in caplog.text
    assert "int(data" in caplog.text  # where it happened is kept
    assert "example.org" not in caplog.text and "CF37" not in caplog.text
    assert "example.org" not in answer.text and "CF37" not in answer.text


async def test_every_line_a_request_logs_carries_its_id(caplog: pytest.LogCaptureFixture, settings: Settings) -> None:
    """The failure's lines and the access line of one request all name the id its response returns, and in JSON
    (production's format) they say it without what was typed."""
    from app import create_app
    from app.core.accesslog import JsonFormatter

    app = create_app(settings)
    app.register(boom)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
        with caplog.at_level(logging.DEBUG):
            answers = [await client.post("/boom", data={"age": f"ffion{n}@example.org CF37 1DB"}) for n in range(2)]
    ids = [answer.headers["x-request-id"] for answer in answers]
    assert len(set(ids)) == 2 and all(len(asked) == 32 for asked in ids)
    ours = [record for record in caplog.records if record.name.startswith("app.")]
    assert {record.name for record in ours} >= {"app.access", "app.errors"}, [r.name for r in ours]
    assert [getattr(record, "request_id", None) for record in ours] == [ids[0]] * (len(ours) // 2) + [ids[1]] * (
        len(ours) // 2
    )
    for record in ours:
        line = json.loads(JsonFormatter().format(record))
        assert line["request_id"] == record.request_id and line["logger"] == record.name  # type: ignore[attr-defined]
        assert {"time", "level", "message"} <= set(line)
        assert "example.org" not in json.dumps(line) and "CF37" not in json.dumps(line)
    outside = logging.LogRecord("app.worker", logging.INFO, __file__, 1, "between requests", (), None)
    assert "request_id" not in json.loads(JsonFormatter().format(outside))
