"""Atom feeds (RFC 4287) of a search: `/offers.atom` takes the search page's parameters and lists the newest offers
it finds, so someone can follow "apprenticeships near Swansea" in any feed reader.

The XML is built with ElementTree, which escapes every text and attribute: nothing anyone wrote is ever pasted into
markup. Addresses are absolute, from BASE_URL (never from the request's Host), so ids stay the same whoever asks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlencode
from xml.etree.ElementTree import Element, SubElement, tostring

from app.core.i18n import _
from app.offers.labels import type_label
from app.offers.query import OfferCard, SearchParams, page_query

FEED_SIZE = 50
CACHE_CONTROL = "public, max-age=300"  # feed readers ask every so often; five minutes old is new enough
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The Open Government Licence v3.0, in each language The National Archives publishes it in.
LICENCES = {
    "en": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "cy": "https://www.nationalarchives.gov.uk/doc/open-government-licence-cymraeg/version/3/",
}
# Characters XML 1.0 cannot carry at all, not even escaped (forms strip control characters; this holds for any row).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FeedOffer:
    """One offer in a feed: its card (in the reader's language where written) and its times."""

    card: OfferCard
    published: datetime  # first approved
    updated: datetime  # last approved, or findable again, whichever is later


@dataclass(frozen=True)
class Feed:
    """A search's feed, every address absolute."""

    url: str  # the feed's own address, its id too: one feed per search and language
    page: str  # the search page with the same search, in the feed's language
    title: str
    lang: str
    offers: Sequence[FeedOffer]
    offer_url: Callable[[int], str]  # an offer page's address: an entry's id, and (in the feed's language) its link
    site: str
    icon: str

    @property
    def updated(self) -> datetime:
        """The newest entry's time; a feed with none changed, as far as anyone can tell, at the start of today."""
        if self.offers:
            return max(offer.updated for offer in self.offers)
        return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def canonical(params: SearchParams) -> SearchParams:
    """The search a feed follows: always newest first from the top, so the sort and page asked for do not matter,
    and nor does the order types, support and commitments were ticked in."""
    return replace(
        params,
        sort="relevance",
        page=1,
        types=tuple(sorted(params.types)),
        support=tuple(sorted(params.support)),
        commitments=tuple(sorted(params.commitments)),
    )


def feed_query(params: SearchParams, lang: str) -> str:
    """The feed's query string (and its search page's): the search page's for the same search, and the language its
    words are in."""
    search = page_query(canonical(params), 1)
    return (f"{search}&" if search else "?") + urlencode({"lang": lang})


def title(params: SearchParams, reader: str) -> str:
    """The feed's title, in the reader's language: the site's name and the search's."""
    return _("Cyfle: %(search)s") % {"search": search_name(canonical(params), reader)}


def search_name(params: SearchParams, reader: str) -> str:
    """The search in a few words, in the reader's language: the words, else the types, and the place (a place
    nobody knows is not searched near). A feed's title, and the name a saved search starts with."""
    what = params.q or ", ".join(type_label(kind) for kind in params.types) or _("Every opportunity")
    place = params.place
    if place is None:
        return what
    if place.kind == "here":
        where = f"{place.lat:.2f}, {place.lng:.2f}"
    else:
        where = place.name_cy if reader == "cy" and place.name_cy else place.name
    return _("%(what)s near %(place)s") % {"what": what, "place": where}


def _text(value: str) -> str:
    return NOT_XML.sub("", value)


def _time(moment: datetime) -> str:
    """RFC 3339, in UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: Element, name: str, text: str = "", **attributes: str) -> Element:
    child = SubElement(parent, name, attributes)
    if text:
        child.text = _text(text)
    return child


def _in_language(element: Element, lang: str, reader: str) -> None:
    if lang != reader:
        element.set(XML_LANG, lang)


def atom(feed: Feed) -> bytes:
    """The feed as Atom 1.0 XML (UTF-8, with its declaration)."""
    # Atom is the default namespace, declared once here: ElementTree's own default_namespace refuses attributes
    # without one (rel, href), and Atom's attributes have none.
    root = Element("feed", {"xmlns": ATOM, XML_LANG: feed.lang})
    _add(root, "id", feed.url)
    _add(root, "title", feed.title)
    _add(root, "subtitle", _("The newest opportunities on Cyfle for this search."))
    _add(root, "updated", _time(feed.updated))
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page)
    _add(root, "link", rel="license", href=LICENCES.get(feed.lang, LICENCES["en"]))
    author = _add(root, "author")
    _add(author, "name", _("Cyfle"))
    _add(author, "uri", feed.site + "/")
    _add(root, "icon", feed.icon)
    _add(root, "rights", _("Contains public sector information licensed under the Open Government Licence v3.0."))
    for offer in feed.offers:
        card = offer.card
        address = feed.offer_url(card.id)
        entry = _add(root, "entry")
        _add(entry, "id", address)
        _in_language(_add(entry, "title", card.title), card.lang, feed.lang)
        _add(entry, "updated", _time(offer.updated))
        _add(entry, "published", _time(offer.published))
        _add(entry, "link", rel="alternate", type="text/html", href=f"{address}?{urlencode({'lang': feed.lang})}")
        if card.organisation:
            _add(_add(entry, "author"), "name", card.organisation)
        _add(entry, "category", term=card.type, label=type_label(card.type))
        if card.summary:
            _in_language(_add(entry, "summary", card.summary), card.lang, feed.lang)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def last_modified(feed: Feed) -> str:
    return format_datetime(feed.updated.astimezone(UTC), usegmt=True)
