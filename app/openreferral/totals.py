"""How many offers a list has, kept in memory while the data stays as it was.

Counting 100 000 live offers reads 100 000 index entries (15–30 ms here) on every page, where the page itself takes
a millisecond; a directory walking 2 000 pages would pay it 2 000 times for the same number. A count is kept for
its query (the WHERE clause and its values, which include the day) together with the data's stamp, the latest
public_changed_at of any offer or organisation: any change anyone can see moves the stamp, and the count is
counted again. A change committed after a later one (a transaction that took long) does not move the stamp, so a
count is never kept longer than TTL_S either."""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import datetime
from typing import Any

TTL_S = 30.0
KEPT_AT_MOST = 512


class Totals:
    def __init__(self) -> None:
        self.kept: OrderedDict[tuple[Any, ...], tuple[datetime, int, float]] = OrderedDict()

    def get(self, key: tuple[Any, ...], stamp: datetime, now: float) -> int | None:
        found = self.kept.get(key)
        if found is None or found[0] != stamp or now - found[2] > TTL_S:
            return None
        self.kept.move_to_end(key)
        return found[1]

    def keep(self, key: tuple[Any, ...], stamp: datetime, total: int, now: float) -> None:
        self.kept[key] = (stamp, total, now)
        self.kept.move_to_end(key)
        while len(self.kept) > KEPT_AT_MOST:
            self.kept.popitem(last=False)


TOTALS = Totals()


def monotonic() -> float:
    return time.monotonic()
