"""Fixed-window rate limits kept in PostgreSQL, so every web process and machine shares them."""

from __future__ import annotations

import ipaddress
from typing import Any

from litestar import Request
from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table

from app.core.errors import TooManyRequests
from app.core.keys import keyed_hash
from app.settings import Settings


def client_ip(request: Request[Any, Any, Any], settings: Settings) -> str:
    """Who a limit is about. Without CLIENT_IP_HEADER, the socket's address: no header is believed, since anyone
    can send one. With it (behind Fly's proxy), only the entry our own proxy added: proxies append to the right,
    so it is the last (or, with TRUSTED_PROXY_HOPS proxies in a row, that many from the right); whatever the
    client wrote further left is ignored."""
    socket = request.client.host if request.client else "unknown"
    if not settings.client_ip_header:
        return socket
    entries = [entry.strip() for entry in ",".join(request.headers.getall(settings.client_ip_header, [])).split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < settings.trusted_proxy_hops:
        return socket
    try:
        address = ipaddress.ip_address(entries[-settings.trusted_proxy_hops])
    except ValueError:
        return socket
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return str(mapped or address)


def network_of(ip: str) -> str:
    """The network an address is in, for limits that someone with many addresses must not walk around: the /24
    of an IPv4 address, the /64 of an IPv6 one (what one home or phone is usually given)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:  # ::ffff:a.b.c.d is an IPv4 client
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


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


async def give_back(key: str, window_s: int) -> None:
    """Un-count one attempt counted by `hit` in the current window (one that turned out to be allowed for free,
    like a correct code). Only ever after `hit`, so parallel attempts are still bounded by `limit`."""
    await RateLimit.raw(
        "UPDATE rate_limit SET hits = greatest(hits - 1, 0)"
        " WHERE key = {} AND window_start > now() - make_interval(secs => {})",
        key,
        window_s,
    )


async def forget_old(window_s: int) -> None:
    await RateLimit.raw("DELETE FROM rate_limit WHERE window_start < now() - make_interval(secs => {})", window_s)
