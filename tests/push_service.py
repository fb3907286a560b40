"""A push service stand-in on loopback, and a browser's side of a subscription: what Chrome's or Firefox's push
service would receive (the POST, its VAPID Authorization header, the encrypted body), and the keys a browser keeps
to read it (RFC 8291), so a test sees exactly what a phone would show."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from multidict import CIMultiDict
from py_vapid import Vapid02


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Received:
    headers: CIMultiDict[str]  # header names in any case, as HTTP has them
    body: bytes


@dataclass
class PushService:
    url: str
    received: list[Received] = field(default_factory=list)
    answer: int = 201  # what the service says to the next posts (410: the browser unsubscribed)


@dataclass
class Browser:
    """A browser's subscription: where its push service takes our notes, and the keys only it can read them with."""

    endpoint: str
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self) -> dict[str, Any]:
        """As PushSubscription.toJSON() gives it."""
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": _b64(point), "auth": _b64(self.auth)},
        }

    def read(self, received: Received) -> dict[str, Any]:
        assert received.headers["Content-Encoding"] == "aes128gcm"
        plain = http_ece.decrypt(received.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        return json.loads(plain)


def signed_by_us(received: Received, public_key: str) -> bool:
    """The Authorization header is a VAPID token (RFC 8292) signed with our key."""
    authorization = received.headers.get("Authorization", "")
    return f"k={public_key}" in authorization and bool(Vapid02.verify(authorization))


@asynccontextmanager
async def push_service() -> AsyncIterator[PushService]:
    service = PushService(url="")

    async def take(request: web.Request) -> web.Response:
        service.received.append(Received(CIMultiDict(request.headers), await request.read()))
        return web.Response(status=service.answer)

    app = web.Application()
    app.router.add_post("/push/{id}", take)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    service.url = f"http://127.0.0.1:{port}"
    try:
        yield service
    finally:
        await runner.cleanup()
