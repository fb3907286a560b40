"""Searches go to Meilisearch over keep-alive connections of their own (search/client.py): a connection Meilisearch
closed meanwhile is not an error, one left half-way (a search cancelled, timed out) is never used again, and every
failure is one the search page knows (MeilisearchError: "search is catching up")."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from meilisearch_python_sdk.errors import MeilisearchCommunicationError, MeilisearchError

from search.client import SearchClient, SearchRefused, make_client
from search.settings import OFFERS, TASK_TIMEOUT_MS

Answer = Callable[[dict[str, object], int], Awaitable[bytes | None]]


def http(status: int, body: bytes, length: int | None = None) -> bytes:
    """An HTTP/1.1 answer (its Content-Length may promise more than it has)."""
    return f"HTTP/1.1 {status} X\r\nContent-Length: {len(body) if length is None else length}\r\n\r\n".encode() + body


class StandIn:
    """An HTTP/1.1 server on loopback answering each POST as `answer(body, n)` says (n counts requests): what to
    write back, then the connection is kept; None to close it without a word. An answer shorter than it says is
    followed by the connection closing."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.requests = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line[15:]) for line in head.decode().split("\r\n") if line.lower().startswith("content-length:")
                )
                body = json.loads(await reader.readexactly(length))
                self.requests += 1
                answered = await self.answer(body, self.requests)
                if answered is None:
                    break
                writer.write(answered)
                await writer.drain()
                if b"Content-Length: 1000\r\n" in answered:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def stand_in() -> AsyncIterator[Callable[[Answer], Awaitable[tuple[StandIn, SearchClient]]]]:
    servers: list[asyncio.Server] = []
    clients: list[SearchClient] = []

    async def start(answer: Answer) -> tuple[StandIn, SearchClient]:
        stand_in = StandIn(answer)
        server = await asyncio.start_server(stand_in.serve, "127.0.0.1", 0)
        servers.append(server)
        client = make_client(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", "key", timeout_s=1)
        clients.append(client)
        return stand_in, client

    yield start
    for client in clients:
        await client.aclose()
    for server in servers:
        server.close()


def _results(n: int) -> bytes:
    return http(200, json.dumps({"results": [{"hits": [{"id": n}], "estimatedTotalHits": 1}]}).encode())


async def test_searches_ask_meilisearch_as_its_api_answers(search: SearchClient) -> None:
    task = await search.index(OFFERS).add_documents(
        [{"id": 1, "match_title": "harp lessons"}, {"id": 2, "remote": True}]
    )
    await search.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
    harp, online = await search.searches(
        [{"indexUid": OFFERS, "q": "harp"}, {"indexUid": OFFERS, "filter": "remote = true", "limit": 0}]
    )
    assert [hit["id"] for hit in harp["hits"]] == [1] and online["estimatedTotalHits"] == 1
    with pytest.raises(SearchRefused) as refused:  # a filter on what is not filterable
        await search.searches([{"indexUid": OFFERS, "filter": "match_title = harp"}])
    assert refused.value.status_code == 400 and isinstance(refused.value, MeilisearchError)


async def test_a_connection_meilisearch_closed_meanwhile_is_not_an_error(stand_in) -> None:  # type: ignore[no-untyped-def]
    async def answer_once_then_hang_up(body: dict[str, object], n: int) -> bytes | None:
        return _results(n) if n % 2 else None  # every second request finds its connection closed

    server, client = await stand_in(answer_once_then_hang_up)
    for n in (1, 3, 5):
        [found] = await client.searches([{"indexUid": OFFERS, "q": "x"}])
        assert found["hits"] == [{"id": n}]
    assert server.connections == 3  # each closed one replaced once, the search asked again on the new one


async def test_a_search_left_half_way_never_leaves_its_answer_to_the_next(stand_in) -> None:  # type: ignore[no-untyped-def]
    async def slow_first(body: dict[str, object], n: int) -> bytes | None:
        if n == 1:
            await asyncio.sleep(0.8)
        return _results(n)

    server, client = await stand_in(slow_first)
    asking = asyncio.create_task(client.searches([{"indexUid": OFFERS, "q": "first"}]))
    await asyncio.sleep(0.1)
    asking.cancel()  # someone closed the page while it was being answered
    with pytest.raises(asyncio.CancelledError):
        await asking
    [found] = await client.searches([{"indexUid": OFFERS, "q": "second"}])
    assert found["hits"] == [{"id": 2}]  # its own answer, not the first's arriving late
    assert server.connections == 2


async def test_failures_are_ones_the_search_page_knows(stand_in) -> None:  # type: ignore[no-untyped-def]
    async def never(body: dict[str, object], n: int) -> bytes | None:
        await asyncio.sleep(5)
        return None

    async def broken(body: dict[str, object], n: int) -> bytes | None:
        return http(503, b'{"message": "busy"}')

    async def garbled(body: dict[str, object], n: int) -> bytes | None:
        return http(200, b"<html>a proxy's page</html>" if n == 1 else b'{"results": []}')

    _, silent = await stand_in(never)
    with pytest.raises(MeilisearchCommunicationError):  # after the client's timeout (1 s here)
        await silent.searches([{"indexUid": OFFERS}])
    _, busy = await stand_in(broken)
    with pytest.raises(SearchRefused, match="503"):
        await busy.searches([{"indexUid": OFFERS}])
    _, odd = await stand_in(garbled)
    for _ in range(2):  # not JSON; JSON without an answer for the search asked
        with pytest.raises(MeilisearchCommunicationError):
            await odd.searches([{"indexUid": OFFERS}])
    nobody = make_client("http://127.0.0.1:9", None)  # nothing listens there
    with pytest.raises(MeilisearchCommunicationError):
        await nobody.searches([{"indexUid": OFFERS}])
    await nobody.aclose()


async def test_an_answer_cut_short_is_an_error_and_never_asked_again(stand_in) -> None:  # type: ignore[no-untyped-def]
    async def cut_second(body: dict[str, object], n: int) -> bytes | None:
        return _results(n) if n == 1 else http(200, b'{"results": [', length=1000)

    server, client = await stand_in(cut_second)
    await client.searches([{"indexUid": OFFERS}])
    with pytest.raises(MeilisearchCommunicationError):  # on the kept connection, but part of an answer had come
        await client.searches([{"indexUid": OFFERS}])
    assert server.requests == 2


async def test_one_deadline_for_a_search_whatever_is_tried(stand_in) -> None:  # type: ignore[no-untyped-def]
    async def slow_then_hang_up(body: dict[str, object], n: int) -> bytes | None:
        if n == 1:
            return _results(n)
        await asyncio.sleep(0.9)
        return None

    _, client = await stand_in(slow_then_hang_up)
    await client.searches([{"indexUid": OFFERS}])
    started = asyncio.get_running_loop().time()
    with pytest.raises(MeilisearchCommunicationError):  # hung up on (0.9 s), asked again: the 1 s deadline passes
        await client.searches([{"indexUid": OFFERS}])
    assert asyncio.get_running_loop().time() - started < 1.5  # a deadline per try would have taken 1.8 s
