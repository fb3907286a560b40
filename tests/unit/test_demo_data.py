"""The demo data on its own (loading it and the home page: tests/test_home.py)."""

from datetime import date, timedelta

from app.demo import demo_offers
from app.demo_data import ORGANISATIONS
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
