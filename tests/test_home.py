from datetime import date, timedelta

import httpx
from bs4 import BeautifulSoup

from app.demo import demo_offers, load_demo
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

    titles = {card.title for card in await open_offers(today, limit=10, reader="en")}
    assert titles == {"Open apprenticeship", "Closes today", "No closing date"}
    assert await count_open(today) == 3

    html = BeautifulSoup((await client.get("/")).text, "html.parser")
    assert html.find(id="open-now").get_text(strip=True) == "3 opportunities open now"
    shown = {h3.get_text(strip=True) for h3 in html.select(".card__title")}
    assert shown == titles


async def test_the_home_page_counts_from_the_servers_today_not_the_query_strings(client: httpx.AsyncClient) -> None:
    """`today` is provided by the app (app/core/deps.py): a query parameter of that name changes nothing."""
    await factories.offer(title="Closes today", closes_on=date.today())
    for headers in ({}, {"HX-Request": "true"}):
        response = await client.get("/", params={"today": "2999-01-01", "settings": "x"}, headers=headers)
        assert response.status_code == 200
        html = BeautifulSoup(response.text, "html.parser")
        assert html.find(id="open-now").get_text(strip=True) == "1 opportunity open now"
        assert (html.find("html") is None) == bool(headers)  # the page, or htmx's fragment


async def test_home_page_with_nothing_open_says_so_kindly(client: httpx.AsyncClient) -> None:
    html = BeautifulSoup((await client.get("/")).text, "html.parser")
    assert html.find(id="open-now").get_text(strip=True) == "0 opportunities open now"
    assert "please come back soon" in html.get_text()


async def test_demo_data_loads_once() -> None:
    today = date.today()
    expected = len(demo_offers(today))
    assert await load_demo(today) is True
    assert await Offer.count() == expected
    assert await load_demo(today) is False
    assert await Offer.count() == expected
    assert await count_open(today) == expected


async def test_the_demo_has_uptake_to_show() -> None:
    from app.progress.service import objectives
    from app.progress.tables import Objective
    from app.uptake.tables import UptakeEvent

    assert await load_demo(date.today()) is True
    kinds = {row["kind"]: row["n"] for row in await UptakeEvent.raw(
        "SELECT kind, count(*)::int AS n FROM uptake_event GROUP BY kind"
    )}  # fmt: skip
    assert set(kinds) == {"applied", "started", "completed", "claimed", "redeemed"}
    assert kinds["applied"] > kinds["started"] > kinds["completed"] > 100 and kinds["claimed"] > kinds["redeemed"] > 100
    wrong = await UptakeEvent.raw(
        "SELECT count(*)::int AS n FROM uptake_event e JOIN offer o ON o.id = e.offer"
        " WHERE e.at > now() OR e.at < o.published_at OR e.organisation <> o.organisation OR e.offer_type <> o.type"
        " OR e.principles <> o.principles OR length(e.person_key) <> 64"
    )
    assert wrong[0]["n"] == 0
    # One objective the demo's uptake keeps pace with, and one it does not.
    org = await Objective.select(Objective.organisation).first()
    assert org is not None
    found = {progress.objective.measure: progress for progress in await objectives(org["organisation"], date.today())}
    steady, ahead = found["starts"], found["people"]
    assert ahead.status == "at_risk" and steady.status in ("on_track", "at_risk")
    if steady.count.value and date.today().month not in (2, 3):  # late in the year, any target above is at risk
        assert steady.status == "on_track"


async def test_the_demo_has_an_account_for_every_role(new_client) -> None:
    from app.demo import DEMO_PEOPLE, YOUNG_PERSON
    from app.organisations.labels import role_label
    from tests.people import sign_in

    await load_demo(date.today())
    for email, org_name, role in DEMO_PEOPLE:
        client = new_client()
        await sign_in(client, email)
        page = await client.get("/account")
        assert org_name in page.text and role_label(role) in page.text, email
    young = new_client()
    await sign_in(young, YOUNG_PERSON)
    assert "You can apply and claim codes until" in (await young.get("/me")).text
    verifier = new_client()
    await sign_in(verifier, "verifier@demo.cyfle.test")
    from app.demo import DEMO_COUNCIL
    from app.organisations.tables import Organisation

    council = await Organisation.select(Organisation.id).where(Organisation.name == DEMO_COUNCIL).first()
    queue = await verifier.get(f"/organisations/{council['id']}/verification")
    assert "Dylan" in queue.text  # waiting for the council
    adviser = new_client()
    await sign_in(adviser, "adviser@demo.cyfle.test")
    advised = await adviser.get(f"/organisations/{council['id']}/advising")
    assert "Ffion" in advised.text
    ffion = BeautifulSoup(advised.text, "html.parser").find("a", string="Ffion")["href"]
    followed = await adviser.get(ffion)
    assert "Being looked at" in followed.text or "In review" in followed.text  # her shared application
    assert "Not opened yet" in followed.text  # the suggestion waiting for her
    assert "Suggested for you" in (await young.get("/me")).text
    team = new_client()
    await sign_in(team, DEMO_PEOPLE[0][0])
    assert "Tŷ Newydd Youth Arts" in (await team.get("/admin")).text  # waiting for approval


async def test_the_demo_has_published_reports_and_one_overdue(new_client) -> None:
    from app.demo_uptake import OVERDUE, REPORTED
    from app.organisations.tables import Organisation
    from app.publishing import reports
    from app.publishing.tables import PublishedReport
    from app.uptake.measures import reporting_year

    await load_demo(date.today())
    last_year = reporting_year(date.today()) - 1
    names = await PublishedReport.select(PublishedReport.organisation._.name.as_alias("name"))
    assert sorted(row["name"] for row in names) == sorted(REPORTED)
    anyone = new_client()
    for row in await Organisation.select(Organisation.id).where(Organisation.name.is_in(list(REPORTED))):
        assert (await anyone.get(f"/reports/{row['id']}/{last_year}")).status_code == 200
    from app.publishing.tables import Plan

    planned = await Plan.select(Plan.organisation._.name.as_alias("name")).where(Plan.signed_at.is_not_null())
    assert sorted(row["name"] for row in planned) == sorted(REPORTED)
    late = await Organisation.select(Organisation.id).where(Organisation.name == OVERDUE).first()
    assert (await anyone.get(f"/reports/{late['id']}/{last_year}")).status_code == 404
    assert reports.standing(last_year, False, date.today()) in (reports.Standing.due, reports.Standing.overdue)
