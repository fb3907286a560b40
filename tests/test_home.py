from datetime import date, timedelta

import httpx
from bs4 import BeautifulSoup

from app.demo import OFFERS, load_demo
from app.offers.service import count_open, open_offers
from app.offers.tables import Offer, OfferStatus
from tests import factories


async def test_only_published_offers_still_open_are_shown(client: httpx.AsyncClient) -> None:
    today = date.today()
    await factories.offer(title="Open apprenticeship")
    await factories.offer(title="Closes today", closes_on=today)
    await factories.offer(title="No closing date", closes_on=None)
    await factories.offer(title="Closed yesterday", closes_on=today - timedelta(days=1))
    await factories.offer(title="Still a draft", status=OfferStatus.draft)
    await factories.offer(title="Closed early", status=OfferStatus.closed)

    titles = {card.title for card in await open_offers(today, limit=10)}
    assert titles == {"Open apprenticeship", "Closes today", "No closing date"}
    assert await count_open(today) == 3

    html = BeautifulSoup((await client.get("/")).text, "html.parser")
    assert html.find(id="open-now").get_text(strip=True) == "3 opportunities open now"
    shown = {h3.get_text(strip=True) for h3 in html.select(".card__title")}
    assert shown == titles


async def test_home_page_with_nothing_open_says_so_kindly(client: httpx.AsyncClient) -> None:
    html = BeautifulSoup((await client.get("/")).text, "html.parser")
    assert html.find(id="open-now").get_text(strip=True) == "0 opportunities open now"
    assert "please come back soon" in html.get_text()


async def test_demo_data_loads_once() -> None:
    today = date.today()
    assert await load_demo(today) is True
    assert await Offer.count() == len(OFFERS)
    assert await load_demo(today) is False
    assert await Offer.count() == len(OFFERS)
    assert await count_open(today) == len(OFFERS)
