"""Providers write offers; the team approves or returns them; search follows through the outbox."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from meilisearch_python_sdk import AsyncClient

from app.audit.tables import AuditEntry
from app.mail.tables import MailMessage
from app.offers import editing
from app.offers.indexing import TOPIC, offer_changed, sync_once
from app.offers.tables import Offer, OfferStatus
from app.outbox.tables import OutboxItem
from search.normalise import normalise
from search.settings import OFFERS
from tests import factories
from tests.people import admin, member, post, session_for

TODAY = date.today()
GOOD = {
    "type": "apprenticeship",
    "title_en": "Apprentice chef",
    "summary_en": "Learn to cook in a busy kitchen.",
    "description_en": "## What you do\n\n- Prep\n- Cook\n\n**Paid** from day one. [More](https://kitchen.example)",
    "min_age": "16",
    "max_age": "25",
    "places": "2",
    "closes_on": (TODAY + timedelta(days=20)).isoformat(),
    "starts_on": (TODAY + timedelta(days=40)).isoformat(),
    "location_name": "Cardiff",
    "council_area": "",
    "pay": "7.55",
    "pay_per": "hour",
    "price": "",
    "usual_price": "",
    "support": ["travel_paid", "mentor"],
    "principles": ["9"],
    "apply_method": "in_app",
    "apply_url": "",
}


async def _provider(new_client, approved: bool = True):
    org = await factories.organisation(kind="third_sector", approved_at=None if not approved else TODAY)
    client = new_client()
    await session_for(client, await member(org, f"staff{org.id}@example.org", "staff"))
    return org, client


async def test_a_provider_writes_a_draft_with_every_field(new_client) -> None:
    org, client = await _provider(new_client)
    response = await post(client, f"/organisations/{org.id}/offers", GOOD)
    assert response.status_code == 303, response.text
    row = await Offer.select().first()
    assert response.headers["location"] == f"/organisations/{org.id}/offers/{row['id']}"
    assert row["status"] == "draft" and row["organisation"] == org.id
    assert row["pay_pence"] == 755 and row["pay_per"] == "hour" and row["places"] == 2
    assert row["travel_paid"] and row["mentor"] and not row["free"]
    assert row["principles"] == [5, 9, 10]  # the type's own principles are always there
    assert row["latitude"] and row["council_area"] == "W06000015"  # Cardiff, from the gazetteer
    page = await client.get(response.headers["location"])
    form = BeautifulSoup(page.text, "html.parser")
    assert form.select_one("#f-title_en")["value"] == "Apprentice chef"
    assert form.select_one("#f-pay")["value"] == "7.55"
    assert form.select_one('input[name="support"][value="mentor"]').has_attr("checked")
    assert await OutboxItem.count().where(OutboxItem.topic == TOPIC) == 0  # drafts are not searched


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title_en", "", "Give a title in this language too"),
        ("title_en", "x" * 121, "120 characters or fewer"),
        ("summary_en", "x" * 281, "280 characters or fewer"),
        ("title_cy", "x" * 121, "120 characters or fewer"),
        ("type", "rocket", "Choose what type of opportunity"),
        ("pay", "lots", "amount in pounds"),
        ("pay", "7.555", "amount in pounds"),
        ("pay", "-1", "amount in pounds"),
        ("pay", "NaN", "amount in pounds"),
        ("min_age", "4", "whole number from 14 to 30"),
        ("max_age", "15", "same as or more than"),
        ("places", "0", "whole number from 1"),
        ("closes_on", "2020-01-01", "today or later"),
        ("closes_on", "31/03/2027", "real date"),
        ("location_name", "", "Say where it happens"),
        ("principles", ["99"], "from the list"),
        ("support", ["jetpack"], "from the list"),
        ("council_area", "Narnia", "from the list"),
        ("apply_url", "javascript:alert(1)", "starting with https://"),
    ],
)
async def test_bad_answers_are_named_by_field_and_change_nothing(new_client, field, value, message) -> None:
    org, client = await _provider(new_client)
    data = GOOD | {field: value}
    if field == "apply_url":
        data["apply_method"] = "external"
    response = await post(client, f"/organisations/{org.id}/offers", data)
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one(f"#f-{field}-error")
    assert error is not None and message in error.get_text(), response.text[:3000]
    assert await Offer.count() == 0


async def test_script_in_every_text_field_stays_inert(new_client, search: AsyncClient) -> None:
    org, client = await _provider(new_client)
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
    data = GOOD | {
        "title_en": attack[:120],
        "summary_en": attack,
        "title_cy": attack[:120],
        "description_cy": attack,
        "description_en": attack + "\n\n[click](javascript:alert(4)) <svg onload=alert(5)>",
        "location_name": attack[:120],
    }
    assert (await post(client, f"/organisations/{org.id}/offers", data)).status_code == 303
    offer = await Offer.select().first()
    await Offer.update({Offer.status: OfferStatus.published}).where(Offer.id == offer["id"])
    pages = [
        await client.get(f"/organisations/{org.id}/offers/{offer['id']}"),
        await client.get(f"/offers/{offer['id']}"),
        await post(client, f"/organisations/{org.id}/offers/preview", data, headers={"HX-Request": "true"}),
    ]
    for page in pages:
        soup = BeautifulSoup(page.text, "html.parser")
        assert not soup.select("main script, main img, main svg"), page.text
        assert not [a for a in soup.select("main a") if a.get("href", "").startswith("javascript")]
        assert not [tag for tag in soup.select("main *") if any(attr.startswith("on") for attr in tag.attrs)]


async def test_the_live_preview_is_a_fragment_for_htmx_and_a_page_without(new_client) -> None:
    org, client = await _provider(new_client)
    fragment = await post(client, f"/organisations/{org.id}/offers/preview", GOOD, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    soup = BeautifulSoup(fragment.text, "html.parser")
    assert soup.select_one("#preview h3").get_text() == "Apprentice chef"
    assert soup.select_one(".prose strong").get_text() == "Paid"
    page = await post(client, f"/organisations/{org.id}/offers/preview", GOOD | {"title_en": ""})
    assert page.status_code == 200 and "<html" in page.text and 'id="preview"' in page.text
    assert await Offer.count() == 0


async def test_from_draft_to_search_through_review(new_client, search: AsyncClient) -> None:
    org, client = await _provider(new_client)
    await member(org, "owner@example.org", "owner")
    reviewer = new_client()
    await session_for(reviewer, await admin())
    await post(client, f"/organisations/{org.id}/offers", GOOD)
    offer_id = (await Offer.select(Offer.id).first())["id"]

    assert (await post(client, f"/organisations/{org.id}/offers/{offer_id}/submit")).status_code == 303
    assert "Apprentice chef" in (await reviewer.get("/admin")).text
    assert (await client.get(f"/offers/{offer_id}")).status_code == 404  # not public until approved

    version = (await Offer.select(Offer.updated_at).where(Offer.id == offer_id).first())["updated_at"].isoformat()
    assert (await post(reviewer, f"/admin/offers/{offer_id}/approve", {"version": version})).status_code == 303
    row = await Offer.select().where(Offer.id == offer_id).first()
    assert row["status"] == "published" and row["published_at"] is not None
    await sync_once(search, TODAY)
    hits = (await search.index(OFFERS).search("chef")).hits
    assert [hit["id"] for hit in hits] == [offer_id]
    told = await MailMessage.select(MailMessage.recipient).where(MailMessage.subject.like("%live%"))
    assert sorted(m["recipient"] for m in told) == ["owner@example.org", f"staff{org.id}@example.org"]
    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)]
    assert actions == ["offer.created", "offer.submitted", "offer.approved"]


async def test_the_team_returns_an_offer_with_a_reason_the_provider_sees(new_client, search: AsyncClient) -> None:
    org, client = await _provider(new_client)
    reviewer = new_client()
    await session_for(reviewer, await admin())
    offer = await factories.offer(org, status=OfferStatus.in_review)
    row = await Offer.select(Offer.updated_at).where(Offer.id == offer.id).first()
    version = {"version": row["updated_at"].isoformat()}
    empty = await post(reviewer, f"/admin/offers/{offer.id}/return", {"reason": ""} | version)
    assert empty.status_code == 422
    reason = "Please say what the pay is."
    assert (await post(reviewer, f"/admin/offers/{offer.id}/return", {"reason": reason} | version)).status_code == 303
    page = await client.get(f"/organisations/{org.id}/offers/{offer.id}")
    assert reason in page.text and "Draft" in page.text
    dashboard = await client.get(f"/organisations/{org.id}")
    assert "Change asked for" in dashboard.text


async def test_a_pending_organisation_cannot_send_offers_for_review(new_client) -> None:
    org, client = await _provider(new_client, approved=False)
    offer = await factories.offer(org, status=OfferStatus.draft)
    response = await post(client, f"/organisations/{org.id}/offers/{offer.id}/submit")
    assert response.status_code == 403 and "waiting for the Cyfle team to approve it" in response.text
    assert (await Offer.select(Offer.status).first())["status"] == "draft"


async def _live_edited(new_client, search: AsyncClient):
    """A live, external-apply offer found in search, whose provider then changes its title and apply link."""
    org, client = await _provider(new_client)
    offer = await factories.offer(
        org,
        title="Apprentice baker",
        apply_method="external",
        apply_url="https://ok.example/a",
        council_area="W06000015",
    )
    await offer_changed(offer.id)
    await sync_once(search, TODAY)
    await OutboxItem.delete(force=True)
    form = editing.as_form(await Offer.select().where(Offer.id == offer.id).first())
    form |= {"title_en": "Apprentice baker, paid", "apply_url": "https://evil.example/phish"}
    assert (await post(client, f"/organisations/{org.id}/offers/{offer.id}", form)).status_code == 303
    reviewer = new_client()
    await session_for(reviewer, await admin())
    return org, client, offer, reviewer


async def _seen_by_young_people(new_client, search: AsyncClient, offer_id: int) -> tuple[str, str, list[str]]:
    """Where /go sends people, the offer page's heading, and the titles search finds for 'baker'."""
    anyone = new_client()
    await sync_once(search, TODAY)
    go = await anyone.get(f"/offers/{offer_id}/go")
    heading = BeautifulSoup((await anyone.get(f"/offers/{offer_id}")).text, "html.parser").h1.get_text(strip=True)
    return (
        go.headers["location"],
        heading,
        [hit["title"] for hit in (await search.index(OFFERS).search(normalise("baker"))).hits],
    )


async def test_an_edit_to_a_live_offer_waits_for_the_team_and_the_approved_version_stays_live(
    new_client, search: AsyncClient
) -> None:
    org, client, offer, reviewer = await _live_edited(new_client, search)
    row = await Offer.select().where(Offer.id == offer.id).first()
    assert (row["status"], row["title"], row["apply_url"]) == ("published", "Apprentice baker", "https://ok.example/a")
    assert row["changed_since_review"] and await OutboxItem.count().where(OutboxItem.topic == TOPIC) == 0
    live = ("https://ok.example/a", "Apprentice baker", ["Apprentice baker"])
    assert await _seen_by_young_people(new_client, search, offer.id) == live
    # The provider sees what they wrote, and that it waits.
    editor = (await client.get(f"/organisations/{org.id}/offers/{offer.id}")).text
    assert "https://evil.example/phish" in editor and "Young people see the approved version" in editor

    assert "Changed since it was approved" in (await reviewer.get("/admin")).text
    page = BeautifulSoup((await reviewer.get(f"/admin/offers/{offer.id}")).text, "html.parser")
    rows = [[cell.get_text(strip=True) for cell in tr.select("th, td")] for tr in page.select("table.changes tbody tr")]
    assert rows == [
        ["Title in English", "Apprentice baker", "Apprentice baker, paid"],
        ["Web address to apply", "https://ok.example/a", "https://evil.example/phish"],
    ]
    version = page.select_one('form[action$="/approve"] input[name="version"]')["value"]
    assert (await post(reviewer, f"/admin/offers/{offer.id}/approve", {"version": version})).status_code == 303
    row = await Offer.select().where(Offer.id == offer.id).first()
    assert (row["title"], row["pending"], row["changed_since_review"]) == ("Apprentice baker, paid", None, False)
    swapped = ("https://evil.example/phish", "Apprentice baker, paid", ["Apprentice baker, paid"])
    assert await _seen_by_young_people(new_client, search, offer.id) == swapped
    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)]
    assert actions == ["offer.edit_waiting", "offer.approved"]


async def test_a_returned_edit_leaves_the_approved_version_live(new_client, search: AsyncClient) -> None:
    org, client, offer, reviewer = await _live_edited(new_client, search)
    version = (await Offer.select(Offer.updated_at).where(Offer.id == offer.id).first())["updated_at"].isoformat()
    reason = "That web address is not yours."
    returned = await post(reviewer, f"/admin/offers/{offer.id}/return", {"reason": reason, "version": version})
    assert returned.status_code == 303
    row = await Offer.select().where(Offer.id == offer.id).first()
    assert (row["status"], row["apply_url"], row["changed_since_review"]) == (
        "published",
        "https://ok.example/a",
        False,
    )
    live = ("https://ok.example/a", "Apprentice baker", ["Apprentice baker"])
    assert await _seen_by_young_people(new_client, search, offer.id) == live
    editor = (await client.get(f"/organisations/{org.id}/offers/{offer.id}")).text
    assert reason in editor and "https://evil.example/phish" in editor  # theirs to put right, or drop
    told = await MailMessage.select(MailMessage.subject).where(MailMessage.recipient == f"staff{org.id}@example.org")
    assert [m["subject"] for m in told] == ["Your changes to Apprentice baker need another look"]
    assert (await post(client, f"/organisations/{org.id}/offers/{offer.id}/discard")).status_code == 303
    row = await Offer.select().where(Offer.id == offer.id).first()
    assert (row["pending"], row["review_note"], row["title"]) == (None, "", "Apprentice baker")
    assert "evil.example" not in (await client.get(f"/organisations/{org.id}/offers/{offer.id}")).text


async def test_saving_a_live_offer_unchanged_asks_the_team_nothing(new_client, search: AsyncClient) -> None:
    org, client = await _provider(new_client)
    offer = await factories.offer(org, council_area="W06000015", latitude=51.4816, longitude=-3.1791)  # as Cardiff
    form = editing.as_form(await Offer.select().where(Offer.id == offer.id).first())
    assert (await post(client, f"/organisations/{org.id}/offers/{offer.id}", form)).status_code == 303
    row = await Offer.select().where(Offer.id == offer.id).first()
    assert (row["pending"], row["changed_since_review"]) == (None, False)


async def test_closing_early_and_duplicating(new_client, search: AsyncClient) -> None:
    org, client = await _provider(new_client)
    offer = await factories.offer(org, title="Summer swim pass")
    assert (await post(client, f"/organisations/{org.id}/offers/{offer.id}/close")).status_code == 303
    assert (await Offer.select(Offer.status).where(Offer.id == offer.id).first())["status"] == "closed"
    copy = await post(client, f"/organisations/{org.id}/offers/{offer.id}/duplicate")
    new = await Offer.select().where(Offer.id != offer.id).first()
    assert copy.headers["location"] == f"/organisations/{org.id}/offers/{new['id']}"
    assert new["title"] == "Summer swim pass" and new["status"] == "draft" and new["closes_on"] is None


async def test_offers_close_themselves_after_their_closing_date(search: AsyncClient) -> None:
    past = await factories.offer(closes_on=TODAY - timedelta(days=1))
    today = await factories.offer(closes_on=TODAY)
    assert await editing.close_past(TODAY) == 1
    statuses = {row["id"]: row["status"] for row in await Offer.select(Offer.id, Offer.status)}
    assert statuses == {past.id: "closed", today.id: "published"}


async def test_another_organisations_offer_is_not_found(new_client) -> None:
    org, client = await _provider(new_client)
    theirs = await factories.offer()
    assert (await client.get(f"/organisations/{org.id}/offers/{theirs.id}")).status_code == 404
    response = await post(client, f"/organisations/{org.id}/offers/{theirs.id}/close")
    assert response.status_code == 404
    assert (await Offer.select(Offer.status).first())["status"] == "published"


async def test_the_dashboard_counts_offers_by_status(new_client) -> None:
    org, client = await _provider(new_client)
    for status in ("draft", "draft", "in_review", "published"):
        await factories.offer(org, status=status)
    soup = BeautifulSoup((await client.get(f"/organisations/{org.id}")).text, "html.parser")
    counts = [li.get_text(" ", strip=True) for li in soup.select(".status-counts li")]
    assert counts == ["1 Waiting for review", "2 Draft", "1 Live", "0 Closed"]


async def test_the_team_cannot_approve_a_version_it_did_not_see(new_client, search: AsyncClient) -> None:
    org, client = await _provider(new_client)
    offer = await factories.offer(org, status=OfferStatus.in_review)
    reviewer = new_client()
    await session_for(reviewer, await admin())
    seen = BeautifulSoup((await reviewer.get(f"/admin/offers/{offer.id}")).text, "html.parser")
    version = seen.select_one('form[action$="/approve"] input[name="version"]')["value"]
    form = editing.as_form(await Offer.select().where(Offer.id == offer.id).first()) | {"title_en": "Switched"}
    assert (await post(client, f"/organisations/{org.id}/offers/{offer.id}", form)).status_code == 303
    late = await post(reviewer, f"/admin/offers/{offer.id}/approve", {"version": version})
    assert late.status_code == 409 and "changed while you were looking" in late.text and "Switched" in late.text
    assert (await Offer.select(Offer.status).first())["status"] == "in_review"


async def test_only_live_offers_close_and_never_published_ones_never_show(new_client) -> None:
    org, client = await _provider(new_client)
    draft = await factories.offer(org, status=OfferStatus.draft, published_at=None)
    response = await post(client, f"/organisations/{org.id}/offers/{draft.id}/close")
    assert response.status_code == 409
    await Offer.update({Offer.status: OfferStatus.closed}).where(Offer.id == draft.id)
    assert (await client.get(f"/offers/{draft.id}")).status_code == 404  # closed, but never approved
    edit = editing.as_form(await Offer.select().where(Offer.id == draft.id).first())
    assert (await post(client, f"/organisations/{org.id}/offers/{draft.id}", edit)).status_code == 409


async def test_save_and_send_is_all_or_nothing(new_client) -> None:
    org, client = await _provider(new_client)
    offer = await factories.offer(org, status=OfferStatus.in_review, title="Before")  # already sent: cannot be again
    form = editing.as_form(await Offer.select().where(Offer.id == offer.id).first())
    response = await post(
        client, f"/organisations/{org.id}/offers/{offer.id}", form | {"title_en": "After", "then": "submit"}
    )
    assert response.status_code == 409
    row = await Offer.select(Offer.title, Offer.status).first()
    assert row == {"title": "Before", "status": "in_review"}


@pytest.mark.parametrize("value", ["²", "9" * 5000, "٣", "1e3"])
async def test_odd_digits_are_a_message_not_an_error(new_client, value: str) -> None:
    org, client = await _provider(new_client)
    response = await post(client, f"/organisations/{org.id}/offers", GOOD | {"places": value, "principles": [value]})
    assert response.status_code == 422
    assert await Offer.count() == 0


async def test_ids_beyond_the_database_range_are_not_found(new_client) -> None:
    org, client = await _provider(new_client)
    huge = 2**40
    assert (await post(client, f"/organisations/{org.id}/offers/{huge}/close")).status_code == 404
    assert (await post(client, f"/organisations/{org.id}/members/{huge}/remove")).status_code in (403, 404)


async def test_a_concession_says_how_many_codes_each_young_person_can_claim(new_client) -> None:
    org, client = await _provider(new_client)
    data = GOOD | {"type": "sport", "price": "0", "claim_limit": "2", "claim_period": "month"}
    assert (await post(client, f"/organisations/{org.id}/offers", data)).status_code == 303
    row = await Offer.select(Offer.claim_limit, Offer.claim_period).first()
    assert row == {"claim_limit": 2, "claim_period": "month"}
    bad = await post(client, f"/organisations/{org.id}/offers", data | {"claim_limit": "0", "claim_period": "weekly"})
    soup = BeautifulSoup(bad.text, "html.parser")
    assert (
        bad.status_code == 422 and soup.select_one("#f-claim_limit-error") and soup.select_one("#f-claim_period-error")
    )
    assert await Offer.count() == 1


async def test_a_live_offer_whose_edit_was_returned_can_still_be_taken_down(new_client, search: AsyncClient) -> None:
    _org, _client, offer, reviewer = await _live_edited(new_client, search)

    async def version() -> dict[str, str]:
        row = await Offer.select(Offer.updated_at).where(Offer.id == offer.id).first()
        return {"version": row["updated_at"].isoformat()}

    await post(reviewer, f"/admin/offers/{offer.id}/return", {"reason": "Not that address."} | await version())
    page = (await reviewer.get(f"/admin/offers/{offer.id}")).text
    assert "Or return it: what needs to change?" in page  # no edit waits: returning takes it down
    taken = await post(
        reviewer, f"/admin/offers/{offer.id}/return", {"reason": "Reported: remove it."} | await version()
    )
    assert taken.status_code == 303
    row = await Offer.select().where(Offer.id == offer.id).first()
    assert (row["status"], row["pending"], row["apply_url"]) == ("draft", None, "https://ok.example/a")
    assert (await new_client().get(f"/offers/{offer.id}")).status_code == 404


WORDS = ("title_en", "summary_en", "description_en")
WELSH = {
    "title_cy": "Prentis cogydd",
    "summary_cy": "Dysgu coginio mewn cegin brysur.",
    "description_cy": "Tâl o'r diwrnod cyntaf.",
}


async def test_an_offer_is_written_in_welsh_english_or_both(new_client) -> None:
    org, client = await _provider(new_client)
    english_only = {key: value for key, value in GOOD.items() if key not in WORDS}
    response = await post(client, f"/organisations/{org.id}/offers", english_only | WELSH | {"language": "en"})
    assert response.status_code == 303, "Welsh alone is enough, whatever the form's first language"
    row = await Offer.select().first()
    assert (row["language"], row["title"], row["title_alt"]) == ("cy", "Prentis cogydd", "")

    both = GOOD | WELSH | {"language": "cy"}
    await post(client, f"/organisations/{org.id}/offers/{row['id']}", both)
    row = await Offer.select().first()
    assert (row["language"], row["title"], row["title_alt"]) == ("cy", "Prentis cogydd", "Apprentice chef")
    assert row["summary_alt"] == GOOD["summary_en"] and row["description"] == WELSH["description_cy"]
    form = BeautifulSoup((await client.get(f"/organisations/{org.id}/offers/{row['id']}")).text, "html.parser")
    assert form.select_one("#f-title_en")["value"] == "Apprentice chef"
    assert (
        form.select_one("#f-title_cy")["value"] == "Prentis cogydd" and form.select_one("#f-title_cy")["lang"] == "cy"
    )

    preview = await post(client, f"/organisations/{org.id}/offers/preview", both | {"preview_lang": "en"})
    heading = BeautifulSoup(preview.text, "html.parser").select_one(".offer__title")
    assert heading.get_text() == "Apprentice chef" and heading.get("lang") is None
    preview = await post(client, f"/organisations/{org.id}/offers/preview", both | {"preview_lang": "cy"})
    heading = BeautifulSoup(preview.text, "html.parser").select_one(".offer__title")
    assert heading.get_text() == "Prentis cogydd" and heading["lang"] == "cy", "an English page marks Welsh words"


@pytest.mark.parametrize(
    ("words", "field", "message"),
    [
        ({}, "title_en", "Give a title in English or in Welsh"),
        ({"summary_cy": "Dim teitl"}, "title_cy", "Give a title in this language too"),
        ({"title_en": "Chef", "description_cy": "Dim teitl"}, "title_cy", "Give a title in this language too"),
    ],
)
async def test_each_language_written_needs_its_title(new_client, words, field, message) -> None:
    org, client = await _provider(new_client)
    data = {key: value for key, value in GOOD.items() if key not in WORDS} | words
    response = await post(client, f"/organisations/{org.id}/offers", data)
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one(f"#f-{field}-error")
    assert error is not None and message in error.get_text()
    assert await Offer.count() == 0


async def test_the_team_reads_both_languages_and_sees_a_public_body_in_wales_wrote_no_welsh(new_client) -> None:
    council = await factories.organisation(kind="council", name="Cyngor Sir Ynys Môn", council_area="W06000001")
    english_only = await factories.offer(council, title="Council apprenticeship", status=OfferStatus.in_review)
    both = await factories.offer(
        council, title="Prentisiaeth y cyngor", language="cy", title_alt="Council trainee", status=OfferStatus.in_review
    )
    english_elsewhere = await factories.offer(
        await factories.organisation(kind="council", council_area="E10000014"), title="Hampshire apprenticeship",
        status=OfferStatus.in_review,
    )  # fmt: skip
    reviewer = new_client()
    await session_for(reviewer, await admin())
    queue = BeautifulSoup((await reviewer.get("/admin")).text, "html.parser")
    flagged = {item.a.get_text() for item in queue.select("li") if "No Welsh" in item.get_text() and item.a}
    assert flagged == {english_only.title}, "only the public body in Wales that wrote no Welsh"
    assert english_elsewhere.title not in flagged

    page = BeautifulSoup((await reviewer.get(f"/admin/offers/{both.id}")).text, "html.parser")
    titles = [(title.get_text(), title.get("lang")) for title in page.select(".preview .offer__title")]
    assert titles == [("Prentisiaeth y cyngor", "cy"), ("Council trainee", None)]
