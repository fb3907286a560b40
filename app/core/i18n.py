"""English and Cymraeg: the locale of each request and gettext for Python code and templates.

The language comes from `?lang=` (which also sets the `lang` cookie), then the cookie, then
Accept-Language, then English.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from babel.support import NullTranslations, Translations
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

LOCALES = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LOCALE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> NullTranslations:
    return Translations.load(str(LOCALE_DIR), [locale], domain="messages")


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Everything inside is translated into `locale` (an email to someone who reads another language)."""
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


class InLanguages:
    """Words written in one or more languages (an offer's title), shown in the current language when written in
    it, otherwise in the first one: an email rendered for its reader shows the title in the reader's language."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = {lang: text for lang, text in texts.items() if text}

    def __str__(self) -> str:
        return self.texts.get(_current.get()) or next(iter(self.texts.values()), "")


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext


def labeller(labels: dict[str, str]) -> Callable[[str], str]:
    """A function giving the translated label of a stored value (the value itself when it has no label, and
    nothing for no value: gettext("") would be the catalogue's header)."""
    return lambda value: gettext(labels[value]) if value in labels else value


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; it is translated later, where it is shown."""
    return message


# Welsh alphabetical order: ch, dd, ff, ng, ll, ph, rh and th are letters of their own. k, q, v, x and z are not
# Welsh letters but come in names (Kidwelly, Vale of Glamorgan), so they keep their Latin places. "ng" is always
# the letter ng, after g, as Welsh dictionaries order it, even in words such as "Bangor" where it is said n-g:
# telling the two apart would need a dictionary of every word.
WELSH_LETTERS = "a b c ch d dd e f ff g ng h i j k l ll m n o p ph q r rh s t th u v w x y z".split()
_WELSH_RANK = {letter: rank for rank, letter in enumerate(WELSH_LETTERS, start=1)}
_DIGRAPHS = {letter for letter in WELSH_LETTERS if len(letter) == 2}

T = TypeVar("T")


def _folded(text: str) -> str:
    """Lower case with accents taken off: 'Tŷ' and 'ty' order alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _letters(text: str, welsh: bool) -> list[str]:
    if not welsh:
        return list(text)
    letters: list[str] = []
    index = 0
    while index < len(text):
        pair = text[index : index + 2]
        step = 2 if pair in _DIGRAPHS else 1
        letters.append(text[index : index + step])
        index += step
    return letters


def collation_key(text: str, locale: str | None = None) -> tuple[tuple[tuple[int, int, str], ...], str, str]:
    """A sort key putting names in the alphabetical order of `locale` (the page's by default).

    Letters first by their place in the alphabet, accents and case aside; then accents, then case break ties, so
    the order is always the same. Apostrophes are ignored; a run of spaces or other punctuation comes before any
    letter ("Ty Hafan" before "Tyddyn"), digits before letters, letters outside the alphabet after it."""
    folded = _folded(text).replace("'", "").replace("\u2019", "").strip()
    welsh = (locale or current_locale()) == "cy"
    key: list[tuple[int, int, str]] = []
    for letter in _letters(folded, welsh):
        if welsh and letter in _WELSH_RANK:
            key.append((2, _WELSH_RANK[letter], ""))
        elif letter.isalpha():
            key.append((2, len(_WELSH_RANK) + 1 if welsh else 0, letter))
        elif letter.isdigit():
            key.append((1, 0, letter))
        elif key and key[-1][0] != 0:
            key.append((0, 0, ""))
    return tuple(key), text.casefold(), text


def alphabetical(items: Iterable[T], name: Callable[[T], str] = str, locale: str | None = None) -> list[T]:
    """`items` in the alphabetical order of their names, in `locale` (the page's by default)."""
    chosen = locale or current_locale()
    return sorted(items, key=lambda item: collation_key(name(item), chosen))


def parse_accept_language(header: str) -> list[str]:
    """Language tags from an Accept-Language header, most wanted first (q=0 dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, index, tag.strip().lower()))
    return [tag for _q, _i, tag in sorted(weighted)]


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    for choice in (query, cookie):
        if choice in LOCALES:
            return choice
    for tag in parse_accept_language(accept_language or ""):
        primary = tag.split("-")[0]
        if primary in LOCALES:
            return primary
    return DEFAULT_LOCALE


def locale_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return negotiate(
        connection.query_params.get("lang"),
        connection.cookies.get(COOKIE),
        connection.headers.get("accept-language"),
    )


class LocaleMiddleware:
    """Sets the request's locale for gettext. (Routing errors skip route middleware; the error handler sets it.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            set_locale(locale_of(ASGIConnection(scope)))
        await self.app(scope, receive, send)


async def locale_headers(message: Message, scope: Scope) -> None:
    """A before_send hook, so every response says its language, 404s included; `?lang=` is kept in a cookie."""
    if message["type"] != "http.response.start":
        return
    connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
    headers = MutableScopeHeaders.from_message(message)
    headers["Content-Language"] = current_locale()
    headers.add("Vary", "Accept-Language, Cookie")
    query = connection.query_params.get("lang")
    # A response shared caches may keep (feeds, open data) carries nobody's cookie: the URL says its language.
    shared = "public" in (headers.get("Cache-Control") or "")
    if query in LOCALES and query != connection.cookies.get(COOKIE) and not shared:
        cookie = Cookie(key=COOKIE, value=query, max_age=COOKIE_MAX_AGE, samesite="lax", path="/")
        headers.add("Set-Cookie", cookie.to_header(header=""))
