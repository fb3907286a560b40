"""Factories: build rows with sensible defaults; tests say only what matters to them."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.offers.tables import Offer, OfferStatus, OfferType
from app.organisations.tables import Organisation, OrganisationKind

_seq = itertools.count(1)


async def organisation(**fields: Any) -> Organisation:
    n = next(_seq)
    values: dict[str, Any] = {
        "name": f"Organisation {n}",
        "slug": f"organisation-{n}",
        "kind": OrganisationKind.employer,
        "pledged_principles": [5, 10],
        "approved_at": datetime.now(UTC),
    }
    row = Organisation(**(values | fields))
    await row.save()
    return row


async def offer(org: Organisation | None = None, **fields: Any) -> Offer:
    org = org or await organisation()
    values: dict[str, Any] = {
        "organisation": org.id,
        "type": OfferType.apprenticeship,
        "title": f"Offer {next(_seq)}",
        "summary": "A summary",
        "principles": [5, 10],
        "location_name": "Cardiff",
        "status": OfferStatus.published,
        "closes_on": date.today() + timedelta(days=10),
        "published_at": datetime.now(UTC),
    }
    row = Offer(**(values | fields))
    await row.save()
    return row
