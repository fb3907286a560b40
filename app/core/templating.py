"""Jinja2 with gettext, and static files served with long caching behind content-hashed URLs.

This module knows no domain: each domain offers its template helpers (labels, formatting) as a TEMPLATE_HELPERS
mapping, and the root (`app/__init__.py`) hands them to `register_helpers`, which every environment, made before or
after, receives."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
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
from app.core.i18n import LOCALES, alphabetical, current_locale, gettext, ngettext
from app.core.search_engines import search_engine_tags
from app.settings import ROOT
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
    return _long_date(day, current_locale())


@lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    """Babel takes about 20 µs a date and a page of results shows twenty; the same few hundred days recur."""
    return format_date(day, format="d MMMM y", locale=locale)


def in_alphabetical_order(items: Iterable[Any], by: str | Callable[[Any], str] | None = None) -> list[Any]:
    """A filter: `orgs|alphabetical("name")`, `types|alphabetical(offer_type)` (a label for each), in the page's
    language's alphabetical order."""
    if by is None:
        return alphabetical(items)
    if callable(by):
        return alphabetical(items, by)
    attribute = by
    return alphabetical(
        items, lambda item: str(item[attribute] if isinstance(item, Mapping) else getattr(item, attribute))
    )


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


_helpers: dict[str, Any] = {}
_environments: list[Environment] = []


def register_helpers(*helpers: Mapping[str, Any]) -> None:
    """Template helpers a domain offers (its labels, its formatting), for every environment made or to be made."""
    for mapping in helpers:
        _helpers.update(mapping)
    for env in _environments:
        env.globals.update(_helpers)


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
        shown=shown,
        today=date.today,
        form_value=form_value,
        form_values=form_values,
        csrf_field=csrf_field,
        signed_in_as=who,
        council_name=lambda code: council_name(code, current_locale()),
        principle_options=principle_options,
        waited=waited,
        search_engine_tags=search_engine_tags,
    )
    env.globals.update(_helpers)
    env.filters["long_date"] = long_date
    env.filters["alphabetical"] = in_alphabetical_order
    _environments.append(env)
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
