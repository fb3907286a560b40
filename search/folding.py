"""Text folded for matching only: lower case, accents and diacritics dropped (pêl-droed = pel-droed), split into
words of letters and digits. What people read keeps its own spelling."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[a-z0-9]+")
TOKEN = re.compile(r"[^\W_]+")  # before folding: letters and digits of any script
CIRCUMFLEXES = frozenset("âêîôûŵŷ")  # to bach: only Welsh spells with them (bêl is Welsh, bel is English too)


COMBINING = re.compile(r"[\u0300-\u036f]+")  # the accents NFKD takes off letters


def fold(text: str) -> str:
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    return COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def marked_words(text: str) -> list[tuple[str, str, bool]]:
    """The text's words as written (lower case) and folded, each with whether it was written with a to bach (so
    can only be Welsh)."""
    return [
        (token, word, not CIRCUMFLEXES.isdisjoint(token))
        for token in TOKEN.findall(text.casefold())
        for word in WORD.findall(fold(token))
    ]
