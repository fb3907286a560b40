"""Raising a concern about an organisation or an offer, the team's queue, and the protected count of upheld ones.

Anyone may raise one, signed in or not, and nothing is kept about who did: no account, no address (the rate limit
keeps a keyed hash of the network, for a day), only the contact they chose to type. Erasure therefore has nothing
to find here: no row is anyone's, and the team member who handled a concern is forgotten with their account
(`handled_by` is set null)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.audit import service as audit
from app.concerns.tables import Concern, ConcernAddition, ConcernStatus
from app.core import keys, ratelimit
from app.core.auth import Principal
from app.core.counts import Cell
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.mail import service as mail
from app.offers import service as offers
from app.organisations import service as organisations
from app.organisations.tables import OrganisationKind
from app.settings import Settings

MAX_WORDS = 4000
MAX_CONTACT = 200
PER_NETWORK = 5  # concerns an hour from one network (a /24 or /64): enough for a household, not for a flood
HOUR_S = 3600
OPEN = (ConcernStatus.new, ConcernStatus.looking)
SHOWN = ("open", "all", *ConcernStatus)  # what the queue can be filtered by
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class Subject:
    """What a concern is about: an approved organisation, and one of its offers when raised from the offer's page."""

    organisation: int
    organisation_name: str
    offer: int | None = None
    offer_title: str = ""

    @property
    def query(self) -> dict[str, int]:
        """The query string that names it (the form posts back to the address it was opened at)."""
        return {"offer": self.offer} if self.offer is not None else {"organisation": self.organisation}


async def subject(offer_id: int | None, org_id: int | None, today: date, reader: str) -> Subject:
    """An offer young people can see (published, or closed after it was), or an approved organisation; anything
    else is not there (404), so a concern cannot be raised about what the team has not let anyone see."""
    title = ""
    if offer_id is not None:
        offer = await offers.offer_for_young_people(offer_id, today, reader)
        org_id, title = offer["organisation"], offer["title"]
    if org_id is None:
        raise NotFound(_("We could not find what this concern is about."))
    try:
        org = await organisations.get(org_id)
    except NotFound:
        org = None
    if org is None or org.approved_at is None or org.kind == OrganisationKind.platform:
        raise NotFound(_("We could not find that organisation."))
    return Subject(org.id, org.name, offer_id, title)


async def raise_concern(settings: Settings, about: Subject, form: Form, ip: str) -> str:
    """Keep the concern; one about someone's safety is told to every platform admin at once, in the same
    transaction (the email names what it is about and links to it, never what was written or the contact).
    Returns the token of its receipt page, the one way back to it for someone we know nothing about (only its
    keyed hash is kept)."""
    what = form.text("what_happened", MAX_WORDS, required=True, label=_("what happened"), multiline=True)
    contact = form.text("contact", MAX_CONTACT)
    safety = form.flag("safety")
    form.check()
    await _network_limit(settings, ip)
    async with Concern._meta.db.transaction():
        rows = await Concern.insert(
            Concern(
                organisation=about.organisation,
                offer=about.offer,
                what_happened=what,
                contact=contact,
                safety=safety,
                receipt=_receipt_hash(settings, token := secrets.token_urlsafe(24)),
            )
        ).returning(Concern.id)
        if safety:
            await _tell_the_team(settings, "concern_urgent", int(rows[0]["id"]), about.organisation_name, about.offer)
    return token


async def _network_limit(settings: Settings, ip: str) -> None:
    await ratelimit.hit(
        ratelimit.limit_key(settings, "concern", ratelimit.network_of(ip)),
        PER_NETWORK,
        HOUR_S,
        _("Several concerns have been sent from this network in the last hour. Please wait an hour and try again."
          " If someone is in danger now, call 999."),
    )  # fmt: skip


def _receipt_hash(settings: Settings, token: str) -> str:
    return keys.keyed_hash(settings, "concern-receipt", token)


@dataclass(frozen=True)
class Receipt:
    """What whoever raised a concern sees on its receipt page: what it is about, where it stands, what the team
    told them and when they added something; never what they wrote or the team's own notes (the link may be seen
    by someone else)."""

    id: int
    organisation_name: str
    offer_id: int | None
    offer_title: str
    safety: bool
    created_at: datetime
    status: str
    reply: str
    replied_at: datetime | None
    added: list[datetime]


RECEIPT_SQL = """
SELECT c.id, org.name AS organisation_name, c.offer AS offer_id, coalesce(o.title, '') AS offer_title, c.safety,
       c.created_at, c.status, c.reply, c.replied_at,
       coalesce((SELECT array_agg(a.created_at ORDER BY a.created_at) FROM concern_addition a WHERE a.concern = c.id),
                ARRAY[]::timestamptz[]) AS added
FROM concern c JOIN organisation org ON org.id = c.organisation LEFT JOIN offer o ON o.id = c.offer
WHERE c.receipt = {}
"""


async def receipt(settings: Settings, token: str) -> Receipt:
    rows = await Concern.raw(RECEIPT_SQL, _receipt_hash(settings, token)) if 0 < len(token) <= 100 else []
    if not rows:
        raise NotFound(_("We could not find that concern. Check the whole link was copied."))
    return Receipt(**rows[0])


async def add(settings: Settings, token: str, form: Form, ip: str) -> None:
    """Whoever raised it adds something from the receipt page; the count against the network is the one for
    raising concerns. Where the concern stands is the team's to say: it is not changed, but until a team member
    next saves it, it is in the open queue marked "something added", settled or not. Something added to a
    concern about someone's safety is told to every platform admin at once, as the concern was."""
    found = await receipt(settings, token)
    said = form.text("more", MAX_WORDS, required=True, label=_("what you want to add"), multiline=True)
    form.check()
    await _network_limit(settings, ip)
    async with ConcernAddition._meta.db.transaction():
        await ConcernAddition.insert(ConcernAddition(concern=found.id, said=said))
        if found.safety:
            await _tell_the_team(settings, "concern_added", found.id, found.organisation_name, found.offer_id)


async def _tell_the_team(settings: Settings, kind: str, concern_id: int, name: str, offer_id: int | None) -> None:
    """Every platform admin, by email (`kind`: its template): what it is about and a link, never what was written."""
    title = await offers.titles(offer_id) if offer_id is not None else ""
    link = f"{settings.base_url}/admin/concerns/{concern_id}"
    for email in await organisations.admin_emails():
        await mail.send(email, kind, name=name, title=title, link=link)


# The team's queue ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A concern as the queue lists it."""

    id: int
    organisation_name: str
    offer_title: str
    safety: bool
    status: str
    created_at: datetime
    added: bool  # something added by whoever raised it since the team last saved it

    @property
    def urgent(self) -> bool:
        """A safety worry nobody has settled yet."""
        return self.safety and self.status in OPEN


# Something whoever raised it added after the team last saved it.
ADDED_SINCE = "EXISTS (SELECT 1 FROM concern_addition a WHERE a.concern = c.id AND a.created_at > c.updated_at)"

QUEUE_SQL = f"""
SELECT c.id, org.name AS organisation_name, coalesce(o.title, '') AS offer_title, c.safety, c.status, c.created_at,
       {ADDED_SINCE} AS added
FROM concern c JOIN organisation org ON org.id = c.organisation LEFT JOIN offer o ON o.id = c.offer
WHERE c.status = ANY({{}}::text[]) OR ({{}} AND {ADDED_SINCE})
ORDER BY (c.safety AND c.status IN ('new', 'looking')) DESC, c.created_at DESC, c.id DESC
LIMIT {{}}
"""  # noqa: S608 (constants only)


async def queue(shown: str = "open") -> list[Listed]:
    """Urgent ones first (a safety worry not yet settled), then the newest; `shown`: open (new or being looked
    at), all, or one status."""
    statuses = {"open": list(OPEN), "all": list(ConcernStatus)}.get(shown, [shown])
    rows = await Concern.raw(QUEUE_SQL, [str(status) for status in statuses], shown == "open", QUEUE_LIMIT)
    return [Listed(**row) for row in rows]


@dataclass(frozen=True)
class Waiting:
    """For the team's front page."""

    open: int
    urgent: int


async def waiting() -> Waiting:
    rows = await Concern.raw(
        "SELECT count(*) AS open, count(*) FILTER (WHERE safety AND status IN ('new', 'looking')) AS urgent"  # noqa: S608
        f" FROM concern c WHERE status IN ('new', 'looking') OR {ADDED_SINCE}"
    )
    return Waiting(**rows[0])


@dataclass(frozen=True)
class Addition:
    """Something whoever raised the concern added later."""

    said: str
    created_at: datetime


@dataclass(frozen=True)
class Detail(Listed):
    """One concern, all of it, for the team."""

    organisation: int
    offer: int | None
    what_happened: str
    contact: str
    response: str
    reply: str
    updated_at: datetime
    handled_by_name: str
    additions: tuple[Addition, ...] = ()

    @property
    def version(self) -> str:
        """What the team member saw: a change they send is refused if someone else changed it meanwhile."""
        seen = f"{self.status}\x1f{self.response}\x1f{self.reply}\x1f{self.updated_at.isoformat()}"
        return hashlib.sha256(seen.encode()).hexdigest()[:32]


DETAIL_SQL = f"""
SELECT c.id, org.name AS organisation_name, coalesce(o.title, '') AS offer_title, c.safety, c.status, c.created_at,
       {ADDED_SINCE} AS added, c.organisation, c.offer, c.what_happened, c.contact, c.response, c.reply, c.updated_at,
       coalesce(nullif(u.display_name, ''), u.email, '') AS handled_by_name
FROM concern c JOIN organisation org ON org.id = c.organisation LEFT JOIN offer o ON o.id = c.offer
LEFT JOIN user_account u ON u.id = c.handled_by
WHERE c.id = {{}}
"""  # noqa: S608 (constants only)


async def get(concern_id: int, lock: bool = False) -> Detail:
    rows = await Concern.raw(DETAIL_SQL + (" FOR UPDATE OF c" if lock else ""), concern_id)
    if not rows:
        raise NotFound(_("We could not find that concern."))
    added = (
        await ConcernAddition.select(ConcernAddition.said, ConcernAddition.created_at)
        .where(ConcernAddition.concern == concern_id)
        .order_by(ConcernAddition.created_at)
    )
    return Detail(**rows[0], additions=tuple(Addition(**row) for row in added))


async def respond(who: Principal, concern_id: int, form: Form) -> None:
    """Set where a concern stands and the team's response, on the version the team member saw; audited (the
    statuses, never the words: the audit log keeps no free text about anyone)."""
    status = form.choice("status", list(ConcernStatus), message=_("Choose where this concern stands."))
    response = form.text("response", MAX_WORDS, multiline=True)
    reply = form.text("reply", MAX_WORDS, multiline=True)
    seen = form.raw("version")
    form.check()
    async with Concern._meta.db.transaction():
        found = await get(concern_id, lock=True)
        if found.version != seen:
            raise Conflict(
                _("Someone else changed this concern while you were looking at it. Here is what it says now.")
            )
        await Concern.raw(
            "UPDATE concern SET status = {}, response = {}, reply = {}, handled_by = {},"
            " updated_at = clock_timestamp(),"
            " replied_at = CASE WHEN reply = {} THEN replied_at ELSE clock_timestamp() END WHERE id = {}",
            status,
            response,
            reply,
            who.user_id,
            reply,
            concern_id,
        )
        await audit.record(
            "concern.updated",
            actor=who.user_id,
            organisation=found.organisation,
            subject=("concern", concern_id),
            status=status,
            was=found.status,
            response_changed=response != found.response,
            reply_changed=reply != found.reply,
        )


# The register's protected count ----------------------------------------------------------------------------------


def _record_key(settings: Settings, concern_id: int) -> int:
    """A concern's record key for the cell key method: fixed for the concern, and unknowable without PERSON_KEY
    (the ids are a sequence anyone could guess, so a key read off the id alone would let the noise be undone)."""
    return int(keys.counted_record_key(settings, "concern", concern_id)[-2:], 16)


async def upheld_by_organisation(settings: Settings, org_ids: Iterable[int]) -> dict[int, Cell]:
    """How many concerns about each organisation the team upheld, as every published count is shown (1 to 5 read
    "fewer than 6", others may move by 2 at most, the same concerns always give the same number)."""
    wanted = sorted(set(org_ids))
    rows = await Concern.raw(
        "SELECT organisation, array_agg(id) AS ids FROM concern WHERE status = {} AND organisation = ANY({}::int[])"
        " GROUP BY organisation",
        ConcernStatus.upheld.value,
        wanted,
    )
    found: dict[int, list[int]] = {row["organisation"]: row["ids"] for row in rows}
    return {org: _cell(settings, found.get(org, [])) for org in wanted}


async def upheld(settings: Settings, org_id: int) -> Cell:
    return (await upheld_by_organisation(settings, [org_id]))[org_id]


def _cell(settings: Settings, ids: list[int]) -> Cell:
    return Cell.of(len(ids), sum(_record_key(settings, concern_id) for concern_id in ids))
