"""The attacks that gave small counts back exactly when each table was only suppressed on its own, each run over
hundreds of random synthetic datasets through the real disclosure path (bench/disclosure.py), and what protection
costs honest readers.

Where nothing tells the attacker the count they want is small (two pages that differ by a few claims), their best
guess is right about as often as guessing among five values. Where an output says "fewer than 6" they know it is
1 to 5, and with moves of at most 2 on each published count their best guess is right about a third of the time:
with two noisy counts the difference is exact one time in four or five, and a count of 1 or 5 is then guessed at
the edge whenever the noise points away from the middle. Getting that below a quarter would need moves of about 8,
a mean error of about 4 for every honest reader; the README says so."""

from __future__ import annotations

import pytest

from bench import disclosure
from bench.disclosure import ATTACKS, TRIALS, hit_rate, mean_absolute_error

NOT_SAID_SMALL = ("sponsor_against_national", "principle_against_all", "objectives_with_two_deadlines", "a_month_later")
SAID_SMALL = ("scopes_against_each_other", "tables_on_one_page")
assert set(NOT_SAID_SMALL) | set(SAID_SMALL) == set(ATTACKS)


@pytest.mark.parametrize("name", NOT_SAID_SMALL)
def test_outputs_put_side_by_side_give_a_blur_not_a_person(name: str) -> None:
    assert TRIALS >= 200
    assert hit_rate(ATTACKS[name]) <= 0.27, name


@pytest.mark.parametrize("name", SAID_SMALL)
def test_a_count_said_to_be_fewer_than_6_is_not_given_back_by_the_tables_around_it(name: str) -> None:
    assert hit_rate(ATTACKS[name]) <= 0.40, name


@pytest.mark.parametrize("name", list(ATTACKS))
def test_without_the_moves_every_attack_is_right_every_time(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same attacks against counts published exactly (1 to 5 still hidden), as before: they always win, so the
    attacks are real and the tests above can fail."""
    monkeypatch.setattr("app.core.counts.perturbed", lambda count, key: count)
    assert hit_rate(ATTACKS[name], trials=200) == 1.0


def test_honest_readers_pay_less_than_one_on_average() -> None:
    assert mean_absolute_error() <= 1.0


def test_the_bench_prints_both_figures(capsys: pytest.CaptureFixture[str]) -> None:
    figures = disclosure.run()
    assert set(figures) == {"disclosure_mae", "disclosure_attack_hit_rate_max"}
    assert "disclosure_attack_hit_rate_max" in capsys.readouterr().out
