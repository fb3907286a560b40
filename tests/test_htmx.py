import httpx
import pytest
from bs4 import BeautifulSoup

from tests import factories


def _vary(response: object) -> set[str]:
    values = response.headers.get_list("vary")  # type: ignore[attr-defined]
    return {part.strip().lower() for value in values for part in value.split(",")}


async def test_plain_request_gets_the_whole_page(client: httpx.AsyncClient) -> None:
    await factories.offer(title="Carpentry apprentice")
    response = await client.get("/")
    html = BeautifulSoup(response.text, "html.parser")
    assert html.find("html") is not None and html.find("header") is not None
    assert "Carpentry apprentice" in response.text
    assert "hx-request" in _vary(response)


async def test_htmx_request_gets_only_the_named_block(client: httpx.AsyncClient) -> None:
    await factories.offer(title="Carpentry apprentice")
    response = await client.get("/", headers={"HX-Request": "true"})
    html = BeautifulSoup(response.text, "html.parser")
    assert html.find("html") is None and html.find("header") is None
    assert html.find("h1") is not None
    assert "Carpentry apprentice" in response.text
    assert "hx-request" in _vary(response)


@pytest.mark.parametrize("header", ["HX-Boosted", "HX-History-Restore-Request"])
async def test_boosted_and_history_restore_get_the_whole_page(client: httpx.AsyncClient, header: str) -> None:
    response = await client.get("/", headers={"HX-Request": "true", header: "true"})
    assert BeautifulSoup(response.text, "html.parser").find("html") is not None
    assert "hx-request" in _vary(response)
