"""Counts about people, as every aggregate output shows them: the one disclosure-control path.

Cell suppression cannot be made safe across many overlapping outputs (subtract one table from another and a
hidden count comes back), so published counts are perturbed by the cell key method (as the ONS did for Census
2021 outputs):

- every counted record (a person, or a person with an offer) has a fixed record key from 0 to 255, read off a
  hash of its keyed person hash (`record_hash`, in SQL), so the same record always has the same key;
- a cell's key is the sum of its records' keys, mod 256 (the SQL adds the hashes and takes the rest);
- a count of 6 or more is published as the count plus the adjustment the perturbation table gives for that count
  and that cell key: at most 2 either way, mean zero, never below 6.

The same people therefore always give the same published number in every output (a page, its CSV, JSON and PDF,
another scope's page next month), and the difference of two outputs carries noise instead of a person. Counts of
1 to 5 are never shown: they read "fewer than 6". Zero is zero (nobody is counted, so nobody can be found).
Totals are cells of their own, so a table may not add up exactly.

Operational lists that already name the people in them (a provider's applicants, a council's queue) are not
aggregates and stay exact; everything counted across people goes through `Cell.of`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from app.core.i18n import _

SMALL = 6
MAX_ADJUSTMENT = 2
KEYS = 256
# How the 256 cell keys share out the adjustments −2..+2 for a count of 8 or more: 10 %, 25 %, 30 %, 25 %, 10 %
# (mean zero; the mean absolute change is 0.9). 6 and 7 cannot go down by 2 without showing as small, so to keep
# the mean at zero 7 moves by at most 1 and 6 is never moved.
SHARES = {8: {-2: 26, -1: 64, 0: 76, 1: 64, 2: 26}, 7: {-1: 90, 0: 76, 1: 90}, 6: {0: 256}}
ROWS = 32  # counts of 8 and more reuse 32 shuffled rows, so nearby counts move differently for the same key


def small(count: int) -> bool:
    return 0 < count < SMALL


def shown(count: int) -> str:
    """An exact count in an operational page that already names its people: 1 to 5 still read "fewer than 6"."""
    return _("fewer than 6") if small(count) else str(count)


def record_hash(person_key: str, offer: str | None = None) -> str:
    """SQL for a record's hash: of the keyed person hash, with the offer for records that are a person with an
    offer. Its last 8 bits are the record key (0 to 255), fixed for the record and unknowable without the keyed
    hash; summed over a cell's records (`sum(DISTINCT ...)` where distinct records are counted) and taken mod 256
    it is the cell key (`cell_key_sql`)."""
    record = person_key if offer is None else f"{person_key} || ':' || coalesce({offer}, 0)"
    return f"hashtextextended({record}, 0)"


def cell_key_sql(summed: str) -> str:
    """SQL: a sum of record hashes (NULL for no records) as a cell key from 0 to 255."""
    return f"mod(mod(coalesce({summed}, 0), {KEYS}) + {KEYS}, {KEYS})::int"


@cache
def _row(count: int) -> tuple[int, ...]:
    """The adjustment for each of the 256 cell keys, for this count: a fixed shuffle of the shares."""
    shares = SHARES[min(count, 8)]
    adjustments = [adjustment for adjustment, keys in sorted(shares.items()) for _ in range(keys)]
    row = count if count < 8 else 8 + count % ROWS
    random.Random(f"cyfle perturbation row {row}").shuffle(adjustments)  # noqa: S311 (a fixed table, not a secret)
    return tuple(adjustments)


def perturbed(count: int, key: int) -> int:
    """What is published for a true count of 6 or more with this cell key."""
    return count + _row(count)[key % KEYS]


@dataclass(frozen=True)
class Cell:
    """A count as every output shows it: `value` is the published number (None when it is 1 to 5, `why` then
    says "small")."""

    value: int | None
    why: str = ""

    @classmethod
    def of(cls, count: int, key: int) -> Cell:
        if count <= 0:
            return cls(0)
        if small(count):
            return cls(None, "small")
        return cls(perturbed(count, key))

    @classmethod
    def zero_hidden(cls, count: int, key: int) -> Cell:
        """A count whose change from nothing would tell someone about a person they know of (an adviser knows
        whom they suggested an offer to): 0 reads "fewer than 6" as 1 to 5 do."""
        return cls(None, "small") if count < SMALL else cls.of(count, key)

    @classmethod
    def exact(cls, count: int) -> Cell:
        """Not about people (offers, places): shown as it is."""
        return cls(count)

    @property
    def text(self) -> str:
        return _("fewer than 6") if self.value is None else f"{self.value:,}"

    @property
    def exported(self) -> int | str:
        """For CSV and JSON: the number, or the words that stand in for it."""
        return self.value if self.value is not None else self.text

    def __str__(self) -> str:
        return self.text


def rate(numerator: Cell, denominator: Cell) -> str:
    """A conversion from two published counts, only when both are shown."""
    if numerator.value is None or not denominator.value:
        return "–"
    return f"{100 * numerator.value / denominator.value:.0f}%"
