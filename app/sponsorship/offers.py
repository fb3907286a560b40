"""Offers open to sponsors: a provider sets the unit price and cap of a concession, and sponsors see which
offers take funding and how many units are left under each cap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from app.audit import service as audit
from app.core.auth import Principal
from app.core.errors import NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.core.money import parse_pence
from app.offers.service import open_sql
from app.offers.tables import CONCESSIONS, Offer

MAX_UNIT_PENCE = 100_000  # £1,000 a unit: anything above is a typing slip
MAX_CAP = 10_000  # as many codes as a pool takes at once

# Units of an offer (aliased "o") that sponsors hold: paid (less refunded) and still on their way (pending).
HELD: Final = (
    "coalesce((SELECT sum(s.units - s.refunded_units) FROM sponsorship s WHERE s.offer = o.id"
    " AND s.status IN ('pending', 'paid')), 0)"
)
OPEN: Final = open_sql("o.")  # the offers' own rule for an offer open today, for an offer aliased "o"


@dataclass(frozen=True)
class Held:
    """An offer's terms for sponsors, read with its row locked, and the units sponsors hold of it."""

    id: int
    title: str
    organisation: int
    sponsor_unit_pence: int | None
    sponsor_cap: int
    held: int


@dataclass(frozen=True)
class Sponsorable:
    """An open concession sponsors can fund: its price of one unit, its cap and the units sponsors hold."""

    id: int
    title: str
    summary: str
    type: str
    principles: list[int]
    location_name: str
    council_area: str
    closes_on: date | None
    sponsor_unit_pence: int
    sponsor_cap: int
    held: int
    organisation_name: str

    @property
    def left(self) -> int:
        """Units left under the cap (0 when sponsors hold them all)."""
        return self.sponsor_cap - self.held


@dataclass(frozen=True)
class Terms:
    """One of a provider's concessions and its terms for sponsors (no unit price: not open to them)."""

    id: int
    title: str
    type: str
    sponsor_unit_pence: int | None
    sponsor_cap: int


async def lock_and_count(offer_id: int, any_price: bool = False) -> Held | None:
    """Within a transaction: lock the offer's row, then count what sponsors hold in a second statement. One
    statement would count from a snapshot taken before it waited for the lock, and miss a pledge that had just
    committed."""
    await Offer.raw("SELECT id FROM offer WHERE id = {} FOR UPDATE", offer_id)
    rows = await Offer.raw(  # S608: HELD is a constant, and the values go as parameters
        f"SELECT o.id, o.title, o.organisation, o.sponsor_unit_pence, o.sponsor_cap, {HELD} AS held"  # noqa: S608
        " FROM offer o WHERE o.id = {} AND ({} OR o.sponsor_unit_pence IS NOT NULL)",
        offer_id,
        any_price,
    )
    return Held(**rows[0]) if rows else None


async def sponsorable(today: date, offer_id: int | None = None) -> list[Sponsorable]:
    """Open concessions with a unit price, newest first (or just the one asked for)."""
    rows = await Offer.raw(  # S608: HELD and OPEN are constants, and the values go as parameters
        "SELECT o.id, o.title, o.summary, o.type, o.principles, o.location_name, o.council_area, o.closes_on,"  # noqa: S608
        f" o.sponsor_unit_pence, o.sponsor_cap, {HELD} AS held, org.name AS organisation_name"
        " FROM offer o JOIN organisation org ON org.id = o.organisation"
        f" WHERE {OPEN} AND o.sponsor_unit_pence IS NOT NULL"
        " AND o.sponsor_cap > 0 AND ({} = 0 OR o.id = {}) ORDER BY o.published_at DESC NULLS LAST, o.id DESC",
        today,
        offer_id or 0,
        offer_id or 0,
    )
    return [Sponsorable(**row) for row in rows]


def read_pounds(form: Form, name: str, label: str) -> int | None:
    """Pounds as typed ("5", "5.50", "£5") to pence; records an error on the form otherwise."""
    try:
        pence = parse_pence(form.raw(name), MAX_UNIT_PENCE, min_pence=1)
    except ValueError:
        form.error(name, _("Enter %(label)s in pounds and pence, like 5 or 4.50, up to £1,000.") % {"label": label})
        return None
    if pence is None:
        form.error(name, _("Enter %(label)s.") % {"label": label})
    return pence


async def terms(org_id: int, offer_id: int) -> Terms:
    """One of this organisation's concessions, with its terms for sponsors (404 for anything else)."""
    rows = await Offer.select(Offer.id, Offer.title, Offer.type, Offer.sponsor_unit_pence, Offer.sponsor_cap).where(
        (Offer.id == offer_id) & (Offer.organisation == org_id)
    )
    if not rows or rows[0]["type"] not in CONCESSIONS:
        raise NotFound(_("We could not find that concession."))
    return Terms(**rows[0])


async def open_to_sponsors(who: Principal, org_id: int, offer_id: int, form: Form) -> None:
    """A provider sets (or clears) the unit price and cap of one of its concessions."""
    offer_id = (await terms(org_id, offer_id)).id
    unit_pence: int | None = None
    cap: int | None = 0
    if not form.flag("stop"):
        unit_pence = read_pounds(form, "unit_price", _("the price of one unit"))
        cap = form.number("cap", 1, MAX_CAP)
    form.check()
    async with Offer._meta.db.transaction():
        locked = await lock_and_count(offer_id, any_price=True)
        assert locked is not None  # terms() found it just now
        held = locked.held
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
