"""One line per response, naming the route's template (`/sign-in/{token}`), never the path as asked or its
query string: those carry sign-in tokens, invitation codes (`/join?code=`), places (`lat`, `lng`, `near`) and
what people search for. Uvicorn's own access log is switched off wherever the app is served, as it logs both.

No client address either: it says roughly where someone is, and the rate limits keep their own count.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from litestar.types import Message, Scope

from app.core.redact import scrub

log = logging.getLogger("app.access")
UNMATCHED = "(no route)"


class ScrubbingFormatter(logging.Formatter):
    """A last net under every app.* line, tracebacks included: no email address reaches the log."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def configure_logging() -> None:
    """The app's loggers (app.*) write INFO and above to stderr unless something has configured them already;
    records still reach the root logger, where tests capture them."""
    app_log = logging.getLogger("app")
    if not app_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(ScrubbingFormatter("%(levelname)s:     %(name)s %(message)s"))
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
