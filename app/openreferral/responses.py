"""How the open data answers: JSON with a validator (ETag, Last-Modified) that lets a directory ask again for
nothing (304), readable from any website (CORS), and errors in JSON like everything else here."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, Final

import msgspec
from litestar import MediaType, Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from app.core.i18n import current_locale
from app.core.validators import not_modified, weak_etag

PREFIX: Final = "/openreferral"
# Public data, the same for everyone: any cache may keep it a minute, then asks again with If-None-Match.
CACHE_CONTROL: Final = "public, max-age=60"
EXPOSED: Final = "ETag, Last-Modified, Link, Retry-After, Content-Language"
ASKED_WITH: Final = "If-None-Match, If-Modified-Since, Accept-Language"


def answer(
    request: Request[Any, Any, Any], payload: Any, modified: datetime, headers: dict[str, str] | None = None
) -> Response[bytes]:
    """`payload` as JSON, or 304 when the asker already has it. The ETag is weak (gzip may change the bytes on the
    wire) and covers the language, since the same words can come in either."""
    body = msgspec.json.encode(payload)
    etag = weak_etag(body, current_locale())
    sent = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    # HTTP dates have whole seconds: a change later in the same second would carry the same Last-Modified, so
    # there is none until that second has passed (the ETag still works), as Apache does for files.
    second = modified.astimezone(UTC).replace(microsecond=0)
    at = second if second < datetime.now(UTC).replace(microsecond=0) else None
    if at is not None:
        sent["Last-Modified"] = format_datetime(at, usegmt=True)
    sent |= headers or {}
    if not_modified(request, etag, at):
        return Response(b"", status_code=304, headers=sent)
    return Response(body, media_type=MediaType.JSON, headers=sent)


def is_ours(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


async def cors_headers(message: Message, scope: Scope) -> None:
    """A before_send hook (the root adds it), so errors from routing (404, 405) and Litestar's own answers to a
    browser's preflight carry them too. No credentials are ever honoured: the data is nobody's."""
    if message["type"] != "http.response.start" or not is_ours(scope.get("path", "")):
        return
    headers = MutableScopeHeaders.from_message(message)
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = EXPOSED
    if scope.get("method") == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        headers["Access-Control-Allow-Headers"] = ASKED_WITH
        headers["Access-Control-Max-Age"] = "86400"
