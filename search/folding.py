"""Text folded for matching only: lower case, accents and diacritics dropped (pêl-droed = pel-droed), split into
words of letters and digits. What people read keeps its own spelling."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))
