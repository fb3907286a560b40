"""The Cyfle team's review of offers: approve (publish) or return to the provider with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, cast

from app.audit import service as audit
from app.core.auth import Principal
from app.core.charter import BY_ID as PRINCIPLES
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.documents import is_searchable
from app.offers.editing import as_edited, pending_of
from app.offers.indexing import offer_changed
from app.offers.labels import FIELD_LABELS, field_label, money, type_label
from app.offers.languages import COLUMNS, by_language, has_welsh, title_in_languages
from app.offers.rows import NamedOfferRow, OfferRow
from app.offers.tables import Offer, OfferStatus
from app.organisations.tables import MemberRole, Membership, OrganisationKind
from app.settings import Settings
from search.places import by_code


@dataclass(frozen=True)
class Queued:
    """An offer in the team's queue."""

    id: int
    title: str
    type: str
    status: str
    submitted_at: datetime | None
    updated_at: datetime
    changed_since_review: bool
    organisation_name: str
    needs_welsh: bool = False  # a public body in Wales (under the Welsh Language Standards) that wrote no Welsh


# Organisations that the Welsh Language Standards bind when they are in Wales: councils, health boards and trusts,
# universities and colleges, police and fire, public employment services.
PUBLIC_BODIES = (
    OrganisationKind.council,
    OrganisationKind.health,
    OrganisationKind.education,
    OrganisationKind.emergency,
    OrganisationKind.employment,
)


class Change(NamedTuple):
    """One field of a live offer's waiting edit."""

    what: str
    live: str
    asked: str


async def queue() -> list[Queued]:
    """Offers waiting for review, then published offers changed since they were approved; oldest first."""
    rows = (
        await Offer.select(
            Offer.id,
            Offer.title,
            Offer.type,
            Offer.status,
            Offer.submitted_at,
            Offer.updated_at,
            Offer.changed_since_review,
            Offer.organisation.name.as_alias("organisation_name"),
            Offer.language,
            Offer.title_alt,
            Offer.pending,
            Offer.organisation.kind.as_alias("kind"),
            Offer.organisation.council_area.as_alias("area"),
        )
        .where(
            (Offer.status == OfferStatus.in_review)
            | ((Offer.status == OfferStatus.published) & (Offer.changed_since_review == True))  # noqa: E712
        )
        .order_by(Offer.status, ascending=False)  # in_review before published
        .order_by(Offer.updated_at)
    )
    return [_queued(row) for row in rows]


def _queued(row: dict[str, Any]) -> Queued:
    shown = as_edited(cast(OfferRow, row)) if row["changed_since_review"] else row
    welsh = has_welsh(shown)
    kind, area = row.pop("kind"), row.pop("area")
    for column in ("language", "title_alt", "pending"):
        row.pop(column)
    return Queued(**row, needs_welsh=kind in PUBLIC_BODIES and area.startswith("W") and not welsh)


async def for_review(offer_id: int) -> NamedOfferRow:
    row = (
        await Offer.select(*Offer.all_columns(), Offer.organisation.name.as_alias("organisation_name"))
        .where(Offer.id == offer_id)
        .first()
    )
    if row is None:
        raise NotFound(_("We could not find that opportunity."))
    return cast(NamedOfferRow, row)


async def _editors(org_id: int) -> list[str]:
    rows = await Membership.select(Membership.user.email).where(
        (Membership.organisation == org_id) & Membership.role.is_in([MemberRole.owner, MemberRole.staff])
    )
    return [row["user.email"] for row in rows]


async def _locked(offer_id: int, version: str) -> OfferRow:
    """The offer, locked, as long as it is the version the reviewer looked at (not one edited since)."""
    rows = await Offer.raw("SELECT * FROM offer WHERE id = {} FOR UPDATE", offer_id)
    if not rows:
        raise NotFound(_("We could not find that opportunity."))
    row = cast(OfferRow, rows[0])
    if row["updated_at"].isoformat() != version:
        raise Conflict(_("This opportunity was changed while you were looking at it. Here is the new version."))
    return row


async def approve(settings: Settings, admin: Principal, offer_id: int, version: str, today: date) -> None:
    async with Offer._meta.db.transaction():
        row = await _locked(offer_id, version)
        if row["status"] not in (OfferStatus.in_review, OfferStatus.published):
            raise Conflict(_("Only an opportunity sent for review can be approved."))
        now = datetime.now(UTC)
        # A live offer's edit waiting in the queue is swapped in now, and only now; one returned to its provider
        # stays with them.
        waiting = row["status"] == OfferStatus.published and row["changed_since_review"]
        edit: dict[Any, Any] = {**pending_of(row)} if waiting else {}
        # Findable again after being taken down, or after its closing date passed and this edit moved it on: new
        # to saved searches (published_ts) once more. Still findable: it keeps its place.
        await Offer.update(
            {
                **edit,
                "status": OfferStatus.published,
                "published_at": row["published_at"] or now,
                "live_since": (row["live_since"] or row["published_at"]) if is_searchable(row, today) else now,
                "reviewed_at": now,
                "review_note": "",
                "changed_since_review": False,
                "pending": None if waiting or row["status"] != OfferStatus.published else row["pending"],
            }
        ).where(Offer.id == offer_id)
        await audit.record(
            "offer.approved",
            actor=admin.user_id,
            organisation=row["organisation"],
            subject=("offer", offer_id),
            fields=sorted(edit),
        )
        await offer_changed(offer_id)
        if row["status"] == OfferStatus.in_review:
            link = f"{settings.base_url}/offers/{offer_id}"
            for email in await _editors(row["organisation"]):
                await mail.send(email, "offer_approved", title=title_in_languages(row), link=link)


async def send_back(settings: Settings, admin: Principal, offer_id: int, form: Form) -> None:
    """Returns an offer in review to its draft, or a live offer's waiting edit to its provider: the approved
    version stays live. A live offer with no edit waiting is taken down (back to draft)."""
    reason = form.text("reason", 1000, required=True, label=_("what needs to change"), multiline=True)
    form.check()
    async with Offer._meta.db.transaction():
        row = await _locked(offer_id, form.raw("version"))
        if row["status"] not in (OfferStatus.in_review, OfferStatus.published):
            raise Conflict(_("Only an opportunity in review or published can be returned."))
        # The edit waiting in the queue goes back to its provider; otherwise the offer itself is taken down (even one
        # whose earlier edit was returned and still lies with its provider).
        edit_only = row["status"] == OfferStatus.published and row["changed_since_review"] and row["pending"]
        changes: dict[Any, Any] = {
            Offer.status: OfferStatus.published if edit_only else OfferStatus.draft,
            Offer.reviewed_at: datetime.now(UTC),
            Offer.review_note: reason,
            Offer.changed_since_review: False,
            Offer.updated_at: datetime.now(UTC),
        }
        if not edit_only:
            changes[Offer.pending] = None  # a draft is edited as it is
        await Offer.update(changes).where(Offer.id == offer_id)
        await audit.record(
            "offer.edit_returned" if edit_only else "offer.returned",
            actor=admin.user_id,
            organisation=row["organisation"],
            subject=("offer", offer_id),
            reason=reason,
        )
        if not edit_only:
            await offer_changed(offer_id)  # a published offer that is returned leaves search
        link = f"{settings.base_url}/organisations/{row['organisation']}/offers/{offer_id}"
        template = "offer_edit_returned" if edit_only else "offer_returned"
        for email in await _editors(row["organisation"]):
            await mail.send(email, template, title=title_in_languages(row), reason=reason, link=link)


def _shown(field: str, value: Any) -> str:
    """One field's value as the team reads it in the list of changes."""
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "type":
        return type_label(value)
    if field == "council_area":
        return place.name if (place := by_code(value)) else value
    if field == "principles":
        return ", ".join(PRINCIPLES[p].name for p in value if p in PRINCIPLES)
    if field.endswith("_pence"):
        return money(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def under_review(row: NamedOfferRow) -> tuple[NamedOfferRow, list[Change]]:
    """What the team decides on: a live offer's edit waiting in the queue (with what it changes, field by field),
    or else the offer as it is."""
    if not row["changed_since_review"]:
        return row, []
    return as_edited(row), changes(row)


def changes(row: OfferRow) -> list[Change]:
    """A live offer's waiting edit, field by field (its words language by language): (what, live now, asked for)."""
    edit = {**pending_of(row)}
    live: Mapping[str, Any] = row
    if edit.keys() & set(COLUMNS):
        edit |= by_language({**row, **edit})
        live = {**row, **by_language(row)}
    return [
        Change(field_label(field), _shown(field, live[field]), _shown(field, edit[field]))
        for field in FIELD_LABELS
        if field in edit and edit[field] != live[field]
    ]
