from datetime import date
from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from app.applications import service as applications
from app.codes import claiming
from app.codes.pool import CONCESSIONS
from app.core.auth import principal_of, public
from app.core.deps import Provided
from app.core.htmx import page_or_fragment, wants_fragment
from app.offers import query, service
from app.uptake import service as uptake


@get("/offers", name="offers:index", guards=[public])
async def index(request: Request[Any, Any, Any], today: Provided[date]) -> Template:
    params = query.parse(request.query_params.dict())
    results = await service.search(request.app.state.search, params, today)
    context = {
        "params": params,
        "results": results,
        "page_url": query.page_url,
        "without_filters": query.page_url(query.SearchParams(q=params.q), 1),
        "forget_place": query.page_url(query.without_place(params), 1),
        "is_fragment": wants_fragment(request),
        **service.search_choices(),
    }
    url = query.page_url(params, params.page)
    return page_or_fragment(request, "offers/index.html", context, block="results", push_url=url)


@get("/offers/{offer_id:int}", name="offers:detail", guards=[public])
async def detail(request: Request[Any, Any, Any], offer_id: FromPath[int], today: Provided[date]) -> Template:
    offer = await service.offer_for_young_people(offer_id, today)
    if request.method == "GET" and not wants_fragment(request):
        await uptake.viewed(offer_id, today)
    state: str | None = None
    if offer["is_open"] and applications.takes_applications(offer):
        state = await applications.state_for(principal_of(request), offer, today)
    elif offer["is_open"] and offer["type"] in CONCESSIONS:
        state = await claiming.claim_state_for(principal_of(request), offer, today)
    return page_or_fragment(request, "offers/detail.html", {"offer": offer, "apply_state": state})
