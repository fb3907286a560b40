"""Everything we ask of Stripe, behind one small object that receives the Stripe client (tests give it one
pointed at a local stand-in). Amounts are always ours; Stripe is told them, never asked."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import stripe

from app.core.db import MAX_ID
from app.settings import Settings

TOLERANCE_S = 300  # a signed event older than this is refused (replayed deliveries)
CHECKOUT_LIFETIME_S = 3600
TIMEOUT_S = 10  # a pledge (or the worker) never hangs on a slow Stripe


class PaymentsUnavailable(Exception):
    """Stripe could not be reached or refused us; nothing was changed on our side."""


@dataclass(frozen=True)
class Event:
    """A verified event: what happened (`type`) and the object it happened to, still in Stripe's shape (it
    depends on the type)."""

    id: str
    type: str
    object: dict[str, Any]

    @classmethod
    def of(cls, event: Mapping[str, Any]) -> Event:
        obj = dict(event.get("data", {}).get("object", {}))
        return cls(id=str(event.get("id", "")), type=str(event.get("type", "")), object=obj)


@dataclass(frozen=True)
class Session:
    """What we read of a Checkout Session: the sponsorship its metadata names (an id a row could have, or None),
    and what Stripe says was paid."""

    id: str
    url: str
    status: str | None
    payment_status: str | None
    amount_total: int
    currency: str
    payment_intent: str | None
    sponsorship_id: int | None

    @classmethod
    def of(cls, obj: Mapping[str, Any]) -> Session:
        raw = str((obj.get("metadata") or {}).get("sponsorship_id", ""))
        return cls(
            id=str(obj.get("id") or ""),
            url=str(obj.get("url") or ""),
            status=obj.get("status"),
            payment_status=obj.get("payment_status"),
            amount_total=int(obj.get("amount_total") or 0),
            currency=str(obj.get("currency", "")),
            payment_intent=obj.get("payment_intent"),
            sponsorship_id=int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None,
        )


@dataclass(frozen=True)
class Charge:
    """What we read of a charge that was refunded: its payment, and how much of it has been refunded in all."""

    payment_intent: str
    amount_refunded: int

    @classmethod
    def of(cls, obj: Mapping[str, Any]) -> Charge:
        return cls(str(obj.get("payment_intent") or ""), int(obj.get("amount_refunded") or 0))


class StripeGateway:
    def __init__(self, client: stripe.StripeClient, webhook_secret: str) -> None:
        self.client = client
        self.webhook_secret = webhook_secret

    @classmethod
    def from_settings(cls, settings: Settings) -> StripeGateway | None:
        if not (settings.stripe_secret_key and settings.stripe_webhook_secret):
            return None
        addresses: Any = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        client = stripe.StripeClient(
            settings.stripe_secret_key,
            base_addresses=addresses,
            http_client=stripe.HTTPXClient(timeout=TIMEOUT_S),
            max_network_retries=2,
        )
        return cls(client, settings.stripe_webhook_secret)

    def verify(self, payload: bytes, signature: str | None) -> Event:
        """The event, if the signature over the raw body is Stripe's and recent; ValueError otherwise."""
        try:
            event = stripe.Webhook.construct_event(payload, signature, self.webhook_secret, tolerance=TOLERANCE_S)
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise ValueError(str(exc)) from None
        return Event.of(event.to_dict())

    async def checkout(
        self, *, sponsorship_id: int, reference: str, name: str, units: int, unit_pence: int, email: str,
        success_url: str, cancel_url: str,
    ) -> Session:  # fmt: skip
        metadata = {"sponsorship_id": str(sponsorship_id), "reference": reference}
        params: Any = {
            "mode": "payment",
            "payment_method_types": ["card"],  # paid or not at once: no delayed methods to wait for
            "line_items": [
                {
                    "price_data": {"currency": "gbp", "unit_amount": unit_pence, "product_data": {"name": name}},
                    "quantity": units,
                }
            ],
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "client_reference_id": reference,
            "customer_email": email,
            "success_url": success_url,
            "cancel_url": cancel_url,
            # An hour (Stripe's least is 30 minutes): held units come back soon if the sponsor walks away.
            "expires_at": int(time.time()) + CHECKOUT_LIFETIME_S,
        }
        made = await self._call(
            self.client.v1.checkout.sessions.create_async, params, {"idempotency_key": f"checkout-{reference}"}
        )
        return Session.of(made)

    async def session(self, session_id: str) -> Session:
        return Session.of(await self._call(self.client.v1.checkout.sessions.retrieve_async, session_id))

    async def sessions_paid_by(self, payment_intent: str) -> list[Session]:
        found = await self._call(self.client.v1.checkout.sessions.list_async, {"payment_intent": payment_intent})
        return [Session.of(session) for session in found.get("data", [])]

    async def refund(self, *, payment_intent: str, amount_pence: int, key: str) -> None:
        params: Any = {"payment_intent": payment_intent, "amount": amount_pence, "metadata": {"key": key}}
        await self._call(self.client.v1.refunds.create_async, params, {"idempotency_key": key})

    async def _call(self, method: Any, *args: Any) -> Mapping[str, Any]:
        """Stripe's answer in its own shape (JSON): read into our types by the methods above."""
        try:
            found = await method(*args)
        except stripe.StripeError as exc:
            raise PaymentsUnavailable(str(exc.user_message or exc)) from exc
        return dict(found.to_dict())
