"""What search engines may crawl (robots.txt) and the pages we ask them to (sitemaps).

The sitemap lists the site's own public pages and every findable offer (published, not past its closing date:
app.offers.documents.is_searchable), each at its canonical address in each language it is written in. A closed,
withdrawn or draft offer is simply not there. Up to OFFERS_PER_SITEMAP offers it is one file; beyond, /sitemap.xml
is an index of /sitemap-offers.xml?page=1, 2, ... (the first also lists the site's own pages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final, Protocol

from app.core import ratelimit
from app.core.i18n import LOCALES, _
from app.offers import listing
from app.seo.sitemap import OFFERS_PER_SITEMAP, Page, pages_needed, sitemap_index, urlset
from app.settings import Settings

BOTH: Final = tuple(LOCALES)
# The site's own pages in the sitemap (route names), and whether each shows offers (so changes when they do).
SITE_PAGES: Final = (
    ("home", True),
    ("offers:index", True),
    ("progress:charter", False),
    ("progress:small_numbers", False),
    ("privacy", False),
    ("offers:open_data", False),
)

# Never worth a crawler's visit: pages behind a sign-in (they only send it to sign in), signing in itself, an
# invitation's landing page, one-click unsubscribe links, a concern's receipt (its link is its permission), the
# dev mailbox, Stripe's webhook, applying, and the
# link out to a provider's site to apply (which counts as someone going to apply). The search page with a query
# is a page of results for one search, endlessly many: its offers are all in the sitemap, so only the plain page
# (in either language) is crawled; likewise its feeds, which are for feed readers.
DISALLOW: Final = (
    "/account",
    "/admin",
    "/advising/",
    "/alerts/",
    "/concerns/receipt/",
    "/dev/",
    "/join",
    "/me",
    "/organisations/",
    "/sign-in",
    "/sign-out",
    "/stripe/",
    "/offers/*/apply",
    "/offers/*/go",
    "/offers?",
    "/offers.atom",
)
ALLOW: Final = ("/offers?lang=en$", "/offers?lang=cy$")


# A sitemap of offers costs a few tenths of a second to write, a hundred times a page's: each network (an IPv4 /24,
# an IPv6 /64) may ask for this many an hour. Search engines fetch each file a few times a day.
SITEMAPS_PER_HOUR: Final = 60
HOUR_S: Final = 3600


async def count_fetch(settings: Settings, ip: str) -> None:
    """Counts a sitemap asked for from `ip`; past SITEMAPS_PER_HOUR from its network, TooManyRequests."""
    await ratelimit.hit(
        ratelimit.limit_key(settings, "sitemap", ratelimit.network_of(ip)),
        SITEMAPS_PER_HOUR,
        HOUR_S,
        _("Too many requests for the sitemap from your network. Please try again in an hour."),
    )


def robots_txt(sitemap_url: str) -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOW), *(f"Allow: {path}" for path in ALLOW)]
    return "\n".join([*lines, "", f"Sitemap: {sitemap_url}", ""])


class PathFor(Protocol):
    """The path of a named route (app.core.paths.path_to, given the request)."""

    def __call__(self, name: str, query: Mapping[str, Any] | None = None, **params: Any) -> str: ...


def _pages(path_for: PathFor, rows: Sequence[listing.Listed], summary: listing.Summary, site: bool) -> list[Page]:
    """The offers' pages, after the site's own when `site`: those showing offers change when the offers do."""
    own = [Page(path_for(name), BOTH, summary.changed if shows_offers else None) for name, shows_offers in SITE_PAGES]
    offers = [Page(path_for("offers:detail", offer_id=row.id), row.languages, row.changed) for row in rows]
    return [*own, *offers] if site else offers


async def sitemap(base_url: str, today: date, path_for: PathFor) -> str:
    """/sitemap.xml: every page, or (past OFFERS_PER_SITEMAP offers) the index of the offer sitemaps."""
    summary = await listing.summary(today)
    if summary.findable > OFFERS_PER_SITEMAP:
        pages = range(1, pages_needed(summary.findable) + 1)
        return sitemap_index(base_url + path_for("seo:offers_sitemap", {"page": page}) for page in pages)
    rows = await listing.findable(today, OFFERS_PER_SITEMAP)
    return urlset(base_url, _pages(path_for, rows, summary, site=True))


async def offers_sitemap(base_url: str, today: date, page: int, path_for: PathFor) -> str | None:
    """One page of offers (None past the last), the first with the site's own pages."""
    summary = await listing.summary(today)
    if page > pages_needed(summary.findable):
        return None
    rows = await listing.findable(today, OFFERS_PER_SITEMAP, (page - 1) * OFFERS_PER_SITEMAP)
    return urlset(base_url, _pages(path_for, rows, summary, site=page == 1))
