from datetime import date
from typing import Any

from litestar import Request, get
from litestar.response import Template

from app.core.auth import public
from app.core.deps import Provided
from app.core.htmx import page_or_fragment
from app.core.i18n import current_locale
from app.offers.service import count_open, open_offers

LATEST = 6


@get("/", name="home", guards=[public])
async def home(request: Request[Any, Any, Any], today: Provided[date]) -> Template:
    context = {"offers": await open_offers(today, LATEST, current_locale()), "open_count": await count_open(today)}
    return page_or_fragment(request, "home/index.html", context)
