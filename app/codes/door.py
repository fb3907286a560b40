"""Redeeming at the door: a redeemer redeems a claimed code exactly once, and may undo their own redemption
within five minutes; each change, its audit row, its uptake event and what a sponsor's code owes the provider
are one statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from app.codes import pool
from app.codes.tables import Code
from app.core.auth import Principal
from app.core.errors import Conflict
from app.core.forms import Form
from app.core.i18n import _
from app.uptake import service as uptake

UNDO_WINDOW = timedelta(minutes=5)


class Result(StrEnum):
    redeemed = "redeemed"  # just now
    already = "already"  # redeemed before
    expired = "expired"
    unknown = "unknown"
    undone = "undone"
    cannot_undo = "cannot_undo"


@dataclass(frozen=True)
class Outcome:
    """What to tell the person at the door."""

    result: Result
    code: str = ""
    title: str = ""
    id: int | None = None  # the code redeemed, for undoing it
    when: datetime | None = None  # when it was redeemed, or ran out
    problem: str = ""


# A change at the door (an UPDATE of concession_code c FROM offer o), its audit row, its uptake event and, for a
# code a sponsor paid for, what we owe the provider ("+" or "-" one unit), as one statement: atomic without a
# transaction, and one round trip at a busy door. Parameters: those of the change, then the actor and the
# organisation (audit), the organisation (uptake), and the organisation (ledger).
AT_THE_DOOR: Final = (
    "WITH done AS ({change} RETURNING c.id, c.code, o.title, o.id AS offer_id, o.type, o.principles,"
    " c.claimed_key, c.funded_by,"
    " coalesce((SELECT home_council FROM young_person WHERE id = c.claimed_by), '') AS area),"
    " logged AS (INSERT INTO audit_log (actor, action, organisation, subject_type, subject_id)"
    " SELECT {{}}, '{action}', {{}}, 'code', id FROM done),"
    " counted AS (INSERT INTO uptake_event ({columns}, sponsorship)"
    " SELECT '{kind}', offer_id, {{}}, type, principles, area, claimed_key, funded_by FROM done),"
    " owed AS (INSERT INTO ledger_entry (at, kind, sponsorship, provider, amount_pence, code_id)"
    " SELECT now(), 'due_to_provider', s.id, {{}}, {owed}s.unit_pence, done.id"
    " FROM done JOIN sponsorship s ON s.id = done.funded_by)"
    " SELECT id, code, title FROM done"
)
# One row at most: uploads are unique across the organisation (and generated codes are 60 random bits).
REDEEM: Final = (
    "UPDATE concession_code c SET redeemed_at = now(), redeemed_by = {} FROM offer o"
    " WHERE c.id = (SELECT c2.id FROM concession_code c2 JOIN offer o2 ON o2.id = c2.offer"
    " WHERE o2.organisation = {} AND c2.code = {} AND c2.claimed_at IS NOT NULL AND c2.redeemed_at IS NULL"
    " AND (c2.expires_at IS NULL OR c2.expires_at > now()) ORDER BY c2.id LIMIT 1 FOR UPDATE)"
    " AND c.offer = o.id"
)
UNDO: Final = (
    "UPDATE concession_code c SET redeemed_at = NULL, redeemed_by = NULL FROM offer o"
    " WHERE c.offer = o.id AND o.organisation = {} AND c.id = {} AND c.redeemed_by = {}"
    " AND c.redeemed_at > now() - make_interval(secs => {})"
)
# Every part put into AT_THE_DOOR is a constant (this module's, the literals here, uptake's COLUMNS); values
# are parameters.
REDEEM_SQL: Final = AT_THE_DOOR.format(
    change=REDEEM, action="code.redeemed", kind="redeemed", owed="+", columns=uptake.COLUMNS
)
UNDO_SQL: Final = AT_THE_DOOR.format(
    change=UNDO, action="code.redeem_undone", kind="redeem_undone", owed="-", columns=uptake.COLUMNS
)


async def redeem(who: Principal, org_id: int, form: Form) -> Outcome:
    """Redeemed (just now), already (and when), expired, or unknown."""
    typed = pool.normalise(form.raw("code"))
    if not typed:
        form.error("code", _("Enter the code."))
    form.check()
    rows = await Code.raw(REDEEM_SQL, who.user_id, org_id, typed, who.user_id, org_id, org_id, org_id)
    if rows:
        return Outcome(Result.redeemed, rows[0]["code"], rows[0]["title"], id=rows[0]["id"])
    found = await Code.raw(
        "SELECT c.code, c.redeemed_at, c.expires_at, c.claimed_at, o.title FROM concession_code c"
        " JOIN offer o ON o.id = c.offer WHERE o.organisation = {} AND c.code = {}",
        org_id,
        typed,
    )
    if not found or found[0]["claimed_at"] is None:
        return Outcome(Result.unknown, typed)
    row = found[0]
    if row["redeemed_at"] is not None:
        return Outcome(Result.already, row["code"], row["title"], when=row["redeemed_at"])
    return Outcome(Result.expired, row["code"], row["title"], when=row["expires_at"])


async def undo(who: Principal, org_id: int, code_id: int) -> None:
    """The same redeemer, within five minutes (a mistaken tap at a busy door)."""
    window = int(UNDO_WINDOW.total_seconds())
    if not await Code.raw(UNDO_SQL, org_id, code_id, who.user_id, window, who.user_id, org_id, org_id, org_id):
        raise Conflict(_("Only the person who redeemed a code can undo it, and only within five minutes."))
