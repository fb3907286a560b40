"""Offers open to sponsors: a provider sets the unit price and cap of a concession, and sponsors see which
offers take funding and how many units are left under each cap."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from app.audit import service as audit
from app.codes import pool
from app.core.auth import Principal
from app.core.db import MAX_ID
from app.core.errors import NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.offers.service import open_sql
from app.offers.tables import Offer

MAX_UNIT_PENCE = 100_000  # £1,000 a unit: anything above is a typing slip
MAX_CAP = 10_000  # as many codes as a pool takes at once


def held_sql() -> str:
    """Units of an offer that sponsors hold: paid (less refunded) and still on their way (pending)."""
    return (
        "coalesce((SELECT sum(s.units - s.refunded_units) FROM sponsorship s WHERE s.offer = o.id"
        " AND s.status IN ('pending', 'paid')), 0)"
    )


async def lock_and_count(offer_id: int, any_price: bool = False) -> list[dict[str, Any]]:
    """Within a transaction: lock the offer's row, then count what sponsors hold in a second statement. One
    statement would count from a snapshot taken before it waited for the lock, and miss a pledge that had just
    committed."""
    await Offer.raw("SELECT id FROM offer WHERE id = {} FOR UPDATE", offer_id)
    return await Offer.raw(
        f"SELECT o.id, o.title, o.organisation, o.sponsor_unit_pence, o.sponsor_cap, {held_sql()} AS held"
        " FROM offer o WHERE o.id = {} AND ({} OR o.sponsor_unit_pence IS NOT NULL)",
        offer_id,
        any_price,
    )


async def sponsorable(today: date, offer_id: int | None = None) -> list[dict[str, Any]]:
    """Open concessions with a unit price, newest first (or just the one asked for), each with the units `left`
    under its cap (0 when sponsors hold them all)."""
    rows = await Offer.raw(
        "SELECT o.id, o.title, o.summary, o.type, o.principles, o.location_name, o.council_area, o.closes_on,"
        f" o.sponsor_unit_pence, o.sponsor_cap, {held_sql()} AS held, org.name AS organisation_name"
        " FROM offer o JOIN organisation org ON org.id = o.organisation"
        f" WHERE {open_sql('o.')} AND o.sponsor_unit_pence IS NOT NULL"
        " AND o.sponsor_cap > 0 AND ({} = 0 OR o.id = {}) ORDER BY o.published_at DESC NULLS LAST, o.id DESC",
        today,
        offer_id or 0,
        offer_id or 0,
    )
    return [dict(row) | {"left": row["sponsor_cap"] - row["held"]} for row in rows]


def read_pounds(form: Form, name: str, label: str) -> int | None:
    """Pounds as typed ("5", "5.50", "£5") to pence; records an error on the form otherwise."""
    raw = form.raw(name).replace("£", "").replace(",", "").strip()
    if not raw:
        form.error(name, _("Enter %(label)s.") % {"label": label})
        return None
    try:
        pence = Decimal(raw) * 100
    except ArithmeticError:  # not a number, or one too big for a Decimal ("9e999999")
        pence = Decimal(-1)
    if pence != pence.to_integral_value() or not 0 < pence <= MAX_UNIT_PENCE:
        form.error(name, _("Enter %(label)s in pounds and pence, like 5 or 4.50, up to £1,000.") % {"label": label})
        return None
    return int(pence)


async def terms(org_id: int, offer_id: int) -> dict[str, Any]:
    """One of this organisation's concessions, with its terms for sponsors (404 for anything else)."""
    rows = await Offer.select(Offer.id, Offer.title, Offer.type, Offer.sponsor_unit_pence, Offer.sponsor_cap).where(
        (Offer.id == (offer_id if 0 < offer_id <= MAX_ID else 0)) & (Offer.organisation == org_id)
    )
    if not rows or rows[0]["type"] not in pool.CONCESSIONS:
        raise NotFound(_("We could not find that concession."))
    return dict(rows[0])


async def open_to_sponsors(who: Principal, org_id: int, offer_id: int, form: Form) -> None:
    """A provider sets (or clears) the unit price and cap of one of its concessions."""
    offer_id = (await terms(org_id, offer_id))["id"]
    unit_pence: int | None = None
    cap: int | None = 0
    if not form.flag("stop"):
        unit_pence = read_pounds(form, "unit_price", _("the price of one unit"))
        cap = form.number("cap", 1, MAX_CAP)
    form.check()
    async with Offer._meta.db.transaction():
        held = (await lock_and_count(offer_id, any_price=True))[0]["held"]
        if unit_pence is not None and cap is not None and cap < held:
            form.error("cap", _("Sponsors already hold %(held)s units: the cap cannot be lower.") % {"held": held})
            form.check()
        await Offer.update({Offer.sponsor_unit_pence: unit_pence, Offer.sponsor_cap: cap or 0}).where(
            Offer.id == offer_id
        )
        await audit.record(
            "offer.sponsorship_set", actor=who.user_id, organisation=org_id, subject=("offer", offer_id),
            unit_pence=unit_pence, cap=cap,
        )  # fmt: skip
