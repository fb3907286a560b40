"""The bilingual vocabulary (search/vocabulary.csv): groups of words and phrases, English and Welsh, that mean the
same thing to someone searching (gym, fitness, leisure centre, canolfan hamdden).

It is applied when an offer is indexed, both ways: an offer whose words contain any phrase of a group is also
indexed under every other phrase of that group (as normalised keys, in their own attribute). A one-word query
then finds a multi-word phrase and the other way round, which Meilisearch's synonyms do not do, and a query needs
no rewriting: it goes through the same normaliser as the offers.

A group may name a `broader` one, applied one way only: an offer about carpentry is also found by "construction",
but one about construction is not found by "carpentry"."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from search.normalise import keys

VOCABULARY = Path(__file__).parent / "vocabulary.csv"

Phrase = tuple[str, ...]


class Group(NamedTuple):
    concept: str
    phrases: list[str]
    broader: tuple[str, ...] = ()


class Vocabulary:
    """Phrases as key sequences, grouped; finds which groups a text's keys contain (and the broader ones)."""

    def __init__(self, groups: Iterable[Group]) -> None:
        self.groups: list[list[Phrase]] = []
        self.starting: dict[str, list[tuple[Phrase, int]]] = {}
        number_of: dict[str, int] = {}
        broader: dict[str, tuple[str, ...]] = {}
        for group in groups:
            normalised = list(dict.fromkeys(phrase for text in group.phrases if (phrase := tuple(keys(text)))))
            number_of[group.concept] = len(self.groups)
            broader[group.concept] = group.broader
            self.groups.append(normalised)
            for phrase in normalised:
                self.starting.setdefault(phrase[0], []).append((phrase, number_of[group.concept]))
        # Each group's broader ones, one step up only: a chain (electrical engineering → electrician → construction)
        # would stretch a meaning past what a searcher means.
        self.above = {number: {number_of[up] for up in broader[concept]} for concept, number in number_of.items()}

    def groups_in(self, text_keys: Sequence[str]) -> set[int]:
        """The groups whose phrases the text contains, longest phrase first where phrases overlap ("painting and
        decorating" is decorating, not painting), and the groups one step broader."""
        found: set[int] = set()
        at = 0
        while at < len(text_keys):
            matches = [
                (len(phrase), number)
                for phrase, number in self.starting.get(text_keys[at], ())
                if tuple(text_keys[at : at + len(phrase)]) == phrase
            ]
            if not matches:
                at += 1
                continue
            longest = max(length for length, _ in matches)
            found |= {number for length, number in matches if length == longest}
            at += longest
        return found | {up for number in found for up in self.above[number]}

    def related(self, text_keys: Sequence[str]) -> str:
        """Every phrase of every group the text contains, as keys (what the offer is also found by)."""
        return " ".join(
            " ".join(phrase) for number in sorted(self.groups_in(text_keys)) for phrase in self.groups[number]
        )


def read(path: Path = VOCABULARY) -> list[Group]:
    """The CSV's groups: each row's English and Welsh phrases and its broader concepts (each separated by ';')."""
    with path.open(encoding="utf-8", newline="") as rows:
        return [
            Group(row["concept"], _phrases(row["english"]) + _phrases(row["welsh"]), tuple(_phrases(row["broader"])))
            for row in csv.DictReader(rows)
        ]


def _phrases(column: str) -> list[str]:
    return [phrase.strip() for phrase in column.split(";") if phrase.strip()]


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(read())
