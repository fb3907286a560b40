"""The one normaliser for offers and queries (search/normalise.py, search/welsh.py) and the vocabulary applied to
offers (search/vocabulary.py): Welsh mutations and plurals, English stems, folded accents, phrases both ways."""

import pytest

from search.normalise import keys, normalise
from search.settings import query_words
from search.vocabulary import Group, Vocabulary


@pytest.mark.parametrize(
    ("typed", "radical"),
    [
        ("gelf", "celf"),  # soft (y gelf)
        ("nghelf", "celf"),  # nasal (fy nghelf)
        ("chelf", "celf"),  # aspirate (a chelf)
        ("ganolfan hamdden", "canolfan hamdden"),
        ("ngwaith", "gwaith"),
        ("waith", "gwaith"),  # soft mutation drops the g
        ("brentisiaeth", "prentisiaeth"),
        ("mhrentisiaeth", "prentisiaeth"),
        ("ddringo", "dringo"),
        ("hysgol", "ysgol"),  # h- before a vowel (ei hysgol)
        ("prentisiaethau", "prentisiaeth"),  # plural, from the lexicon's flags
        ("brentisiaethau", "prentisiaeth"),  # mutated and plural
        ("tocynnau", "tocyn"),
        ("Pêl-droed", "pel-droed"),
        ("peldroed", "pêl droed"),  # written as one word
    ],
)
def test_welsh_words_meet_their_dictionary_form(typed: str, radical: str) -> None:
    assert normalise(typed) == normalise(radical)


@pytest.mark.parametrize(
    ("one", "other"),
    [("nursing", "nurses"), ("swimming", "swim"), ("café", "cafe"), ("Mentoring", "mentor"), ("tickets", "ticket")],
)
def test_english_words_meet_their_stem(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("air", "gair"),  # an English word is not a mutated Welsh one
        ("salon", "sal"),  # nor a Welsh plural
        ("fitness", "fit"),  # nor stemmed into a common word with another meaning
        ("boxing", "box"),
        ("coding", "code"),
    ],
)
def test_words_that_only_look_alike_stay_apart(one: str, other: str) -> None:
    assert normalise(one) != normalise(other)


def test_a_query_loses_its_stop_words_unless_that_is_all_it_has() -> None:
    assert query_words("someone to talk to") == "someon talk"
    assert query_words("swydd mewn swyddfa") == " ".join(keys("swydd swyddfa"))
    assert query_words("IT support") == "it support"
    assert query_words("the") == "the"


def test_the_vocabulary_applies_both_ways_across_words_and_languages() -> None:
    vocabulary = Vocabulary(
        [
            Group("gym", ["gym", "leisure centre", "canolfan hamdden"]),
            Group("sport", ["sport", "chwaraeon"]),
            Group("football", ["football", "pêl-droed"], broader=("sport",)),
        ]
    )
    found_by = vocabulary.related(keys("Free swims at the leisure centre"))
    assert set(keys("gym canolfan hamdden")) <= set(found_by.split()), "a phrase finds a word"
    assert "leisur centr" in vocabulary.related(keys("Gym pass")), "a word finds a phrase"
    assert set(keys("sport chwaraeon")) <= set(vocabulary.related(keys("Y bêl-droed ar nos Wener")).split())
    assert "footbal" not in vocabulary.related(keys("Sport for all")), "broader applies one way only"
    assert vocabulary.related(keys("Painting")) == ""


def test_the_longest_phrase_wins_and_broader_goes_one_step() -> None:
    vocabulary = Vocabulary(
        [
            Group("painting", ["painting", "peintio"], broader=("art",)),
            Group("decorating", ["painting and decorating", "decorator"], broader=("construction",)),
            Group("art", ["art", "celf"], broader=("creative",)),
            Group("construction", ["construction", "adeiladu"]),
            Group("creative", ["creative", "creadigol"]),
        ]
    )
    trade = set(vocabulary.related(keys("Painting and decorating apprenticeship")).split())
    assert "adeiladu" in trade and "celf" not in trade, "a decorator is not an artist"
    art = set(vocabulary.related(keys("Painting for beginners")).split())
    assert "celf" in art and "creadigol" not in art, "one step broader, no further"
