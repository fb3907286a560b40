"""Small-number protection: how published counts move and how a cell reads (the measures: tests/test_measures.py)."""

from app.core.counts import KEYS, Cell, perturbed


def test_published_counts_move_by_at_most_two_never_into_small_and_by_nothing_on_average() -> None:
    for count in range(6, 300):
        published = [perturbed(count, key) for key in range(KEYS)]
        assert min(published) >= max(6, count - 2) and max(published) <= count + 2, count
        assert sum(published) == count * KEYS, count  # mean zero: honest on average
    assert {perturbed(6, key) for key in range(KEYS)} == {6}
    assert sum(abs(perturbed(50, key) - 50) for key in range(KEYS)) / KEYS < 1.0
    assert perturbed(50, 7) == perturbed(50, 7 + KEYS)  # the key is taken mod 256


def test_cell_text() -> None:
    assert Cell.of(3, 0).text == "fewer than 6" and Cell.of(0, 9).text == "0"
    assert Cell.of(1234, 0).text in {f"{n:,}" for n in range(1232, 1237)}
    assert Cell.exact(1234).text == "1,234"


def test_a_count_known_from_nothing_hides_its_zero_too() -> None:
    """Uptake after an adviser's suggestion: the adviser knows whom they suggested to, so 0 turning into "fewer
    than 6" would tell on that person; 0 reads like 1 to 5."""
    assert Cell.zero_hidden(0, 5) == Cell.zero_hidden(3, 9) == Cell(None, "small")
    assert Cell.zero_hidden(40, 17) == Cell.of(40, 17)
