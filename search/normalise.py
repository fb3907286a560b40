"""One normaliser for the offers index and for queries, so both meet on the same forms.

Each word becomes a key: Welsh words their dictionary form (search/welsh.py: mutation undone, singular), other
words their English Snowball stem (nurses, nursing → nurs). English words that Welsh rules would claim (*salon* is
not a plural of *sâl*) stay English: search/lexicon/english.txt lists them. The keys are what Meilisearch indexes and
matches (with its own typo tolerance and prefix search on them); the original text is kept for display."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import Stemmer

from search.folding import CIRCUMFLEXES, marked_words, words
from search.welsh import lemma, parts, spelt_lemma

ENGLISH_FIRST = Path(__file__).parent / "lexicon" / "english.txt"
# English words whose Snowball stem is another, common word with another meaning: kept whole, so "fitness" is not
# "fit" (hours that fit around school), "boxing" not "box" (the box office), "coding" not "code" (a discount code),
# "hospitality" not "hospital", "painting" not "paint" (a car's bodywork), "camping" not "camp" (a prefix of campfa).
WHOLE = frozenset(
    {"fitness", "boxing", "boxer", "coding", "marketing", "acting", "dating", "busking", "hospitality", "painting",
     "paintings", "housing", "camping"}
)  # fmt: skip
_stem = Stemmer.Stemmer("english").stemWord


@cache
def _english_first() -> frozenset[str]:
    with ENGLISH_FIRST.open(encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def key(word: str, welsh: bool = False) -> str:
    """A folded word's key; `welsh` when it was written with a to bach (â, ê, ŵ, ...), so it is no English word."""
    if word in WHOLE:
        return word
    if (welsh or word not in _english_first()) and (radical := lemma(word)) is not None:
        return radical
    return str(_stem(word))


def keys(text: str) -> list[str]:
    """The text's words' keys, in order."""
    if CIRCUMFLEXES.isdisjoint(text.casefold()):  # most text: fold it once, look each word up once
        return [found for word in words(text) for found in _plain_keys(word)]
    found = []
    for token, word, welsh in marked_words(text):
        spelt = spelt_lemma(token) if welsh else None
        found += [spelt] if spelt else [key(part, welsh) for part in parts(word)]
    return found


@cache
def _plain_keys(word: str) -> tuple[str, ...]:
    return tuple(key(part) for part in parts(word))


def normalise(text: str) -> str:
    """Text as the index holds it and as a query is sent: its words' keys, in order."""
    return " ".join(keys(text))


def finished(word: str) -> bool:
    """Whether a folded word, as typed, is a whole word (a Welsh one, one of the English words kept apart from Welsh,
    or one whose English ending the stemmer takes off): search then matches no longer words that start with it
    ("canoeing" is "cano", which must not find "canolfan"), while a word still being typed ("swi") does."""
    return lemma(word) is not None or word in _english_first() or word in WHOLE or _stem(word) != word
