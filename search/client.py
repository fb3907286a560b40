"""The Meilisearch client the app uses: the SDK for everything, and for searches a lighter way to send them.

A search page asks Meilisearch once or twice, and the SDK's HTTP client (httpx2: its pool, streams, models) spent
0.86 ms of the app's CPU on each of those requests: a third of what a results fragment cost the app. The same
request through h11 (the HTTP/1.1 parser uvicorn and httpx are built on) over asyncio's own streams costs 0.2 ms.
So searches, and only they, go that way (`SearchClient.searches`); indexing, settings, tasks and keys keep the SDK."""

from __future__ import annotations

import asyncio
import json
import ssl
from typing import Any
from urllib.parse import urlsplit

import h11
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchCommunicationError, MeilisearchError

# With httpx's default gzip and keep-alive the client stalls ~40 ms a request against Meilisearch;
# asking for identity encoding brings it back to Meilisearch's own few milliseconds.
_HEADERS = {"Accept-Encoding": "identity"}
IDLE_KEPT = 32  # connections kept open for the next searches; more are opened when more are asked at once

JsonDict = dict[str, Any]


class SearchRefused(MeilisearchError):
    """Meilisearch answered a search with an error (its status and message)."""

    def __init__(self, status: int, message: str) -> None:
        self.status_code = status
        super().__init__(f"{status}: {message}")


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.http = h11.Connection(h11.CLIENT)
        self.answering = False  # some of an answer has come: the request is never sent again

    async def post(self, target: str, headers: list[tuple[str, str]], body: bytes) -> tuple[int, bytes]:
        http, self.answering = self.http, False
        request = h11.Request(method="POST", target=target, headers=[*headers, ("Content-Length", str(len(body)))])
        self.writer.write(http.send(request) + http.send(h11.Data(data=body)) + http.send(h11.EndOfMessage()))
        await self.writer.drain()
        status, chunks = 0, []
        while True:
            event = http.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(65536)
                if not data and not self.answering:
                    raise ConnectionResetError("Meilisearch closed the connection before answering")
                http.receive_data(data)  # b"" part-way through an answer: h11 raises
            elif isinstance(event, h11.InformationalResponse):
                continue
            elif isinstance(event, h11.Response):
                status, self.answering = event.status_code, True
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return status, b"".join(chunks)
            else:  # the connection closed, or an upgrade this client never asks for
                raise h11.RemoteProtocolError(f"Meilisearch answered with {event!r}")

    def again(self) -> bool:
        """Ready for the next request (both sides finished and the connection kept alive)."""
        if self.http.our_state is h11.DONE and self.http.their_state is h11.DONE and not self.reader.at_eof():
            self.http.start_next_cycle()
            return True
        return False

    def close(self) -> None:
        self.writer.close()


class _Wire:
    """Keep-alive HTTP/1.1 connections to Meilisearch, for JSON posted and answered."""

    def __init__(self, url: str, api_key: str | None, timeout_s: float) -> None:
        parts = urlsplit(url)
        self.tls = ssl.create_default_context() if parts.scheme == "https" else None
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if self.tls else 80)
        self.prefix = parts.path.rstrip("/")
        self.timeout_s = timeout_s
        self.headers = [("Host", parts.netloc), ("Content-Type", "application/json"), ("User-Agent", "cyfle")]
        if api_key:
            self.headers.append(("Authorization", f"Bearer {api_key}"))
        self.idle: list[_Connection] = []
        self.closed = False

    async def post(self, path: str, payload: JsonDict) -> Any:
        body = json.dumps(payload).encode()
        try:
            async with asyncio.timeout(self.timeout_s):  # one deadline, whatever is tried within it
                status, answer = await self._exchange(self.prefix + path, body)
        except (OSError, h11.ProtocolError) as exc:  # refused, reset, timed out (a TimeoutError is an OSError)
            raise MeilisearchCommunicationError(f"search: {exc!r}") from exc
        if not 200 <= status < 300:
            raise SearchRefused(status, answer[:500].decode("utf-8", "replace"))
        try:
            return json.loads(answer)
        except ValueError as exc:
            raise MeilisearchCommunicationError(f"search: not JSON: {answer[:100]!r}") from exc

    async def _exchange(self, target: str, body: bytes) -> tuple[int, bytes]:
        while True:
            kept = self.idle.pop() if self.idle else None
            connection = kept or _Connection(*await self._open())
            try:
                status, answer = await connection.post(target, self.headers, body)
            except BaseException as exc:
                connection.close()  # half a request or answer on it: never used again
                if kept is not None and isinstance(exc, ConnectionError) and not kept.answering:
                    continue  # a kept connection Meilisearch had closed meanwhile: the search again on another
                raise
            if not self.closed and connection.again() and len(self.idle) < IDLE_KEPT:
                self.idle.append(connection)
            else:
                connection.close()
            return status, answer

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(self.host, self.port, ssl=self.tls)

    def close(self) -> None:
        self.closed = True
        while self.idle:
            self.idle.pop().close()


class SearchClient(AsyncClient):
    """The SDK's client, and `searches` for asking Meilisearch (the search page, feeds, saved searches, alerts)."""

    def __init__(self, url: str, api_key: str | None, timeout_s: float) -> None:
        super().__init__(url, api_key, timeout=int(timeout_s), custom_headers=_HEADERS)
        self._wire = _Wire(url, api_key, timeout_s)

    async def searches(self, queries: list[JsonDict]) -> list[JsonDict]:
        """Meilisearch's multi-search: each query as its API takes it ({"indexUid": …, "q": …, "filter": …}), and
        each answer as it gives it ({"hits": […], "estimatedTotalHits": …}), in the same order."""
        answer = await self._wire.post("/multi-search", {"queries": queries})
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(queries):
            raise MeilisearchCommunicationError(f"search: an answer without its results: {str(answer)[:100]}")
        return results

    async def aclose(self) -> None:
        self._wire.close()
        await super().aclose()


def make_client(url: str, api_key: str | None, timeout_s: int = 5) -> SearchClient:
    return SearchClient(url, api_key, timeout_s)


async def is_healthy(client: AsyncClient) -> bool:
    try:
        health = await client.health()
    except Exception:  # any failure to reach Meilisearch means "down" to the health check
        return False
    return bool(health.status == "available")
