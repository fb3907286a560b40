"""What every dashboard, report, CSV, JSON and PDF shows of the figures (app.uptake.measures): each people count
published through the one disclosure path (app.core.counts), offers and places as they are, and what is worked
out from published counts only (rates) or shown only from enough people (the median, the score)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.charter import AMBITION, PRINCIPLES, THRIVE
from app.core.counts import Cell, rate
from app.uptake.measures import COLUMNS, DIMENSIONS, MEASURES, OFFER_COUNTS, PEOPLE_COLUMNS, PEOPLE_COUNTS, Figures

MEDIAN_PAIRS = 10  # a median or a score is shown only from this many people
# Live offers that ring-fence places for care-experienced young people or guarantee them an interview: a line each
# in every summary, after offers and places; no table widens for them on a phone (CSV and JSON have them in every
# table).
COMMITTED: tuple[str, ...] = ("ring_fenced", "guaranteed_interview")
HEADLINE: tuple[str, ...] = (*COLUMNS, *COMMITTED)
# What a council's headline adds: uptake after a suggestion by an adviser (its own, or a leaving-care service's
# working for it). Other scopes have it in their CSV and JSON only, and no table widens for it on a phone.
COUNCIL_HEADLINE: tuple[str, ...] = (*PEOPLE_COLUMNS, "suggested", *HEADLINE[len(PEOPLE_COLUMNS) :])


@dataclass
class Row:
    key: str
    cells: dict[str, Cell]

    def rate(self, numerator: str, denominator: str) -> str:
        return rate(self.cells[numerator], self.cells[denominator])


@dataclass
class Report:
    figures: Figures
    total: Row
    tables: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def headline(self) -> tuple[str, ...]:
        """The measures a summary lists, in order: every column's, offers keeping places or an interview for
        care-experienced young people, and a council's uptake after a suggestion."""
        return COUNCIL_HEADLINE if self.figures.scope.kind == "council" else HEADLINE

    @property
    def median_days(self) -> str:
        """Whole days, from at least MEDIAN_PAIRS people (a median of a few is nearly one person's wait)."""
        days = self.figures.median_days
        return "–" if days is None or self.figures.pairs < MEDIAN_PAIRS else f"{days:.0f}"

    @property
    def score(self) -> str:
        score = self.figures.score
        return "–" if score is None or self.figures.responses < MEDIAN_PAIRS else f"{score:.1f}"

    @property
    def responses(self) -> Cell:
        return Cell.of(self.figures.responses, self.figures.responses_key)


def principle_order() -> list[int]:
    """Ambition and thrive lead every report; the other principles follow in the charter's order."""
    return [AMBITION, THRIVE] + [p.id for p in PRINCIPLES if p.id not in (AMBITION, THRIVE)]


def _cells(counts: dict[str, int]) -> dict[str, Cell]:
    """One row's published cells: people counts through the disclosure path, offers and places as they are."""
    cells = {  # never below 0, whatever was undone
        measure: Cell.of(max(counts.get(measure, 0), 0), counts.get(f"{measure}_key", 0)) for measure in PEOPLE_COUNTS
    }
    # An adviser knows whom they suggested an offer to: were 0 shown, an organisation's row turning from 0 to
    # "fewer than 6" would tell them that person took it up, shared or not.
    cells["suggested"] = Cell.zero_hidden(counts.get("suggested", 0), counts.get("suggested_key", 0))
    return cells | {measure: Cell.exact(counts.get(measure, 0)) for measure in OFFER_COUNTS}


def report(figures: Figures) -> Report:
    """Every cell published on its own (app.core.counts): the total is a cell like any other, so a table may not
    add up exactly, and no table can be subtracted from another to find someone."""
    rows = {dimension: list(figures.by.get(dimension, {}).items()) for dimension in DIMENSIONS}
    rows["principle"] = [(str(p), figures.principles.get(p, dict.fromkeys(MEASURES, 0))) for p in principle_order()]
    tables = {name: [Row(key, _cells(counts)) for key, counts in found] for name, found in rows.items()}
    return Report(figures=figures, total=Row("total", _cells(figures.total)), tables=tables)
