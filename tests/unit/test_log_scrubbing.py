"""The app's log formatter drops email addresses (what the app logs: tests/test_logs.py)."""

from __future__ import annotations

import logging

from app.core.accesslog import ScrubbingFormatter


def test_nothing_written_through_the_app_handler_keeps_an_email_address() -> None:
    try:
        raise RuntimeError("duplicate key (email)=(someone@example.org)")
    except RuntimeError:
        record = logging.LogRecord("app.x", logging.ERROR, __file__, 1, "for %s", ("a@b.example",), True)
        record.exc_info = __import__("sys").exc_info()
    line = ScrubbingFormatter("%(message)s").format(record)
    assert "@" not in line.replace("<address>", "") and "duplicate key" in line
