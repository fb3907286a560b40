"""The web process holds a key that can only search the offers index: it can find offers but not change them."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from litestar import Litestar
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchApiError

from app import _web_search_key
from app.dev.meili import MeiliProcess
from app.settings import Settings
from search.client import make_client
from search.keys import search_only_key
from search.settings import OFFERS


async def test_the_web_process_can_search_but_not_write(
    app: Litestar, client: httpx.AsyncClient, search: AsyncClient, settings: Settings, meili: MeiliProcess
) -> None:
    await client.get("/health")  # the app has started
    web: AsyncClient = app.state.search
    authorization = web.http_client.headers.get("authorization")
    assert authorization is not None and authorization != f"Bearer {settings.meili_master_key}"
    assert (await web.index(OFFERS).search("")).hits == []
    offers_settings = await search.index(OFFERS).get_settings()
    writes: list[Callable[[AsyncClient], Awaitable[Any]]] = [
        lambda c: c.index(OFFERS).add_documents([{"id": 1, "title": "Planted"}]),
        lambda c: c.index(OFFERS).delete_all_documents(),
        lambda c: c.index(OFFERS).update_settings(offers_settings),
        lambda c: c.create_index("planted"),
        lambda c: c.get_keys(),
    ]
    for write in writes:
        # Each on a connection of its own: Meilisearch answers a refused write without reading its body, and a
        # kept-alive connection then stalls the next request on it.
        async with make_client(meili.url, authorization.removeprefix("Bearer ")) as same_key:
            with pytest.raises(MeilisearchApiError) as refused:
                await write(same_key)
        assert refused.value.status_code == 403


async def test_the_key_is_made_once_and_found_again(search: AsyncClient) -> None:
    first, second = await search_only_key(search), await search_only_key(search)
    assert first == second
    named = [key for key in (await search.get_keys(limit=1000)).results if key.key == first]
    assert len(named) == 1 and named[0].actions == ["search"] and named[0].indexes == [OFFERS]


async def test_in_production_the_configured_key_is_used_and_the_master_key_is_not(settings: Settings) -> None:
    prod = dataclasses.replace(settings, app_env="prod", meili_search_key="configured")
    assert await _web_search_key(prod) == "configured"


def test_production_will_not_serve_without_a_search_only_key(settings: Settings) -> None:
    from app import create_app
    from app.settings import SettingsError

    with pytest.raises(SettingsError, match="MEILI_SEARCH_KEY"):
        create_app(dataclasses.replace(settings, app_env="prod", meili_search_key=None))


def test_the_search_key_command_prints_the_key_to_set(capsys: pytest.CaptureFixture[str], meili: MeiliProcess) -> None:
    """What an operator runs once (with the master key) to fill in MEILI_SEARCH_KEY."""
    import asyncio

    from app.__main__ import main
    from search.client import make_client

    assert main(["search-key"]) == 0
    printed = capsys.readouterr().out.strip()

    async def found() -> str:
        async with make_client(meili.url, meili.master_key) as master:
            return await search_only_key(master)

    assert printed == asyncio.run(found())
