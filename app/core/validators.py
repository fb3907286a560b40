"""HTTP validators (RFC 9110 §8.8, §13): a weak ETag for a body, and whether a conditional GET already has it, so
feeds and open data can answer 304 with nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from litestar import Request


def weak_etag(body: bytes, variant: str = "") -> str:
    """Weak: compression changes the bytes sent, not what they say. `variant` is what else picks the body (the
    language its words are in)."""
    digest = hashlib.blake2b(variant.encode() + b"\0" + body, digest_size=16).hexdigest()
    return f'W/"{digest}"'


def _tag(value: str) -> str:
    return value.strip().removeprefix("W/")


def not_modified(request: Request[Any, Any, Any], etag: str, modified: datetime | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when it is sent (weak comparison); otherwise If-Modified-Since,
    when there is a Last-Modified to compare it with."""
    asked = request.headers.get("if-none-match")
    if asked is not None:
        return asked.strip() == "*" or any(_tag(each) == _tag(etag) for each in asked.split(","))
    since_text = request.headers.get("if-modified-since")
    if not since_text or modified is None:
        return False
    try:
        since = parsedate_to_datetime(since_text)
    except (TypeError, ValueError, IndexError):
        return False
    return modified <= (since if since.tzinfo else since.replace(tzinfo=UTC))
