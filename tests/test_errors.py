import httpx
from bs4 import BeautifulSoup
from litestar import Litestar, get

from app.core.errors import Conflict
from app.settings import Settings
from tests.asgi import asgi_client


async def test_unknown_page_is_a_friendly_404_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    html = BeautifulSoup(response.text, "html.parser")
    assert html.find("h1").get_text(strip=True) == "Page not found"
    assert html.find("header") is not None, "a 404 is a whole page, with the site header"
    assert html.find("a", href="/") is not None, "no dead ends: the page links home"


async def test_unknown_api_path_is_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["status"] == 404


async def test_404_for_htmx_is_a_fragment(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "<html" not in response.text
    assert BeautifulSoup(response.text, "html.parser").find("h1").get_text(strip=True) == "Page not found"


async def test_404_page_in_welsh(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-page", headers={"Accept-Language": "cy"})
    assert "Heb ddod o hyd i'r dudalen" in response.text


async def test_wrong_method_is_a_page_not_a_crash(client: httpx.AsyncClient) -> None:
    response = await client.post("/")
    assert response.status_code == 405
    assert "You cannot do that" in response.text


@get("/boom")
async def boom() -> None:
    raise RuntimeError("secret internals")


@get("/api/boom")
async def api_boom() -> None:
    raise RuntimeError("secret internals")


@get("/taken")
async def taken() -> None:
    raise Conflict("Someone else took the last place a moment ago.")


def _app_with_failing_routes(settings: Settings) -> Litestar:
    """The real app (its pages link to its routes by name) with routes that fail on purpose."""
    from app import create_app

    app = create_app(settings)
    for handler in (boom, api_boom, taken):
        app.register(handler)
    return app


async def test_a_crash_is_a_500_page_that_leaks_nothing(settings: Settings) -> None:
    async with asgi_client(_app_with_failing_routes(settings)) as client:
        page = await client.get("/boom")
        assert page.status_code == 500
        assert "Sorry, something went wrong on our side" in page.text
        assert "secret internals" not in page.text
        fragment = await client.get("/boom", headers={"HX-Request": "true"})
        assert fragment.status_code == 500 and "<html" not in fragment.text
        api = await client.get("/api/boom")
        assert api.status_code == 500
        assert api.json()["status"] == 500 and "secret" not in api.text


async def test_domain_errors_show_their_message_with_their_status(settings: Settings) -> None:
    async with asgi_client(_app_with_failing_routes(settings)) as client:
        response = await client.get("/taken")
        assert response.status_code == 409
        assert "Someone else took the last place a moment ago." in response.text


async def test_404_says_its_language_and_varies_by_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-page?lang=cy")
    assert response.headers["content-language"] == "cy"
    assert "accept-language" in response.headers["vary"].lower()
    assert "lang=cy" in response.headers["set-cookie"]
    client.cookies.clear()
