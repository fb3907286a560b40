"""Places ring-fenced for care-experienced young people and guaranteed interviews: written by providers for work
offers only, reviewed like any change to a live offer, found with a search filter (real Meilisearch), and counted
as they are in every report."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from bs4 import BeautifulSoup
from meilisearch_python_sdk import AsyncClient

from app.offers import editing
from app.offers.indexing import offer_changed, sync_once
from app.offers.reindex import reindex
from app.offers.tables import Offer, OfferStatus
from app.uptake import kept
from app.uptake.measures import Scope, reporting_year
from tests import factories
from tests.people import admin, member, post, session_for, signed_in_young_person
from tests.test_provider_offers import GOOD, _provider

TODAY = date.today()
BOTH = ["ring_fenced", "guaranteed_interview"]


def _text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


def _titles(html: str) -> list[str]:
    return sorted(a.get_text(strip=True) for a in BeautifulSoup(html, "html.parser").select(".card__title a"))


async def test_a_provider_ring_fences_an_apprenticeship_and_guarantees_an_interview(new_client) -> None:
    org, client = await _provider(new_client)
    response = await post(client, f"/organisations/{org.id}/offers", GOOD | {"commitment": BOTH})
    assert response.status_code == 303, response.text
    row = await Offer.select().first()
    assert row["ring_fenced"] and row["guaranteed_interview"]
    form = BeautifulSoup((await client.get(response.headers["location"])).text, "html.parser")
    for flag in BOTH:
        assert form.select_one(f'input[name="commitment"][value="{flag}"]').has_attr("checked")
    assert "Only care-experienced young people can take these places." in form.select_one("#f-commitment").get_text()
    # The live preview shows them as young people will see them, beside the support they get.
    preview = await post(client, f"/organisations/{org.id}/offers/preview", GOOD | {"commitment": ["ring_fenced"]})
    text = _text(preview.text)
    assert "For care-experienced young people Places kept for you" in text and "A guaranteed interview" not in text
    assert "Support you get" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"type": "culture", "commitment": ["ring_fenced"]}, "Untick these: only work opportunities"),
        ({"type": "sport", "commitment": ["guaranteed_interview"]}, "can ring-fence places or guarantee an interview."),
        ({"type": "mentoring", "commitment": BOTH}, "Untick these: only work opportunities"),
        ({"commitment": ["ring_fenced", "golden_ticket"]}, "Choose from the list."),
    ],
)
async def test_only_work_offers_can_keep_places_or_guarantee_an_interview(new_client, changes, message) -> None:
    org, client = await _provider(new_client)
    response = await post(client, f"/organisations/{org.id}/offers", GOOD | changes)
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one("#f-commitment-error")
    assert error is not None and message in error.get_text()
    assert await Offer.count() == 0


async def test_an_offer_turned_into_a_concession_is_previewed_without_them(new_client) -> None:
    org, client = await _provider(new_client)
    data = GOOD | {"type": "culture", "commitment": BOTH}
    preview = await post(client, f"/organisations/{org.id}/offers/preview", data, headers={"HX-Request": "true"})
    assert preview.status_code == 200 and "For care-experienced young people" not in preview.text


async def test_ticking_them_on_a_live_offer_waits_for_the_team_field_by_field(new_client, search: AsyncClient) -> None:
    org, client = await _provider(new_client)
    offer = await factories.offer(
        org, title="Apprentice plumber", council_area="W06000015", latitude=51.4816, longitude=-3.1791
    )  # as Cardiff is: only the ticks change
    await offer_changed(offer.id)
    await sync_once(search, TODAY)
    form = editing.as_form(await Offer.select().where(Offer.id == offer.id).first())
    assert form["commitment"] == []
    assert (await post(client, f"/organisations/{org.id}/offers/{offer.id}", form | {"commitment": BOTH})).is_redirect
    row = await Offer.select().where(Offer.id == offer.id).first()
    assert (row["ring_fenced"], row["changed_since_review"]) == (False, True), "the approved version stays live"
    anyone = new_client()
    assert "For care-experienced young people" not in (await anyone.get(f"/offers/{offer.id}")).text
    assert _titles((await anyone.get("/offers?commitment=ring_fenced")).text) == []

    reviewer = new_client()
    await session_for(reviewer, await admin())
    page = BeautifulSoup((await reviewer.get(f"/admin/offers/{offer.id}")).text, "html.parser")
    rows = [[cell.get_text(strip=True) for cell in tr.select("th, td")] for tr in page.select("table.changes tbody tr")]
    assert rows == [["Ring-fenced places", "No", "Yes"], ["Guaranteed interview", "No", "Yes"]]
    mine = Scope("organisation", org.id)
    assert (await kept.figures(mine, reporting_year(TODAY))).total["ring_fenced"] == 0
    version = page.select_one('form[action$="/approve"] input[name="version"]')["value"]
    assert (await post(reviewer, f"/admin/offers/{offer.id}/approve", {"version": version})).status_code == 303
    approved = await kept.figures(mine, reporting_year(TODAY))
    assert approved.total["ring_fenced"] == 1, "kept figures see an approved edit at once"

    await sync_once(search, TODAY)
    assert _titles((await anyone.get("/offers?commitment=ring_fenced")).text) == ["Apprentice plumber"]
    text = _text((await anyone.get(f"/offers/{offer.id}")).text)
    assert "For care-experienced young people Places kept for you" in text
    assert "A guaranteed interview You will be interviewed if you meet the essential requirements." in text


async def _marketplace(search: AsyncClient) -> None:
    for title, fields in {
        "Ring-fenced carpentry apprenticeship": {"ring_fenced": True},
        "Engineering internship with a guaranteed interview": {"type": "internship", "guaranteed_interview": True},
        "Council apprenticeship, both": {"ring_fenced": True, "guaranteed_interview": True},
        "Plain traineeship": {"type": "traineeship"},
        "Cinema tickets": {"type": "culture"},
        "Kept, but still a draft": {"ring_fenced": True, "status": OfferStatus.draft},
    }.items():
        await factories.offer(title=title, **fields)
    await reindex(search, TODAY)


async def test_the_search_filter_finds_what_is_kept_for_them(new_client, search: AsyncClient) -> None:
    await _marketplace(search)
    client = new_client()
    page = BeautifulSoup((await client.get("/offers")).text, "html.parser")
    fieldset = page.select_one('input[name="commitment"]').find_parent("fieldset")
    assert fieldset.legend.get_text(strip=True) == "For care-experienced young people"
    counts = {box["value"]: box.find_parent("label").select_one(".count").get_text() for box in fieldset("input")}
    assert counts == {"ring_fenced": "2", "guaranteed_interview": "2"}

    kept_places = await client.get("/offers?commitment=ring_fenced")
    assert _titles(kept_places.text) == ["Council apprenticeship, both", "Ring-fenced carpentry apprenticeship"]
    both = await client.get("/offers?commitment=ring_fenced&commitment=guaranteed_interview")
    assert _titles(both.text) == ["Council apprenticeship, both"], "each ticked is one more thing asked for"
    interview = await client.get("/offers?commitment=guaranteed_interview&type=apprenticeship")
    assert _titles(interview.text) == ["Council apprenticeship, both"]

    fragment = BeautifulSoup(
        (await client.get("/offers?commitment=guaranteed_interview", headers={"HX-Request": "true"})).text,
        "html.parser",
    )
    chips = {a.get_text(" ", strip=True): a["href"] for a in fragment.select(".chips a")}
    assert chips == {"Remove filter: A guaranteed interview ×": "/offers"}
    oob = {span["id"]: span.get_text() for span in fragment.select("[hx-swap-oob]")}
    assert (oob["count-commitment-guaranteed_interview"], oob["count-commitment-ring_fenced"]) == ("2", "1")
    assert fragment.select_one("#filters-chosen").get_text(strip=True) == "(1)"
    saving = fragment.select_one(".results__save")["href"]
    assert saving == "/sign-in?next=/me/searches/new%3Fcommitment%3Dguaranteed_interview", "saved as it was asked"

    feed = await client.get("/offers.atom?commitment=ring_fenced&lang=en")
    atom = {"atom": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(feed.content).findall("atom:entry/atom:title", atom)  # noqa: S314 (the app's own feed)
    assert sorted(title.text or "" for title in entries) == [
        "Council apprenticeship, both",
        "Ring-fenced carpentry apprenticeship",
    ]


async def test_a_saved_search_keeps_the_filter(new_client) -> None:
    _, client = await signed_in_young_person(new_client)
    form = BeautifulSoup(
        (await client.get("/me/searches/new?type=apprenticeship&commitment=ring_fenced&commitment=tea")).text,
        "html.parser",
    )
    saved_query = form.select_one("input[name=query]")["value"]
    assert saved_query == "type=apprenticeship&commitment=ring_fenced", "unknown values dropped"
    assert "Places kept for you" in [chip.get_text(strip=True) for chip in form.select(".chips .chip")]
    assert (
        await post(client, "/me/searches", {"query": saved_query, "name": "Kept", "frequency": "daily"})
    ).is_redirect
    listed = BeautifulSoup((await client.get("/me/searches")).text, "html.parser")
    assert "Places kept for you" in [chip.get_text(strip=True) for chip in listed.select(".chips .chip")]


async def test_reports_count_live_offers_keeping_places_or_an_interview_as_they_are(new_client) -> None:
    """Counts of offers, about organisations: 1 reads 1 (never "fewer than 6"), in the summary, CSV and JSON."""
    org = await factories.organisation(name="Kept Ltd")
    await factories.offer(org, ring_fenced=True, guaranteed_interview=True, principles=[5, 10])
    await factories.offer(org, type="internship", guaranteed_interview=True, principles=[5])
    await factories.offer(org, type="work_experience", principles=[5])
    await factories.offer(org, ring_fenced=True, status=OfferStatus.draft, published_at=None)  # never live
    client = new_client()
    await session_for(client, await member(org, "owner@kept.example"))
    year = reporting_year(TODAY)
    page = BeautifulSoup((await client.get(f"/organisations/{org.id}/uptake?year={year}")).text, "html.parser")
    shown = {d.dt.get_text(strip=True): d.dd.get_text(strip=True) for d in page.select(".figures > div")}
    assert shown["Offers live"] == "3"
    assert shown["Offers live with ring-fenced places"] == "1"
    assert shown["Offers live with a guaranteed interview"] == "2"
    header = [th.get_text(strip=True) for th in page.select("#type-caption ~ thead th")]
    assert "Offers live with ring-fenced places" not in header, "no table widens on a phone"

    rows = list(csv.reader(io.StringIO((await client.get(f"/organisations/{org.id}/uptake.csv?year={year}")).text)))
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    ring_fenced = rows[0].index("Offers live with ring-fenced places")
    interview = rows[0].index("Offers live with a guaranteed interview")
    assert (by_key[("total", "")][ring_fenced], by_key[("total", "")][interview]) == ("1", "2")
    assert (by_key[("type", "internship")][ring_fenced], by_key[("type", "internship")][interview]) == ("0", "1")
    data = (await client.get(f"/organisations/{org.id}/uptake.json?year={year}")).json()
    assert data["total"]["ring_fenced"] == {"value": 1, "suppressed": None}
    assert data["total"]["guaranteed_interview"] == {"value": 2, "suppressed": None}
    principles = {row["key"]: row for row in data["tables"]["principle"]}
    assert principles["10"]["ring_fenced"]["value"] == 1 and principles["10"]["guaranteed_interview"]["value"] == 1
    assert principles["5"]["ring_fenced"]["value"] == 1 and principles["5"]["guaranteed_interview"]["value"] == 2


async def test_in_welsh(new_client, search: AsyncClient) -> None:
    offer = await factories.offer(title="Prentis saer", ring_fenced=True, guaranteed_interview=True)
    await reindex(search, TODAY)
    client = new_client()  # ?lang= sets a cookie: not on the clients other tests share
    text = _text((await client.get(f"/offers/{offer.id}?lang=cy")).text)
    assert "I bobl ifanc â phrofiad o ofal Lleoedd wedi’u cadw i chi" in text and "Cyfweliad wedi’i warantu" in text
    page = BeautifulSoup((await client.get("/offers?commitment=ring_fenced&lang=cy")).text, "html.parser")
    assert [a.get_text(" ", strip=True) for a in page.select(".chips a")] == [
        "Tynnu hidlydd: Lleoedd wedi’u cadw i chi ×"
    ]
