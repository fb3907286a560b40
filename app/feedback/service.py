"""Young people's voice: after a completion or a code used, a 1 to 5 rating and a few words. Providers see it
without the name unless the young person chose to share it."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from app.codes.tables import Code
from app.core.auth import Principal
from app.core.errors import NotFound
from app.core.forms import Form
from app.core.i18n import _
from app.feedback.tables import Feedback
from app.mail import service as mail
from app.offers.languages import title_in_languages
from app.settings import Settings
from app.uptake.measures import reporting_year
from app.young_people.tables import YoungPerson

Kind = Literal["application", "code"]
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


@dataclass(frozen=True)
class Thing:
    """Something a young person took up and can rate: a completed application or a used code."""

    kind: Kind
    id: int
    offer: int
    title: str
    at: datetime


@dataclass(frozen=True)
class Given:
    """Their answer about it, if they gave one."""

    rating: int
    words: str
    share_name: bool


@dataclass(frozen=True)
class ToRate(Thing):
    """A thing to rate, with who is rating it and what they said before."""

    person: int  # the young person's id
    given: Given | None


async def _things(person: int, order: str = "") -> list[Thing]:
    return [Thing(**row) for row in await Feedback.raw(THINGS_SQL + order, person, person)]


async def _person(who: Principal) -> int | None:
    found = await YoungPerson.select(YoungPerson.id).where(YoungPerson.user == who.user_id).first()
    return None if found is None else int(found["id"])


async def waiting(who: Principal) -> list[Thing] | None:
    """Things taken up and not yet rated, newest first (None: no young person's profile yet)."""
    person = await _person(who)
    if person is None:
        return None
    given = {row["subject"] for row in await Feedback.select(Feedback.subject).where(Feedback.young_person == person)}
    things = await _things(person, " ORDER BY 5 DESC")
    return [t for t in things if f"{t.kind}:{t.id}" not in given]


async def thing(who: Principal, kind: str, item_id: int) -> ToRate:
    person = await _person(who)
    found = []
    if person is not None and kind in KINDS:
        found = [t for t in await _things(person) if t.kind == kind and t.id == item_id]
    if person is None or not found:
        raise NotFound(_("You can tell us how it went once you have finished a placement or used a code."))
    given = (
        await Feedback.select(Feedback.rating, Feedback.words, Feedback.share_name)
        .where((Feedback.young_person == person) & (Feedback.subject == f"{kind}:{item_id}"))
        .first()
    )
    return ToRate(**asdict(found[0]), person=person, given=None if given is None else Given(**given))


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
        found.person,
        found.offer,
        f"{kind}:{item_id}",
        int(rating),
        words,
        share_name,
    )


FLOOR = 5  # anonymous answers about an offer are read once this many people have answered about it in the year


@dataclass(frozen=True)
class Answer:
    """An answer as a provider reads it: the name only when shared, and then the day; otherwise the month."""

    rating: int
    words: str
    title: str
    name: str | None
    created_at: datetime | None
    month: str | None  # "2026-03"


@dataclass(frozen=True)
class ForProvider:
    answers: list[Answer]  # in no particular order; anonymous ones dated by their month only
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
    answers: list[Answer] = []
    held = set()
    for row in rows:
        group = (row["offer"], reporting_year(row["created_at"].date()))
        if row["name"] is not None:
            answers.append(_answer(row, row["created_at"], None))
        elif len(people[group]) >= FLOOR:
            answers.append(_answer(row, None, row["created_at"].strftime("%Y-%m")))
        else:
            held.add(group)
    random.SystemRandom().shuffle(answers)
    return ForProvider(answers[:500], len(held))


def _answer(row: dict[str, Any], created_at: datetime | None, month: str | None) -> Answer:
    """Without the ids of the offer and the young person (the provider needs neither)."""
    return Answer(row["rating"], row["words"], row["title"], row["name"], created_at, month)


async def ask_after_use(settings: Settings, now: datetime | None = None) -> int:
    """Email young people whose code was used an hour or more ago (within a week), once, if they want emails."""
    now = now or datetime.now(UTC)
    async with Code._meta.db.transaction():
        rows = await Code.raw(
            "UPDATE concession_code c SET feedback_asked_at = {} FROM offer o, young_person yp, user_account u"
            " WHERE o.id = c.offer AND yp.id = c.claimed_by AND u.id = yp.user AND c.feedback_asked_at IS NULL"
            " AND c.redeemed_at <= {} AND c.redeemed_at > {}"
            " RETURNING c.id, o.title, o.language, o.title_alt, u.email, yp.email_updates AS wanted",
            now,
            now - ASK_AFTER,
            now - ASK_WITHIN,
        )
        for row in rows:
            if row["wanted"]:
                await mail.send(
                    row["email"],
                    "feedback_ask",
                    title=title_in_languages(row),
                    link=f"{settings.base_url}/me/feedback/code/{row['id']}",
                )
    return len(rows)
