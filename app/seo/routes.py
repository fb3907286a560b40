"""For search engines: /robots.txt and the sitemaps (app/seo/service.py says what is in them)."""

from datetime import date
from functools import partial
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import Parameter

from app.core.auth import public
from app.core.deps import Provided
from app.core.errors import NotFound
from app.core.i18n import _
from app.core.paths import path_to
from app.core.ratelimit import client_ip
from app.seo import service
from app.settings import Settings

XML = "application/xml; charset=utf-8"
# The same for everyone: shared caches may keep them. An hour for sitemaps, so a closed offer leaves soon.
SITEMAP_CACHE = {"Cache-Control": "public, max-age=3600"}
ROBOTS_CACHE = {"Cache-Control": "public, max-age=86400"}


# Kept by shared caches: never a CSRF cookie on them, which many people would then share.
SHARED = {"exclude_from_csrf": True}


@get("/robots.txt", name="seo:robots", guards=[public], include_in_schema=False, opt=SHARED)
async def robots(request: Request[Any, Any, Any], settings: Provided[Settings]) -> Response[str]:
    body = service.robots_txt(settings.base_url + path_to(request, "seo:sitemap"))
    return Response(body, media_type="text/plain", headers=ROBOTS_CACHE)  # Litestar adds "; charset=utf-8"


@get("/sitemap.xml", name="seo:sitemap", guards=[public], include_in_schema=False, opt=SHARED)
async def sitemap(
    request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date]
) -> Response[str]:
    await service.count_fetch(settings, client_ip(request, settings))
    body = await service.sitemap(settings.base_url, today, partial(path_to, request))
    return Response(body, media_type=XML, headers=SITEMAP_CACHE)


@get("/sitemap-offers.xml", name="seo:offers_sitemap", guards=[public], include_in_schema=False, opt=SHARED)
async def offers_sitemap(
    request: Request[Any, Any, Any],
    settings: Provided[Settings],
    today: Provided[date],
    page: Annotated[int, Parameter(gt=0, le=10_000)] = 1,
) -> Response[str]:
    await service.count_fetch(settings, client_ip(request, settings))
    body = await service.offers_sitemap(settings.base_url, today, page, partial(path_to, request))
    if body is None:
        raise NotFound(_("We could not find that page."))
    return Response(body, media_type=XML, headers=SITEMAP_CACHE)


ROUTES = [robots, sitemap, offers_sitemap]
