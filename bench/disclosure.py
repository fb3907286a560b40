"""Attacks on the published figures, run over random synthetic datasets, and what protection costs honest readers.

Each attack builds the outputs the service publishes (through the real disclosure path, `app.core.counts.Cell`)
from made-up records, then plays the attacker: put outputs side by side and make the best guess of a true count
of 1 to 5 that none of them shows. A record's key is a uniform number from 0 to 255, as the low bits of the hash
of a keyed person hash are (`record_hash`); a cell's key is its records' keys summed.

The attacker is told everything but the keys: which records are in which output and the true counts of everything
they are not after (a council knows its own young people, a provider its own). Where an output says the count
they want is "fewer than 6", they know it is 1 to 5 and bring their guess into that range; where nothing says so
(two pages that differ by a few claims), their best guess is the difference itself.

`make bench` prints `disclosure_mae` (the mean absolute difference between published and true counts of 6 or more)
and `disclosure_attack_hit_rate_max` (the share of trials in which the best attack guessed right); the attack
suite (tests/unit/test_disclosure_attacks.py) runs the same attacks.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from app.core.counts import KEYS, SMALL, Cell

TRIALS = 400


@dataclass(frozen=True)
class Records:
    """A set of counted records: only their keys matter to what is published."""

    keys: tuple[int, ...]

    @classmethod
    def made(cls, rng: random.Random, n: int) -> Records:
        return cls(tuple(rng.randrange(KEYS) for _ in range(n)))

    def __add__(self, other: Records) -> Records:
        return Records(self.keys + other.keys)

    @property
    def published(self) -> int | None:
        """What every output shows for exactly these records (None: "fewer than 6")."""
        return Cell.of(len(self.keys), sum(self.keys)).value


def best_guess(difference: float, said_small: bool) -> int:
    """The attacker's best guess of the count a difference of published counts points at: the difference itself
    (the noise is symmetric and peaks at zero), brought into 1 to 5 when an output says the count is that small."""
    return min(5, max(1, round(difference))) if said_small else max(0, round(difference))


def _shown(records: Records) -> int:
    value = records.published
    assert value is not None, "the attack needs this output shown"
    return value


# Each attack: given a random generator, make one dataset, return (true hidden count, attacker's guess).
Attack = Callable[[random.Random], tuple[int, int]]


def sponsor_against_national(rng: random.Random) -> tuple[int, int]:
    """/charter's Cardiff claims against a sponsor's page's Cardiff claims: the claims no sponsor paid for."""
    sponsored, unsponsored = Records.made(rng, rng.randint(20, 120)), Records.made(rng, rng.randint(1, 5))
    return len(unsponsored.keys), best_guess(_shown(sponsored + unsponsored) - _shown(sponsored), said_small=False)


def principle_against_all(rng: random.Random) -> tuple[int, int]:
    """/charter against /charter?principle=7: the young people reached by offers that do not serve principle 7."""
    served, others = Records.made(rng, rng.randint(20, 200)), Records.made(rng, rng.randint(1, 5))
    return len(others.keys), best_guess(_shown(served + others) - _shown(served), said_small=False)


def scopes_against_each_other(rng: random.Random) -> tuple[int, int]:
    """The national total against two councils' own pages: national 60, Cardiff 50, Swansea 7 give Newport. The
    national by-area table says Newport is fewer than 6; Cardiff's council knows its own count exactly."""
    cardiff, swansea = Records.made(rng, rng.randint(30, 150)), Records.made(rng, rng.randint(6, 30))
    newport = Records.made(rng, rng.randint(1, 5))
    national = _shown(cardiff + swansea + newport)
    return len(newport.keys), best_guess(national - len(cardiff.keys) - _shown(swansea), said_small=True)


def tables_on_one_page(rng: random.Random) -> tuple[int, int]:
    """A type table whose one small type is "fewer than 6", against the principle table: every offer serves
    ambition, so ambition's row is the total of every type, published as a cell of its own."""
    big = [Records.made(rng, rng.randint(6, 60)) for _ in range(rng.randint(1, 3))]
    small = Records.made(rng, rng.randint(1, 5))
    everyone = small
    for part in big:
        everyone = everyone + part
    return len(small.keys), best_guess(_shown(everyone) - sum(_shown(part) for part in big), said_small=True)


def objectives_with_two_deadlines(rng: random.Random) -> tuple[int, int]:
    """Two objectives on the same measure, one counted to September and one to December: their progress differs
    by the starts in between."""
    before, between = Records.made(rng, rng.randint(6, 80)), Records.made(rng, rng.randint(1, 5))
    return len(between.keys), best_guess(_shown(before + between) - _shown(before), said_small=False)


def a_month_later(rng: random.Random) -> tuple[int, int]:
    """The same page read again a month later: the year's count then, less the count before."""
    before, since = Records.made(rng, rng.randint(6, 200)), Records.made(rng, rng.randint(1, 5))
    return len(since.keys), best_guess(_shown(before + since) - _shown(before), said_small=False)


ATTACKS: dict[str, Attack] = {
    "sponsor_against_national": sponsor_against_national,
    "principle_against_all": principle_against_all,
    "scopes_against_each_other": scopes_against_each_other,
    "tables_on_one_page": tables_on_one_page,
    "objectives_with_two_deadlines": objectives_with_two_deadlines,
    "a_month_later": a_month_later,
}


def hit_rate(attack: Attack, trials: int = TRIALS, seed: int = 1) -> float:
    """The share of datasets in which the attacker's best guess is exactly the hidden count."""
    rng = random.Random(seed)
    return sum(true == guess for true, guess in (attack(rng) for _ in range(trials))) / trials


def mean_absolute_error(trials: int = 20_000, seed: int = 2) -> float:
    """What protection costs honest readers: how far a published count of 6 or more is from the true one."""
    rng = random.Random(seed)
    total = 0
    for _ in range(trials):
        records = Records.made(rng, rng.randint(SMALL, 400))
        total += abs(_shown(records) - len(records.keys))
    return total / trials


def run() -> dict[str, float]:
    rates = {name: hit_rate(attack) for name, attack in ATTACKS.items()}
    for name, rate in rates.items():
        print(f"disclosure attack {name}: right in {rate:.0%} of {TRIALS} datasets")
    figures = {"disclosure_mae": round(mean_absolute_error(), 3), "disclosure_attack_hit_rate_max": max(rates.values())}
    print(
        f"disclosure_mae {figures['disclosure_mae']} · disclosure_attack_hit_rate_max {figures['disclosure_attack_hit_rate_max']}"
    )
    return figures
