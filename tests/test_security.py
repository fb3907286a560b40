import httpx
import pytest
from bs4 import BeautifulSoup


@pytest.mark.parametrize("path", ["/", "/health", "/no-such-page", "/static/css/app.css"])
async def test_security_headers_on_every_response(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    # Only the door's pages may ask for the camera (tests/test_codes.py), none of these.
    assert "camera=()" in response.headers["permissions-policy"].split(", ")


async def test_pages_have_no_inline_script_or_style(client: httpx.AsyncClient) -> None:
    html = BeautifulSoup((await client.get("/")).text, "html.parser")
    assert all(script.get("src") for script in html.find_all("script"))
    assert not html.find_all("style")
    assert not html.select("[style]")
    assert not [tag for tag in html.find_all(True) if any(attr.startswith("on") for attr in tag.attrs)]


async def test_htmx_is_served_from_our_own_static_files(client: httpx.AsyncClient) -> None:
    html = BeautifulSoup((await client.get("/")).text, "html.parser")
    sources = [script["src"] for script in html.find_all("script")]
    assert sources and all(src.startswith("/static/vendor/htmx.min.js?v=") for src in sources)
    response = await client.get(sources[0])
    assert response.status_code == 200 and "htmx" in response.text[:200]
    assert "max-age=31536000" in response.headers["cache-control"]


async def test_pages_and_static_files_are_compressed_for_slow_phones(client: httpx.AsyncClient) -> None:
    for path in ["/", "/static/vendor/htmx.min.js"]:
        response = await client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("content-encoding") == "gzip", path
