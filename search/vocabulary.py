"""The bilingual vocabulary (search/vocabulary.csv): groups of words and phrases, English and Welsh, that mean the
same thing to someone searching (gym, fitness, leisure centre, canolfan hamdden).

It is applied when an offer is indexed, both ways: an offer whose words contain any phrase of a group is also
indexed under every other phrase of that group (as normalised keys, in a low-ranked attribute). A one-word query
then finds a multi-word phrase and the other way round, which Meilisearch's synonyms do not do, and a query needs
no rewriting: it goes through the same normaliser as the offers."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from search.normalise import keys

VOCABULARY = Path(__file__).parent / "vocabulary.csv"

Phrase = tuple[str, ...]


class Vocabulary:
    """Phrases as key sequences, grouped; finds which groups a text's keys contain."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self.groups: list[list[Phrase]] = []
        self.starting: dict[str, list[tuple[Phrase, int]]] = {}
        for phrases in groups:
            normalised = list(dict.fromkeys(phrase for text in phrases if (phrase := tuple(keys(text)))))
            if len(normalised) < 2:
                continue
            number = len(self.groups)
            self.groups.append(normalised)
            for phrase in normalised:
                self.starting.setdefault(phrase[0], []).append((phrase, number))

    def groups_in(self, text_keys: Sequence[str]) -> set[int]:
        found: set[int] = set()
        for at, word in enumerate(text_keys):
            for phrase, number in self.starting.get(word, ()):
                if number not in found and tuple(text_keys[at : at + len(phrase)]) == phrase:
                    found.add(number)
        return found

    def related(self, text_keys: Sequence[str]) -> str:
        """Every phrase of every group the text contains, as keys (what the offer is also found by)."""
        return " ".join(
            " ".join(phrase) for number in sorted(self.groups_in(text_keys)) for phrase in self.groups[number]
        )


def read(path: Path = VOCABULARY) -> list[list[str]]:
    """The CSV's groups: each row's English and Welsh phrases (separated by ';')."""
    with path.open(encoding="utf-8", newline="") as rows:
        return [
            [phrase.strip() for column in ("english", "welsh") for phrase in row[column].split(";") if phrase.strip()]
            for row in csv.DictReader(row for row in rows if not row.startswith("#"))
        ]


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(read())
