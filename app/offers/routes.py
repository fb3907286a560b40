"""Young people's pages for offers: search, one offer's page, a search's Atom feed, and what is published as open
data.

They are lone handlers with their full paths: the root registers them by name (app/__init__.py), and `ROUTES`
lists them for when it spreads this module's routes like the others'."""

from datetime import date
from email.utils import parseaddr
from functools import partial
from typing import Any

from litestar import Request, Response, get
from litestar.response import Template

from app.advisers import suggestions
from app.applications import service as applications
from app.codes import claiming
from app.core.auth import principal_of, public
from app.core.deps import Id, Provided
from app.core.head import only_looking
from app.core.htmx import page_or_fragment, wants_fragment
from app.core.i18n import current_locale
from app.core.paths import path_to
from app.core.templating import static_url
from app.core.validators import not_modified, weak_etag
from app.offers import chips, feeds, query, service, structured_data
from app.offers.tables import CONCESSIONS
from app.saved import service as saved
from app.settings import Settings
from app.uptake import service as uptake


@get("/offers", name="offers:index", guards=[public])
async def index(request: Request[Any, Any, Any], today: Provided[date]) -> Template:
    params = query.parse(request.query_params.dict())
    results, catching_up = await service.search_or_newest(request.app.state.search, params, today, current_locale())
    who = principal_of(request)
    hearts = await saved.saved_among(who.user_id if who else None, [hit.id for hit in results.hits])
    page_url = partial(query.page_url, path_to(request, "offers:index"))
    context = {
        "params": params,
        "results": results,
        "catching_up": catching_up,
        "page_url": page_url,
        "chips": chips.chips(params),
        "without_filters": page_url(chips.cleared(params), 1),
        "forget_place": page_url(query.without_place(params), 1),
        "is_fragment": wants_fragment(request),
        "options": service.search_choices(),
        "saved_ids": hearts,
        "search_query": query.page_query(params, 1),
        "feed_url": path_to(request, "offers:feed") + feeds.feed_query(params, current_locale()),
        "feed_title": feeds.title(params, current_locale()),
    }
    url = page_url(params, params.page)
    return page_or_fragment(request, "offers/index.html", context, block="results", push_url=url)


@get("/offers/{offer_id:int}", name="offers:detail", guards=[public])
async def detail(request: Request[Any, Any, Any], offer_id: Id, today: Provided[date]) -> Template:
    offer = await service.offer_for_young_people(offer_id, today, current_locale())
    if not wants_fragment(request) and not only_looking(request):
        await uptake.viewed(offer_id, today, request.headers.get("user-agent", ""))
    state: str | None = None
    if offer["is_open"] and applications.takes_applications(offer):
        state = await applications.state_for(principal_of(request), offer, today)
    elif offer["is_open"] and offer["type"] in CONCESSIONS:
        state = await claiming.claim_state_for(principal_of(request), offer, today)
    who = principal_of(request)
    hearted = offer_id in await saved.saved_among(who.user_id if who else None, [offer_id])
    posting = structured_data.job_posting(offer, current_locale())
    advising = await suggestions.advising(who) if offer["is_open"] else []
    context = {"offer": offer, "apply_state": state, "saved": hearted, "job_posting": posting, "advising": advising}
    return page_or_fragment(request, "offers/detail.html", context)


# Not the CSRF middleware's: a feed has no form, and its token cookie must never ride on a response caches may keep.
@get("/offers.atom", name="offers:feed", guards=[public], opt={"exclude_from_csrf": True})
async def feed(request: Request[Any, Any, Any], settings: Provided[Settings], today: Provided[date]) -> Response[bytes]:
    params, reader, site = query.parse(request.query_params.dict()), current_locale(), settings.base_url
    offers = await service.newest(request.app.state.search, params, today, reader)
    found = feeds.Feed(
        url=site + path_to(request, "offers:feed") + feeds.feed_query(params, reader),
        page=site + path_to(request, "offers:index") + feeds.feed_query(params, reader),
        title=feeds.title(params, reader),
        lang=reader,
        offers=offers,
        offer_url=lambda offer_id: site + path_to(request, "offers:detail", offer_id=offer_id),
        site=site,
        icon=site + static_url("img/icon.svg"),
    )
    body = feeds.atom(found)
    etag = weak_etag(body)
    headers = {"ETag": etag, "Last-Modified": feeds.last_modified(found), "Cache-Control": feeds.CACHE_CONTROL}
    unchanged = not_modified(request, etag, None)  # If-None-Match only, as feed readers ask
    return Response(b"" if unchanged else body, status_code=304 if unchanged else 200, media_type=feeds.MEDIA_TYPE,
                    headers=headers)  # fmt: skip


@get("/open-data", name="offers:open_data", guards=[public])
async def open_data(request: Request[Any, Any, Any], settings: Provided[Settings]) -> Template:
    """What is published for anyone to reuse, under which licence, where, and whom to tell about a problem."""
    context = {"contact": parseaddr(settings.mail_from)[1], "licence": feeds.LICENCES[current_locale()]}
    return page_or_fragment(request, "open_data/index.html", context)


ROUTES = [index, detail, feed, open_data]
