"""What search engines get: JobPosting JSON-LD on job offers' pages, canonical addresses and hreflang alternates on
every public page, noindex on the rest, /sitemap.xml of the findable offers, and /robots.txt."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup

from app.offers.tables import Offer, OfferStatus
from app.settings import Settings
from tests import factories
from tests.jobposting import postings_in, problems
from tests.people import session_for, user
from tests.robots import may_crawl

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


def head(html: str) -> dict[str, Any]:
    """What a page's <head> tells search engines."""
    page = BeautifulSoup(html, "html.parser")
    canonical = page.find_all("link", rel="canonical")
    robots = page.find("meta", attrs={"name": "robots"})
    return {
        "lang": page.html["lang"],
        "canonical": [link["href"] for link in canonical],
        # The same page in each language (a search page's feed is an alternate too, with no hreflang).
        "alternates": [
            (link["hreflang"], link["href"]) for link in page.find_all("link", rel="alternate", hreflang=True)
        ],
        "robots": robots["content"] if robots else None,
    }


async def job(**fields: Any) -> Offer:
    org = await factories.organisation(name="Cardiff Bay Builders")
    values = {
        "type": "apprenticeship",
        "title": "Carpentry apprentice",
        "summary": "Learn carpentry on real sites.",
        "description": "You will **build** things.",
        "council_area": "W06000015",
        "pay_pence": 780,
        "pay_per": "hour",
        "live_since": datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
    }
    return await factories.offer(org, **(values | fields))


async def test_a_job_offers_page_carries_a_job_posting_google_accepts(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    offer = await job()
    html = (await client.get(f"/offers/{offer.id}")).text
    [posting] = postings_in(html)
    assert problems(posting) == []
    assert posting["title"] == "Carpentry apprentice"
    assert (
        posting["description"]
        == "<p>Learn carpentry on real sites.</p><p>You will <strong>build</strong> things.</p>\n"
    )
    assert posting["datePosted"] == "2026-11-02T09:30:00+00:00"
    assert posting["validThrough"] == f"{offer.closes_on.isoformat()}T23:59:59+00:00"
    assert posting["jobLocation"]["address"]["addressLocality"] == "Cardiff"
    assert posting["baseSalary"]["value"]["value"] == 7.8
    assert posting["directApply"] is True
    assert posting["identifier"]["value"] == str(offer.id)
    # In the <head>, a data block (the only script without a src: nothing inline runs), nothing in it about who the
    # offers are for.
    page = BeautifulSoup(html, "html.parser")
    assert page.head.find("script", type="application/ld+json") is not None
    assert all(script.get("src") or script["type"] == "application/ld+json" for script in page.find_all("script"))
    assert "care" not in str(posting).lower()
    assert head(html)["canonical"] == [f"{settings.base_url}/offers/{offer.id}"]


async def test_a_remote_internship_applied_for_elsewhere(client: httpx.AsyncClient) -> None:
    offer = await job(
        type="internship",
        remote=True,
        location_name="",
        pay_pence=None,
        pay_per=None,
        apply_method="external",
        apply_url="https://jobs.example/7",
    )
    [posting] = postings_in((await client.get(f"/offers/{offer.id}")).text)
    assert problems(posting) == []
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert "jobLocation" not in posting and "baseSalary" not in posting
    assert posting["employmentType"] == ["INTERN"] and posting["directApply"] is False


@pytest.mark.parametrize(
    "fields",
    [
        {"closes_on": date.today() - timedelta(days=1)},
        {"status": OfferStatus.closed},
    ],
    ids=["past-its-closing-date", "closed-early"],
)
async def test_a_closed_offer_loses_its_job_posting_and_asks_not_to_be_indexed(
    client: httpx.AsyncClient, fields: dict[str, Any]
) -> None:
    offer = await job(**fields)
    response = await client.get(f"/offers/{offer.id}")
    assert response.status_code == 200  # shared links still explain themselves
    assert postings_in(response.text) == []
    tags = head(response.text)
    assert tags["robots"] == "noindex" and tags["canonical"] == [] and tags["alternates"] == []


@pytest.mark.parametrize("kind", ["work_shadowing", "mentoring", "sport"])
async def test_offers_that_are_not_jobs_have_no_job_posting_but_are_indexed(
    client: httpx.AsyncClient, settings: Settings, kind: str
) -> None:
    offer = await job(type=kind)
    html = (await client.get(f"/offers/{offer.id}")).text
    assert postings_in(html) == []
    assert head(html)["canonical"] == [f"{settings.base_url}/offers/{offer.id}"]
    assert head(html)["robots"] is None


async def test_a_welsh_reader_and_crawler_get_the_welsh_page_from_its_address(
    new_client: Any, settings: Settings
) -> None:
    offer = await job(
        title_alt="Prentis saer", summary_alt="Dysgu gwaith saer.", description_alt="Byddwch yn **adeiladu**."
    )
    crawler = new_client()  # no cookie, no Accept-Language
    html = (await crawler.get(f"/offers/{offer.id}?lang=cy")).text
    tags = head(html)
    assert tags["lang"] == "cy"
    [posting] = postings_in(html)
    assert problems(posting) == []
    assert posting["title"] == "Prentis saer"
    assert posting["description"] == "<p>Dysgu gwaith saer.</p><p>Byddwch yn <strong>adeiladu</strong>.</p>\n"
    assert posting["jobLocation"]["address"]["addressRegion"] == "Caerdydd"
    page = f"{settings.base_url}/offers/{offer.id}"
    assert tags["canonical"] == [f"{page}?lang=cy"]
    assert tags["alternates"] == [("en", page), ("cy", f"{page}?lang=cy"), ("x-default", page)]
    english = head((await new_client().get(f"/offers/{offer.id}")).text)
    assert english["lang"] == "en" and english["canonical"] == [page] and english["alternates"] == tags["alternates"]
    # ?lang=en is the English page too: its one address is the plain one.
    assert head((await new_client().get(f"/offers/{offer.id}?lang=en&utm_source=x")).text)["canonical"] == [page]


async def test_an_offer_in_one_language_has_one_address_whatever_the_menus(new_client: Any, settings: Settings) -> None:
    english = await job()
    welsh = await job(language="cy", title="Prentis saer", summary="Dysgu gwaith saer.", description="")
    for offer, address in ((english, f"/offers/{english.id}"), (welsh, f"/offers/{welsh.id}?lang=cy")):
        for lang in ("en", "cy"):
            tags = head((await new_client().get(f"/offers/{offer.id}?lang={lang}")).text)
            assert tags["canonical"] == [settings.base_url + address]
            assert tags["alternates"] == []


@pytest.mark.parametrize(
    ("asked", "canonical", "english"),
    [
        ("/", "/", "/"),
        ("/?lang=cy", "/?lang=cy", "/"),
        ("/offers?q=swim&type=sport&page=2&utm_source=x", "/offers", "/offers"),
        ("/offers?q=nofio&lang=cy", "/offers?lang=cy", "/offers"),
        ("/charter?year=2025&utm_medium=email", "/charter?year=2025", "/charter?year=2025"),
        ("/charter?lang=cy&year=2025", "/charter?year=2025&lang=cy", "/charter?year=2025"),
        ("/small-numbers", "/small-numbers", "/small-numbers"),
        ("/privacy?lang=cy", "/privacy?lang=cy", "/privacy"),
    ],
)
async def test_public_pages_give_their_canonical_address_and_both_languages(
    new_client: Any, search: Any, settings: Settings, asked: str, canonical: str, english: str
) -> None:
    response = await new_client().get(asked)
    assert response.status_code == 200
    tags = head(response.text)
    welsh = english + ("&" if "?" in english else "?") + "lang=cy"
    assert tags["canonical"] == [settings.base_url + canonical]
    assert tags["alternates"] == [
        ("en", settings.base_url + english),
        ("cy", settings.base_url + welsh),
        ("x-default", settings.base_url + english),
    ]
    assert tags["robots"] is None


async def test_pages_behind_a_sign_in_and_signing_in_itself_are_not_for_search_engines(new_client: Any) -> None:
    anyone = new_client()
    for path in ("/sign-in", "/join?code=ABCD", "/offers/999999"):
        tags = head((await anyone.get(path)).text)
        assert tags["robots"] == "noindex" and tags["canonical"] == [] and tags["alternates"] == [], path
    someone = new_client()
    await session_for(someone, await user("someone@example.org"))
    for path in ("/me/profile", "/account", "/me/saved", "/organisations/new"):
        response = await someone.get(path)
        assert response.status_code == 200, path
        assert head(response.text)["robots"] == "noindex", path


async def _sitemap(client: httpx.AsyncClient, url: str) -> ET.Element:
    response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (our own sitemap, no entities or DTD in it)


async def test_the_sitemap_lists_public_pages_and_findable_offers_only(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    today = date.today()
    listed = [
        await job(title="Open"),
        await job(title="Closes today", closes_on=today),
        await job(title="No closing date", closes_on=None),
        await job(title="Both languages", title_alt="Y ddwy iaith"),
        await job(title="Cymraeg yn unig", language="cy", type="sport"),
    ]
    for status in (OfferStatus.draft, OfferStatus.in_review, OfferStatus.closed, OfferStatus.archived):
        await job(title=f"Not findable: {status}", status=status)
    await job(title="Closed yesterday", closes_on=today - timedelta(days=1))
    edited = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    await Offer.update({Offer.public_changed_at: edited}).where(Offer.id == listed[0].id)
    # An edit saved and waiting for the team, or returned, is not a change anyone sees.
    await Offer.update({Offer.updated_at: datetime.now(UTC), Offer.reviewed_at: datetime.now(UTC)}).where(
        Offer.id == listed[0].id
    )

    root = await _sitemap(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['s']}}}urlset"
    entries = {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}
    base = settings.base_url
    assert all(loc.startswith(base + "/") for loc in entries)
    for path in ("/", "/offers", "/charter", "/small-numbers", "/privacy", "/open-data"):
        assert base + path in entries and f"{base}{path}?lang=cy" in entries, path
    offers = {loc.removeprefix(base) for loc in entries if "/offers/" in loc}
    assert offers == {
        f"/offers/{listed[0].id}",
        f"/offers/{listed[1].id}",
        f"/offers/{listed[2].id}",
        f"/offers/{listed[3].id}",
        f"/offers/{listed[3].id}?lang=cy",
        f"/offers/{listed[4].id}?lang=cy",
    }
    for url in root.findall("s:url", NS):
        lastmod = url.findtext("s:lastmod", namespaces=NS)
        assert lastmod is None or W3C_DATETIME.match(lastmod), lastmod
    assert entries[f"{base}/offers/{listed[0].id}"].findtext("s:lastmod", namespaces=NS) == "2026-11-20T08:00:00+00:00"
    newest = max(url.findtext("s:lastmod", namespaces=NS) or "" for url in root.findall("s:url", NS))
    assert entries[f"{base}/"].findtext("s:lastmod", namespaces=NS) == newest  # the home page shows the offers
    both = entries[f"{base}/offers/{listed[3].id}?lang=cy"]
    assert [(link.get("rel"), link.get("hreflang"), link.get("href")) for link in both.findall("x:link", NS)] == [
        ("alternate", "en", f"{base}/offers/{listed[3].id}"),
        ("alternate", "cy", f"{base}/offers/{listed[3].id}?lang=cy"),
        ("alternate", "x-default", f"{base}/offers/{listed[3].id}"),
    ]


async def test_past_the_limit_the_sitemap_becomes_an_index_of_pages(
    client: httpx.AsyncClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.seo import service, sitemap

    monkeypatch.setattr(service, "OFFERS_PER_SITEMAP", 2)
    monkeypatch.setattr(sitemap, "OFFERS_PER_SITEMAP", 2)
    offers = [await job(title=f"Job {n}") for n in range(3)]
    root = await _sitemap(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    pages = [loc.text or "" for loc in root.iter(f"{{{NS['s']}}}loc")]
    assert pages == [f"{settings.base_url}/sitemap-offers.xml?page=1", f"{settings.base_url}/sitemap-offers.xml?page=2"]
    first, second = [await _sitemap(client, page.removeprefix(settings.base_url)) for page in pages]
    first_locs = [loc.text for loc in first.iter(f"{{{NS['s']}}}loc")]
    assert f"{settings.base_url}/" in first_locs  # the site's own pages come first
    assert [loc for loc in first_locs if "/offers/" in (loc or "")] == [
        f"{settings.base_url}/offers/{offer.id}" for offer in offers[:2]
    ]
    assert [loc.text for loc in second.iter(f"{{{NS['s']}}}loc")] == [f"{settings.base_url}/offers/{offers[2].id}"]
    assert (await client.get("/sitemap-offers.xml?page=3")).status_code == 404
    assert (await client.get("/sitemap-offers.xml?page=0")).status_code == 400


async def test_robots_txt_keeps_crawlers_to_public_pages_and_names_the_sitemap(
    client: httpx.AsyncClient, new_client: Any, settings: Settings
) -> None:
    for path in ("/robots.txt", "/sitemap.xml"):  # kept by shared caches: nobody's CSRF cookie on them
        assert "set-cookie" not in (await new_client().get(path)).headers, path
    response = await client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {settings.base_url}/sitemap.xml" in response.text.splitlines()
    assert may_crawl(response.text, "/offers/1") and not may_crawl(response.text, "/me")
    for link in ("/concerns/receipt/a-token", "/advising/unsubscribe/1/key", "/alerts/unsubscribe/1/key"):
        assert not may_crawl(response.text, link), link  # links whose key is their permission
    # Every page the sitemap lists may be crawled.
    root = await _sitemap(client, "/sitemap.xml")
    for loc in root.iter(f"{{{NS['s']}}}loc"):
        assert may_crawl(response.text, (loc.text or "").removeprefix(settings.base_url)), loc.text


async def test_one_network_cannot_keep_the_server_writing_sitemaps(
    new_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.seo import service

    monkeypatch.setattr(service, "SITEMAPS_PER_HOUR", 2)
    asker = new_client()
    assert (await asker.get("/sitemap.xml")).status_code == 200
    assert (await asker.get("/sitemap-offers.xml")).status_code == 200
    assert (await asker.get("/sitemap.xml")).status_code == 429
    assert (await asker.get("/robots.txt")).status_code == 200  # costs nothing: never limited
