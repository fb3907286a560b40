"""Saving offers: the heart on cards and offer pages (a form; htmx swaps just the heart), and "Saved" at /me/saved."""

from datetime import date
from typing import Any

from litestar import Request, Router, get, post
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.core.auth import Principal, signed_in
from app.core.deps import Id, Provided
from app.core.forms import Form
from app.core.htmx import page_or_fragment, wants_fragment
from app.core.i18n import current_locale
from app.core.paths import path_to, safe_next
from app.saved import service


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


ROUTES: list[ControllerRouterHandler] = [
    Router("/offers/{offer_id:int}/saved", guards=[signed_in], route_handlers=[toggle]),
    mine,
]
