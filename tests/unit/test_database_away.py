"""Which failures are the database away (a 503 "please try again"), and which are not."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from asyncpg.exceptions import CannotConnectNowError, ConnectionDoesNotExistError

from app.core.errors import SearchUnavailable, _database_away


def test_the_database_cutting_or_refusing_connections_is_the_database_away() -> None:
    assert _database_away(ConnectionDoesNotExistError("connection was closed in the middle of operation"))
    assert _database_away(CannotConnectNowError("the database system is starting up"))


def test_a_socket_that_is_not_there_counts_only_when_asyncpg_met_it() -> None:
    with pytest.raises(OSError) as refused:
        asyncio.run(asyncpg.connect("postgresql://nobody@/none?host=/nonexistent-socket-dir"))
    assert _database_away(refused.value)
    assert not _database_away(FileNotFoundError("templates/missing.html"))


def test_search_away_keeps_its_own_words_though_a_connection_error_caused_it() -> None:
    try:
        try:
            raise ConnectionRefusedError("Meilisearch is not listening")
        except ConnectionRefusedError as refused:
            raise SearchUnavailable("Search is not answering just now.") from refused
    except SearchUnavailable as exc:
        assert not _database_away(exc)
