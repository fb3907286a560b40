"""Counts about people, as shown anywhere: 1 to 5 are never shown exactly, so nobody can be picked out.

A table's parts and its total are protected together (`protect`): a part of 1 to 5 is "fewer than 6" (primary
suppression); then, while the total less the parts still shown would give away a small number, one more part is
hidden (secondary suppression). "Would give away" includes a reader who knows one hidden part already (a council
knows its own area's figure, a provider its own): the hidden parts together, less any one of them, must not be 1
to 5 either. Every report builds its tables from the same counts with the same rule, so two reports cannot be
subtracted from each other to find a hidden part."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.i18n import _

SMALL = 6


def small(count: int) -> bool:
    return 0 < count < SMALL


def shown(count: int) -> str:
    return _("fewer than 6") if small(count) else str(count)


@dataclass(frozen=True)
class Cell:
    """A count as a report shows it: `value` is None when it is not shown, and `why` says why ("small": 1 to 5;
    "hidden": so that a small one cannot be worked out)."""

    value: int | None
    why: str = ""

    @classmethod
    def of(cls, count: int) -> Cell:
        return cls(None, "small") if small(count) else cls(count)

    @property
    def text(self) -> str:
        if self.why == "small":
            return _("fewer than 6")
        if self.why == "hidden":
            return _("not shown")
        return f"{self.value:,}"

    @property
    def exported(self) -> int | str:
        """For CSV and JSON: the number, or the words that stand in for it."""
        return self.value if self.value is not None else self.text

    def __str__(self) -> str:
        return self.text


def _gives_away(hidden: list[int]) -> bool:
    together = sum(hidden)
    return small(together) or any(small(together - one) for one in hidden)


def protect(parts: Sequence[int]) -> tuple[list[Cell], bool]:
    """The parts of a table, with primary and secondary suppression, and whether the table's total must be hidden
    too (every part that is not zero is hidden and together they would still give a small one away)."""
    hidden = {i for i, count in enumerate(parts) if small(count)}
    while hidden and _gives_away([parts[i] for i in hidden]):
        candidates = sorted((count, i) for i, count in enumerate(parts) if i not in hidden and count > 0)
        if not candidates:
            break
        hidden.add(candidates[0][1])
    cells = [
        Cell(None, "small") if small(count) else Cell(None, "hidden") if i in hidden else Cell(count)
        for i, count in enumerate(parts)
    ]
    return cells, bool(hidden) and _gives_away([parts[i] for i in hidden])


def rate(numerator: Cell, denominator: Cell) -> str:
    """A conversion, only when both counts are shown (a rate and one count would give away the other)."""
    if numerator.value is None or not denominator.value:
        return "–"
    return f"{100 * numerator.value / denominator.value:.0f}%"
