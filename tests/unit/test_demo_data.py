"""The demo data on its own (loading it and the home page: tests/test_home.py)."""

from datetime import date, timedelta

from app.demo import demo_offers
from app.demo_data import ORGANISATIONS
from app.offers.service import COMMITTING
from app.offers.tables import OfferType
from app.organisations.tables import OrganisationKind


def test_demo_data_is_a_lively_marketplace() -> None:
    today = date.today()
    offers = demo_offers(today)
    assert len(offers) >= 250 and offers == demo_offers(today), "at least 250 offers, the same every time"
    assert len(ORGANISATIONS) >= 40
    assert {kind for _name, kind, _area, _sector in ORGANISATIONS} == set(OrganisationKind) - {
        OrganisationKind.platform
    }
    assert {offer["type"] for offer in offers} == set(OfferType)
    assert {offer["council_area"][0] for offer in offers} == {"W", "E"}, "Wales and England"
    assert any(offer["closes_on"] <= today + timedelta(days=6) for offer in offers), "some close this week"
    assert any(offer["remote"] for offer in offers)
    assert not any("lorem" in (offer["summary"] + offer["description"]).lower() for offer in offers)


def test_demo_offers_are_written_in_welsh_english_or_both() -> None:
    offers = demo_offers(date.today())
    welsh_only = [offer for offer in offers if offer["language"] == "cy" and not offer["title_alt"]]
    welsh_first = [offer for offer in offers if offer["language"] == "cy" and offer["title_alt"]]
    bilingual = [offer for offer in offers if offer["language"] == "en" and offer["title_alt"]]
    assert len(welsh_only) >= 15 and len(welsh_first) >= 20 and len(bilingual) >= 100
    for offer in offers:
        assert offer["language"] in ("en", "cy")
        assert offer["title"] and offer["summary"] and offer["description"]
        alts = (offer["title_alt"], offer["summary_alt"], offer["description_alt"])
        assert all(alts) or not any(alts), offer["title"]
        assert len(offer["title"]) <= 120 and len(offer["title_alt"]) <= 120, "the title columns' length"
        assert len(offer["summary"]) <= 280 and len(offer["summary_alt"]) <= 280, "the summary columns' length"
    assert not any(offer["title_alt"] for offer in offers if offer["council_area"].startswith("E")), "England: English"


def test_some_demo_work_offers_keep_places_or_an_interview_for_care_experienced_young_people() -> None:
    offers = demo_offers(date.today())
    ring_fenced = [offer for offer in offers if offer.get("ring_fenced")]
    interview = [offer for offer in offers if offer.get("guaranteed_interview")]
    assert len(ring_fenced) >= 5 and len(interview) >= 5
    assert {offer["type"] for offer in ring_fenced + interview} <= set(COMMITTING), "work offers only"
    assert any(offer.get("ring_fenced") and offer.get("guaranteed_interview") for offer in offers)
    assert len(ring_fenced) < len(offers) / 4, "a promise some make, not every offer"
