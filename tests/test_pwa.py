"""Cyfle as an installable app: the manifest, its icons, the service worker's script, and the browser told to forget
what it kept whenever someone signs in, signs out or deletes their account. (In Chromium: test_offline_browser.py.)"""

from __future__ import annotations

import struct
from datetime import date

import httpx
from bs4 import BeautifulSoup

from app.codes import pool as code_pool
from app.codes.tables import Code
from tests import factories
from tests.people import post, session_for, sign_in, young_person

FORGET = '"cache", "storage"'


def _png_size(body: bytes) -> str:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])
    return f"{width}x{height}"


async def test_the_manifest_makes_the_site_installable(client: httpx.AsyncClient) -> None:
    home = BeautifulSoup((await client.get("/")).text, "html.parser")
    link = home.select_one('link[rel="manifest"]')
    assert link is not None and link["href"] == "/manifest.webmanifest"
    response = await client.get(link["href"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    assert response.headers["cache-control"] == "private, max-age=86400"
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "Cyfle"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    theme = home.select_one('meta[name="theme-color"]')
    assert theme is not None and manifest["theme_color"] == theme["content"] == "#0b4f4a"
    assert manifest["shortcuts"][0]["url"] == "/me/codes"
    for icon in manifest["icons"] + manifest["shortcuts"][0]["icons"]:
        image = await client.get(icon["src"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png", icon
        assert _png_size(image.content) == icon["sizes"], icon
        assert "max-age=31536000" in image.headers["cache-control"]  # versioned URLs
    kinds = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= kinds


async def test_the_manifest_speaks_welsh_to_a_welsh_reader(new_client) -> None:
    manifest = (await new_client().get("/manifest.webmanifest?lang=cy")).json()
    assert manifest["lang"] == "cy"
    assert manifest["shortcuts"][0]["name"] == "Eich codau"
    assert manifest["name"] == "Cyfle"


async def test_the_service_worker_is_served_from_the_root_and_never_kept_stale(client: httpx.AsyncClient) -> None:
    response = await client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    script = response.text
    assert 'const CODES = "/me/codes";' in script
    assert "{{" not in script and "{%" not in script
    # Everything it keeps is there to be kept, at the versioned URL the pages use.
    home = BeautifulSoup((await client.get("/")).text, "html.parser")
    stylesheet = home.select_one('link[rel="stylesheet"]')
    assert stylesheet is not None and f'"{stylesheet["href"]}"' in script
    assets = script.split("const ASSETS = ", 1)[1].split(";", 1)[0]
    for url in httpx.Response(200, content=assets).json():
        assert (await client.get(url)).status_code == 200, url


async def test_the_codes_page_carries_the_mark_the_service_worker_turns_into_saved(new_client) -> None:
    org = await factories.organisation(name="Pwll Nofio", kind="leisure")
    offer = await factories.offer(org, type="sport", title="Nofio am ddim")
    user_id, young_id = await young_person("owen@example.org", "Owen", date(2031, 1, 1))
    await Code.insert(Code(offer=offer.id, code=code_pool.new_code(), claimed_by=young_id, claimed_at=date.today()))
    client = new_client()
    await session_for(client, user_id)
    html = (await client.get("/me/codes")).text
    # The worker changes the first data-saved-copy="no" it finds: it must be the note's, before anything else.
    assert html.count('data-saved-copy="no"') == 1
    page = BeautifulSoup(html, "html.parser")
    note = page.select_one("[data-saved-copy]")
    assert note is not None and note.has_attr("hidden") and note["role"] == "status"
    assert note.text.startswith("You are offline. These codes were saved at ")
    script = page.select_one('script[src^="/static/js/codes-offline.js"]')
    assert script is not None and script["data-worker"] == "/sw.js"
    assert len(page.select(".code-box")) == 1
    welsh = BeautifulSoup((await client.get("/me/codes?lang=cy")).text, "html.parser").select_one("[data-saved-copy]")
    assert welsh is not None and welsh.text.startswith("Rydych chi all-lein. Cafodd y codau hyn eu cadw am ")


async def test_signing_in_and_out_tells_the_browser_to_forget_what_it_kept(new_client) -> None:
    client = new_client()
    signed_in = await sign_in(client, "bryn@example.org", next_path="/me/codes")
    assert signed_in.status_code == 303 and signed_in.headers["clear-site-data"] == FORGET
    signed_out = await post(client, "/sign-out")
    assert signed_out.status_code == 303 and signed_out.headers["clear-site-data"] == FORGET

    await sign_in(client, "bryn@example.org")
    everywhere = await post(client, "/sign-out/everywhere")
    assert everywhere.status_code == 303 and everywhere.headers["clear-site-data"] == FORGET

    user_id, _ = await young_person("gwen@example.org", "Gwen")
    await session_for(client, user_id)
    erased = await post(client, "/me/delete")
    assert erased.status_code == 303 and erased.headers["clear-site-data"] == FORGET
    assert "clear-site-data" not in (await client.get("/")).headers  # only then: it empties the browser's cache
