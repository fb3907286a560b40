"""The provider's side of applications: see who applied to your own offers, and move them through the stages.
A provider can never offer more places than the offer has, however many people press at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.applications.labels import stage_label
from app.applications.tables import Application, Stage, StageChange
from app.audit import service as audit
from app.core.auth import Principal
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import InLanguages, _
from app.mail import service as mail
from app.offers.service import titles as offer_titles
from app.organisations.tables import MemberRole, Membership
from app.settings import Settings
from app.uptake import service as uptake
from app.young_people.service import Person

ORDER = (Stage.new, Stage.in_review, Stage.contacted, Stage.offered, Stage.started, Stage.completed)
FINAL = {Stage.completed, Stage.unsuccessful, Stage.withdrawn}
TAKES_A_PLACE = (Stage.offered, Stage.started, Stage.completed)


def next_stages(stage: str) -> list[str]:
    """Where a provider can move an application from here: any later stage, or unsuccessful."""
    if stage in FINAL:
        return []
    later = list(ORDER[ORDER.index(Stage(stage)) + 1 :])
    return [*later, Stage.unsuccessful.value]


@dataclass(frozen=True)
class Applicant:
    """Someone who applied to an offer, for the provider's list."""

    id: int
    stage: str
    created_at: datetime
    name: str


@dataclass(frozen=True)
class StageWas:
    stage: str
    at: datetime


@dataclass(frozen=True)
class ForProvider:
    """An application to one of the organisation's offers, with what the young person chose to send."""

    id: int
    offer: int
    offer_title: str
    places: int | None
    name: str
    email: str  # empty when they asked to be phoned: the address is not theirs to use
    message: str
    contact_by: str
    phone: str
    stage: str
    created_at: datetime
    history: list[StageWas]  # oldest first
    next: list[str]  # where the provider can move it from here


async def for_offer(org_id: int, offer_id: int) -> list[Applicant]:
    rows = await (
        Application.select(
            Application.id,
            Application.stage,
            Application.created_at,
            Application.young_person._.user._.display_name.as_alias("name"),
        )
        .where((Application.offer == offer_id) & (Application.offer._.organisation == org_id))
        .order_by(Application.created_at)
    )
    return [Applicant(**row) for row in rows]


async def one(org_id: int, application_id: int) -> ForProvider:
    """An application to one of this organisation's offers (another organisation's is simply not found)."""
    row = await (
        Application.select(
            Application.id,
            Application.offer,
            Application.offer._.title.as_alias("offer_title"),
            Application.offer._.places.as_alias("places"),
            Application.young_person._.user._.display_name.as_alias("name"),
            Application.young_person._.user._.email.as_alias("email"),
            Application.message,
            Application.contact_by,
            Application.phone,
            Application.stage,
            Application.created_at,
        )
        .where((Application.id == application_id) & (Application.offer._.organisation == org_id))
        .first()
    )
    if row is None:
        raise NotFound(_("We could not find that application."))
    if row["contact_by"] != "email":
        row["email"] = ""
    changes = await StageChange.select(StageChange.stage, StageChange.at).where(
        StageChange.application == application_id
    )
    history = sorted((StageWas(**change) for change in changes), key=lambda change: change.at)
    return ForProvider(**row, history=history, next=next_stages(row["stage"]))


async def move(settings: Settings, who: Principal, org_id: int, application_id: int, form: Form) -> None:
    current = await one(org_id, application_id)
    stage = form.choice("stage", current.next, message=_("Choose the next stage from the list."))
    form.check()
    async with Application._meta.db.transaction():
        # The offer's row is the lock that keeps places from being over-given by people pressing at once.
        offer = (
            await Application.raw(
                "SELECT o.id, o.places, o.title, o.organisation, o.type, o.principles FROM offer o"
                " JOIN application a ON a.offer = o.id WHERE a.id = {} FOR UPDATE OF o",
                application_id,
            )
        )[0]
        rows = await Application.raw("SELECT stage FROM application WHERE id = {} FOR UPDATE", application_id)
        if not rows or rows[0]["stage"] != current.stage:
            raise Conflict(_("Someone else has just moved this application. Have a look at where it is now."))
        if stage in TAKES_A_PLACE and current.stage not in TAKES_A_PLACE and offer["places"] is not None:
            taken = await Application.count().where(
                (Application.offer == offer["id"]) & Application.stage.is_in(list(TAKES_A_PLACE))
            )
            if taken >= offer["places"]:
                raise Conflict(
                    _("All %(places)d places have been offered. Mark someone unsuccessful first, or add places.")
                    % {"places": offer["places"]}
                )
        await Application.update({Application.stage: stage, Application.updated_at: datetime.now(UTC)}).where(
            Application.id == application_id
        )
        await StageChange.insert(StageChange(application=application_id, stage=stage, by=who.user_id))
        await uptake.record(settings, stage, offer, await _applicant(application_id))
        await _tell(settings, application_id, await offer_titles(offer["id"]), stage)


async def _tell(settings: Settings, application_id: int, title: InLanguages, stage: str) -> None:
    person = (
        await Application.select(
            Application.young_person._.user._.email.as_alias("email"),
            Application.young_person._.email_updates.as_alias("wanted"),
        )
        .where(Application.id == application_id)
        .first()
    )
    if person and person["wanted"] and stage == Stage.completed:  # the news, and a question (principle 3)
        link = f"{settings.base_url}/me/feedback/application/{application_id}"
        await mail.send(person["email"], "feedback_ask", title=title, link=link)
    elif person and person["wanted"]:
        await mail.send(
            person["email"],
            "application_moved",
            title=title,
            stage=stage_label(stage),
            link=f"{settings.base_url}/me/applications",
        )


async def _applicant(application_id: int) -> Person:
    rows = await Application.raw(
        "SELECT y.id, y.home_council FROM young_person y JOIN application a ON a.young_person = y.id WHERE a.id = {}",
        application_id,
    )
    return Person(**rows[0])


async def withdraw(settings: Settings, who: Principal, application_id: int) -> None:
    """The young person changes their mind: any application not yet finished can be withdrawn."""
    async with Application._meta.db.transaction():
        rows = await Application.raw(
            "SELECT a.id, a.stage FROM application a JOIN young_person y ON y.id = a.young_person"
            ' WHERE a.id = {} AND y."user" = {} FOR UPDATE OF a',
            application_id,
            who.user_id,
        )
        if not rows:
            raise NotFound(_("We could not find that application."))
        if rows[0]["stage"] in FINAL:
            raise Conflict(_("This application has already finished."))
        await Application.update({Application.stage: Stage.withdrawn, Application.updated_at: datetime.now(UTC)}).where(
            Application.id == application_id
        )
        await StageChange.insert(StageChange(application=application_id, stage=Stage.withdrawn, by=who.user_id))
        offer = await Application.raw(
            "SELECT o.id, o.organisation, o.type, o.principles FROM offer o JOIN application a ON a.offer = o.id"
            " WHERE a.id = {}",
            application_id,
        )
        await uptake.record(settings, Stage.withdrawn, offer[0], await _applicant(application_id))


async def counts(org_id: int) -> dict[str, int]:
    """Applicants to this organisation's offers by stage (its own dashboard: these are its own applicants)."""
    rows = await Application.raw(
        "SELECT a.stage, count(*) AS n FROM application a JOIN offer o ON o.id = a.offer"
        " WHERE o.organisation = {} GROUP BY a.stage",
        org_id,
    )
    found = {row["stage"]: int(row["n"]) for row in rows}
    return {stage.value: found.get(stage.value, 0) for stage in Stage}


DIGEST_DAYS = 3


async def closing_digest(settings: Settings, today: date) -> int:
    """Housekeeping: once per offer, tell its editors when it closes within three days and some applications
    have not been looked at yet."""
    rows = await Application.raw(
        "SELECT o.id, o.title, o.organisation, o.closes_on, count(a.id) AS unread FROM offer o"
        " JOIN application a ON a.offer = o.id AND a.stage = 'new'"
        " WHERE o.status = 'published' AND o.closes_on BETWEEN {} AND {}"
        " AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'offer.closing_digest'"
        " AND l.subject_type = 'offer' AND l.subject_id = o.id)"
        " GROUP BY o.id",
        today,
        today + timedelta(days=DIGEST_DAYS),
    )
    for row in rows:
        async with Application._meta.db.transaction():
            await audit.record(
                "offer.closing_digest", actor=None, organisation=row["organisation"], subject=("offer", row["id"])
            )
            editors = await Membership.select(Membership.user.email).where(
                (Membership.organisation == row["organisation"])
                & Membership.role.is_in([MemberRole.owner, MemberRole.staff])
            )
            link = f"{settings.base_url}/organisations/{row['organisation']}/offers/{row['id']}/applicants"
            for editor in editors:
                await mail.send(
                    editor["user.email"],
                    "applications_unread",
                    title=row["title"],
                    count=row["unread"],
                    closes_on=row["closes_on"],
                    link=link,
                )
    return len(rows)
