"""The Cyfle team's review of offers: approve (publish) or return to the provider with a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.audit import service as audit
from app.core.auth import Principal
from app.core.db import MAX_ID
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.tables import Offer, OfferStatus
from app.organisations.tables import MemberRole, Membership
from app.settings import Settings
from search.sync import offer_changed


async def queue() -> list[dict[str, Any]]:
    """Offers waiting for review, then published offers changed since they were approved; oldest first."""
    return (
        await Offer.select(
            Offer.id,
            Offer.title,
            Offer.type,
            Offer.status,
            Offer.submitted_at,
            Offer.updated_at,
            Offer.changed_since_review,
            Offer.organisation.name.as_alias("organisation_name"),
        )
        .where(
            (Offer.status == OfferStatus.in_review)
            | ((Offer.status == OfferStatus.published) & (Offer.changed_since_review == True))  # noqa: E712
        )
        .order_by(Offer.status, ascending=False)  # in_review before published
        .order_by(Offer.updated_at)
    )


async def for_review(offer_id: int) -> dict[str, Any]:
    row = None
    if 0 < offer_id <= MAX_ID:
        row = (
            await Offer.select(*Offer.all_columns(), Offer.organisation.name.as_alias("organisation_name"))
            .where(Offer.id == offer_id)
            .first()
        )
    if row is None:
        raise NotFound(_("We could not find that opportunity."))
    return row


async def _editors(org_id: int) -> list[str]:
    rows = await Membership.select(Membership.user.email).where(
        (Membership.organisation == org_id) & Membership.role.is_in([MemberRole.owner, MemberRole.staff])
    )
    return [row["user.email"] for row in rows]


async def _locked(offer_id: int, version: str) -> dict[str, Any]:
    """The offer, locked, as long as it is the version the reviewer looked at (not one edited since)."""
    rows = await Offer.raw("SELECT * FROM offer WHERE id = {} FOR UPDATE", offer_id) if 0 < offer_id <= MAX_ID else []
    if not rows:
        raise NotFound(_("We could not find that opportunity."))
    if rows[0]["updated_at"].isoformat() != version:
        raise Conflict(_("This opportunity was changed while you were looking at it. Here is the new version."))
    return rows[0]


async def approve(settings: Settings, admin: Principal, offer_id: int, version: str) -> None:
    async with Offer._meta.db.transaction():
        row = await _locked(offer_id, version)
        if row["status"] not in (OfferStatus.in_review, OfferStatus.published):
            raise Conflict(_("Only an opportunity sent for review can be approved."))
        now = datetime.now(UTC)
        await Offer.update(
            {
                Offer.status: OfferStatus.published,
                Offer.published_at: row["published_at"] or now,
                Offer.reviewed_at: now,
                Offer.review_note: "",
                Offer.changed_since_review: False,
            }
        ).where(Offer.id == offer_id)
        await audit.record(
            "offer.approved", actor=admin.user_id, organisation=row["organisation"], subject=("offer", offer_id)
        )
        await offer_changed(offer_id)
        if row["status"] == OfferStatus.in_review:
            link = f"{settings.base_url}/offers/{offer_id}"
            for email in await _editors(row["organisation"]):
                await mail.send(email, "offer_approved", title=row["title"], link=link)


async def send_back(settings: Settings, admin: Principal, offer_id: int, form: Form) -> None:
    reason = form.text("reason", 1000, required=True, label=_("what needs to change"), multiline=True)
    form.check()
    async with Offer._meta.db.transaction():
        row = await _locked(offer_id, form.raw("version"))
        if row["status"] not in (OfferStatus.in_review, OfferStatus.published):
            raise Conflict(_("Only an opportunity in review or published can be returned."))
        await Offer.update(
            {
                Offer.status: OfferStatus.draft,
                Offer.reviewed_at: datetime.now(UTC),
                Offer.review_note: reason,
                Offer.changed_since_review: False,
            }
        ).where(Offer.id == offer_id)
        await audit.record(
            "offer.returned",
            actor=admin.user_id,
            organisation=row["organisation"],
            subject=("offer", offer_id),
            reason=reason,
        )
        await offer_changed(offer_id)  # a published offer that is returned leaves search
        link = f"{settings.base_url}/organisations/{row['organisation']}/offers/{offer_id}"
        for email in await _editors(row["organisation"]):
            await mail.send(email, "offer_returned", title=row["title"], reason=reason, link=link)
