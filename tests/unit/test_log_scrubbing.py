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


def test_a_text_line_names_its_request_after_the_logger() -> None:
    from app.core.accesslog import TEXT_FORMAT, ScrubbingFormatter, configure_logging, request_id

    configure_logging()  # stamps records with the request they were made in
    token = request_id.set("0123abcd" * 4)
    try:
        inside = logging.getLogger("app.access").makeRecord("app.access", logging.INFO, __file__, 1, "x", (), None)
    finally:
        request_id.reset(token)
    outside = logging.getLogger("app.access").makeRecord("app.access", logging.INFO, __file__, 1, "x", (), None)
    assert ScrubbingFormatter(TEXT_FORMAT).format(inside) == f"INFO:     app.access [{'0123abcd' * 4}] x"
    assert ScrubbingFormatter(TEXT_FORMAT).format(outside) == "INFO:     app.access x"
