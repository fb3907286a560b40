"""The session cookie's flags (signing in and out: tests/test_accounts.py)."""

from __future__ import annotations

from dataclasses import replace

from app.accounts.routes import _cookie
from app.settings import Settings


def test_the_session_cookie_is_secure_in_production(settings: Settings) -> None:
    cookie = _cookie(replace(settings, app_env="prod"), "session", "x", 60)
    assert cookie.secure and cookie.httponly and cookie.samesite == "lax"
