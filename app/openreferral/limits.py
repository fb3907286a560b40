"""A rate limit per client for the open data: a token bucket per address (an IPv6 client's /64), kept in the
process's memory.

Not in PostgreSQL like the sign-in limits (app/core/ratelimit.py): that costs a write, and a row lock shared by
every request of one client, on every read of public data, which a fair harvester makes hundreds of. A limit in
memory is per process, so with WEB_CONCURRENCY workers on N machines a client gets up to that many times the
limit: it stops one client from hogging a process, which is what it is for; the database is never the limit."""

from __future__ import annotations

import ipaddress
import math
import time
from typing import Any

from litestar import MediaType, Request, Response

from app.core.i18n import _
from app.core.ratelimit import client_ip
from app.settings import Settings

MAX_CLIENTS = 50_000  # buckets kept at most; full ones go first


def client_key(request: Request[Any, Any, Any], settings: Settings) -> str:
    """Who a limit is about: the address (as app/core/ratelimit.client_ip trusts it), or an IPv6 address's /64,
    which is what one home or phone is given."""
    ip = client_ip(request, settings)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6 and address.ipv4_mapped is not None:  # an IPv4 client on a dual-stack socket
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return ip


class Buckets:
    """Each client may send `per_minute` requests at once, then one every 60/per_minute seconds."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[float, float]] = {}  # client → (tokens, when counted)

    def take(self, key: str, per_minute: int, now: float) -> float:
        """Takes one request's token; 0 when there was one, else the seconds until there is."""
        rate = per_minute / 60
        tokens, then = self.kept.get(key, (float(per_minute), now))
        tokens = min(float(per_minute), tokens + (now - then) * rate)
        if tokens < 1:
            self.kept[key] = (tokens, now)
            return (1 - tokens) / rate
        self.kept[key] = (tokens - 1, now)
        if len(self.kept) > MAX_CLIENTS:
            self.prune(per_minute, now)
        return 0.0

    def prune(self, per_minute: int, now: float) -> None:
        """Forgets clients whose bucket has filled up again (they lose nothing); if too many are still waiting,
        the longest-known half."""
        rate = per_minute / 60
        self.kept = {
            key: (tokens, then)
            for key, (tokens, then) in self.kept.items()
            if tokens + (now - then) * rate < per_minute
        }
        if len(self.kept) > MAX_CLIENTS:
            self.kept = dict(list(self.kept.items())[len(self.kept) // 2 :])

    def forget(self) -> None:
        self.kept.clear()


BUCKETS = Buckets()


async def rate_limit(request: Request[Any, Any, Any]) -> Response[Any] | None:
    """A router's before_request hook: None lets the request on; a 429 with Retry-After stops it."""
    settings: Settings = request.app.state.settings
    if not settings.openreferral_per_minute:
        return None
    wait = BUCKETS.take(client_key(request, settings), settings.openreferral_per_minute, time.monotonic())
    if not wait:
        return None
    detail = _("Too many requests from your address: try again in %(seconds)d seconds.") % {"seconds": math.ceil(wait)}
    return Response(
        {"status": 429, "error": "Too Many Requests", "detail": detail},
        status_code=429,
        media_type=MediaType.JSON,
        headers={"Retry-After": str(math.ceil(wait)), "Cache-Control": "no-store"},
    )
