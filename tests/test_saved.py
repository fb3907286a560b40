"""Saving offers: the heart without JavaScript and with htmx, the list at /me/saved, and one reminder three days
before a saved offer closes."""

from datetime import date, timedelta

from bs4 import BeautifulSoup

from app.mail.tables import MailMessage
from app.offers.tables import OfferStatus
from app.saved import service as saved
from app.saved.tables import SavedOffer
from app.settings import Settings
from tests import factories
from tests.people import csrf, post, signed_in_young_person

TODAY = date.today()


async def test_the_heart_saves_and_unsaves_without_javascript_and_goes_back(new_client) -> None:
    offer = await factories.offer(title="Free swimming")
    user_id, client = await signed_in_young_person(new_client)
    response = await post(client, f"/offers/{offer.id}/saved", {"save": "1", "next": "/offers?q=swim"})
    assert response.status_code == 303 and response.headers["location"] == "/offers?q=swim"
    await post(client, f"/offers/{offer.id}/saved", {"save": "1", "next": "//evil.example"})  # twice: once saved
    assert await SavedOffer.count().where(SavedOffer.user == user_id) == 1
    page = BeautifulSoup((await client.get(f"/offers/{offer.id}")).text, "html.parser")
    assert page.select_one(".heart__button")["aria-pressed"] == "true"
    listed = BeautifulSoup((await client.get("/me/saved")).text, "html.parser")
    assert [a.get_text(strip=True) for a in listed.select(".card__title a")] == ["Free swimming"]
    gone = await post(client, f"/offers/{offer.id}/saved", {"save": "0", "next": "//evil.example"})
    assert gone.headers["location"] == f"/offers/{offer.id}", "only paths on this site"
    assert await SavedOffer.count() == 0


async def test_with_htmx_only_the_heart_is_swapped(new_client) -> None:
    offer = await factories.offer(title="Climbing taster")
    _, client = await signed_in_young_person(new_client)
    response = await client.post(
        f"/offers/{offer.id}/saved",
        data={"save": "1", "title": "Climbing taster", "next": "/", "_csrf_token": await csrf(client)},
        headers={"HX-Request": "true"},
    )
    html = BeautifulSoup(response.text, "html.parser")
    assert response.status_code == 200 and html.find("html") is None
    button = html.select_one("form.heart button")
    assert button["aria-pressed"] == "true" and button.get_text(" ", strip=True) == "Save Climbing taster"
    assert html.select_one("input[name=save]")["value"] == "0", "pressed again, it unsaves"


async def test_only_offers_open_to_young_people_can_be_saved(new_client) -> None:
    draft = await factories.offer(status=OfferStatus.draft)
    closed = await factories.offer(closes_on=TODAY - timedelta(days=1))
    _, client = await signed_in_young_person(new_client)
    for offer in (draft, closed):
        assert (await post(client, f"/offers/{offer.id}/saved", {"save": "1"})).status_code == 404
    assert await SavedOffer.count() == 0


async def test_someone_not_signed_in_is_asked_to_sign_in_and_comes_back(client) -> None:
    offer = await factories.offer(title="Gig tickets")
    page = BeautifulSoup((await client.get(f"/offers/{offer.id}")).text, "html.parser")
    heart = page.select_one("a.heart")
    assert heart["href"] == f"/sign-in?next=/offers/{offer.id}"


async def test_a_saved_offer_closing_in_three_days_is_reminded_once(settings: Settings, new_client) -> None:
    soon = await factories.offer(title="Closes soon", closes_on=TODAY + timedelta(days=3))
    later = await factories.offer(title="Closes later", closes_on=TODAY + timedelta(days=4))
    withdrawn = await factories.offer(title="Withdrawn", closes_on=TODAY + timedelta(days=2), status=OfferStatus.closed)
    user_id, _ = await signed_in_young_person(new_client)
    for offer in (soon, later):
        await saved.save(user_id, offer.id, TODAY)
    await SavedOffer.insert(SavedOffer(user=user_id, offer=withdrawn.id))
    assert await saved.remind_closing(settings, TODAY) == 1
    assert await saved.remind_closing(settings, TODAY) == 0, "once"
    [mail] = await MailMessage.select()
    assert "Closes soon" in mail["subject"] and f"/offers/{soon.id}" in mail["body"]
    assert await saved.remind_closing(settings, TODAY + timedelta(days=1)) == 1, "the next one, in its turn"
