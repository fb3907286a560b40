"""HEAD on every GET route: uptime monitors and link checkers ask with HEAD, and Litestar answers a route without
a HEAD handler with 405. Litestar's own HEAD handlers may not return a body (no page, no template), and the one it
adds for static files leaves out Content-Type; so rather than a second handler for each route, every HEAD request
is handled as its GET and only the status and headers are sent (RFC 9110 §9.3.2: the same header fields as GET,
no content).

It runs inside the app, before routing: the GET's guards, CSRF and rate limits apply as they would to the GET (all
of them treat GET and HEAD alike), and the request is put back to HEAD before the response starts, so the access
log and the server see what was asked. A GET that notes something as it answers (a visit to an offer's page, going
on to apply, opening a suggestion or a saved search) notes nothing for a HEAD: `only_looking` tells it. An uptime
monitor asking for an offer's page every minute must not count as 1 440 visits a day.
"""

from __future__ import annotations

from typing import Any, Final

from litestar import Litestar, Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

ANSWERING_HEAD: Final = "answering_head"  # in the request's scope state while a HEAD is answered as its GET


def only_looking(request: Request[Any, Any, Any]) -> bool:
    """Whether this GET is answering a HEAD: it should answer as it would, and note nothing."""
    return bool(request.scope.get("state", {}).get(ANSWERING_HEAD))


def answer_head_as_get(app: Litestar) -> None:
    handle: ASGIApp = app.asgi_handler

    async def head_as_get(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await handle(scope, receive, send)
            return
        http: HTTPScope = scope

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.start":
                http["method"] = "HEAD"
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        http["method"] = "GET"
        http.setdefault("state", {})[ANSWERING_HEAD] = True  # the server's state is copied for each request
        try:
            await handle(http, receive, send_headers_only)
        finally:
            http["method"] = "HEAD"

    app.asgi_handler = head_as_get
