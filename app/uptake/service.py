"""Recording uptake: call inside the transaction of the step it counts."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from typing import Any

from app.settings import Settings
from app.uptake.tables import OfferView, UptakeEvent


def person_key(settings: Settings, young_person_id: int) -> str:
    return hmac.new(settings.secret_key.encode(), f"person:{young_person_id}".encode(), hashlib.sha256).hexdigest()


async def record(settings: Settings, kind: str, offer: dict[str, Any], young_person: dict[str, Any]) -> None:
    await UptakeEvent.insert(
        UptakeEvent(
            kind=kind,
            offer=offer["id"],
            organisation=offer["organisation"],
            offer_type=offer["type"],
            principles=list(offer["principles"] or []),
            council_area=young_person["home_council"],
            person_key=person_key(settings, young_person["id"]),
        )
    )


async def viewed(offer_id: int, day: date) -> None:
    await OfferView.raw(
        "INSERT INTO offer_view (offer, day, views) VALUES ({}, {}, 1)"
        " ON CONFLICT (offer, day) DO UPDATE SET views = offer_view.views + 1",
        offer_id,
        day,
    )
