"""An objective's status from the published count and the time gone (the pages: tests/test_progress.py)."""

from __future__ import annotations

from datetime import date


def test_objective_status_follows_the_time_gone_and_says_no_more_than_the_count() -> None:
    from app.core.counts import Cell
    from app.progress.service import _status

    deadline = date(2027, 3, 31)
    assert _status(Cell(10), 10, deadline, date(2026, 6, 1))[0] == "met"
    assert _status(Cell(6), 10, deadline, date(2026, 10, 1))[0] == "on_track"
    assert _status(Cell(9), 10, deadline, date(2027, 4, 1))[0] == "missed"
    assert _status(Cell(7), 12, deadline, date(2026, 10, 1)) == ("on_track", 7)  # half the year gone: 7 by now
    # "fewer than 6" (1 to 5): the status never says which.
    few = Cell(None, "small")
    assert _status(few, 3, deadline, date(2026, 6, 1))[0] == "too_few"  # met or not: it cannot say
    assert _status(few, 3, deadline, date(2027, 4, 1))[0] == "too_few"
    assert _status(few, 20, deadline, date(2026, 10, 1)) == ("at_risk", 11)  # 11 by now: fewer than 6 is behind
    assert _status(few, 20, deadline, date(2027, 4, 1))[0] == "missed"
    assert _status(few, 10, deadline, date(2026, 5, 1))[0] == "too_few"  # 1 by now: it cannot say
