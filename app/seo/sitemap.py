"""Sitemaps (sitemaps.org 0.9) as text: pure functions, so tests can call them without a server.

Each page is listed at its canonical address in each language it is shown in, with the others as xhtml:link
alternates (Google's way of giving hreflang in a sitemap: every language's <url> lists them all, itself too)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from app.core.search_engines import alternates, locale_url

SITEMAP_NS: Final = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS: Final = "http://www.w3.org/1999/xhtml"
MAX_URLS: Final = 50_000  # per sitemap file, and 50 MB uncompressed (sitemaps.org, Google)
# Offers in one sitemap file: each is listed once in each of its (at most two) languages, and the first file
# also lists the site's own pages, so a file stays well under MAX_URLS and 50 MB. Fewer than the limit allows,
# since a file is written in one go in the event loop: 10 000 offers take a few tenths of a second (make bench).
OFFERS_PER_SITEMAP: Final = 10_000
HEAD: Final = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class Page:
    """A page to list: its path, the languages it is shown in, and when it last changed (if that is known)."""

    path: str
    languages: Sequence[str]
    changed: datetime | None = None


def w3c_datetime(moment: datetime) -> str:
    """W3C Datetime to the second, with its offset: 2026-11-28T09:30:00+00:00."""
    return moment.replace(microsecond=0).isoformat()


def url_entries(base_url: str, page: Page) -> Iterable[str]:
    """One <url> for each language the page is shown in."""
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(url)}/>'
        for lang, url in alternates(base_url, page.path, page.languages)
    )
    lastmod = f"<lastmod>{w3c_datetime(page.changed)}</lastmod>" if page.changed else ""
    for lang in page.languages:
        yield f"<url><loc>{escape(locale_url(base_url, page.path, lang))}</loc>{lastmod}{links}</url>\n"


def urlset(base_url: str, pages: Iterable[Page]) -> str:
    body = "".join(entry for page in pages for entry in url_entries(base_url, page))
    return f'{HEAD}<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n{body}</urlset>\n'


def sitemap_index(locations: Iterable[str]) -> str:
    body = "".join(f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n" for loc in locations)
    return f'{HEAD}<sitemapindex xmlns="{SITEMAP_NS}">\n{body}</sitemapindex>\n'


def pages_needed(findable: int) -> int:
    """How many offer sitemaps `findable` offers fill (one, even for none)."""
    return max(1, -(-findable // OFFERS_PER_SITEMAP))
