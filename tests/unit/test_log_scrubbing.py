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


def test_a_json_line_is_one_object_without_an_email_address() -> None:
    import json

    from app.core.accesslog import JsonFormatter

    try:
        raise RuntimeError("duplicate key (email)=(someone@example.org)")
    except RuntimeError:
        record = logging.LogRecord("app.x", logging.ERROR, __file__, 1, 'for %s "quoted"', ("a@b.example",), True)
        record.exc_info = __import__("sys").exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["logger"] == "app.x" and parsed["level"] == "ERROR" and parsed["message"].endswith('"quoted"')
    assert "duplicate key" in parsed["error"] and "@" not in line.replace("<address>", "")
