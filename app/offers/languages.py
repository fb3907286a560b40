"""Offers in English, Welsh or both: the words a reader sees, and the offer form's two sets of words.

An offer's `title`, `summary` and `description` are in its `language` (the one its provider wrote first, never
empty); `title_alt`, `summary_alt` and `description_alt` hold the other language's, empty when there is none.
Readers see their own language when it is written, otherwise the other one, marked with its `lang`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.i18n import InLanguages

LANGUAGES = ("en", "cy")
WORDS = ("title", "summary", "description")


def other(language: str) -> str:
    return "cy" if language == "en" else "en"


@dataclass(frozen=True)
class Words:
    """An offer's title, summary and description in one language, with that language's code (for `lang`)."""

    title: str
    summary: str
    description: str
    lang: str


def written(offer: Mapping[str, Any]) -> dict[str, Words]:
    """The offer's words in each language it is written in (one or two entries, its first language first)."""
    first = offer.get("language") or "en"
    words = {first: Words(offer["title"], offer.get("summary") or "", offer.get("description") or "", first)}
    if offer.get("title_alt"):
        second = other(first)
        words[second] = Words(
            offer["title_alt"], offer.get("summary_alt") or "", offer.get("description_alt") or "", second
        )
    return words


def words_for(offer: Mapping[str, Any], reader: str) -> Words:
    """What a reader of `reader`'s language sees: their language when written, else the offer's first language."""
    words = written(offer)
    return words.get(reader) or words[offer.get("language") or "en"]


COLUMNS = ("language", "title", "summary", "description", "title_alt", "summary_alt", "description_alt")


def by_language(offer: Mapping[str, Any]) -> dict[str, str]:
    """The offer's words as the form names them, one field per language: title_en, summary_cy, ... ('' when that
    language is not written)."""
    words = written(offer)
    fields: dict[str, str] = {}
    for lang in LANGUAGES:
        shown = words.get(lang) or Words("", "", "", lang)
        fields |= {f"title_{lang}": shown.title, f"summary_{lang}": shown.summary}
        fields[f"description_{lang}"] = shown.description
    return fields


def has_welsh(offer: Mapping[str, Any]) -> bool:
    return "cy" in written(offer)


def in_language(row: Mapping[str, Any], reader: str) -> dict[str, Any]:
    """A row with an offer's `title`, `language` and `title_alt` as the reader sees it: `title` in the reader's
    language when written, `lang` saying which, the other two gone."""
    words = words_for(row, reader)
    rest = {key: value for key, value in row.items() if key not in ("language", "title_alt")}
    return rest | {"title": words.title, "lang": words.lang}


def title_in_languages(offer: Mapping[str, Any]) -> InLanguages:
    """The title as each language has it, for an email rendered in its reader's language."""
    return InLanguages({lang: words.title for lang, words in written(offer).items()})


def as_columns(texts: Mapping[str, Words], first: str) -> dict[str, str]:
    """The offer's columns from its words by language (at least one), `first` the preferred first language."""
    main = first if first in texts else next(iter(texts))
    columns = {"language": main, "title_alt": "", "summary_alt": "", "description_alt": ""}
    for lang, words in texts.items():
        suffix = "" if lang == main else "_alt"
        columns |= {f"title{suffix}": words.title, f"summary{suffix}": words.summary}
        columns[f"description{suffix}"] = words.description
    return columns
