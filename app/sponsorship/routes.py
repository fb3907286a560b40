"""Sponsorship pages and Stripe's webhook."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post

from app.core.auth import public
from app.core.i18n import _
from app.sponsorship import service
from app.sponsorship.gateway import PaymentsUnavailable

WEBHOOK = "/stripe/webhook"


@post(WEBHOOK, name="sponsorship:webhook", guards=[public], status_code=200)
async def webhook(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """Stripe's events, verified on the raw body; anything unsigned, forged or stale is refused with 400 and
    changes nothing. A failure on our side answers 503, and Stripe sends the event again later."""
    gateway = request.app.state.payments
    if gateway is None:
        return Response({"error": _("Card payments are not set up here.")}, status_code=400)
    try:
        event = gateway.verify(await request.body(), request.headers.get("stripe-signature"))
    except ValueError:
        return Response({"error": _("The signature does not match this event.")}, status_code=400)
    try:
        outcome = await service.apply_event(request.app.state.settings, gateway, event)
    except PaymentsUnavailable:
        return Response({"error": _("Stripe could not be reached; send it again later.")}, status_code=503)
    return Response({"received": outcome})


ROUTES = [webhook]
