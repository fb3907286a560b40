"""Sitemaps, robots.txt and canonical addresses as text: the pure functions under app/seo and app/core."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from app.core.search_engines import alternates, canonical_locale, locale_url
from app.seo.service import robots_txt
from app.seo.sitemap import MAX_URLS, OFFERS_PER_SITEMAP, Page, pages_needed, sitemap_index, urlset
from tests.robots import may_crawl

BASE = "https://cyfle.example"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LOC = f"{{{NS['s']}}}loc"


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode())  # noqa: S314 (our own sitemap, no entities or DTD in it)


def test_english_is_the_plain_address_and_welsh_says_so() -> None:
    assert locale_url(BASE, "/offers/7", "en") == "https://cyfle.example/offers/7"
    assert locale_url(BASE, "/offers/7", "cy") == "https://cyfle.example/offers/7?lang=cy"
    assert locale_url(BASE + "/", "/", "cy") == "https://cyfle.example/?lang=cy"
    query = [("year", "2026"), ("lang", "en"), ("principle", "a&b")]
    assert (
        locale_url(BASE, "/charter", "cy", query) == "https://cyfle.example/charter?year=2026&principle=a%26b&lang=cy"
    )


def test_alternates_only_for_a_page_in_both_languages() -> None:
    assert alternates(BASE, "/offers/7", ["cy", "en"]) == [
        ("en", "https://cyfle.example/offers/7"),
        ("cy", "https://cyfle.example/offers/7?lang=cy"),
        ("x-default", "https://cyfle.example/offers/7"),
    ]
    assert alternates(BASE, "/offers/7", ["cy"]) == []


def test_the_canonical_is_in_the_readers_language_when_the_page_is_written_in_it() -> None:
    assert canonical_locale(["en", "cy"], "cy") == "cy"
    assert canonical_locale(["en"], "cy") == "en"  # the same words with Welsh menus: the English page's address
    assert canonical_locale(["cy"], "en") == "cy"


def test_a_urlset_is_a_sitemap_with_absolute_addresses_dates_and_alternates() -> None:
    changed = datetime(2026, 11, 28, 9, 30, 1, 999, tzinfo=UTC)
    text = urlset(BASE, [Page("/", ["en", "cy"]), Page("/offers/7", ["en", "cy"], changed), Page("/offers/8", ["cy"])])
    root = parse(text)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    entries = {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}
    assert list(entries) == [
        "https://cyfle.example/",
        "https://cyfle.example/?lang=cy",
        "https://cyfle.example/offers/7",
        "https://cyfle.example/offers/7?lang=cy",
        "https://cyfle.example/offers/8?lang=cy",
    ]
    assert entries["https://cyfle.example/"].find("s:lastmod", NS) is None
    assert entries["https://cyfle.example/offers/7"].findtext("s:lastmod", namespaces=NS) == "2026-11-28T09:30:01+00:00"
    links = [(link.get("hreflang"), link.get("href")) for link in entries["https://cyfle.example/offers/7?lang=cy"]
             .findall("x:link", NS)]  # fmt: skip
    assert links == [
        ("en", "https://cyfle.example/offers/7"),
        ("cy", "https://cyfle.example/offers/7?lang=cy"),
        ("x-default", "https://cyfle.example/offers/7"),
    ]
    assert entries["https://cyfle.example/offers/8?lang=cy"].findall("x:link", NS) == []


def test_addresses_are_escaped_in_the_xml() -> None:
    text = urlset("https://cyfle.example/a&b", [Page("/", ["en", "cy"])])
    locs = [loc.text for loc in parse(text).iter(LOC)]
    assert locs == ["https://cyfle.example/a&b/", "https://cyfle.example/a&b/?lang=cy"]


def test_a_sitemap_index_lists_sitemaps() -> None:
    root = parse(sitemap_index([f"{BASE}/sitemap-offers.xml?page=1", f"{BASE}/sitemap-offers.xml?page=2"]))
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert [loc.text for loc in root.iter(LOC)][-1] == f"{BASE}/sitemap-offers.xml?page=2"


def test_no_sitemap_file_can_pass_googles_limit() -> None:
    """Each offer once in each of two languages at most, and the first file's own pages (5, in both languages)."""
    assert 2 * OFFERS_PER_SITEMAP + 10 <= MAX_URLS
    assert pages_needed(0) == 1
    assert pages_needed(OFFERS_PER_SITEMAP) == 1
    assert pages_needed(OFFERS_PER_SITEMAP + 1) == 2
    assert pages_needed(10 * OFFERS_PER_SITEMAP + 1) == 11


def test_robots_lets_crawlers_reach_public_pages_only() -> None:
    text = robots_txt(f"{BASE}/sitemap.xml")
    assert text.splitlines()[0] == "User-agent: *"
    assert f"Sitemap: {BASE}/sitemap.xml" in text.splitlines()
    for path in ("/", "/?lang=cy", "/offers", "/offers?lang=cy", "/offers/7", "/offers/7?lang=cy", "/charter",
                 "/charter?year=2026", "/small-numbers", "/privacy", "/open-data", "/sponsors/3/impact", "/sitemap.xml",
                 "/static/css/app.css?v=1"):  # fmt: skip
        assert may_crawl(text, path), path
    for path in ("/me", "/me/codes", "/account", "/admin", "/admin/offers/7", "/organisations/3",
                 "/organisations/new", "/sign-in", "/sign-in/abc", "/join", "/join?code=X", "/dev/mail",
                 "/alerts/unsubscribe/1/k", "/offers/7/apply", "/offers/7/go", "/offers?q=swim",
                 "/offers?lang=cy&q=swim", "/offers?type=sport", "/offers?page=2", "/stripe/webhook",
                 "/offers.atom", "/offers.atom?type=sport"):  # fmt: skip
        assert not may_crawl(text, path), path
