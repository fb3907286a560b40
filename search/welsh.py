"""Welsh words back to their dictionary form: initial mutations undone, plurals made singular.

A Welsh word changes its first letters after certain words (soft: *celf* → *y gelf*; nasal: *fy nghelf*; aspirate:
*a chelf*; h- before a vowel: *ei hysgol*), and plurals add endings (*prentisiaeth* → *prentisiaethau*). Undoing a
mutation is ambiguous (*f* may come from *b* or *m*; a vowel may have lost a *g*), so the candidates are checked
against the Welsh lexicon: hunspell-cy's dictionary, whose entries are radical (unmutated) forms with flags for
their plural endings (search/lexicon/, LGPL-3, from Bangor University; see search/lexicon/SOURCE.md)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from search.folding import fold

LEXICON = Path(__file__).parent / "lexicon" / "cy_GB.dic"

# hunspell-cy's suffix flags that make plurals (cy_GB.aff): flag → ending.
PLURAL_FLAGS = {"B": "au", "C": "ion", "D": "iau", "E": "oedd", "F": "nau", "G": "iaid", "I": "on", "K": "od"}
# Plural endings tried when the lexicon does not list the plural, longest first; the stem must be a word.
PLURAL_ENDINGS = ("iaid", "oedd", "iau", "ion", "ydd", "au", "on", "od", "ed", "i")
# Plurals that change their ending rather than add one: gwirfoddolwyr → gwirfoddolwr, peirianwyr → peiriannydd.
CHANGED_ENDINGS = (("wyr", "wr"), ("wyr", "ydd"), ("wyr", "nydd"), ("wyr", "iwr"))

# (mutated start, radical start), most likely first: soft, nasal, aspirate. Longer starts before their prefixes.
MUTATIONS: tuple[tuple[str, str], ...] = (
    ("ngh", "c"),
    ("mh", "p"),
    ("nh", "t"),
    ("ng", "g"),
    ("ch", "c"),
    ("ph", "p"),
    ("th", "t"),
    ("dd", "d"),
    ("g", "c"),
    ("b", "p"),
    ("d", "t"),
    ("f", "b"),
    ("f", "m"),
    ("l", "ll"),
    ("r", "rh"),
    ("m", "b"),
    ("n", "d"),
)
VOWELS = "aeiouwyâêîôûŵŷ"


@cache
def lexicon() -> tuple[frozenset[str], dict[str, str], dict[str, tuple[str, ...]], frozenset[str]]:
    """Every radical form (folded), each plural the lexicon knows → its singular, each hyphenated word written as
    one (peldroed) → its parts (pel, droed), and the radical forms spelt with a to bach, as spelt (pêl)."""
    radicals: set[str] = set()
    spelt: set[str] = set()
    plurals: dict[str, str] = {}
    compounds: dict[str, tuple[str, ...]] = {}
    with LEXICON.open(encoding="utf-8-sig") as lines:
        next(lines)  # the entry count
        for line in lines:
            word, _, flags = line.strip().partition("/")
            if not word or (not word.isalpha() and "-" not in word):
                continue
            folded = fold(word)
            if folded != word.casefold():
                spelt.add(word.casefold())
            if "-" in folded:
                pieces = tuple(piece for piece in folded.split("-") if piece)
                if len(pieces) > 1 and all(piece.isalpha() for piece in pieces):
                    compounds.setdefault("".join(pieces), pieces)
                continue
            radicals.add(folded)
            for flag in flags:
                if ending := PLURAL_FLAGS.get(flag):
                    plurals.setdefault(folded + ending, folded)
    return frozenset(radicals), plurals, compounds, frozenset(spelt)


def parts(word: str) -> tuple[str, ...]:
    """A hyphenated Welsh word written as one (peldroed) as its parts; any other word as itself."""
    return lexicon()[2].get(word, (word,))


def singular(word: str) -> str | None:
    """The lexicon's singular of a plural, the word itself if it is in the lexicon, or None."""
    radicals, plurals, _, _ = lexicon()
    if word in plurals:
        return plurals[word]
    for plural, singular_ending in CHANGED_ENDINGS:  # before the lexicon, which lists such plurals as words
        if len(word) > 5 and word.endswith(plural) and (changed := word[: -len(plural)] + singular_ending) in radicals:
            return changed
    if word in radicals:
        return word
    for ending in PLURAL_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3:
            if stem in radicals:
                return stem
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in radicals:  # tocynnau → tocyn
                return stem[:-1]
    return None


def radicals_of(word: str) -> list[str]:
    """The forms this word could be a mutation of (not checked against the lexicon)."""
    forms = [radical + word[len(start) :] for start, radical in MUTATIONS if word.startswith(start)]
    if word[:1] in VOWELS or word[:1] in "lr":  # soft mutation drops a g: gwaith → waith, gardd → ardd
        forms.append("g" + word)
    if word[:1] == "h" and word[1:2] in VOWELS:  # h- before a vowel: ei hysgol
        forms.append(word[1:])
    return forms


@cache
def spelt_lemma(word: str) -> str | None:
    """A word written with a to bach (y bêl), its mutation undone against the lexicon's own spellings (pêl, not the
    unit bel), folded; None when no radical is spelt so."""
    spelt = lexicon()[3]
    for form in (word, *radicals_of(word)):
        if form in spelt:
            return singular(fold(form)) or fold(form)
    return None


@cache
def lemma(word: str) -> str | None:
    """A folded word's Welsh dictionary form (mutation undone, singular), or None when it is not Welsh we know."""
    if (found := singular(word)) is not None:
        return found
    for form in radicals_of(word):
        if (found := singular(form)) is not None:
            return found
    return None
