"""The Open Referral UK 3.0 API under /openreferral: offers as services, their places as service_at_locations,
and the offer types, charter principles and support as taxonomies. Read-only, public, no key: every answer is
JSON with a validator, readable from any website, and each client is limited (app/openreferral/limits.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, Router, get
from litestar.params import FromPath
from litestar.types import ControllerRouterHandler

from app.core.auth import public
from app.core.deps import Provided
from app.core.errors import NotFound
from app.core.i18n import _
from app.openreferral import params, service
from app.openreferral.ids import Kind, row_id
from app.openreferral.limits import rate_limit
from app.openreferral.links import Links
from app.openreferral.responses import answer
from app.openreferral.taxonomies import TAXONOMIES, all_terms, taxonomies_by_id, taxonomy_doc, term_doc, terms_by_id
from app.settings import Settings

PROFILE = {
    "version": "3.0",
    "profile": "https://github.com/openreferral/uk-profile",
    "openapi_url": "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json",
}


def _links(request: Request[Any, Any, Any], settings: Settings) -> Links:
    return Links(settings.base_url, request.app.route_reverse)


def _next(
    request: Request[Any, Any, Any], links: Links, name: str, paging: params.Paging, last: int | None
) -> dict[str, str]:
    """The Link header to the next page, when there is one: `last` is the offer id a page of services ends with
    (0 on the last page; see app/openreferral/service.py on paging), None for a list without offers."""
    if last == 0:
        return {}
    url = service.next_link(links.to(name), request.query_params.multi_items(), paging, last)
    return {"Link": f'<{url}>; rel="next"'}


@get("/", name="openreferral:index")
async def index(request: Request[Any, Any, Any]) -> Response[bytes]:
    return answer(request, PROFILE, service.STARTED)


@get("/services", name="openreferral:services")
async def services(
    request: Request[Any, Any, Any], today: Provided[date], settings: Provided[Settings]
) -> Response[bytes]:
    raw = request.query_params.dict()
    paging, filters = params.paging(raw), params.filters(raw)
    links = _links(request, settings)
    page = await service.services_page(filters, paging, today, links)
    return answer(request, page.doc, page.changed, _next(request, links, "openreferral:services", paging, page.last))


@get("/services/{service_id:str}", name="openreferral:service")
async def one_service(
    request: Request[Any, Any, Any], service_id: FromPath[str], today: Provided[date], settings: Provided[Settings]
) -> Response[bytes]:
    offer_id = row_id(Kind.service, service_id)
    found = await service.service(offer_id, today, _links(request, settings)) if offer_id else None
    if found is None:
        raise NotFound(_("There is no such service here."))
    return answer(request, *found)


@get("/service_at_locations", name="openreferral:service_at_locations")
async def service_at_locations(
    request: Request[Any, Any, Any], today: Provided[date], settings: Provided[Settings]
) -> Response[bytes]:
    raw = request.query_params.dict()
    paging, filters = params.paging(raw), params.filters(raw)
    links = _links(request, settings)
    page = await service.service_at_locations_page(filters, paging, today, links)
    name = "openreferral:service_at_locations"
    return answer(request, page.doc, page.changed, _next(request, links, name, paging, page.last))


@get("/service_at_locations/{location_id:str}", name="openreferral:service_at_location")
async def one_service_at_location(
    request: Request[Any, Any, Any], location_id: FromPath[str], today: Provided[date], settings: Provided[Settings]
) -> Response[bytes]:
    offer_id = row_id(Kind.service_at_location, location_id)
    found = await service.service_at_location(offer_id, today, _links(request, settings)) if offer_id else None
    if found is None:
        raise NotFound(_("There is no such service at a location here."))
    return answer(request, *found)


@get("/taxonomies", name="openreferral:taxonomies")
async def taxonomies(request: Request[Any, Any, Any], settings: Provided[Settings]) -> Response[bytes]:
    paging = params.paging(request.query_params.dict(), keyset=False)
    links = _links(request, settings)
    page = service.static_page([taxonomy_doc(taxonomy, links) for taxonomy in TAXONOMIES], paging)
    more = _next(request, links, "openreferral:taxonomies", paging, None if not page["last_page"] else 0)
    return answer(request, page, service.STARTED, more)


@get("/taxonomies/{taxonomy_id:str}", name="openreferral:taxonomy")
async def taxonomy(
    request: Request[Any, Any, Any], taxonomy_id: FromPath[str], settings: Provided[Settings]
) -> Response[bytes]:
    found = taxonomies_by_id().get(taxonomy_id.lower()[:45])
    if found is None:
        raise NotFound(_("There is no such taxonomy here."))
    return answer(request, taxonomy_doc(found, _links(request, settings)), service.STARTED)


@get("/taxonomy_terms", name="openreferral:taxonomy_terms")
async def taxonomy_terms(request: Request[Any, Any, Any], settings: Provided[Settings]) -> Response[bytes]:
    paging = params.paging(request.query_params.dict(), keyset=False)
    links = _links(request, settings)
    page = service.static_page([term_doc(found, links) for found in all_terms()], paging)
    more = _next(request, links, "openreferral:taxonomy_terms", paging, None if not page["last_page"] else 0)
    return answer(request, page, service.STARTED, more)


@get("/taxonomy_terms/{term_id:str}", name="openreferral:taxonomy_term")
async def taxonomy_term(
    request: Request[Any, Any, Any], term_id: FromPath[str], settings: Provided[Settings]
) -> Response[bytes]:
    found = terms_by_id().get(term_id.lower()[:45])
    if found is None:
        raise NotFound(_("There is no such taxonomy term here."))
    return answer(request, term_doc(found, _links(request, settings)), service.STARTED)


ROUTES: list[ControllerRouterHandler] = [
    Router(
        "/openreferral",
        guards=[public],
        before_request=rate_limit,
        # Nothing here is a form: no CSRF cookie on answers any cache may keep (only GET is served anyway).
        opt={"exclude_from_csrf": True},
        route_handlers=[
            index,
            services,
            one_service,
            service_at_locations,
            one_service_at_location,
            taxonomies,
            taxonomy,
            taxonomy_terms,
            taxonomy_term,
        ],
    )
]
