"""Jinja2 with gettext, and static files served with long caching behind content-hashed URLs."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from litestar import Request
from litestar.datastructures import CacheControlHeader
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.base import csrf_token
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from app.core.auth import Principal, principal_of, public
from app.core.charter import BY_ID as PRINCIPLES_BY_ID
from app.core.charter import PRINCIPLES
from app.core.counts import shown
from app.core.i18n import LOCALES, N_, current_locale, gettext, labeller, ngettext
from app.offers.labels import money, pay, per_label, price, sort_label, status_label, support_label, type_label
from app.offers.markdown import render as render_markdown
from app.offers.service import closing_soon
from app.organisations.labels import kind_label, org_status_label, role_label
from app.progress.charts import bars
from app.progress.labels import (
    area_name,
    by_name,
    measure_label,
    month_label,
    objective_status,
    principle_name,
    theme_label,
    type_name,
    year_label,
)
from app.settings import ROOT
from app.uptake.measures import COLUMNS, PEOPLE_COLUMNS, principle_order
from search.places import council_name

TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
YEAR_S = 365 * 24 * 3600


@lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """`/static/<path>?v=<hash>`: the hash changes with the file, so browsers may cache it for a year."""
    version = hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:10]
    return f"/static/{path}?v={version}"


def lang_url(request: Request[Any, Any, Any], locale: str) -> str:
    """The current page in another language (the query string is kept)."""
    params = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    params.append(("lang", locale))
    path = "/" + request.url.path.lstrip("/\\")  # never "//host/...": that would leave the site
    return f"{path}?{urlencode(params)}"


def long_date(value: date | str) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, format="d MMMM y", locale=current_locale())


def form_value(form: Any, name: str) -> str:
    """A submitted (or stored) value to show again in its field."""
    if form is None:
        return ""
    value = form.get(name, "") if hasattr(form, "get") else ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def form_values(form: Any, name: str) -> list[str]:
    if form is None:
        return []
    getall = getattr(form, "getall", None)
    values = getall(name, []) if getall else form.get(name, [])
    return [str(value) for value in (values if isinstance(values, list | tuple) else [values])]


def principle_options() -> list[tuple[int, str, str]]:
    """Checkbox options for choosing charter principles, each with the charter's own wording."""
    return [(p.id, gettext("Principle %(id)d: %(name)s") % {"id": p.id, "name": p.name}, p.wording) for p in PRINCIPLES]


@pass_context
def csrf_field(context: Mapping[str, Any]) -> Markup:
    return Markup('<input type="hidden" name="_csrf_token" value="{}">').format(csrf_token(context))


@pass_context
def who(context: Mapping[str, Any]) -> Principal | None:
    """The signed-in person, or None."""
    request = context.get("request")
    return principal_of(request) if request is not None else None


def waited(since: datetime, now: datetime) -> str:
    """How long something has been waiting, in words."""
    hours = int((now - since).total_seconds() // 3600)
    if hours < 24:
        return ngettext("waiting %(num)d hour", "waiting %(num)d hours", hours) % {"num": hours}
    return ngettext("waiting %(num)d day", "waiting %(num)d days", hours // 24) % {"num": hours // 24}


SPONSORSHIP_STATUSES = {
    "pending": N_("Waiting for payment"),
    "paid": N_("Paid: codes in the pool"),
    "expired": N_("Not paid"),
}
DECISIONS = {
    "verification.requested": N_("Asked to be verified"),
    "verification.approved": N_("Approved"),
    "verification.refused": N_("Refused"),
    "verification.revoked": N_("Ended"),
    "invitation.minted": N_("Made invitation codes"),
    "invitation.used": N_("Verified with an invitation code"),
}


def make_environment(reload: bool = False) -> Environment:
    """`reload`: look for changed template files on every render (dev only: it costs a stat per template)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=reload,
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static_url=static_url,
        lang_url=lang_url,
        current_locale=current_locale,
        LOCALES=LOCALES,
        PRINCIPLES=PRINCIPLES_BY_ID,
        offer_type=type_label,
        support_label=support_label,
        sort_label=sort_label,
        pay=pay,
        price=price,
        money=money,
        shown=shown,
        closing_soon=closing_soon,
        today=date.today,
        form_value=form_value,
        form_values=form_values,
        csrf_field=csrf_field,
        signed_in_as=who,
        kind_label=kind_label,
        role_label=role_label,
        org_status_label=org_status_label,
        council_name=lambda code: council_name(code, current_locale()),
        principle_options=principle_options,
        waited=waited,
        decision_label=labeller(DECISIONS),
        sponsorship_status=labeller(SPONSORSHIP_STATUSES),
        per_label=per_label,
        offer_status=status_label,
        markdown=render_markdown,
        measure_label=measure_label,
        objective_status=objective_status,
        month_label=month_label,
        year_label=year_label,
        theme_label=theme_label,
        bar_chart=bars,
        principle_name=principle_name,
        area_name=area_name,
        type_name=type_name,
        by_name=by_name,
        principle_order=principle_order,
        COLUMNS=COLUMNS,
        PEOPLE_COLUMNS=PEOPLE_COLUMNS,
    )
    env.filters["long_date"] = long_date
    return env


def template_config(reload: bool = False) -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(make_environment(reload)))


def static_files_router() -> Router:
    return create_static_files_router(
        path="/static",
        directories=[STATIC],
        name="static",
        cache_control=CacheControlHeader(max_age=YEAR_S, public=True),
        guards=[public],
        include_in_schema=False,
    )
