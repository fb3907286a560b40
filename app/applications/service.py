"""Applying for an opportunity: only young people their council has confirmed, only while it is open, once each.
The provider sees only what the young person chose to send."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Literal

from app.advisers import links as advisers
from app.applications.tables import Application, ContactBy, Stage, StageChange
from app.core.auth import Principal
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers.languages import in_language
from app.offers.service import WORK, open_on
from app.offers.service import titles as offer_titles
from app.offers.tables import ApplyMethod, Offer
from app.organisations.tables import MemberRole, Membership
from app.settings import Settings
from app.uptake import service as uptake
from app.verification import asking as verification
from app.young_people import service as young_people

APPLY_TYPES = WORK | {"mentoring"}  # concessions are claimed as codes instead
PHONE = re.compile(r"^\+?[0-9][0-9 ]{8,17}[0-9]$")


ApplyState = Literal["sign_in", "get_confirmed", "apply", "applied"]


@dataclass(frozen=True)
class OpenOffer:
    """An offer taking applications here today, as applying needs it."""

    id: int
    organisation: int
    organisation_name: str
    title: str
    type: str
    principles: list[int] | None
    apply_method: str


@dataclass(frozen=True)
class ApplicationForm:
    """What a young person chose to send."""

    message: str
    contact_by: str
    phone: str  # only when they asked to be phoned


@dataclass(frozen=True)
class MyApplication:
    """One of a young person's applications, for their list."""

    id: int
    stage: str
    created_at: datetime
    updated_at: datetime
    offer_id: int
    title: str
    organisation_name: str
    lang: str = "en"  # the language of `title`: the reader's when the offer is written in it


def takes_applications(offer: Mapping[str, Any]) -> bool:
    return offer["type"] in APPLY_TYPES and offer["apply_method"] == ApplyMethod.in_app


async def state_for(who: Principal | None, offer: Mapping[str, Any], today: date) -> ApplyState:
    """What the offer page offers this person: 'sign_in', 'get_confirmed', 'apply' or 'applied'."""
    if who is None:
        return "sign_in"
    if not await verification.is_verified(who.user_id, today):
        return "get_confirmed"
    applied = await Application.exists().where(
        (Application.offer == offer["id"]) & (Application.young_person.user == who.user_id)
    )
    return "applied" if applied else "apply"


async def open_offer(offer_id: int, today: date) -> OpenOffer:
    row = await (
        Offer.select(
            Offer.id,
            Offer.organisation,
            Offer.organisation.name.as_alias("organisation_name"),
            Offer.title,
            Offer.type,
            Offer.principles,
            Offer.apply_method,
        )
        .where((Offer.id == offer_id) & open_on(today))
        .first()
    )
    if row is None or not takes_applications(row):
        raise NotFound(_("This opportunity is not taking applications here. It may have closed."))
    return OpenOffer(**row)


def read(form: Form) -> ApplicationForm:
    message = form.text("message", 2000, multiline=True)
    contact_by = form.choice("contact_by", [c.value for c in ContactBy], message=_("Choose how to contact you."))
    phone = form.text("phone", 20)
    if contact_by == ContactBy.phone and not PHONE.match(phone):
        form.error("phone", _("Enter a phone number, like 07700 900123."))
    form.check()
    return ApplicationForm(message, contact_by, phone if contact_by == ContactBy.phone else "")


async def apply(settings: Settings, who: Principal, offer_id: int, form: Form, today: date) -> int:
    offer = await open_offer(offer_id, today)
    await verification.require_verified(who, today)
    values = read(form)
    profile = await young_people.get(who.user_id)
    assert profile is not None  # verified people have a profile
    async with Application._meta.db.transaction():
        rows = await Application.raw(
            "INSERT INTO application (offer, young_person, message, contact_by, phone, stage, created_at, updated_at)"
            " VALUES ({}, {}, {}, {}, {}, 'new', now(), now())"
            " ON CONFLICT (offer, young_person) DO NOTHING RETURNING id",
            offer_id,
            profile.id,
            values.message,
            values.contact_by,
            values.phone,
        )
        if not rows:
            raise Conflict(_("You have already applied for this. You can follow it in your applications."))
        application_id = int(rows[0]["id"])
        await StageChange.insert(StageChange(application=application_id, stage=Stage.new, by=who.user_id))
        suggested = await advisers.was_suggested(profile.id, offer.id)
        await uptake.record(settings, "applied", asdict(offer), profile, suggested=suggested)
        editors = await Membership.select(Membership.user.email).where(
            (Membership.organisation == offer.organisation)
            & Membership.role.is_in([MemberRole.owner, MemberRole.staff])
        )
        link = f"{settings.base_url}/organisations/{offer.organisation}"
        for row in editors:
            await mail.send(row["user.email"], "application_new", title=await offer_titles(offer.id), link=link)
    return application_id


async def went_to_apply(settings: Settings, who: Principal | None, offer_id: int, today: date) -> str:
    offer = await Offer.select().where((Offer.id == offer_id) & open_on(today)).first()
    if (
        offer is None
        or offer["apply_method"] != ApplyMethod.external
        or not offer["apply_url"].startswith(("https://", "http://"))
    ):
        raise NotFound(_("This opportunity is not taking applications. It may have closed."))
    # Only a signed-in young person whose council has confirmed them counts, once a day for each offer, as applying
    # and claiming need: anyone else (a crawler, a provider checking the link, an account made up to pump the
    # figures) is sent on too, and no figure moves.
    profile = await young_people.get(who.user_id) if who else None
    if profile is not None and who is not None and await verification.is_verified(who.user_id, today):
        await uptake.went_to_apply(
            settings, offer, profile, suggested=await advisers.was_suggested(profile.id, offer["id"])
        )
    return str(offer["apply_url"])


async def mine(user_id: int, reader: str = "en") -> list[MyApplication]:
    rows = await (
        Application.select(
            Application.id,
            Application.stage,
            Application.created_at,
            Application.updated_at,
            Application.offer.id.as_alias("offer_id"),
            Application.offer._.title.as_alias("title"),
            Application.offer._.language.as_alias("language"),
            Application.offer._.title_alt.as_alias("title_alt"),
            Application.offer._.organisation._.name.as_alias("organisation_name"),
        )
        .where(Application.young_person._.user == user_id)
        .order_by(Application.updated_at, ascending=False)
    )
    return [MyApplication(**in_language(row, reader)) for row in rows]
