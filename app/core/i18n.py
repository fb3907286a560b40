"""English and Cymraeg: the locale of each request and gettext for Python code and templates.

The language comes from `?lang=` (which also sets the `lang` cookie), then the cookie, then
Accept-Language, then English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

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
    """A function giving the translated label of a stored value (the value itself when it has no label)."""
    return lambda value: gettext(labels.get(value, value))


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; it is translated later, where it is shown."""
    return message


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
    if query in LOCALES and query != connection.cookies.get(COOKIE):
        cookie = Cookie(key=COOKIE, value=query, max_age=COOKIE_MAX_AGE, samesite="lax", path="/")
        headers.add("Set-Cookie", cookie.to_header(header=""))
