"""A client of the open data from an address of its own: each test's requests count against a rate-limit bucket
nobody else uses, and the buckets are forgotten before every test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from litestar import Litestar

from app.openreferral.limits import BUCKETS

API = "/openreferral"


@asynccontextmanager
async def clients(app: Litestar) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    BUCKETS.forget()
    made: list[httpx.AsyncClient] = []

    def make(address: str = "192.0.2.10", **headers: Any) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        made.append(httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", headers=headers))
        return made[-1]

    try:
        yield make
    finally:
        for each in made:
            await each.aclose()
        BUCKETS.forget()
