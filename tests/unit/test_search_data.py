"""The search data kept in search/: the judged queries behind search_recall_at_5 (bench/search_quality.py) and the
bilingual vocabulary (search/vocabulary.csv, described in search/vocabulary.md)."""

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


def test_the_vocabulary_is_a_few_hundred_groups_of_one_meaning_each() -> None:
    with (ROOT / "search" / "vocabulary.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows and list(rows[0]) == ["concept", "english", "welsh", "source", "broader"]
    assert len(rows) >= 200
    concepts = [row["concept"] for row in rows]
    assert len(set(concepts)) == len(concepts) and all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c) for c in concepts)
    for row in rows:
        broader = [concept.strip() for concept in row["broader"].split(";") if concept.strip()]
        assert set(broader) <= set(concepts) - {row["concept"]}, f"{row['concept']}: broader names another group"
    group_of: dict[str, str] = {}
    for row in rows:
        english, welsh = ([p.strip() for p in row[column].split(";")] for column in ("english", "welsh"))
        assert all(english) and all(welsh), f"{row['concept']}: an empty phrase"
        phrases = {phrase.casefold() for phrase in english + welsh}
        assert len(phrases) >= 2, f"{row['concept']}: a group needs two phrases to mean anything"
        for phrase in phrases:
            assert phrase == " ".join(phrase.split()), phrase
            # A phrase in two groups would chain them into one looser group once applied both ways.
            assert group_of.setdefault(phrase, row["concept"]) == row["concept"], f"{phrase!r} is in two groups"
        assert row["source"] in ("freedict", "project", "freedict; project"), row["source"]
    multi_word = [phrase for phrase in group_of if " " in phrase]
    assert len(multi_word) >= 100, "multi-word phrases, such as 'leisure centre' and 'someone to talk to'"
    for phrase in ("leisure centre", "canolfan hamdden", "someone to talk to", "paid job", "office job", "day out"):
        assert phrase in group_of, phrase
    assert group_of["gym"] != group_of["music"] != group_of["art"]
