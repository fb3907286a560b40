"""Names in alphabetical order: Welsh order on Welsh pages (ch, dd, ff, ng, ll, ph, rh, th are letters)."""

import pytest

from app.core.i18n import WELSH_LETTERS, alphabetical, collation_key, speaking


def welsh(*names: str) -> list[str]:
    return alphabetical(names, locale="cy")


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("lol", "llawr"),  # l before ll, whatever follows
        ("Lyon", "Llanelli"),
        ("Cyngor", "Chwaraeon"),  # c before ch
        ("Dinbych", "Ddraig"),  # d before dd
        ("Fynwy", "Ffordd"),  # f before ff
        ("agor", "angen"),  # g before ng ...
        ("angen", "ahoy"),  # ... and ng before h
        ("angen", "anifail"),  # ng is one letter, so "ang" never sorts as "an" + "g"
        ("Pwll", "Phoenix"),  # p before ph
        ("Rutland", "Rhondda"),  # r before rh
        ("Tywyn", "Theatr"),  # t before th
        ("Ty Hafan", "Tyddyn"),  # a word ends before any letter
    ],
)
def test_welsh_digraphs_are_letters(first: str, then: str) -> None:
    assert collation_key(first, "cy") < collation_key(then, "cy")
    assert welsh(then, first) == [first, then]


def test_the_whole_alphabet_in_its_order() -> None:
    assert welsh(*reversed(WELSH_LETTERS)) == WELSH_LETTERS
    assert WELSH_LETTERS.index("ng") == WELSH_LETTERS.index("g") + 1


def test_english_order_is_letter_by_letter() -> None:
    names = ("Rhondda Cynon Taf", "Rutland", "Chwaraeon", "Cyngor", "llawr", "lol")
    assert alphabetical(names, locale="en") == ["Chwaraeon", "Cyngor", "llawr", "lol", "Rhondda Cynon Taf", "Rutland"]


def test_accents_and_case_fold_for_ordering_but_the_order_is_stable() -> None:
    assert welsh("Tŷ Newydd", "ty bach", "Tyddewi") == ["ty bach", "Tŷ Newydd", "Tyddewi"]
    assert welsh("Ŵyn", "wyn", "Wyn") == ["Wyn", "wyn", "Ŵyn"], "ties broken by accent, then case"
    assert collation_key("Môn", "cy")[0] == collation_key("mon", "cy")[0]


def test_apostrophes_are_ignored_and_punctuation_is_a_break() -> None:
    assert collation_key("Ty'r", "cy")[0] == collation_key("Tyr", "cy")[0] == collation_key("Ty’r", "cy")[0]
    assert welsh("Tyrau", "Ty'r Ysgol") == ["Ty'r Ysgol", "Tyrau"]
    assert welsh("Pen-y-bont", "Penarth") == ["Pen-y-bont", "Penarth"]
    assert welsh("Caerdydd", "  Abertawe") == ["  Abertawe", "Caerdydd"]


def test_digits_before_letters_and_foreign_letters_after() -> None:
    assert welsh("Zebra", "2 Sisters", "Øresund", "Aberaeron") == ["2 Sisters", "Aberaeron", "Zebra", "Øresund"]


def test_the_page_language_is_the_default() -> None:
    with speaking("cy"):
        assert alphabetical(["Chwarae", "Cyngor"]) == ["Cyngor", "Chwarae"]
    with speaking("en"):
        assert alphabetical(["Chwarae", "Cyngor"]) == ["Chwarae", "Cyngor"]
