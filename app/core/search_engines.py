"""What search engines are told about each page: its one address (canonical), the same page in the other language
(hreflang), or that it is not for them (noindex).

A page's language is chosen by `?lang=`, the `lang` cookie or Accept-Language (app.core.i18n). Crawlers send no
cookie and, as Google's does, no Accept-Language, so the plain address is the English page for them and `?lang=cy`
the Welsh one. So English is the plain address and Welsh the same with `?lang=cy`, each page's canonical is the
address of the language it is shown in, and the plain address is also x-default: the page people get in the
language they asked their browser for. (`?lang=en` pages say the plain address is theirs: one address each.)

Addresses are absolute, on BASE_URL, never on the request's Host header, which whoever asks can write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlencode

from jinja2 import pass_context
from litestar import Request
from markupsafe import Markup

from app.core.auth import Public, Rule
from app.core.i18n import DEFAULT_LOCALE, LOCALES, current_locale

# Handler opts (`@get(..., opt={NOINDEX: True})`, or a Router's opt): a public page search engines should leave
# out (signing in, an invitation's landing page), and the query parameters that make a different page of a route
# (every other one is page state or tracking, and is left out of its canonical address).
NOINDEX: Final = "noindex"
CANONICAL_QUERY: Final = "canonical_query"
ROBOTS_NOINDEX: Final = Markup('<meta name="robots" content="noindex">')


def locale_url(base_url: str, path: str, locale: str, query: Iterable[tuple[str, str]] = ()) -> str:
    """The absolute address of `path` (with `query`) that shows it in `locale`: English plain, Welsh with ?lang=cy."""
    params = [(key, value) for key, value in query if key != "lang"]
    suffix = urlencode(params) if params else ""
    if locale != DEFAULT_LOCALE:  # one of LOCALES: nothing in it to escape (and a sitemap makes 100 000 of these)
        suffix += f"&lang={locale}" if suffix else f"lang={locale}"
    return base_url.rstrip("/") + path + (f"?{suffix}" if suffix else "")


def alternates(
    base_url: str, path: str, languages: Sequence[str], query: Iterable[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """(hreflang, address) for a page shown in each of `languages`, and x-default; none for a page in one language
    (its other language's page would be the same words with the menus translated: not a page of its own)."""
    shown = [lang for lang in LOCALES if lang in languages]
    if len(shown) < 2:
        return []
    kept = list(query)
    pairs = [(lang, locale_url(base_url, path, lang, kept)) for lang in shown]
    return [*pairs, ("x-default", locale_url(base_url, path, DEFAULT_LOCALE, kept))]


def canonical_locale(languages: Sequence[str], locale: str) -> str:
    """The language a page's canonical address shows it in: the reader's when the page is written in it."""
    return locale if locale in languages else next((lang for lang in LOCALES if lang in languages), DEFAULT_LOCALE)


def indexable(request: Request[Any, Any, Any]) -> bool:
    """Pages anyone may see, except those their handler marks NOINDEX; pages behind a sign-in never are."""
    handler = request.scope.get("route_handler")
    if handler is None or handler.opt.get(NOINDEX):
        return False
    rules = [guard for layer in handler.ownership_layers for guard in (layer.guards or []) if isinstance(guard, Rule)]
    return bool(rules) and all(isinstance(rule, Public) for rule in rules)


def _kept_query(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    handler = request.scope.get("route_handler")
    meaningful = handler.opt.get(CANONICAL_QUERY, ()) if handler is not None else ()
    return [(key, value) for key, value in request.query_params.multi_items() if key in meaningful]


def head_links(
    request: Request[Any, Any, Any], languages: Sequence[str] = tuple(LOCALES), index: bool = True
) -> Markup:
    """The <head> lines for search engines: canonical and alternates, or noindex."""
    if not (index and indexable(request)):
        return ROBOTS_NOINDEX
    base_url = request.app.state.settings.base_url
    path, query = request.url.path, _kept_query(request)
    canonical = locale_url(base_url, path, canonical_locale(languages, current_locale()), query)
    lines = [Markup('<link rel="canonical" href="{}">').format(canonical)]
    for lang, url in alternates(base_url, path, languages, query):
        lines.append(Markup('<link rel="alternate" hreflang="{}" href="{}">').format(lang, url))
    return Markup("\n  ").join(lines)


@pass_context
def search_engine_tags(
    context: Mapping[str, Any], languages: Sequence[str] = tuple(LOCALES), index: bool = True
) -> Markup:
    """A template global: `{{ search_engine_tags() }}` in base.html's head; an offer's page passes the languages it
    is written in, and index=False once it has closed."""
    request = context.get("request")
    return head_links(request, languages, index) if request is not None else ROBOTS_NOINDEX
