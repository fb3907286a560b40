"""Parsing the search page's parameters and building Meilisearch filters: pure functions."""

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

from app.offers.documents import day_ts
from app.offers.query import (
    CARD_FIELDS,
    DEFAULT_RADIUS_KM,
    MAX_PAGE,
    SearchParams,
    build_filter,
    build_sort,
    page_query,
    parse,
)

TODAY = date(2026, 11, 23)


def q(**values: str | list[str]) -> dict[str, list[str]]:
    return {key: value if isinstance(value, list) else [value] for key, value in values.items()}


def test_bad_values_are_normalised_not_refused() -> None:
    params = parse(q(radius_km="abc", page="-1", type=["zzz", "apprenticeship", "apprenticeship"], sort="loudest"))
    assert params.radius_km == DEFAULT_RADIUS_KM and params.page == 1
    assert params.types == ("apprenticeship",) and params.sort == "relevance"
    assert parse(q(page="99999", radius_km="100000")).page == MAX_PAGE
    assert parse(q(radius_km="0")).radius_km == 1
    assert parse(q(page="2.5")).page == 1


def test_query_text_is_tidied_and_bounded() -> None:
    assert parse(q(q="  free   swimming \n")).q == "free swimming"
    assert len(parse(q(q="x" * 5000)).q) == 200


def test_nearest_needs_a_place() -> None:
    assert parse(q(sort="nearest")).sort == "relevance"


def test_injection_attempts_never_reach_a_filter() -> None:
    attempts = q(
        type=['apprenticeship" OR type != "x', "culture) OR (remote = true"],
        principle='ambition" OR principles EXISTS OR "',
        support=["mentor OR 1=1"],
        commitment=['ring_fenced" OR commitment EXISTS OR "', "ring_fenced OR 1=1"],
    )
    params = parse(attempts)
    assert params.types == () and params.principle == "" and params.support == () and params.commitments == ()
    assert build_filter(params, TODAY) == [f"closes_ts >= {day_ts(TODAY)} OR closes_ts IS NULL"]


def test_filters_and_sorts() -> None:
    params = parse(q(type=["sport", "culture"], principle="thrive", support=["mentor", "free"], sort="closing"))
    filters = build_filter(params, TODAY)
    assert filters[1] == ['facets = "type:sport"', 'facets = "type:culture"']
    assert 'facets = "principles:thrive"' in filters
    assert 'facets = "support:mentor"' in filters and 'facets = "support:free"' in filters
    assert build_sort(params) == ["closes_ts:asc"]
    assert build_sort(parse(q(sort="newest"))) == ["published_ts:desc"]
    assert build_sort(parse(q())) is None


def test_page_query_round_trips() -> None:
    params = SearchParams(q="free gym", types=("sport",), support=("mentor",), sort="newest", page=3)
    url = "/offers" + page_query(params, 3)
    assert parse(parse_qs(urlsplit(url).query)) == params
    kept = SearchParams(types=("apprenticeship",), commitments=("guaranteed_interview", "ring_fenced"))
    assert page_query(kept, 1) == "?type=apprenticeship&commitment=guaranteed_interview&commitment=ring_fenced"
    assert parse(parse_qs(page_query(kept, 1)[1:])) == kept
    assert page_query(SearchParams(), 1) == ""


def test_places_kept_and_a_guaranteed_interview_are_each_a_filter() -> None:
    """Both ticked: offers with both (as support flags, each ticked is one more thing asked for)."""
    params = parse(q(commitment=["ring_fenced", "guaranteed_interview", "ring_fenced", "tea"]))
    assert params.commitments == ("ring_fenced", "guaranteed_interview") and params.filtered
    filters = build_filter(params, TODAY)
    assert filters[1:] == ['facets = "commitment:ring_fenced"', 'facets = "commitment:guaranteed_interview"']


def test_meilisearch_displays_what_searches_read_from_a_hit_and_no_more() -> None:
    from app.saved.alerts import _asked
    from search.settings import SETTINGS

    read = {
        *CARD_FIELDS,
        *_asked("q=swim", datetime(2026, 11, 1, tzinfo=UTC), date(2026, 11, 2))["attributesToRetrieve"],
    }
    assert set(SETTINGS.displayed_attributes or []) == read
