"""The chosen filters as chips: each takes one filter away and keeps the rest."""

from app.offers.chips import chips, cleared
from app.offers.query import page_query, parse


def q(**values: str | list[str]) -> dict[str, list[str]]:
    return {key: value if isinstance(value, list) else [value] for key, value in values.items()}


def test_each_chip_is_the_search_without_it() -> None:
    params = parse(q(q="art", type=["culture", "leisure"], support="free", principle="equality", near="Cardiff"))
    found = chips(params)
    assert [chip.label for chip in found] == ["Culture", "Leisure", "Free", "Equality", "Within 25 km of Cardiff"]
    assert [page_query(chip.without, 1) for chip in found] == [
        "?q=art&type=leisure&principle=equality&support=free&near=Cardiff&radius_km=25",
        "?q=art&type=culture&principle=equality&support=free&near=Cardiff&radius_km=25",
        "?q=art&type=culture&type=leisure&principle=equality&near=Cardiff&radius_km=25",
        "?q=art&type=culture&type=leisure&support=free&near=Cardiff&radius_km=25",
        "?q=art&type=culture&type=leisure&principle=equality&support=free",
    ]


def test_where_you_are_and_a_place_not_found_are_chips_too() -> None:
    here = chips(parse(q(lat="51.48", lng="-3.18", radius_km="10", sort="nearest")))
    assert [chip.label for chip in here] == ["Within 10 km of where you are"]
    assert page_query(here[0].without, 1) == "", "nearest needs a place: the sort goes with it"
    assert [chip.label for chip in chips(parse(q(near="Atlantis")))] == ["Within 25 km of Atlantis"]
    assert chips(parse(q(q="art", sort="newest"))) == []


def test_clearing_keeps_the_words_and_the_sort() -> None:
    params = parse(q(q="art", type="culture", near="Cardiff", sort="closing", page="3"))
    assert page_query(cleared(params), 1) == "?q=art&sort=closing"
    assert page_query(cleared(parse(q(near="Cardiff", sort="nearest"))), 1) == ""


def test_places_kept_and_a_guaranteed_interview_are_chips() -> None:
    params = parse(q(type="apprenticeship", commitment=["ring_fenced", "guaranteed_interview"]))
    found = chips(params)
    assert [chip.label for chip in found] == ["Apprenticeship", "Places kept for you", "A guaranteed interview"]
    assert [page_query(chip.without, 1) for chip in found] == [
        "?commitment=ring_fenced&commitment=guaranteed_interview",
        "?type=apprenticeship&commitment=guaranteed_interview",
        "?type=apprenticeship&commitment=ring_fenced",
    ]
    assert page_query(cleared(params), 1) == ""
