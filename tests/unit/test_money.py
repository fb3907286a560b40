"""Money as people type it and as each place shows it: one reader, three ways of showing (app/core/money.py)."""

from decimal import Decimal

import pytest

from app.core.money import as_field, as_number, as_text, parse_pence


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("5", 500), ("5.50", 550), ("£5", 500), (" £1,000 ", 100_000), ("0.01", 1), ("7.500", 750), ("", None)],
)
def test_what_people_type_is_read_as_pence(typed: str, pence: int | None) -> None:
    assert parse_pence(typed, 100_000) == pence


@pytest.mark.parametrize("typed", ["five", "5.555", "-1", "1000.01", "9e999999", "NaN", "Infinity", "£", "1..2"])
def test_anything_else_is_refused(typed: str) -> None:
    if typed == "£":  # only the sign: nothing was typed
        assert parse_pence(typed, 100_000) is None
        return
    with pytest.raises(ValueError):
        parse_pence(typed, 100_000)


def test_a_lowest_amount_can_be_asked_for() -> None:
    assert parse_pence("0", 100) == 0
    with pytest.raises(ValueError):
        parse_pence("0", 100, min_pence=1)


def test_each_place_shows_it_its_own_way() -> None:
    assert as_text(1200) == "£12" and as_text(1250) == "£12.50" and as_text(123_456_700) == "£1,234,567"
    assert as_field(750) == "7.50" and as_field(None) == "" and as_field(0) == "0.00"
    assert as_number(-350) == Decimal("-3.50")
