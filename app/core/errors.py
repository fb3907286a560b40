"""Typed domain errors and the one handler that turns any error into a page, a fragment or JSON."""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from asyncpg.exceptions import InterfaceError, OperatorInterventionError, PostgresConnectionError
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect

from app.core.accesslog import route_of
from app.core.htmx import VARY, htmx_of, page_or_fragment
from app.core.i18n import N_, _, locale_of, set_locale
from app.core.paths import path_to, safe_next
from app.settings import ROOT

log = logging.getLogger("app.errors")
ERROR_TEMPLATES = ROOT / "templates" / "errors"
JSON_PREFIXES = ("/api", "/openreferral")  # machines read these: errors come as JSON too


TITLES = {
    400: N_("Check what you entered"),
    401: N_("Please sign in"),
    403: N_("You cannot do that"),
    404: N_("Page not found"),
    405: N_("You cannot do that"),
    409: N_("That has changed since you looked"),
    413: N_("That is too big"),
    422: N_("Check what you entered"),
    429: N_("Too many tries"),
    500: N_("Something went wrong"),
    503: N_("Please try again soon"),
}


class DomainError(Exception):
    """A rule said no; the message is safe to show to the person who asked."""

    status_code = 400


class NotFound(DomainError):
    status_code = 404


class SignInRequired(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


class BadRequest(DomainError):
    status_code = 400


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422


class TooManyRequests(DomainError):
    status_code = 429


class SearchUnavailable(DomainError):
    status_code = 503


def _names_nothing(exc: Exception) -> bool:
    """A path parameter out of its bounds (an `Id` of 0 or past any row): no such page, not a form mistake."""
    extra = exc.extra if isinstance(exc, ValidationException) else None
    return (
        bool(extra)
        and isinstance(extra, list)
        and all(isinstance(item, dict) and item.get("source") == "path" for item in extra)
    )


# The database restarting or out of reach: its connections closed under a query, or told to go away.
DATABASE_AWAY = (PostgresConnectionError, OperatorInterventionError)


def _from_asyncpg(exc: BaseException) -> bool:
    return any(
        f"{os.sep}asyncpg{os.sep}" in frame.f_code.co_filename for frame, _ in traceback.walk_tb(exc.__traceback__)
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and each one it came from (its cause, else its context), each once."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _database_away(exc: BaseException) -> bool:
    """The database, not the request, is why it failed (here or in any cause): asking again soon will do. A
    domain error already says what went wrong in its own words (search away, say), so it is never this."""
    if isinstance(exc, DomainError):
        return False
    return any(
        isinstance(current, DATABASE_AWAY)
        or (isinstance(current, InterfaceError) and "connection is closed" in str(current))
        or (isinstance(current, OSError) and _from_asyncpg(current))  # refused, or its socket gone
        for current in _chain(exc)
    )


def _status_and_detail(exc: Exception, away: bool) -> tuple[int, str | None]:
    if _names_nothing(exc):
        return 404, None
    if away:
        return 503, _("We could not reach our records just now. Please try again in a minute.")
    if isinstance(exc, DomainError):
        return exc.status_code, str(exc)
    if isinstance(exc, HTTPException):
        # Litestar's own details for 5xx can carry internals; show them only for client errors.
        return exc.status_code, exc.detail if exc.status_code < 500 else None
    return 500, None


def withheld_traceback(exc: BaseException) -> str:
    """Where it failed (each frame, each exception's type, causes included) without any exception's message:
    messages repeat the values that broke them (`invalid literal for int(): '<what someone typed>'`), and
    those are form values, tokens and addresses the log must not keep."""
    lines: list[str] = []
    for current in _chain(exc):
        lines.append(f"{type(current).__module__}.{type(current).__qualname__} (message withheld)")
        lines.extend(line.rstrip() for line in traceback.format_tb(current.__traceback__))
    return "\n".join(lines)


def _sign_in_first(request: Request[Any, Any, Any]) -> Response[Any]:
    """Pages that need a signed-in person send everyone else to sign in, and back again afterwards."""
    if request.method == "GET":
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        back = urlsplit(request.headers.get("referer", "")).path
    target = path_to(request, "accounts:sign_in", {"next": safe_next(back)})
    if htmx_of(request):
        return Response(b"", status_code=401, headers={"HX-Redirect": target, **VARY})
    return Redirect(target, status_code=303, headers=VARY)


RETRY_AFTER_S = 60


def error_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    away = _database_away(exc)
    status, detail = _status_and_detail(exc, away)
    set_locale(locale_of(request))  # routing errors (404, 405) never pass through LocaleMiddleware
    if status == 503 and away:  # one line each: a restart refuses many requests at once
        log.warning("%s %s refused: the database is away (%s)", request.method, route_of(request.scope),
                    type(exc).__qualname__)  # fmt: skip
    elif status >= 500:
        # The route's template, not the path (it may hold a token); no body, no query, no exception message.
        log.error("%s %s failed: %s", request.method, route_of(request.scope), withheld_traceback(exc))
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    path = request.url.path
    # "Try again in a minute", said to programs too: feed readers, monitors and proxies wait that long.
    again = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else {}
    if any(path == prefix or path.startswith(prefix + "/") for prefix in JSON_PREFIXES):
        return Response(
            {"status": status, "error": title, "detail": detail or title},
            status_code=status,
            media_type=MediaType.JSON,
            headers=again,
        )
    if status == 401:
        return _sign_in_first(request)
    name = f"errors/{status}.html" if (ERROR_TEMPLATES / f"{status}.html").exists() else "errors/error.html"
    heading = _(TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400]))
    shown = detail if isinstance(exc, DomainError) or away else None
    context = {"status": status, "detail": shown, "title": heading}
    page = page_or_fragment(request, name, context, status_code=status)
    page.headers.update(again)
    return page
