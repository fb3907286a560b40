"""An offer's JobPosting (app/offers/structured_data.py), checked against Google's and schema.org's lists."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, cast

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment

from app.offers.rows import OfferPage
from app.offers.structured_data import JOB_TYPES, job_posting, valid_through
from tests.jobposting import RECOMMENDED, REQUIRED, problems

LIVE_SINCE = datetime(2026, 11, 2, 9, 30, 12, 345678, tzinfo=UTC)


def page(**fields: Any) -> OfferPage:
    """An open apprenticeship's page in Cardiff, paid by the hour, applied for here."""
    values: dict[str, Any] = {
        "id": 42,
        "organisation": 3,
        "organisation_name": "Cardiff Bay Builders",
        "type": "apprenticeship",
        "title": "Carpentry apprentice",
        "summary": "Learn carpentry on real sites.",
        "description": "You will **build** things.\n\n- Tools provided\n- A mentor",
        "language": "en",
        "lang": "en",
        "languages": ["en"],
        "location_name": "Cardiff",
        "council_area": "W06000015",
        "remote": False,
        "pay_pence": 780,
        "pay_per": "hour",
        "closes_on": date(2026, 12, 1),
        "status": "published",
        "published_at": datetime(2026, 10, 1, tzinfo=UTC),
        "live_since": LIVE_SINCE,
        "apply_method": "in_app",
        "apply_url": "",
        "is_open": True,
    }
    return cast(OfferPage, values | fields)


def test_a_paid_apprenticeship_in_a_place_has_every_required_and_recommended_property() -> None:
    posting = job_posting(page(), "en")
    assert posting is not None
    assert problems(posting) == []
    assert set(REQUIRED) <= set(posting)
    # Recommended ones that apply to a job done in a place (the other two are for jobs done from home).
    assert set(RECOMMENDED) - {"jobLocationType", "applicantLocationRequirements"} <= set(posting)
    assert posting["title"] == "Carpentry apprentice"
    assert posting["datePosted"] == "2026-11-02T09:30:12+00:00"  # when it last became findable
    assert posting["validThrough"] == "2026-12-01T23:59:59+00:00"  # the end of the closing day in the UK
    assert posting["hiringOrganization"] == {"@type": "Organization", "name": "Cardiff Bay Builders"}
    assert posting["jobLocation"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Cardiff",
            "addressRegion": "Cardiff",
            "addressCountry": "GB",
        },
    }
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {"@type": "QuantitativeValue", "value": 7.8, "unitText": "HOUR"},
    }
    assert posting["employmentType"] == ["FULL_TIME"]
    assert posting["identifier"] == {"@type": "PropertyValue", "name": "Cardiff Bay Builders", "value": "42"}
    assert posting["directApply"] is True


def test_the_description_is_the_pages_words_as_safe_html() -> None:
    posting = job_posting(page(), "en")
    assert posting is not None
    assert posting["description"] == (
        "<p>Learn carpentry on real sites.</p>"
        "<p>You will <strong>build</strong> things.</p>\n<ul>\n<li>Tools provided</li>\n<li>A mentor</li>\n</ul>\n"
    )
    hostile = job_posting(
        page(summary="<b>x</b>", description="<script>alert(1)</script> [a](javascript:alert(1))"), "en"
    )
    assert hostile is not None
    html = BeautifulSoup(hostile["description"], "html.parser")
    assert [tag.name for tag in html.find_all(True)] == ["p", "p"]  # written as text, never as elements or links
    assert html.get_text() == "<b>x</b><script>alert(1)</script> [a](javascript:alert(1))\n"


def test_the_json_in_the_page_cannot_end_its_script_element() -> None:
    posting = job_posting(page(title="</script><script>alert(1)</script>"), "en")
    written = str(Environment(autoescape=True).from_string("{{ posting|tojson }}").render(posting=posting))
    assert "</script" not in written and "<" not in written
    assert json.loads(written)["title"] == "</script><script>alert(1)</script>"


def test_work_done_from_home_says_telecommute_and_where_applicants_must_be() -> None:
    posting = job_posting(page(remote=True, location_name="", council_area=""), "en")
    assert posting is not None
    assert problems(posting) == []
    assert "jobLocation" not in posting
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["applicantLocationRequirements"] == {"@type": "Country", "name": "United Kingdom"}


@pytest.mark.parametrize(
    ("pay_pence", "pay_per"), [(None, None), (0, "hour"), (15000, "once")], ids=["unpaid", "nothing", "one-off"]
)
def test_no_salary_unless_pay_is_given_for_a_period(pay_pence: int | None, pay_per: str | None) -> None:
    posting = job_posting(page(type="work_experience", pay_pence=pay_pence, pay_per=pay_per), "en")
    assert posting is not None
    assert problems(posting) == []
    assert "baseSalary" not in posting
    assert posting["employmentType"] == ["INTERN"]


@pytest.mark.parametrize(("per", "unit"), [("week", "WEEK"), ("month", "MONTH"), ("year", "YEAR")])
def test_pay_per_week_month_or_year(per: str, unit: str) -> None:
    posting = job_posting(page(type="internship", pay_pence=1_850_000, pay_per=per), "en")
    assert posting is not None
    assert posting["baseSalary"]["value"] == {"@type": "QuantitativeValue", "value": 18500.0, "unitText": unit}


def test_applying_on_the_providers_site_is_not_direct() -> None:
    posting = job_posting(page(apply_method="external", apply_url="https://jobs.example/1"), "en")
    assert posting is not None
    assert posting["directApply"] is False


def test_no_closing_date_means_no_valid_through_and_it_falls_back_to_when_it_was_first_published() -> None:
    posting = job_posting(page(closes_on=None, live_since=None), "en")
    assert posting is not None
    assert "validThrough" not in posting
    assert posting["datePosted"] == "2026-10-01T00:00:00+00:00"


def test_the_closing_day_ends_at_midnight_in_the_uk_in_summer_too() -> None:
    assert valid_through(date(2027, 7, 1)) == "2027-07-01T23:59:59+01:00"


@pytest.mark.parametrize("kind", ["work_shadowing", "mentoring", "sport", "leisure", "culture"])
def test_only_jobs_are_job_postings(kind: str) -> None:
    assert job_posting(page(type=kind), "en") is None
    assert kind not in JOB_TYPES


def test_a_closed_offer_is_no_longer_a_job_posting() -> None:
    assert job_posting(page(is_open=False), "en") is None


def test_nothing_to_describe_it_with_means_no_posting() -> None:
    assert job_posting(page(summary="", description=""), "en") is None


def test_a_welsh_reader_gets_the_area_in_welsh() -> None:
    posting = job_posting(page(lang="cy", title="Prentis saer"), "cy")
    assert posting is not None
    assert posting["title"] == "Prentis saer"
    assert posting["jobLocation"]["address"]["addressRegion"] == "Caerdydd"
