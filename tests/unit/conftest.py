"""Tests that need no PostgreSQL, Meilisearch, browser or app client: pure functions and files on disk.

Run alone (`make test-unit`), tests/conftest.py starts no service; run with the rest, they share the run
but still touch neither service. Here they get settings of their own and nothing to clean up."""

from __future__ import annotations

import secrets

import pytest

from app.settings import Settings, load_settings


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(
        {
            "APP_ENV": "test",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "PERSON_KEY": secrets.token_urlsafe(32),
            "VAR_DIR": str(tmp_path_factory.mktemp("var")),
        }
    )


@pytest.fixture(autouse=True)
def clean_state() -> None:
    """Overrides tests/conftest.py's: a unit test leaves no rows or indexes behind, and may have no service to
    clean them in."""
