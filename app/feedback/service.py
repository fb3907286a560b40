"""Young people's voice: after a completion or a code used, a 1 to 5 rating and a few words. Providers see it
without the name unless the young person chose to share it."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.codes.tables import Code
from app.core.auth import Principal
from app.core.db import MAX_ID
from app.core.errors import NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.feedback.tables import Feedback
from app.mail import service as mail
from app.settings import Settings
from app.uptake.measures import reporting_year
from app.young_people.tables import YoungPerson

KINDS = ("application", "code")
ASK_AFTER = timedelta(hours=1)  # after a code is used, once they have had the swim or seen the show
ASK_WITHIN = timedelta(days=7)

# What a young person can rate: their completed applications and their used codes, not yet rated.
THINGS_SQL = """
SELECT 'application' AS kind, a.id, o.id AS offer, o.title, a.updated_at AS at FROM application a
JOIN offer o ON o.id = a.offer WHERE a.young_person = {} AND a.stage = 'completed'
UNION ALL
SELECT 'code', c.id, o.id, o.title, c.redeemed_at FROM concession_code c
JOIN offer o ON o.id = c.offer WHERE c.claimed_by = {} AND c.redeemed_at IS NOT NULL
"""


async def _person(who: Principal) -> int | None:
    found = await YoungPerson.select(YoungPerson.id).where(YoungPerson.user == who.user_id).first()
    return None if found is None else int(found["id"])


async def waiting(who: Principal) -> list[dict[str, Any]] | None:
    """Things taken up and not yet rated, newest first (None: no young person's profile yet)."""
    person = await _person(who)
    if person is None:
        return None
    given = {row["subject"] for row in await Feedback.select(Feedback.subject).where(Feedback.young_person == person)}
    things = await Feedback.raw(THINGS_SQL + " ORDER BY 5 DESC", person, person)
    return [t for t in things if f"{t['kind']}:{t['id']}" not in given]


async def thing(who: Principal, kind: str, item_id: int) -> dict[str, Any]:
    person = await _person(who)
    found = []
    if person is not None and kind in KINDS and 0 < item_id <= MAX_ID:
        found = [t for t in await Feedback.raw(THINGS_SQL, person, person) if t["kind"] == kind and t["id"] == item_id]
    if not found:
        raise NotFound(_("You can tell us how it went once you have finished a placement or used a code."))
    given = (
        await Feedback.select()
        .where((Feedback.young_person == person) & (Feedback.subject == f"{kind}:{item_id}"))
        .first()
    )
    return found[0] | {"person": person, "given": given}


async def give(who: Principal, kind: str, item_id: int, form: Form) -> None:
    """One answer per thing; answering again changes it."""
    found = await thing(who, kind, item_id)
    rating = form.choice("rating", ["1", "2", "3", "4", "5"], message=_("Choose a number from 1 to 5."))
    words = form.text("words", 1000, multiline=True)
    share_name = form.flag("share_name")
    form.check()
    await Feedback.raw(
        "INSERT INTO feedback (young_person, offer, subject, rating, words, share_name) VALUES ({}, {}, {}, {}, {}, {})"
        " ON CONFLICT (young_person, subject) DO UPDATE SET rating = excluded.rating, words = excluded.words,"
        " share_name = excluded.share_name, created_at = now()",
        found["person"],
        found["offer"],
        f"{kind}:{item_id}",
        int(rating),
        words,
        share_name,
    )


FLOOR = 5  # anonymous answers about an offer are read once this many people have answered about it in the year


@dataclass
class ForProvider:
    answers: list[dict[str, Any]]  # in no particular order; anonymous ones dated by their month only
    held_back: int  # offers with answers not shown yet (fewer than FLOOR people have answered about them)


async def for_provider(org_id: int) -> ForProvider:
    """What young people said about an organisation's offers. With one completion on an offer, whoever marked it
    completed would know who wrote its one answer: so an offer's anonymous answers are shown only once at least
    FLOOR people have answered about it in the reporting year, shuffled and dated by month. Answers whose writers
    chose to share their name are shown as they are."""
    rows = await Feedback.raw(
        "SELECT f.rating, f.words, f.created_at, f.offer, f.young_person, o.title,"
        " CASE WHEN f.share_name THEN coalesce(nullif(u.display_name, ''), u.email) END AS name"
        " FROM feedback f JOIN offer o ON o.id = f.offer JOIN young_person yp ON yp.id = f.young_person"
        " JOIN user_account u ON u.id = yp.user WHERE o.organisation = {} ORDER BY f.created_at DESC LIMIT 2000",
        org_id,
    )
    people: dict[tuple[int, int], set[int]] = defaultdict(set)
    for row in rows:
        people[(row["offer"], reporting_year(row["created_at"].date()))].add(row["young_person"])
    answers, held = [], set()
    for row in rows:
        group = (row["offer"], reporting_year(row["created_at"].date()))
        if row["name"] is not None:
            answers.append(row | {"month": None})
        elif len(people[group]) >= FLOOR:
            answers.append(row | {"month": row["created_at"].strftime("%Y-%m"), "created_at": None})
        else:
            held.add(group)
    random.SystemRandom().shuffle(answers)
    return ForProvider([_without_ids(answer) for answer in answers[:500]], len(held))


def _without_ids(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key not in ("young_person", "offer")}


async def ask_after_use(settings: Settings, now: datetime | None = None) -> int:
    """Email young people whose code was used an hour or more ago (within a week), once, if they want emails."""
    now = now or datetime.now(UTC)
    async with Code._meta.db.transaction():
        rows = await Code.raw(
            "UPDATE concession_code c SET feedback_asked_at = {} FROM offer o, young_person yp, user_account u"
            " WHERE o.id = c.offer AND yp.id = c.claimed_by AND u.id = yp.user AND c.feedback_asked_at IS NULL"
            " AND c.redeemed_at <= {} AND c.redeemed_at > {}"
            " RETURNING c.id, o.title, u.email, yp.email_updates AS wanted",
            now,
            now - ASK_AFTER,
            now - ASK_WITHIN,
        )
        for row in rows:
            if row["wanted"]:
                await mail.send(
                    row["email"],
                    "feedback_ask",
                    title=row["title"],
                    link=f"{settings.base_url}/me/feedback/code/{row['id']}",
                )
    return len(rows)
