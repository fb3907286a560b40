from datetime import date
from typing import Any

from litestar import Request, get
from litestar.response import Template

from app.core.auth import principal_of, public
from app.core.deps import Provided
from app.core.htmx import page_or_fragment
from app.core.i18n import current_locale
from app.offers.service import count_open, open_offers
from app.saved.service import saved_among

LATEST = 6


@get("/", name="home", guards=[public])
async def home(request: Request[Any, Any, Any], today: Provided[date]) -> Template:
    offers = await open_offers(today, LATEST, current_locale())
    who = principal_of(request)
    hearts = await saved_among(who.user_id if who else None, [offer.id for offer in offers])
    context = {"offers": offers, "open_count": await count_open(today), "saved_ids": hearts}
    return page_or_fragment(request, "home/index.html", context)
