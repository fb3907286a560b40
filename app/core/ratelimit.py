"""Fixed-window rate limits kept in PostgreSQL, so every web process and machine shares them."""

from __future__ import annotations

from typing import Any

from litestar import Request
from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table

from app.core.errors import TooManyRequests
from app.core.keys import keyed_hash
from app.settings import Settings


def client_ip(request: Request[Any, Any, Any], settings: Settings) -> str:
    """Who a limit is about: behind Fly's proxy the client's address is in a header (CLIENT_IP_HEADER);
    otherwise the socket's."""
    if settings.client_ip_header and (forwarded := request.headers.get(settings.client_ip_header)):
        return forwarded.split(",")[0].strip()[:64]
    return request.client.host if request.client else "unknown"


class RateLimit(Table, tablename="rate_limit"):
    id: Serial
    key = Varchar(length=100, unique=True, required=True, help_text="A keyed hash: never an address in clear.")
    window_start = Timestamptz()
    hits = Integer(default=0)


def limit_key(settings: Settings, *parts: str) -> str:
    return keyed_hash(settings, "rate-limit", "\x1f".join(parts))


async def hit(key: str, limit: int, window_s: int, message: str) -> None:
    """Count one attempt; past `limit` in the current window, raise TooManyRequests with `message`."""
    rows = await RateLimit.raw(
        """
        INSERT INTO rate_limit AS r (key, window_start, hits) VALUES ({}, now(), 1)
        ON CONFLICT (key) DO UPDATE SET
            hits = CASE WHEN r.window_start <= now() - make_interval(secs => {}) THEN 1 ELSE r.hits + 1 END,
            window_start = CASE WHEN r.window_start <= now() - make_interval(secs => {})
                THEN now() ELSE r.window_start END
        RETURNING hits
        """,
        key,
        window_s,
        window_s,
    )
    if rows[0]["hits"] > limit:
        raise TooManyRequests(message)


async def check(key: str, limit: int, window_s: int, message: str) -> None:
    """Raise TooManyRequests if `key` is already at its limit, without counting this attempt (for limits that
    count only failures)."""
    rows = await RateLimit.raw(
        "SELECT hits FROM rate_limit WHERE key = {} AND window_start > now() - make_interval(secs => {})",
        key,
        window_s,
    )
    if rows and rows[0]["hits"] >= limit:
        raise TooManyRequests(message)


async def forget_old(window_s: int) -> None:
    await RateLimit.raw("DELETE FROM rate_limit WHERE window_start < now() - make_interval(secs => {})", window_s)
