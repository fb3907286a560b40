"""Demo data for `make dev`: a small, believable marketplace. Dates are relative to the day it loads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.core.charter import AMBITION, LIFELONG, THRIVE
from app.offers.tables import Offer, OfferStatus, OfferType, PayPer
from app.organisations.tables import Organisation, OrganisationKind
from search.sync import offer_changed

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "cardiff-bay-builders",
        "name": "Cardiff Bay Builders",
        "kind": OrganisationKind.employer,
        "council_area": "W06000015",
        "website": "https://example.org/cardiff-bay-builders",
    },
    {
        "slug": "valleys-leisure-trust",
        "name": "Valleys Leisure Trust",
        "kind": OrganisationKind.leisure,
        "council_area": "W06000016",
        "website": "https://example.org/valleys-leisure",
    },
    {
        "slug": "theatr-y-gogledd",
        "name": "Theatr y Gogledd",
        "kind": OrganisationKind.cultural,
        "council_area": "W06000002",
        "website": "https://example.org/theatr-y-gogledd",
    },
    {
        "slug": "next-chapter-mentors",
        "name": "Next Chapter Mentors",
        "kind": OrganisationKind.third_sector,
        "council_area": "W06000011",
        "charity_number": "1190001",
        "website": "https://example.org/next-chapter",
    },
    {
        "slug": "severn-water-services",
        "name": "Severn Water Services",
        "kind": OrganisationKind.employer,
        "council_area": "E10000013",
        "website": "https://example.org/severn-water",
    },
    {
        "slug": "manchester-film-house",
        "name": "Manchester Film House",
        "kind": OrganisationKind.cultural,
        "council_area": "E08000003",
        "website": "https://example.org/mcr-film-house",
    },
    {
        "slug": "bristol-digital-coop",
        "name": "Bristol Digital Co-op",
        "kind": OrganisationKind.employer,
        "council_area": "E06000023",
        "website": "https://example.org/bristol-digital",
    },
]

WORK = [AMBITION, THRIVE]
OFFERS: list[dict[str, Any]] = [
    {
        "org": "cardiff-bay-builders",
        "type": OfferType.apprenticeship,
        "title": "Carpentry apprentice",
        "summary": "Learn carpentry on real sites across Cardiff, with a college day every week and your tools provided.",
        "location_name": "Cardiff",
        "latitude": 51.4816,
        "longitude": -3.1791,
        "council_area": "W06000015",
        "pay_pence": 780,
        "pay_per": PayPer.hour,
        "equipment_provided": True,
        "travel_paid": True,
        "mentor": True,
        "places": 4,
        "closes_in": 3,
        "starts_in": 40,
    },
    {
        "org": "cardiff-bay-builders",
        "type": OfferType.work_experience,
        "title": "Two weeks on a building site",
        "summary": "See how a new school gets built: surveying, bricklaying and site safety, with lunch and travel paid.",
        "location_name": "Cardiff",
        "latitude": 51.4816,
        "longitude": -3.1791,
        "council_area": "W06000015",
        "travel_paid": True,
        "equipment_provided": True,
        "places": 6,
        "closes_in": 21,
        "starts_in": 35,
    },
    {
        "org": "valleys-leisure-trust",
        "type": OfferType.sport,
        "title": "Free swimming at any of our pools",
        "summary": "Swim for free, any time the pool is open to the public. Show your code at reception.",
        "location_name": "Pontypridd",
        "latitude": 51.6014,
        "longitude": -3.3420,
        "council_area": "W06000016",
        "free": True,
        "price_pence": 0,
        "usual_price_pence": 520,
        "accessible_venue": True,
        "closes_in": 120,
    },
    {
        "org": "valleys-leisure-trust",
        "type": OfferType.sport,
        "title": "Gym membership for £5 a month",
        "summary": "Full gym and classes for £5 a month, with a free induction session to get you started.",
        "location_name": "Rhondda",
        "latitude": 51.6590,
        "longitude": -3.4480,
        "council_area": "W06000016",
        "price_pence": 500,
        "usual_price_pence": 2900,
        "accessible_venue": True,
        "closes_in": 90,
    },
    {
        "org": "theatr-y-gogledd",
        "type": OfferType.culture,
        "title": "Theatre tickets for £3",
        "summary": "Any show this season for £3, and a friend can come at the same price.",
        "location_name": "Bangor",
        "latitude": 53.2274,
        "longitude": -4.1293,
        "council_area": "W06000002",
        "price_pence": 300,
        "usual_price_pence": 2200,
        "accessible_venue": True,
        "closes_in": 6,
    },
    {
        "org": "theatr-y-gogledd",
        "type": OfferType.work_shadowing,
        "title": "Backstage for a week",
        "summary": "Work alongside our lighting, sound and stage crew while a show is put together.",
        "location_name": "Bangor",
        "latitude": 53.2274,
        "longitude": -4.1293,
        "council_area": "W06000002",
        "travel_paid": True,
        "flexible_hours": True,
        "places": 2,
        "closes_in": 28,
        "starts_in": 45,
    },
    {
        "org": "next-chapter-mentors",
        "type": OfferType.mentoring,
        "title": "A mentor for your first job",
        "summary": "Meet a volunteer mentor once a fortnight for six months: CVs, interviews, money and first payslips.",
        "remote": True,
        "location_name": "",
        "council_area": "W06000011",
        "flexible_hours": True,
        "free": True,
        "closes_in": 60,
    },
    {
        "org": "severn-water-services",
        "type": OfferType.apprenticeship,
        "title": "Water network apprentice",
        "summary": "Keep clean water flowing: a paid two-year apprenticeship with a Level 3 qualification at the end.",
        "location_name": "Gloucester",
        "latitude": 51.8642,
        "longitude": -2.2382,
        "council_area": "E10000013",
        "pay_pence": 820,
        "pay_per": PayPer.hour,
        "travel_paid": True,
        "equipment_provided": True,
        "mentor": True,
        "places": 8,
        "closes_in": 14,
        "starts_in": 60,
    },
    {
        "org": "severn-water-services",
        "type": OfferType.internship,
        "title": "Summer internship in engineering",
        "summary": "Eight paid weeks with our engineers, planning repairs and testing water quality.",
        "location_name": "Gloucester",
        "latitude": 51.8642,
        "longitude": -2.2382,
        "council_area": "E10000013",
        "pay_pence": 42000,
        "pay_per": PayPer.week,
        "mentor": True,
        "places": 3,
        "closes_in": 45,
        "starts_in": 150,
    },
    {
        "org": "manchester-film-house",
        "type": OfferType.culture,
        "title": "Cinema tickets for £1",
        "summary": "Any film, any day, for £1. Popcorn is on us the first time.",
        "location_name": "Manchester",
        "latitude": 53.4808,
        "longitude": -2.2426,
        "council_area": "E08000003",
        "price_pence": 100,
        "usual_price_pence": 1150,
        "accessible_venue": True,
        "closes_in": 2,
    },
    {
        "org": "manchester-film-house",
        "type": OfferType.traineeship,
        "title": "Film projection and events trainee",
        "summary": "Six months learning to run screenings, festivals and events, with a customer service qualification.",
        "location_name": "Manchester",
        "latitude": 53.4808,
        "longitude": -2.2426,
        "council_area": "E08000003",
        "pay_pence": 1221,
        "pay_per": PayPer.hour,
        "flexible_hours": True,
        "places": 2,
        "closes_in": 30,
        "starts_in": 50,
    },
    {
        "org": "bristol-digital-coop",
        "type": OfferType.apprenticeship,
        "title": "Junior web developer apprentice",
        "summary": "Build websites for local charities while you study for a software development qualification.",
        "location_name": "Bristol",
        "latitude": 51.4545,
        "longitude": -2.5879,
        "council_area": "E06000023",
        "pay_pence": 1000,
        "pay_per": PayPer.hour,
        "equipment_provided": True,
        "flexible_hours": True,
        "mentor": True,
        "places": 2,
        "closes_in": 18,
        "starts_in": 55,
    },
    {
        "org": "bristol-digital-coop",
        "type": OfferType.work_experience,
        "title": "A week in a digital studio",
        "summary": "Try design, coding and video in a friendly studio. Laptop provided; no experience needed.",
        "remote": True,
        "location_name": "",
        "council_area": "E06000023",
        "equipment_provided": True,
        "places": 5,
        "closes_in": 10,
        "starts_in": 24,
    },
]


def _principles(offer_type: OfferType) -> list[int]:
    if offer_type is OfferType.mentoring:
        return [THRIVE, LIFELONG]
    if offer_type in (OfferType.sport, OfferType.leisure, OfferType.culture):
        return [AMBITION]
    return WORK


async def load_demo(today: date) -> bool:
    """Load the demo marketplace into an empty database; returns False (and changes nothing) otherwise."""
    if await Organisation.exists().where(Organisation.slug == ORGANISATIONS[0]["slug"]):
        return False
    now = datetime.now(UTC)
    async with Organisation._meta.db.transaction():
        ids: dict[str, int] = {}
        for org in ORGANISATIONS:
            row = Organisation(**org, pledged_principles=[AMBITION, THRIVE], pledged_at=now, approved_at=now)
            await row.save()
            ids[org["slug"]] = row.id
        for index, spec in enumerate(OFFERS):
            fields = dict(spec)
            closes_in, starts_in = fields.pop("closes_in"), fields.pop("starts_in", None)
            offer = Offer(
                **{key: value for key, value in fields.items() if key != "org"},
                organisation=ids[spec["org"]],
                principles=_principles(spec["type"]),
                description=spec["summary"],
                closes_on=today + timedelta(days=closes_in),
                starts_on=today + timedelta(days=starts_in) if starts_in else None,
                status=OfferStatus.published,
                published_at=now - timedelta(hours=index),
            )
            await offer.save()
            await offer_changed(offer.id)
    return True
