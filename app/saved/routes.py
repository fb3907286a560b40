"""Saving offers (the heart on cards and offer pages: a form; htmx swaps just the heart; "Saved" at /me/saved) and
searches (/me/searches: save one from the search page, rename it, say how often to hear, pause or delete it; turn
notifications on in this browser)."""

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from httpx import HTTPError
from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler
from meilisearch_python_sdk.errors import MeilisearchError

from app.core.auth import Principal, public, signed_in
from app.core.deps import Id, Provided
from app.core.errors import BadRequest, Conflict
from app.core.forms import Form, FormInvalid
from app.core.head import only_looking
from app.core.htmx import page_or_fragment, wants_fragment
from app.core.i18n import _, current_locale
from app.core.paths import path_to, redirect_to, safe_next
from app.core.search_engines import NOINDEX
from app.offers import query
from app.saved import alerts, push, searches, service
from app.settings import Settings


@post("/", name="saved:toggle")
async def toggle(
    request: Request[Any, Any, Any], offer_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect | Template:
    """`save=1` saves the offer, anything else unsaves it; back to `next` (a path here), or just the heart."""
    form = Form(await request.form())
    saving = form.raw("save") == "1"
    if saving:
        await service.save(who.user_id, offer_id, today)
    else:
        await service.unsave(who.user_id, offer_id)
    back = safe_next(form.raw("next"), path_to(request, "offers:detail", offer_id=offer_id))
    if wants_fragment(request):
        context = {"offer_id": offer_id, "saved": saving, "title": form.text("title", 200), "back": back}
        return page_or_fragment(request, "offers/saved.html", context, block="heart")
    return Redirect(back, status_code=303)  # after a form: back to the page it was on, with GET


@get("/me/saved", name="saved:mine", guards=[signed_in])
async def mine(request: Request[Any, Any, Any], today: Provided[date], who: Provided[Principal]) -> Template:
    return page_or_fragment(
        request, "me/saved.html", {"saved": await service.mine(who.user_id, today, current_locale())}
    )


async def _searches_page(
    request: Request[Any, Any, Any], who: Principal, today: date, status: int = 200, **extra: Any
) -> Template:
    kept = await searches.mine(who.user_id)
    try:
        kept = await searches.with_new_counts(request.app.state.search, kept, today)
    except (MeilisearchError, HTTPError, OSError):
        pass  # the list still shows, without its counts, while search is away
    context = {"searches": kept, "params_of": searches.params_of, "errors": {}, "editing": None, **extra}
    settings: Settings = request.app.state.settings
    context["push_key"] = push.public_key(settings) if settings.pushes else None
    return page_or_fragment(request, "me/searches.html", context, status_code=status)


@get("/", name="saved:searches")
async def my_searches(request: Request[Any, Any, Any], today: Provided[date], who: Provided[Principal]) -> Template:
    return await _searches_page(request, who, today)


@get("/new", name="saved:new_search")
async def new_search(request: Request[Any, Any, Any]) -> Template:
    """The search to save comes as the search page's own query string; the form asks for a name and how often."""
    params = query.parse(request.query_params.dict())
    form = {"name": searches.suggested_name(params), "frequency": "daily"}
    return _new_search_page(request, params, form)


def _new_search_page(
    request: Request[Any, Any, Any],
    params: query.SearchParams,
    form: Mapping[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
    problem: str | None = None,
) -> Template:
    context = {"params": params, "saved_query": searches.query_of(params), "form": form, "errors": errors or {}}
    context |= {"problem": problem}
    return page_or_fragment(request, "me/searches_new.html", context, status_code=status)


@post("/", name="saved:create_search")
async def create_search(request: Request[Any, Any, Any], who: Provided[Principal]) -> Redirect | Template:
    data = await request.form()
    params = searches.params_of(str(data.get("query") or ""))
    try:
        await searches.create(who.user_id, Form(data), params)
    except FormInvalid as invalid:
        return _new_search_page(request, params, data, invalid.errors, 422)
    except Conflict as full:
        return _new_search_page(request, params, data, status=409, problem=str(full))
    return redirect_to(request, "saved:searches")


@post("/{search_id:int}", name="saved:update_search")
async def update_search(
    request: Request[Any, Any, Any], search_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    try:
        await searches.update(who.user_id, search_id, Form(data))
    except FormInvalid as invalid:
        return await _searches_page(request, who, today, editing=search_id, errors=invalid.errors, status=422)
    return redirect_to(request, "saved:searches")


@post("/{search_id:int}/delete", name="saved:delete_search")
async def delete_search(request: Request[Any, Any, Any], search_id: Id, who: Provided[Principal]) -> Redirect:
    await searches.delete(who.user_id, search_id)
    return redirect_to(request, "saved:searches")


@get("/{search_id:int}/results", name="saved:open_search")
async def open_search(request: Request[Any, Any, Any], search_id: Id, who: Provided[Principal]) -> Redirect:
    """Its results on the search page; what is new from now on is newer than this visit (not a HEAD's)."""
    saved_query = await searches.opened(who.user_id, search_id, looking_only=only_looking(request))
    return Redirect(path_to(request, "offers:index") + ("?" + saved_query if saved_query else ""), status_code=303)


async def _json(request: Request[Any, Any, Any]) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        raise BadRequest(
            _("This browser's push details could not be read. Try turning notifications on again.")
        ) from None


@post("/", name="saved:push_on", status_code=204)
async def push_on(request: Request[Any, Any, Any], settings: Provided[Settings], who: Provided[Principal]) -> None:
    """This browser's push subscription (PushSubscription.toJSON(), sent by static/js/push.js)."""
    await push.turn_on(settings, who.user_id, await _json(request))


@post("/off", name="saved:push_off", status_code=204)
async def push_off(request: Request[Any, Any, Any], who: Provided[Principal]) -> None:
    await push.turn_off(who.user_id, await _json(request))


UNSUBSCRIBE = "/alerts/unsubscribe"  # mail programs POST here with no cookies and no CSRF token (RFC 8058)


@get(UNSUBSCRIBE + "/{user_id:int}/{key:str}", name="saved:unsubscribe_ask", guards=[public], opt={NOINDEX: True})
async def unsubscribe_ask(
    request: Request[Any, Any, Any], user_id: Id, key: FromPath[str], settings: Provided[Settings]
) -> Template:
    """The link in an alert, opened in a browser: a button, since opening a link must change nothing."""
    alerts.check_key(settings, user_id, key)
    return page_or_fragment(request, "alerts/unsubscribe.html", {"user_id": user_id, "key": key, "done": False})


@post(UNSUBSCRIBE + "/{user_id:int}/{key:str}", name="saved:unsubscribe", guards=[public], status_code=200)
async def unsubscribe(
    request: Request[Any, Any, Any], user_id: Id, key: FromPath[str], settings: Provided[Settings]
) -> Template:
    """One click, from a mail program or the page: every saved search of theirs is paused. No sign-in needed."""
    alerts.check_key(settings, user_id, key)
    await alerts.stop_all(user_id)
    return page_or_fragment(request, "alerts/unsubscribe.html", {"user_id": user_id, "key": key, "done": True})


ROUTES: list[ControllerRouterHandler] = [
    Router("/offers/{offer_id:int}/saved", guards=[signed_in], route_handlers=[toggle]),
    mine,
    unsubscribe_ask,
    unsubscribe,
    Router("/me/push", guards=[signed_in], route_handlers=[push_on, push_off]),
    Router(
        "/me/searches",
        guards=[signed_in],
        route_handlers=[my_searches, new_search, create_search, update_search, delete_search, open_search],
    ),
]
