from datetime import UTC, date, datetime

import pytest

from app.core.charter import BY_ID
from app.offers.documents import day_ts, is_searchable, offer_document
from app.offers.near import cells
from app.offers.service import default_principles
from search.settings import SETTINGS

TODAY = date(2026, 11, 23)
ROW = {
    "id": 7,
    "title": "Carpentry apprentice",
    "summary": "Learn carpentry",
    "description": "On real sites",
    "organisation_name": "Cardiff Bay Builders",
    "type": "apprenticeship",
    "principles": [5, 10, 99],
    "travel_paid": True,
    "equipment_provided": False,
    "mentor": True,
    "flexible_hours": False,
    "accessible_venue": False,
    "free": False,
    "ring_fenced": True,
    "guaranteed_interview": False,
    "location_name": "Cardiff",
    "council_area": "W06000015",
    "remote": False,
    "latitude": 51.48,
    "longitude": -3.18,
    "closes_on": date(2026, 11, 26),
    "starts_on": None,
    "published_at": datetime(2026, 11, 1, tzinfo=UTC),
    "pay_pence": 780,
    "pay_per": "hour",
    "price_pence": None,
    "status": "published",
}


def test_document_carries_what_search_filters_and_shows() -> None:
    document = offer_document(ROW)
    assert document["id"] == 7 and document["organisation"] == "Cardiff Bay Builders"
    assert document["facets"] == [
        "type:apprenticeship",
        "principles:ambition",
        "principles:thrive",  # unknown principle ids are dropped
        "support:travel_paid",
        "support:mentor",
        "commitment:ring_fenced",
    ]
    assert document["_geo"] == {"lat": 51.48, "lng": -3.18}
    assert document["near"] == cells(51.48, -3.18)  # what a search within a radius looks for (app/offers/near.py)
    assert document["closes_on"] == "2026-11-26" and document["closes_ts"] == day_ts(date(2026, 11, 26))
    assert document["published_ts"] == int(ROW["published_at"].timestamp())  # type: ignore[attr-defined]


def test_remote_offer_without_coordinates_has_no_geo() -> None:
    document = offer_document(ROW | {"remote": True, "latitude": None, "longitude": None, "closes_on": None})
    assert "_geo" not in document and "near" not in document and document["remote"] is True
    assert document["closes_ts"] is None


@pytest.mark.parametrize(
    ("changes", "searchable"),
    [
        ({}, True),
        ({"closes_on": TODAY}, True),
        ({"closes_on": None}, True),
        ({"closes_on": date(2026, 11, 22)}, False),
        ({"status": "draft"}, False),
        ({"status": "in_review"}, False),
        ({"status": "closed"}, False),
        ({"status": "archived"}, False),
    ],
)
def test_only_published_offers_not_yet_closed_are_searchable(changes: dict[str, object], searchable: bool) -> None:
    assert is_searchable(ROW | changes, TODAY) is searchable


@pytest.mark.parametrize(
    ("offer_type", "principles"),
    [
        ("apprenticeship", ["ambition", "thrive"]),
        ("work_shadowing", ["ambition", "thrive"]),
        ("mentoring", ["thrive", "lifelong"]),
        ("sport", ["ambition"]),
        ("culture", ["ambition"]),
    ],
)
def test_offer_types_default_to_their_charter_principles(offer_type: str, principles: list[str]) -> None:
    assert [BY_ID[pid].slug for pid in default_principles(offer_type)] == principles


@pytest.mark.parametrize(("lat", "lng"), [(95.0, 0.0), (float("nan"), 1.0), (51.0, 200.0)])
def test_impossible_coordinates_are_left_out(lat: float, lng: float) -> None:
    assert "_geo" not in offer_document(ROW | {"latitude": lat, "longitude": lng})


def test_what_an_offer_keeps_for_care_experienced_young_people_is_filterable() -> None:
    def commitments(row: dict[str, object]) -> list[str]:
        return [tag for tag in offer_document(row)["facets"] if tag.startswith("commitment:")]

    both = ["commitment:ring_fenced", "commitment:guaranteed_interview"]
    assert commitments(ROW | {"guaranteed_interview": True}) == both
    assert commitments(ROW | {"ring_fenced": False}) == []
    assert commitments({k: v for k, v in ROW.items() if k != "ring_fenced"}) == [], "a row before them"
    assert "facets" in SETTINGS.filterable_attributes
