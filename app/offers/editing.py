"""Providers write offers; the Cyfle team approves them before young people can find them.

draft → (submit) → in_review → (approve) → published → (close early, or its closing date passes) → closed.
The team can return an offer in review (or a published one) to draft with a reason the provider sees.
An edit of a live offer is kept aside (`pending`) and waits in the team's queue: until the team approves it,
young people see the approved version everywhere (its page, search, /go, codes).
Every change is followed by the search index through the outbox.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast

from app.audit import service as audit
from app.core.auth import Principal
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.core.money import as_field
from app.offers.documents import COMMITMENTS, SUPPORT_FLAGS
from app.offers.indexing import offer_changed
from app.offers.languages import by_language
from app.offers.rows import OfferRow
from app.offers.tables import Offer, OfferStatus
from app.offers.writing import read_offer

# A closed offer is not changed any more (its page still explains itself to people with the link): to run it
# again, providers duplicate it.
EDITABLE = (OfferStatus.draft, OfferStatus.in_review, OfferStatus.published)
STATUS_ORDER = (OfferStatus.in_review, OfferStatus.draft, OfferStatus.published, OfferStatus.closed)


def as_form(row: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """A stored offer as the values of its form."""
    form: dict[str, str | list[str]] = {key: value for key, value in row.items() if isinstance(value, str)}
    form |= by_language(row)
    form |= {"support": [flag for flag in SUPPORT_FLAGS if row.get(flag)], "remote": "on" if row.get("remote") else ""}
    form |= {"commitment": [flag for flag in COMMITMENTS if row.get(flag)]}
    form |= {
        "pay": as_field(row.get("pay_pence")),
        "price": as_field(row.get("price_pence")),
        "usual_price": as_field(row.get("usual_price_pence")),
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
            "live_since",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "changed_since_review",
            "pending",
            "closes_on",
            "starts_on",
            "public_changed_at",
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
