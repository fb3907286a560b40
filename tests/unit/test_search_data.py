"""The search data kept in search/: the judged queries behind search_recall_at_5 (bench/search_quality.py)."""

import csv
import re

from app.settings import ROOT
from bench.search_quality import TOP, read_judgements, score

KINDS = {"english", "welsh", "mutation", "plural", "misspelling", "spelling", "cross_language", "phrasing"}


def test_judgements_parse_and_cover_every_kind() -> None:
    with (ROOT / "search" / "judgements.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows and set(rows[0]) == {"query", "kind", "relevant"}
    judgements = read_judgements()  # every regex compiles
    assert len(judgements) == len(rows) >= 150
    queries = [judgement.query.casefold() for judgement in judgements]
    assert len(set(queries)) == len(queries), "no query is judged twice"
    assert all(query == " ".join(query.split()) and query for query in queries), "no stray spaces"
    kinds = {judgement.kind for judgement in judgements}
    assert kinds == KINDS
    for kind in KINDS:
        assert sum(judgement.kind == kind for judgement in judgements) >= 8, kind
    assert all(judgement.relevant.flags & re.IGNORECASE for judgement in judgements)


def test_recall_at_5_is_capped_by_how_many_offers_are_relevant() -> None:
    assert score([1, 2, 3, 4, 5], {1, 2}) == 1.0
    assert score([9, 8, 1], {1, 2}) == 0.5
    assert score([1, 2, 3, 4, 5, 6, 7], set(range(1, 100))) == 1.0, f"only the first {TOP} count"
    assert score([6, 7, 1], set(range(1, 6))) == 0.2
    assert score([], {1}) == 0.0
