"""Young people's pages for offers: search, and one offer's page.

Both are lone handlers with their full paths: the root registers them by name (app/__init__.py), and `ROUTES`
lists them for when it spreads this module's routes like the others'."""

from datetime import date
from functools import partial
from typing import Any

from litestar import Request, get
from litestar.response import Template

from app.applications import service as applications
from app.codes import claiming
from app.core.auth import principal_of, public
from app.core.deps import Id, Provided
from app.core.htmx import page_or_fragment, wants_fragment
from app.core.i18n import current_locale
from app.core.paths import path_to
from app.offers import chips, query, service, structured_data
from app.offers.tables import CONCESSIONS
from app.saved import service as saved
from app.uptake import service as uptake


@get("/offers", name="offers:index", guards=[public])
async def index(request: Request[Any, Any, Any], today: Provided[date]) -> Template:
    params = query.parse(request.query_params.dict())
    results = await service.search(request.app.state.search, params, today, current_locale())
    who = principal_of(request)
    hearts = await saved.saved_among(who.user_id if who else None, [hit.id for hit in results.hits])
    page_url = partial(query.page_url, path_to(request, "offers:index"))
    context = {
        "params": params,
        "results": results,
        "page_url": page_url,
        "chips": chips.chips(params),
        "without_filters": page_url(chips.cleared(params), 1),
        "forget_place": page_url(query.without_place(params), 1),
        "is_fragment": wants_fragment(request),
        "options": service.search_choices(),
        "saved_ids": hearts,
        "search_query": query.page_query(params, 1),
    }
    url = page_url(params, params.page)
    return page_or_fragment(request, "offers/index.html", context, block="results", push_url=url)


@get("/offers/{offer_id:int}", name="offers:detail", guards=[public])
async def detail(request: Request[Any, Any, Any], offer_id: Id, today: Provided[date]) -> Template:
    offer = await service.offer_for_young_people(offer_id, today, current_locale())
    if request.method == "GET" and not wants_fragment(request):
        await uptake.viewed(offer_id, today, request.headers.get("user-agent", ""))
    state: str | None = None
    if offer["is_open"] and applications.takes_applications(offer):
        state = await applications.state_for(principal_of(request), offer, today)
    elif offer["is_open"] and offer["type"] in CONCESSIONS:
        state = await claiming.claim_state_for(principal_of(request), offer, today)
    who = principal_of(request)
    hearted = offer_id in await saved.saved_among(who.user_id if who else None, [offer_id])
    posting = structured_data.job_posting(offer, current_locale())
    context = {"offer": offer, "apply_state": state, "saved": hearted, "job_posting": posting}
    return page_or_fragment(request, "offers/detail.html", context)


ROUTES = [index, detail]
