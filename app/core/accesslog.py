"""One line per response, naming the route's template (`/sign-in/{token}`), never the path as asked or its
query string: those carry sign-in tokens, invitation codes (`/join?code=`), places (`lat`, `lng`, `near`) and
what people search for. Uvicorn's own access log is switched off wherever the app is served, as it logs both.

No client address either: it says roughly where someone is, and the rate limits keep their own count.

Every line written while a request is answered carries that request's id (made here, never taken from the
request: a client could choose one that muddles another's lines), which the response returns as X-Request-ID.
Production writes one JSON object a line (LOG_FORMAT=json), so a log service can filter on the id.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from litestar.types import Message, Scope

from app.core.redact import scrub

log = logging.getLogger("app.access")
UNMATCHED = "(no route)"
TEXT_FORMAT = "%(levelname)s:     %(name)s%(request_tag)s %(message)s"

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


class ScrubbingFormatter(logging.Formatter):
    """A last net under every app.* line, tracebacks included: no email address reaches the log."""

    def format(self, record: logging.LogRecord) -> str:
        asked = getattr(record, "request_id", None)
        record.request_tag = f" [{asked}]" if asked else ""
        return scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id inside a request, and any traceback,
    scrubbed of email addresses before they are encoded."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        asked = getattr(record, "request_id", None)
        if asked:
            line["request_id"] = asked
        if record.exc_info:
            line["error"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            line["error"] = scrub(record.exc_text)
        return json.dumps(line, ensure_ascii=False)


def _stamped_factory(make: Any) -> Any:
    """Records are stamped with the request id when they are made, so any handler (a test's too) sees it."""

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = make(*args, **kwargs)
        record.request_id = request_id.get()
        return record

    factory.stamps_request_id = True  # type: ignore[attr-defined]
    return factory


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else ScrubbingFormatter(TEXT_FORMAT)


def configure_logging(log_format: str = "text") -> None:
    """The app's loggers (app.*) write INFO and above to stderr, in `log_format`; records still reach the root
    logger, where tests capture them. Called again (once settings are read), it only changes the format."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "stamps_request_id", False):
        logging.setLogRecordFactory(_stamped_factory(current))
    app_log = logging.getLogger("app")
    ours = [handler for handler in app_log.handlers if getattr(handler, "is_cyfle", False)]
    if ours:
        ours[0].setFormatter(formatter_for(log_format))
    elif not app_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.is_cyfle = True  # type: ignore[attr-defined]
        handler.setFormatter(formatter_for(log_format))
        app_log.addHandler(handler)
        app_log.setLevel(logging.INFO)


def route_of(scope: Scope | dict[str, Any]) -> str:
    """The template of the route that answered; a path no route matched is only ever said to be one, as what
    was typed after a known prefix (`/sign-in/<token>/x`) is as secret as the rest."""
    template = scope.get("path_template")
    return str(template) if template else UNMATCHED


async def log_response(message: Message, scope: Scope) -> None:
    """A before_send hook, so it also sees the 404s and 405s that never reach a route's middleware."""
    if message["type"] == "http.response.start":
        log.info('"%s %s" %s', scope.get("method", "-"), route_of(scope), message["status"])


def uvicorn_log_config(log_format: str) -> dict[str, Any]:
    """Uvicorn's own lines (start, stop, errors) in the app's JSON too, so the whole log reads one way."""
    if log_format != "json":
        from uvicorn.config import LOGGING_CONFIG

        return LOGGING_CONFIG
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.core.accesslog.JsonFormatter"}},
        "handlers": {"json": handler},
        "loggers": {"uvicorn": {"handlers": ["json"], "level": "INFO", "propagate": False}},
    }
