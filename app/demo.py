"""Demo data for `make dev`: a lively marketplace across Wales and England. Deterministic (a fixed seed), with
dates relative to the day it loads so there is always something closing this week."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.accounts.tables import User
from app.advisers.tables import AdviserLink, Suggestion
from app.applications.tables import Application, StageChange
from app.core.charter import AMBITION, BY_SLUG, THRIVE
from app.demo_data import ORGANISATIONS, offers_of
from app.demo_uptake import load_objectives, load_reports, load_uptake
from app.offers.indexing import offer_changed
from app.offers.service import default_principles
from app.offers.tables import CONCESSIONS, Offer, OfferStatus
from app.organisations.tables import Membership, Organisation, OrganisationKind
from app.verification.tables import Verification
from app.young_people.service import last_day_of_eligibility
from app.young_people.tables import YoungPerson
from search.places import by_code

SEED = 2026
EXTRA_PRINCIPLE = {
    "sport": "good-health",
    "leisure": "good-health",
    "traineeship": "good-education",
    "internship": "good-education",
    "mentoring": "support",
}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def demo_offers(today: date) -> list[dict[str, Any]]:
    """Every demo offer as the fields of an Offer row (with `org` naming its organisation)."""
    rng = random.Random(SEED)
    offers: list[dict[str, Any]] = []
    for name, kind, area, sector in ORGANISATIONS:
        place = by_code(area)
        assert place is not None, f"{area} is not in the gazetteer"
        for n, (offer_type, fields) in enumerate(offers_of(name, kind, area, sector, len(offers))):
            remote = (offer_type == "mentoring" and rng.random() < 0.5) or (offer_type == "work_experience" and n == 5)
            closes_in = rng.randint(1, 6) if len(offers) % 8 == 0 else rng.randint(7, 150)
            principles = default_principles(offer_type)
            if offer_type in EXTRA_PRINCIPLE and rng.random() < 0.5:
                principles = [*principles, BY_SLUG[EXTRA_PRINCIPLE[offer_type]].id]
            offers.append(
                fields
                | {
                    "org": name,
                    "type": offer_type,
                    "principles": principles,
                    "council_area": area,
                    "remote": remote,
                    "location_name": "" if remote else place.name,
                    "latitude": None if remote else round(place.lat + rng.uniform(-0.03, 0.03), 5),
                    "longitude": None if remote else round(place.lng + rng.uniform(-0.03, 0.03), 5),
                    "accessible_venue": fields.get("accessible_venue", rng.random() < 0.6),
                    "flexible_hours": fields.get("flexible_hours", rng.random() < 0.3),
                    "places": rng.choice([None, 1, 2, 4, 6, 10]) if offer_type not in ("sport", "culture") else None,
                    "closes_on": today + timedelta(days=closes_in),
                    "starts_on": today + timedelta(days=closes_in + rng.randint(7, 60)),
                }
            )
    return offers


# One account for every role, so anyone can try every journey: sign in as any of these at /sign-in and open the
# link from /dev/mail (the README lists them).
DEMO_PEOPLE = (
    ("team@demo.cyfle.test", "Cyfle team", "owner"),
    ("owner@demo.cyfle.test", "Drws Agored Youth Trust", "owner"),
    ("staff@demo.cyfle.test", "Drws Agored Youth Trust", "staff"),
    ("redeemer@demo.cyfle.test", "Valleys Leisure Trust", "redeemer"),
    ("verifier@demo.cyfle.test", "Rhondda Cynon Taf Council", "verifier"),
    ("adviser@demo.cyfle.test", "Rhondda Cynon Taf Council", "adviser"),
    ("sponsor@demo.cyfle.test", "Principality Giving Fund", "owner"),
    ("newcharity@demo.cyfle.test", "Tŷ Newydd Youth Arts", "owner"),
    ("oversight@demo.cyfle.test", "Welsh Government", "staff"),
)
ADVISER = "adviser@demo.cyfle.test"  # Ffion's personal adviser at Rhondda Cynon Taf Council
YOUNG_PERSON = "young@demo.cyfle.test"  # confirmed by Rhondda Cynon Taf Council: can apply
WAITING_YOUNG_PERSON = "waiting@demo.cyfle.test"  # has asked the council, which has not decided yet
NEW_YOUNG_PERSON = "new@demo.cyfle.test"  # has not told us anything yet
DEMO_COUNCIL = "Rhondda Cynon Taf Council"
DEMO_OBJECTIVES_FOR = "Drws Agored Youth Trust"  # where owner@ and staff@ work


async def _people(ids: dict[str, int], now: datetime) -> None:
    """The demo accounts, the Cyfle team, and one charity waiting for approval."""
    team = Organisation(name="Cyfle team", slug="cyfle-team", kind=OrganisationKind.platform, council_area="",
                        pledged_principles=[], approved_at=now)  # fmt: skip
    waiting = Organisation(name="Tŷ Newydd Youth Arts", slug="ty-newydd-youth-arts", kind=OrganisationKind.third_sector,
                           council_area="W06000015", website="https://example.org/ty-newydd",
                           pledged_principles=[AMBITION, THRIVE, 3], pledged_at=now)  # fmt: skip
    for org in (team, waiting):
        await org.save()
        ids[org.name] = org.id
    for email, org_name, role in DEMO_PEOPLE:
        user = await _user(email)
        await Membership.insert(Membership(user=user, organisation=ids[org_name], role=role))
    council = ids[DEMO_COUNCIL]
    today = now.date()
    for email, name, status in ((YOUNG_PERSON, "Ffion", "verified"), (WAITING_YOUNG_PERSON, "Dylan", "requested")):
        user = await _user(email, name)
        born = date(today.year - 19, 4, 12)
        young = await YoungPerson.insert(
            YoungPerson(user=user, date_of_birth=born, home_council="W06000016")
        ).returning(YoungPerson.id)
        expires_on = last_day_of_eligibility(born) if status == "verified" else None
        await Verification.insert(
            Verification(young_person=young[0]["id"], council=council, status=status, expires_on=expires_on,
                         decided_at=now if expires_on else None)
        )  # fmt: skip
    await _user(NEW_YOUNG_PERSON)


async def _user(email: str, name: str = "") -> int:
    rows = await User.insert(User(email=email, display_name=name, known_devices=[])).returning(User.id)
    return int(rows[0]["id"])


async def load_demo(today: date) -> bool:
    """Load the demo marketplace into an empty database; returns False (and changes nothing) otherwise."""
    if await Organisation.exists().where(Organisation.slug == _slug(ORGANISATIONS[0][0])):
        if not await Organisation.exists().where(Organisation.slug == "cyfle-team"):
            async with Organisation._meta.db.transaction():  # a marketplace loaded before there were accounts
                rows = await Organisation.select(Organisation.id, Organisation.name)
                await _people({row["name"]: row["id"] for row in rows}, datetime.now(UTC))
                await _advised(today)
        return False
    now = datetime.now(UTC)
    async with Organisation._meta.db.transaction():
        ids: dict[str, int] = {}
        for name, kind, area, _sector in ORGANISATIONS:
            pledged = [AMBITION, THRIVE] if kind is not OrganisationKind.sponsor else [AMBITION]
            org = Organisation(
                name=name, slug=_slug(name), kind=kind, council_area=area,
                website=f"https://example.org/{_slug(name)}", pledged_principles=pledged, pledged_at=now,
                approved_at=now,
            )  # fmt: skip
            await org.save()
            ids[name] = org.id
        await _people(ids, now)
        for index, fields in enumerate(demo_offers(today)):
            offer = Offer(
                **{key: value for key, value in fields.items() if key != "org"},
                organisation=ids[fields["org"]],
                status=OfferStatus.published,
                published_at=now - timedelta(hours=18 * index),  # over the last seven months
            )
            await offer.save()
            await offer_changed(offer.id)
        # One concession open to sponsors, so the sponsor's pages have something to fund: £4 a swim, up to 200.
        swim = await Offer.select(Offer.id).where(
            (Offer.organisation == ids["Valleys Leisure Trust"]) & Offer.type.is_in(sorted(CONCESSIONS))
        ).order_by(Offer.id).first()  # fmt: skip
        if swim is not None:
            await Offer.update({Offer.sponsor_unit_pence: 400, Offer.sponsor_cap: 200}).where(Offer.id == swim["id"])
        live = Offer.select(Offer.id, Offer.organisation, Offer.type, Offer.principles, Offer.council_area,
                            Offer.published_at)  # fmt: skip
        await load_uptake(await live, now)
        await load_objectives(ids[DEMO_OBJECTIVES_FOR], today)
        await _advised(today)
        await load_reports(today)
    return True


async def _advised(today: date) -> None:
    """Ffion has linked her adviser at the council: she shares her applications (one, being looked at) and has
    a suggestion from them she has not opened yet."""
    adviser = (
        await Membership.select(Membership.id)
        .where((Membership.user.email == ADVISER) & (Membership.role == "adviser"))
        .first()
    )
    young = await YoungPerson.select(YoungPerson.id).where(YoungPerson.user.email == YOUNG_PERSON).first()
    open_work = await Offer.select(Offer.id).where(
        Offer.type.is_in(["apprenticeship", "traineeship"]) & (Offer.status == OfferStatus.published)
        & (Offer.closes_on > today + timedelta(days=14))
    ).order_by(Offer.id).limit(2)  # fmt: skip
    if adviser is None or young is None or len(open_work) < 2:
        return
    applied, suggested = (row["id"] for row in open_work)
    link = await AdviserLink.insert(
        AdviserLink(young_person=young["id"], membership=adviser["id"], status="linked", share_applications=True,
                    email_suggestions=True, linked_at=datetime.now(UTC))
    ).returning(AdviserLink.id)  # fmt: skip
    application = await Application.insert(
        Application(offer=applied, young_person=young["id"], message="I would love to try this.", stage="in_review")
    ).returning(Application.id)
    await StageChange.insert(
        StageChange(application=application[0]["id"], stage="new"),
        StageChange(application=application[0]["id"], stage="in_review"),
    )
    note = "You said you wanted to work outdoors: this one pays travel too. Shall we talk it through on Thursday?"
    await Suggestion.insert(Suggestion(link=link[0]["id"], offer=suggested, note=note))
