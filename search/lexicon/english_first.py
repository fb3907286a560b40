"""Rebuild english.txt: the English words (Debian's wbritish list) that the Welsh rules would otherwise claim.

    apt-get download wbritish && dpkg-deb -x wbritish_*.deb /tmp/wbritish
    .venv/bin/python -m search.lexicon.english_first /tmp/wbritish/usr/share/dict/british-english

Not run by the app or the tests: the output is kept in the repository (see SOURCE.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from search.folding import fold
from search.normalise import ENGLISH_FIRST
from search.welsh import lemma

HEADER = """# English words that search/welsh.py would otherwise read as Welsh (a mutation or plural of a Welsh word,
# or a Welsh word spelt the same): search/normalise.py stems these as English. Derived from Debian's wbritish
# (SCOWL british-english) by search/lexicon/english_first.py; see SOURCE.md.
"""


def main(word_list: str) -> None:
    words = set()
    for line in Path(word_list).read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word.isalpha() and word.islower():
            words.add(fold(word))
    claimed = sorted(word for word in words if lemma(word) is not None)
    ENGLISH_FIRST.write_text(HEADER + "\n".join(claimed) + "\n", encoding="utf-8")
    print(f"{len(claimed)} of {len(words)} English words kept English")


if __name__ == "__main__":
    main(sys.argv[1])
