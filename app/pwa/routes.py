"""Cyfle as an app on the phone: the web app manifest, and the service worker that keeps "Your codes" for when
there is no signal (templates/pwa/sw.js says what it keeps, and what it never does)."""

import hashlib
from typing import Any

from litestar import Request, Response, get
from litestar.response import Template

from app.core.auth import public
from app.core.i18n import _, current_locale
from app.core.paths import path_to
from app.core.templating import static_url

THEME = "#0b4f4a"  # as <meta name="theme-color"> in base.html
BACKGROUND = "#f3f6f4"  # the page's background (--wash in app.css), shown while the app opens
A_DAY_S = 24 * 3600
ICONS = [
    ("img/icon-192.png", "192x192", "any"),
    ("img/icon-512.png", "512x512", "any"),
    ("img/icon-maskable-192.png", "192x192", "maskable"),
    ("img/icon-maskable-512.png", "512x512", "maskable"),
]
# What the saved "Your codes" page loads, kept with it so that it looks right and works without signal.
PAGE_ASSETS = ["css/app.css", "img/icon.svg", "vendor/htmx.min.js", "js/codes-offline.js"]


def manifest(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """In the language of the request (the description and the shortcut's name are words people read)."""
    icon_192 = static_url("img/icon-192.png")
    return {
        "id": "/",
        "name": "Cyfle",
        "short_name": "Cyfle",
        "description": _(
            "Apprenticeships, work experience, mentoring and free or cheaper things to do, "
            "for young people with care experience."
        ),
        "lang": current_locale(),
        "dir": "ltr",
        "start_url": path_to(request, "home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {"src": static_url(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
        # A long press on the app's icon goes straight to the codes, which open without signal too.
        "shortcuts": [
            {
                "name": _("Your codes"),
                "url": path_to(request, "codes:mine"),
                "icons": [{"src": icon_192, "sizes": "192x192", "type": "image/png"}],
            }
        ],
    }


@get("/manifest.webmanifest", name="pwa:manifest", guards=[public], include_in_schema=False)
async def web_app_manifest(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    # private: its words are in the asker's language, which a shared cache could not tell apart
    headers = {"Cache-Control": f"private, max-age={A_DAY_S}"}
    return Response(manifest(request), media_type="application/manifest+json", headers=headers)


@get("/sw.js", name="pwa:worker", guards=[public], include_in_schema=False)
async def service_worker(request: Request[Any, Any, Any]) -> Template:
    """From the site's root, so that it may look after /me/codes. Its text names the files it keeps, with their
    versions: when one of them changes, so does the worker, and browsers install the new one."""
    assets = [static_url(path) for path in PAGE_ASSETS] + [path_to(request, "pwa:manifest")]
    context = {
        "version": hashlib.sha256("\n".join(assets).encode()).hexdigest()[:10],
        "assets": assets,
        "codes": path_to(request, "codes:mine"),
        "icon": static_url("img/icon-192.png"),  # on notifications
    }
    # no-cache: a browser asks every time it checks for a new worker, so a fix reaches phones at once
    headers = {"Cache-Control": "no-cache"}
    return Template("pwa/sw.js", context=context, media_type="text/javascript; charset=utf-8", headers=headers)


ROUTES = [web_app_manifest, service_worker]
