"""Bar charts drawn on the server as SVG: geometry here, markup in templates/_measures.html. No chart JavaScript; every
chart has a title, a description and the same numbers in a table next to it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.uptake.published import Row

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 360, 200, 18, 24, 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str  # what is written above the bar: the count, or "–" when it is not shown


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def bars(rows: list[Row], measure: str, label: Callable[[str], str]) -> Chart:
    values = [row.cells[measure].value for row in rows]
    highest = max((v for v in values if v), default=0) or 1
    slot = (WIDTH - LEFT) / max(len(rows), 1)
    room = HEIGHT - TOP - BOTTOM
    drawn = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        height = room * (value or 0) / highest
        drawn.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label(row.key),
                value="–" if value is None else f"{value:,}",
            )
        )
    return Chart(drawn)
