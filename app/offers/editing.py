"""Providers write offers; the Cyfle team approves them before young people can find them.

draft → (submit) → in_review → (approve) → published → (close early, or its closing date passes) → closed.
The team can return an offer in review (or a published one) to draft with a reason the provider sees.
An edit of a live offer is kept aside (`pending`) and waits in the team's queue: until the team approves it,
young people see the approved version everywhere (its page, search, /go, codes).
Every change is followed by the search index through the outbox.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast

from app.audit import service as audit
from app.core.auth import Principal
from app.core.charter import BY_ID as PRINCIPLES
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.offers.documents import SUPPORT_FLAGS
from app.offers.indexing import offer_changed
from app.offers.rows import OfferRow, OfferValues, SupportFlags
from app.offers.service import closing_soon, default_principles
from app.offers.tables import ApplyMethod, Offer, OfferStatus, OfferType, PayPer
from search.places import by_code, find_place

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MAX_POUNDS = Decimal("100000")
# A closed offer is not changed any more (its page still explains itself to people with the link): to run it
# again, providers duplicate it.
EDITABLE = (OfferStatus.draft, OfferStatus.in_review, OfferStatus.published)
STATUS_ORDER = (OfferStatus.in_review, OfferStatus.draft, OfferStatus.published, OfferStatus.closed)


def _pence(form: Form, name: str) -> int | None:
    raw = form.raw(name).replace("£", "").replace(",", "").strip()
    if not raw:
        return None
    try:
        pounds = Decimal(raw)
    except InvalidOperation:
        form.error(name, _("Enter an amount in pounds, like 7.50."))
        return None
    if not pounds.is_finite() or pounds < 0 or pounds > MAX_POUNDS or pounds.as_tuple().exponent < -2:  # type: ignore[operator]
        form.error(name, _("Enter an amount in pounds, like 7.50."))
        return None
    return int(pounds * 100)


def _whole(form: Form, name: str, low: int, high: int) -> int | None:
    """A whole number in the range, or None when the field is empty or the number is not (that is an error)."""
    return form.number(name, low, high) if form.raw(name) else None


def _count(form: Form, name: str, low: int, high: int, default: int) -> int:
    number = _whole(form, name, low, high)
    return default if number is None else number


def read_offer(form: Form, today: date, check: bool = True) -> OfferValues:
    """Every field of the offer form, checked; problems are named by field and nothing is saved.
    With check=False (the live preview) it returns what it could read and leaves the problems in form.errors."""
    kind = form.choice("type", [t.value for t in OfferType], message=_("Choose what type of opportunity it is."))
    values = OfferValues(
        type=kind,
        title=form.text("title", 120, required=True, label=_("a title")),
        summary=form.text("summary", 280),
        description=form.text("description", 10000, multiline=True),
        location_name=form.text("location_name", 120),
        remote=form.flag("remote"),
        council_area=form.raw("council_area"),
        apply_method=form.choice("apply_method", [m.value for m in ApplyMethod]),
        apply_url=form.text("apply_url", 500),
        pay_pence=_pence(form, "pay"),
        pay_per=form.raw("pay_per") or None,
        price_pence=_pence(form, "price"),
        usual_price_pence=_pence(form, "usual_price"),
        min_age=_count(form, "min_age", 14, 30, 16),
        max_age=_count(form, "max_age", 14, 30, 25),
        places=_whole(form, "places", 1, 100000),
        claim_limit=_count(form, "claim_limit", 1, 50, 1),
        claim_period=form.choice("claim_period", ["once", "month"], required=False) or "once",
        closes_on=form.day("closes_on"),
        starts_on=form.day("starts_on"),
        **_support(form),
        principles=_principles(form, kind),
        latitude=None,
        longitude=None,
    )
    if values["pay_per"] is not None and values["pay_per"] not in {p.value for p in PayPer}:
        form.error("pay_per", _("Choose one of the options."))
    if values["pay_pence"] is not None and values["pay_per"] is None:
        form.error("pay_per", _("Say whether the pay is per hour, week, month or year."))
    if values["min_age"] > values["max_age"]:
        form.error("max_age", _("The oldest age must be the same as or more than the youngest."))
    if values["closes_on"] is not None and values["closes_on"] < today:
        form.error("closes_on", _("The closing date must be today or later."))
    if values["starts_on"] and values["closes_on"] and values["starts_on"] < values["closes_on"]:
        form.error("starts_on", _("The start date must be on or after the closing date."))
    if values["apply_method"] == ApplyMethod.external and not URL.match(values["apply_url"]):
        form.error("apply_url", _("Enter the web address where people apply, starting with https://"))
    if values["apply_method"] == ApplyMethod.in_app:
        values["apply_url"] = ""
    if not values["remote"] and not values["location_name"]:
        form.error("location_name", _("Say where it happens, or tick that it is online."))
    _place(form, values)
    if check:
        form.check()
    return values


def _support(form: Form) -> SupportFlags:
    support = set(form.many("support"))
    if support - set(SUPPORT_FLAGS):
        form.error("support", _("Choose support from the list."))
    return SupportFlags(
        travel_paid="travel_paid" in support,
        equipment_provided="equipment_provided" in support,
        mentor="mentor" in support,
        flexible_hours="flexible_hours" in support,
        accessible_venue="accessible_venue" in support,
        free="free" in support,
    )


def _principles(form: Form, kind: str) -> list[int]:
    chosen = form.ids("principles", PRINCIPLES)
    if chosen is None:
        form.error("principles", _("Choose principles from the list."))
    return sorted(set(default_principles(kind)) | set(chosen or []))


@dataclass(frozen=True)
class OfferView:
    """What the offer page shows (templates/offers/_offer.html), for the provider's live preview and the team's
    review: `id` is None for an offer not saved yet, whose Apply button goes straight to its web address."""

    id: int | None
    type: str
    title: str
    summary: str
    description: str
    organisation_name: str
    is_open: bool
    closing_soon: bool
    support: list[str]
    remote: bool
    location_name: str
    closes_on: date | None
    starts_on: date | None
    pay_pence: int | None
    pay_per: str | None
    price_pence: int | None
    usual_price_pence: int | None
    min_age: int
    max_age: int
    places: int | None
    apply_method: str
    apply_url: str
    principles: list[int]


def as_view(values: OfferValues, organisation_name: str, today: date, offer_id: int | None = None) -> OfferView:
    """What the offer page needs, from stored or just-typed values (the preview shows it as it will look)."""
    return OfferView(
        id=offer_id,
        type=values["type"],
        title=values["title"],
        summary=values["summary"],
        description=values["description"],
        organisation_name=organisation_name,
        is_open=True,
        closing_soon=closing_soon(values["closes_on"], today),
        support=[flag for flag, on in _flags(values).items() if on],
        remote=values["remote"],
        location_name=values["location_name"],
        closes_on=values["closes_on"],
        starts_on=values["starts_on"],
        pay_pence=values["pay_pence"],
        pay_per=values["pay_per"],
        price_pence=values["price_pence"],
        usual_price_pence=values["usual_price_pence"],
        min_age=values["min_age"],
        max_age=values["max_age"],
        places=values["places"],
        apply_method=values["apply_method"],
        apply_url=values["apply_url"],
        principles=values["principles"],
    )


def _flags(values: Mapping[str, Any]) -> dict[str, bool]:
    """The support an offer gives, flag by flag."""
    return {flag: bool(values.get(flag)) for flag in SUPPORT_FLAGS}


def _pounds(pence: int | None) -> str:
    return "" if pence is None else f"{Decimal(pence) / 100:.2f}"


def as_form(row: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """A stored offer as the values of its form."""
    form: dict[str, str | list[str]] = {key: value for key, value in row.items() if isinstance(value, str)}
    form |= {"support": [flag for flag in SUPPORT_FLAGS if row.get(flag)], "remote": "on" if row.get("remote") else ""}
    form |= {
        "pay": _pounds(row.get("pay_pence")),
        "price": _pounds(row.get("price_pence")),
        "usual_price": _pounds(row.get("usual_price_pence")),
        "pay_per": row.get("pay_per") or "",
        "min_age": str(row.get("min_age", 16)),
        "max_age": str(row.get("max_age", 25)),
        "places": "" if row.get("places") is None else str(row["places"]),
        "claim_limit": str(row.get("claim_limit") or 1),
        "claim_period": row.get("claim_period") or "once",
        "closes_on": row["closes_on"].isoformat() if row.get("closes_on") else "",
        "starts_on": row["starts_on"].isoformat() if row.get("starts_on") else "",
        "principles": [str(p) for p in row.get("principles") or []],
    }
    return form


def _place(form: Form, values: OfferValues) -> None:
    """A town or council from the gazetteer gives coordinates, so the offer can be found by distance."""
    if values["council_area"] and by_code(values["council_area"]) is None:
        form.error("council_area", _("Choose an area from the list."))
    place = find_place(values["location_name"]) if values["location_name"] else None
    values["latitude"], values["longitude"] = (place.lat, place.lng) if place and not values["remote"] else (None, None)
    if place and not values["council_area"]:
        values["council_area"] = place.area_code or place.code


DATES = ("closes_on", "starts_on")


def _kept_aside(values: Mapping[str, object]) -> str:
    return json.dumps(
        {key: value.isoformat() if key in DATES and isinstance(value, date) else value for key, value in values.items()}
    )


def pending_of(row: OfferRow) -> Mapping[str, object]:
    """A live offer's edited fields waiting for the team (empty when none), with dates as dates again: some of
    OfferValues' keys."""
    stored = row["pending"]
    values = json.loads(stored) if isinstance(stored, str) else dict(stored or {})
    return {key: date.fromisoformat(value) if key in DATES and value else value for key, value in values.items()}


Row = TypeVar("Row", bound=OfferRow)


def as_edited(row: Row) -> Row:
    """The offer as its provider last wrote it: a live offer's waiting edit over its approved fields."""
    return cast(Row, {**row, **pending_of(row)})


async def get(org_id: int, offer_id: int) -> OfferRow:
    """One of this organisation's offers (another organisation's is simply not found)."""
    row = await Offer.select().where((Offer.id == offer_id) & (Offer.organisation == org_id)).first()
    if row is None:
        raise NotFound(_("We could not find that opportunity."))
    return cast(OfferRow, row)


@dataclass(frozen=True)
class OfferLine:
    """One offer in its organisation's list."""

    id: int
    title: str
    type: str
    status: str
    closes_on: date | None
    review_note: str


async def of_organisation(org_id: int) -> dict[str, list[OfferLine]]:
    """The organisation's offers by status (newest first), for its dashboard."""
    rows = (
        await Offer.select(Offer.id, Offer.title, Offer.type, Offer.status, Offer.closes_on, Offer.review_note)
        .where((Offer.organisation == org_id) & (Offer.status != OfferStatus.archived))
        .order_by(Offer.updated_at, ascending=False)
    )
    lines = [OfferLine(**row) for row in rows]
    return {status.value: [line for line in lines if line.status == status] for status in STATUS_ORDER}


async def create(who: Principal, org_id: int, form: Form, today: date) -> int:
    values = read_offer(form, today)
    async with Offer._meta.db.transaction():
        rows = await Offer.insert(Offer(**values, organisation=org_id, status=OfferStatus.draft)).returning(Offer.id)
        offer_id = int(rows[0]["id"])
        await audit.record("offer.created", actor=who.user_id, organisation=org_id, subject=("offer", offer_id))
    return offer_id


async def _locked(org_id: int, offer_id: int) -> OfferRow:
    rows = await Offer.raw("SELECT * FROM offer WHERE id = {} AND organisation = {} FOR UPDATE", offer_id, org_id)
    if not rows:
        raise NotFound(_("We could not find that opportunity."))
    return cast(OfferRow, rows[0])


async def update(
    who: Principal, org_id: int, offer_id: int, form: Form, today: date, then_submit: bool = False
) -> None:
    """Save the changes (and, with then_submit, send the draft for review: both happen, or neither)."""
    values = read_offer(form, today)
    async with Offer._meta.db.transaction():
        row = await _locked(org_id, offer_id)
        if row["status"] not in EDITABLE:
            raise Conflict(_("This opportunity has closed and can no longer be changed. Make a copy to run it again."))
        if row["status"] == OfferStatus.published:  # the approved version stays live while the team looks
            live: Mapping[str, Any] = row
            edited = {key: value for key, value in values.items() if value != live[key]}
            waiting = {"pending": _kept_aside(edited), "changed_since_review": True, "review_note": ""}
            kept: dict[Any, Any] = waiting if edited else {"pending": None, "changed_since_review": False}
            await Offer.update(kept | {"updated_at": datetime.now(UTC)}).where(Offer.id == offer_id)
            await audit.record(
                "offer.edit_waiting", actor=who.user_id, organisation=org_id, subject=("offer", offer_id),
                fields=sorted(edited),
            )  # fmt: skip
            return
        changes: dict[Any, Any] = {**values, "updated_at": datetime.now(UTC), "pending": None}
        await Offer.update(changes).where(Offer.id == offer_id)
        await audit.record("offer.updated", actor=who.user_id, organisation=org_id, subject=("offer", offer_id))
        await offer_changed(offer_id)
        if then_submit:
            await _submit(who, org_id, row)


async def submit(who: Principal, org_id: int, offer_id: int) -> None:
    async with Offer._meta.db.transaction():
        await _submit(who, org_id, await _locked(org_id, offer_id))


async def _submit(who: Principal, org_id: int, row: OfferRow) -> None:
    """Within the caller's transaction, holding the offer's row lock."""
    offer_id = row["id"]
    if row["status"] != OfferStatus.draft:
        raise Conflict(_("Only a draft can be sent for review."))
    await Offer.update(
        {Offer.status: OfferStatus.in_review, Offer.submitted_at: datetime.now(UTC), Offer.review_note: ""}
    ).where(Offer.id == offer_id)
    await audit.record("offer.submitted", actor=who.user_id, organisation=org_id, subject=("offer", offer_id))


async def discard(who: Principal, org_id: int, offer_id: int) -> None:
    """Drops a live offer's waiting edit: the approved version stays as it is."""
    async with Offer._meta.db.transaction():
        row = await _locked(org_id, offer_id)
        if row["pending"] is None:
            return
        await Offer.update(
            {
                Offer.pending: None,
                Offer.changed_since_review: False,
                Offer.review_note: "",
                Offer.updated_at: datetime.now(UTC),
            }
        ).where(Offer.id == offer_id)
        await audit.record("offer.edit_discarded", actor=who.user_id, organisation=org_id, subject=("offer", offer_id))


async def close(who: Principal, org_id: int, offer_id: int) -> None:
    async with Offer._meta.db.transaction():
        row = await _locked(org_id, offer_id)
        if row["status"] == OfferStatus.closed:
            return
        if row["status"] != OfferStatus.published:
            raise Conflict(_("Only a live opportunity can be closed. A draft simply stays private."))
        await Offer.update(
            {
                Offer.status: OfferStatus.closed,
                Offer.updated_at: datetime.now(UTC),
                Offer.pending: None,  # a closed offer is not changed any more
                Offer.changed_since_review: False,
            }
        ).where(Offer.id == offer_id)
        await audit.record("offer.closed", actor=who.user_id, organisation=org_id, subject=("offer", offer_id))
        await offer_changed(offer_id)


async def duplicate(who: Principal, org_id: int, offer_id: int) -> int:
    """A new draft with the same details as last written (dates cleared, since the old ones have usually passed)."""
    row: Mapping[str, Any] = as_edited(await get(org_id, offer_id))
    keep = {
        column._meta.name: row[column._meta.name]
        for column in Offer._meta.columns
        if column._meta.name
        not in {
            "id",
            "status",
            "created_at",
            "updated_at",
            "published_at",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "changed_since_review",
            "pending",
            "closes_on",
            "starts_on",
        }
    }
    async with Offer._meta.db.transaction():
        rows = await Offer.insert(Offer(**keep, status=OfferStatus.draft)).returning(Offer.id)
        new_id = int(rows[0]["id"])
        await audit.record(
            "offer.duplicated", actor=who.user_id, organisation=org_id, subject=("offer", new_id), source=offer_id
        )
    return new_id


async def close_past(today: date) -> int:
    """Housekeeping: published offers whose closing date has passed are closed (and leave the index)."""
    async with Offer._meta.db.transaction():
        rows = await Offer.raw(
            "UPDATE offer SET status = 'closed', updated_at = now(), pending = NULL, changed_since_review = false"
            " WHERE status = 'published' AND closes_on < {} RETURNING id",
            today,
        )
        for row in rows:
            await offer_changed(row["id"])
    return len(rows)
