"""Choosing the language, the language link, and the catalogues (pages in Welsh: tests/test_i18n.py)."""

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from app.core.i18n import LOCALE_DIR, negotiate, parse_accept_language
from app.settings import ROOT


def test_accept_language_is_read_by_quality() -> None:
    assert parse_accept_language("en-GB;q=0.5, cy-GB, fr;q=0") == ["cy-gb", "en-gb"]
    assert parse_accept_language("") == []
    assert parse_accept_language("en;q=nonsense, cy") == ["cy"]


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        ("cy", "en", "en", "cy"),
        (None, "cy", "en", "cy"),
        ("xx", None, "cy-GB,en;q=0.8", "cy"),
        (None, None, "fr, de", "en"),
        (None, "klingon", None, "en"),
    ],
)
def test_language_is_query_then_cookie_then_header(
    query: str | None, cookie: str | None, header: str | None, expected: str
) -> None:
    assert negotiate(query, cookie, header) == expected


def test_every_marked_string_is_in_the_catalogues_and_translated_into_welsh(tmp_path: Path) -> None:
    """Fails when a string is marked but `make i18n-update` was not run, or its Welsh is missing."""
    pot = f"{tmp_path}/messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "--ignore-dirs=.* node_modules var",
         "-o", pot, str(ROOT)]
    )  # fmt: skip
    with open(pot, "rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with (LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        welsh = {message.id: message.string for message in read_po(handle, locale="cy") if message.id}
    assert wanted - welsh.keys() == set(), "run `make i18n-update` and translate the new strings"
    untranslated = [
        key for key, value in welsh.items() if key in wanted and not all(value if isinstance(value, tuple) else [value])
    ]
    assert untranslated == []


def test_the_language_link_never_leaves_the_site() -> None:
    from types import SimpleNamespace

    from litestar.datastructures import MultiDict

    from app.core.templating import lang_url

    for path in ["//evil.example/x", "/\\evil.example/x", "/offers"]:
        request = SimpleNamespace(url=SimpleNamespace(path=path), query_params=MultiDict({"q": "gym"}))
        url = lang_url(request, "cy")  # type: ignore[arg-type]
        assert url.startswith("/") and not url.startswith(("//", "/\\")), url
        assert url.endswith("?q=gym&lang=cy")
