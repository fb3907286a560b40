"""Applying: only confirmed young people, only open offers that take applications here, once each."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from app.applications.tables import Application, StageChange
from app.mail.tables import MailMessage
from app.offers.tables import OfferStatus
from tests import factories
from tests.people import member, post, session_for, young_person

TODAY = date.today()


async def _young(new_client, verified_until: date | None = TODAY + timedelta(days=100)):
    client = new_client()
    user_id, _ = await young_person("ffion@example.org", "Ffion", verified_until, born=date(2006, 5, 1))
    await session_for(client, user_id)
    return client


def _apply_state(html: str) -> str:
    """The words of the page's "How to apply" part."""
    heading = BeautifulSoup(html, "html.parser").find("h2", string="How to apply")
    words = []
    for sibling in heading.find_next_siblings("p"):
        if "principles" in (sibling.get("class") or []):
            break
        words.append(sibling.get_text(" ", strip=True))
    return " ".join(" ".join(words).split())


async def test_a_confirmed_young_person_applies_and_sees_it_in_their_list(new_client) -> None:
    org = await factories.organisation()
    await member(org, "boss@example.org", "owner")
    offer = await factories.offer(org, title="Apprentice joiner")
    client = await _young(new_client)
    assert _apply_state((await client.get(f"/offers/{offer.id}")).text) == "Apply"
    form = await client.get(f"/offers/{offer.id}/apply")
    assert "Nothing about care" in form.text
    response = await post(client, f"/offers/{offer.id}/apply", {"message": "I love wood.", "contact_by": "email"})
    assert response.status_code == 303 and response.headers["location"] == "/me/applications"
    mine = await client.get("/me/applications")
    assert "Apprentice joiner" in mine.text and "Sent" in mine.text
    assert [row["stage"] for row in await StageChange.select(StageChange.stage)] == ["new"]
    told = await MailMessage.select().where(MailMessage.recipient == "boss@example.org").first()
    assert "Apprentice joiner" in told["subject"] and "Ffion" not in told["body"]
    assert "You have applied" in _apply_state((await client.get(f"/offers/{offer.id}")).text)
    again = await post(client, f"/offers/{offer.id}/apply", {"contact_by": "email"})
    assert again.status_code == 409 and await Application.count() == 1


async def test_the_offer_page_says_what_to_do_next(new_client) -> None:
    offer = await factories.offer()
    assert "Sign in to apply" in _apply_state((await new_client().get(f"/offers/{offer.id}")).text)
    client = await _young(new_client, verified_until=None)
    assert "confirmed" in _apply_state((await client.get(f"/offers/{offer.id}")).text)


@pytest.mark.parametrize("until", [None, TODAY - timedelta(days=1)])
async def test_unconfirmed_or_expired_young_people_cannot_apply(new_client, until) -> None:
    offer = await factories.offer()
    client = await _young(new_client, verified_until=until)
    response = await post(client, f"/offers/{offer.id}/apply", {"contact_by": "email"})
    assert response.status_code == 403 and await Application.count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"status": OfferStatus.closed},
        {"closes_on": TODAY - timedelta(days=1)},
        {"type": "sport"},
        {"apply_method": "external", "apply_url": "https://example.org/apply"},
    ],
)
async def test_only_open_offers_that_take_applications_here_can_be_applied_for(new_client, fields) -> None:
    offer = await factories.offer(**fields)
    client = await _young(new_client)
    assert (await post(client, f"/offers/{offer.id}/apply", {"contact_by": "email"})).status_code == 404
    assert await Application.count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"contact_by": "phone", "phone": "call me"}, "phone"),
        ({"contact_by": "pigeon"}, "contact_by"),
        ({"contact_by": "email", "message": "x" * 2001}, "message"),
    ],
)
async def test_bad_answers_are_named_and_nothing_is_sent(new_client, data, field) -> None:
    offer = await factories.offer()
    client = await _young(new_client)
    response = await post(client, f"/offers/{offer.id}/apply", data)
    assert response.status_code == 422
    assert BeautifulSoup(response.text, "html.parser").select_one(f"#f-{field}-error") is not None
    assert await Application.count() == 0


_seq = itertools.count()


async def _applicants(org, offer, n: int) -> list[int]:
    ids = []
    for _ in range(n):
        i = next(_seq)
        _, young = await young_person(f"applicant{i}@example.org", f"Applicant {i}", verified_until=TODAY)
        rows = await Application.insert(Application(offer=offer.id, young_person=young)).returning(Application.id)
        ids.append(rows[0]["id"])
    return ids


async def test_a_provider_moves_an_applicant_on_and_the_young_person_hears(new_client) -> None:
    org = await factories.organisation()
    offer = await factories.offer(org, title="Apprentice baker", places=2)
    [application_id] = await _applicants(org, offer, 1)
    staff = new_client()
    await session_for(staff, await member(org, "staff@bakery.example", "staff"))
    listing = await staff.get(f"/organisations/{org.id}/offers/{offer.id}/applicants")
    person = await Application.select(
        Application.young_person._.user._.email.as_alias("email"),
        Application.young_person._.user._.display_name.as_alias("name"),
    ).first()
    assert person["name"] in listing.text
    url = f"/organisations/{org.id}/applications/{application_id}/stage"
    for stage in ("in_review", "offered", "started"):
        assert (await post(staff, url, {"stage": stage})).status_code == 303
    backwards = await post(staff, url, {"stage": "new"})
    assert backwards.status_code == 422 and "next stage" in backwards.text
    history = [row["stage"] for row in await StageChange.select(StageChange.stage).order_by(StageChange.id)]
    assert history == ["in_review", "offered", "started"]
    told = [
        row["subject"]
        for row in await MailMessage.select(MailMessage.subject).where(MailMessage.recipient == person["email"])
    ]
    assert len(told) == 3 and all("Apprentice baker" in subject for subject in told)


async def test_places_are_never_over_given_when_many_press_at_once(new_client) -> None:
    import asyncio

    org = await factories.organisation()
    offer = await factories.offer(org, places=3)
    ids = await _applicants(org, offer, 10)
    staff = new_client()
    await session_for(staff, await member(org, "staff@example.org", "staff"))
    await staff.get("/sign-in")  # the CSRF cookie first
    responses = await asyncio.gather(
        *(post(staff, f"/organisations/{org.id}/applications/{i}/stage", {"stage": "offered"}) for i in ids)
    )
    assert sorted(r.status_code for r in responses) == [303] * 3 + [409] * 7
    assert await Application.count().where(Application.stage == "offered") == 3


async def test_a_provider_sees_only_applicants_to_its_own_offers(new_client) -> None:
    from app.applications import provider
    from app.core.errors import NotFound

    mine, theirs = await factories.organisation(), await factories.organisation()
    offer = await factories.offer(theirs)
    [application_id] = await _applicants(theirs, offer, 1)
    staff = new_client()
    await session_for(staff, await member(mine, "staff@mine.example", "staff"))
    assert (await staff.get(f"/organisations/{mine.id}/applications/{application_id}")).status_code == 404
    assert (
        await post(staff, f"/organisations/{mine.id}/applications/{application_id}/stage", {"stage": "offered"})
    ).status_code == 404
    with pytest.raises(NotFound):
        await provider.one(mine.id, application_id)
    assert "Applicant" not in (await staff.get(f"/organisations/{mine.id}/offers/{offer.id}/applicants")).text


async def test_a_young_person_can_withdraw_until_it_is_finished(new_client) -> None:
    offer = await factories.offer()
    client = await _young(new_client)
    await post(client, f"/offers/{offer.id}/apply", {"contact_by": "email"})
    application_id = (await Application.select(Application.id).first())["id"]
    assert (await post(client, f"/me/applications/{application_id}/withdraw")).status_code == 303
    assert (await Application.select(Application.stage).first())["stage"] == "withdrawn"
    assert (await post(client, f"/me/applications/{application_id}/withdraw")).status_code == 409


async def test_every_step_is_counted_as_uptake_without_saying_who(new_client) -> None:
    from app.uptake.tables import OfferView, UptakeEvent

    org = await factories.organisation()
    offer = await factories.offer(org, principles=[5, 10])
    client = await _young(new_client)
    for _ in range(3):
        await client.get(f"/offers/{offer.id}")
    await new_client().get(f"/offers/{offer.id}")
    crawler = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    await new_client().get(f"/offers/{offer.id}", headers={"User-Agent": crawler})
    assert (await OfferView.select(OfferView.views).first())["views"] == 4, "people's visits; not a crawler's"
    await post(client, f"/offers/{offer.id}/apply", {"contact_by": "email"})
    application_id = (await Application.select(Application.id).first())["id"]
    staff = new_client()
    await session_for(staff, await member(org, "staff@example.org", "staff"))
    await post(staff, f"/organisations/{org.id}/applications/{application_id}/stage", {"stage": "offered"})
    await post(client, f"/me/applications/{application_id}/withdraw")
    events = await UptakeEvent.select().order_by(UptakeEvent.id)
    assert [event["kind"] for event in events] == ["applied", "offered", "withdrawn"]
    assert {event["organisation"] for event in events} == {org.id}
    assert all(event["principles"] == [5, 10] and event["council_area"] == "W06000015" for event in events)
    assert len({event["person_key"] for event in events}) == 1


async def test_going_to_apply_on_the_providers_site_is_counted_and_sends_them_on(new_client) -> None:
    from app.uptake.tables import UptakeEvent

    offer = await factories.offer(apply_method="external", apply_url="https://careers.example/apply/42")
    client = await _young(new_client)
    page = BeautifulSoup((await client.get(f"/offers/{offer.id}")).text, "html.parser")
    assert page.find("a", string=lambda s: s and "website" in s)["href"] == f"/offers/{offer.id}/go"
    response = await client.get(f"/offers/{offer.id}/go")
    assert response.status_code == 303 and response.headers["location"] == "https://careers.example/apply/42"
    anonymous = await new_client().get(f"/offers/{offer.id}/go")
    assert anonymous.headers["location"] == "https://careers.example/apply/42"
    assert [row["kind"] for row in await UptakeEvent.select(UptakeEvent.kind)] == ["went_to_apply"]
    in_app = await factories.offer()
    assert (await client.get(f"/offers/{in_app.id}/go")).status_code == 404


async def test_going_to_apply_counts_once_a_day_per_person_and_never_for_crawlers(new_client) -> None:
    import asyncio
    from datetime import UTC, datetime

    from app.uptake.tables import UptakeEvent

    offer = await factories.offer(apply_method="external", apply_url="https://careers.example/apply/7")
    go = f"/offers/{offer.id}/go"
    client = await _young(new_client)
    for _ in range(3):
        assert (await client.get(go)).headers["location"] == "https://careers.example/apply/7"
    answers = await asyncio.gather(*(client.get(go) for _ in range(10)))  # at once: still one
    assert {answer.status_code for answer in answers} == {303}
    went = UptakeEvent.count().where((UptakeEvent.kind == "went_to_apply") & (UptakeEvent.offer == offer.id))
    assert await went == 1
    # A crawler, or someone signed in who is not a young person (a provider checking the link), is sent on and
    # counts for nothing.
    staff = new_client()
    await session_for(staff, await member(offer.organisation, "checker@example.org", "staff"))
    # Nor does an account made up to pump the figures: a profile its council has not confirmed.
    puppet = new_client()
    await session_for(puppet, (await young_person("puppet@example.org", "P", None, home_council="W06000011"))[0])
    for visitor in (new_client(), staff, puppet):
        for _ in range(5):
            assert (await visitor.get(go)).headers["location"] == "https://careers.example/apply/7"
    assert await went == 1
    # Another day, or another young person, counts again.
    await UptakeEvent.update({UptakeEvent.at: datetime.now(UTC) - timedelta(days=1)}).where(
        UptakeEvent.offer == offer.id
    )
    await client.get(go)
    other = new_client()
    user_id, _ = await young_person("gwen@example.org", "Gwen", TODAY + timedelta(days=100), born=date(2006, 6, 1))
    await session_for(other, user_id)
    await other.get(go)
    await other.get(go)
    assert await went == 3


async def test_providers_hear_once_when_an_offer_closes_soon_with_unread_applications(settings) -> None:
    from app.applications.provider import closing_digest

    org = await factories.organisation()
    await member(org, "boss@example.org", "owner")
    soon = await factories.offer(org, title="Closing soon", closes_on=TODAY + timedelta(days=2))
    later = await factories.offer(org, title="Later", closes_on=TODAY + timedelta(days=20))
    await _applicants(org, soon, 2)
    await _applicants(org, later, 1)
    assert await closing_digest(settings, TODAY) == 1
    assert await closing_digest(settings, TODAY) == 0  # once
    [told] = await MailMessage.select().where(MailMessage.recipient == "boss@example.org")
    assert "Closing soon" in told["subject"] and "2 applications have not been looked at" in told["body"]
