"""Young people's verdict on an organisation (issue 23, item 7): once a reporting year, a young person confirmed by
their council who dealt with an organisation that year answers three short questions about it. Answers are
anonymous (app.verdicts.tables); the verdict is published through the one disclosure path (app.core.counts), and
only from enough answers."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Final

from app.core import keys
from app.core.auth import Principal
from app.core.counts import Cell, cell_key_sql, rate, record_hash
from app.core.errors import BadRequest, Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import N_, _
from app.settings import Settings
from app.uptake.measures import bounds, reporting_year
from app.uptake.published import MEDIAN_PAIRS
from app.verdicts.tables import Kept, Recommend, VerdictAnswer, VerdictGiven
from app.verification import asking
from app.young_people import service as young_people

# A verdict (and what young people said it should change) is shown only from this many answers: the threshold of
# a median or a score (app.uptake.published). With fewer, an organisation that knows whom it dealt with could
# guess who said what.
ENOUGH: Final = MEDIAN_PAIRS
CHANGE_MAX: Final = 1000
FIRST_YEAR: Final = 2026  # the reporting year verdicts began

# The organisations whose offers a young person applied to, went to apply for (followed the link to the provider's
# own site: their own uptake events, found by their keyed hash) or claimed a code from, between y.start and
# y.finish. `person` and `key` are SQL for the young person's id and keyed hash.
DEALINGS: Final = """
SELECT f.organisation FROM application a JOIN offer f ON f.id = a.offer, y
WHERE a.young_person = {person} AND a.created_at >= y.start AND a.created_at < y.finish
UNION SELECT f.organisation FROM concession_code c JOIN offer f ON f.id = c.offer, y
WHERE c.claimed_by = {person} AND c.claimed_at >= y.start AND c.claimed_at < y.finish
UNION SELECT e.organisation FROM uptake_event e, y
WHERE e.kind = 'went_to_apply' AND e.person_key = {key} AND e.at >= y.start AND e.at < y.finish
"""
YEAR: Final = "WITH y AS (SELECT {}::timestamptz AS start, {}::timestamptz AS finish)"
# Organisations a young person can be asked about: approved ones they dealt with in the year.
DEALT_WITH_SQL: Final = (  # S608: constants only
    YEAR  # noqa: S608
    + " SELECT o.id, o.name FROM organisation o WHERE o.approved_at IS NOT NULL AND o.kind <> 'platform'"
    " AND o.id IN (" + DEALINGS.format(person="{}", key="{}") + ") ORDER BY o.name, o.id"
)


@dataclass(frozen=True)
class Dealt:
    """An organisation a young person dealt with this year."""

    id: int
    name: str


@dataclass(frozen=True)
class Mine:
    """What /me/verdicts shows: the organisations they can still give a verdict on this year, and those they have."""

    year: int
    waiting: list[Dealt]
    given: list[Dealt]


async def _dealt_with(settings: Settings, person: int, today: date) -> list[Dealt]:
    start, end = bounds(reporting_year(today))
    key = keys.person_key(settings, person)
    rows = await VerdictGiven.raw(DEALT_WITH_SQL, start, end, person, person, key)
    return [Dealt(**row) for row in rows]


async def _given(person: int, year: int) -> set[int]:
    rows = await VerdictGiven.select(VerdictGiven.organisation).where(
        (VerdictGiven.young_person == person) & (VerdictGiven.year == year)
    )
    return {row["organisation"] for row in rows}


async def mine(settings: Settings, who: Principal, today: date) -> Mine | None:
    """Their organisations this year (None: no young person's profile yet). Only someone their council has
    confirmed today is asked: as applying and claiming, so an account made up to sway a verdict has no say."""
    profile = await young_people.get(who.user_id)
    if profile is None:
        return None
    year = reporting_year(today)
    if not await asking.is_verified(who.user_id, today):
        return Mine(year, [], [])
    dealt, given = await _dealt_with(settings, profile.id, today), await _given(profile.id, year)
    return Mine(year, [o for o in dealt if o.id not in given], [o for o in dealt if o.id in given])


async def waiting_count(settings: Settings, who: Principal, today: date) -> int:
    """How many organisations they can give a verdict on now (for the line on /me)."""
    found = await mine(settings, who, today)
    return 0 if found is None else len(found.waiting)


ALREADY: Final = N_(
    "You have given your verdict on %(name)s this year. Thank you! It cannot be changed: it is kept without your"
    " name, so nobody can find it again."
)


async def to_answer(settings: Settings, who: Principal, org_id: int, today: date) -> Dealt:
    """The organisation, if they can give their verdict on it now: 404 if they cannot, 409 if they have."""
    found = await mine(settings, who, today)
    if found is not None:
        for org in found.given:
            if org.id == org_id:
                raise Conflict(_(ALREADY) % {"name": org.name})
        for org in found.waiting:
            if org.id == org_id:
                return org
    raise NotFound(
        _(
            "You can give your verdict on an organisation once your council has confirmed you, and you have applied"
            " to it or claimed a code from it this year."
        )
    )


def read_answer(form: Form) -> tuple[Kept, Recommend, str]:
    kept = form.choice("kept_promise", list(Kept), message=_("Say whether it kept its promise."))
    recommend = form.choice("recommend", list(Recommend), message=_("Say whether you would recommend it."))
    change = form.text("change", CHANGE_MAX, multiline=True)
    form.check()
    return Kept(kept), Recommend(recommend), change


async def give(settings: Settings, who: Principal, org_id: int, form: Form, today: date) -> None:
    """Their verdict, once: who answered goes in verdict_given, what they answered in verdict_answer, in one
    transaction (both or neither). Every answer about the organisation that year is then written again with the
    new one, in a random order: all of them carry this transaction's id (PostgreSQL's xmin) and none sits where
    the order of answering would put it, so neither ties the new answer to the verdict_given row written with it.
    (Old row versions until VACUUM, and the write-ahead log, are for whoever runs the database server.)"""
    org = await to_answer(settings, who, org_id, today)
    kept, recommend, change = read_answer(form)
    profile = await young_people.get(who.user_id)
    assert profile is not None  # to_answer found their organisations
    year = reporting_year(today)
    async with VerdictGiven._meta.db.transaction():
        first = await VerdictGiven.raw(
            "INSERT INTO verdict_given (young_person, organisation, year) VALUES ({}, {}, {})"
            " ON CONFLICT ON CONSTRAINT verdict_given_once DO NOTHING RETURNING id",
            profile.id,
            org.id,
            year,
        )
        if not first:  # the same form sent twice at once: the other one counted
            raise Conflict(_(ALREADY) % {"name": org.name})
        await VerdictAnswer.raw("SELECT pg_advisory_xact_lock(hashtextextended({}, 0))", f"verdict:{org.id}:{year}")
        answers = await VerdictAnswer.raw(
            "DELETE FROM verdict_answer WHERE organisation = {} AND year = {}"
            " RETURNING id, kept_promise, recommend, change",
            org.id,
            year,
        )
        answers.append({"id": uuid.uuid4(), "kept_promise": kept, "recommend": recommend, "change": change})
        random.SystemRandom().shuffle(answers)
        await VerdictAnswer.raw(
            "INSERT INTO verdict_answer (id, organisation, year, kept_promise, recommend, change)"
            " SELECT id, {}, {}, kept_promise, recommend, change"
            " FROM unnest({}::uuid[], {}::text[], {}::text[], {}::text[]) AS a(id, kept_promise, recommend, change)",
            org.id,
            year,
            [a["id"] for a in answers],
            [str(a["kept_promise"]) for a in answers],
            [str(a["recommend"]) for a in answers],
            [a["change"] for a in answers],
        )


# The verdict, published ---------------------------------------------------------------------------------------

ANSWER_HASH: Final = record_hash("a.id::text")  # each answer's record key: from its random id, known to nobody


def _keyed(name: str, only: str = "") -> str:
    """A count of answers and its cell key (app.core.counts)."""
    return f"count(*) {only} AS {name}, {cell_key_sql(f'sum({ANSWER_HASH}) {only}')} AS {name}_key"


VERDICT_SQL: Final = (  # S608: constants only
    "SELECT "  # noqa: S608
    + ", ".join(
        (
            _keyed("answered"),
            _keyed("kept_promise", "FILTER (WHERE a.kept_promise = 'yes')"),
            _keyed("recommend", "FILTER (WHERE a.recommend = 'yes')"),
        )
    )
    + " FROM verdict_answer a WHERE a.organisation = {} AND a.year = {}"
)


@dataclass(frozen=True)
class Verdict:
    """An organisation's verdict for a reporting year, as every output shows it: each count published through the
    one disclosure path, and shares worked out from published counts only."""

    year: int
    answered: Cell
    kept_promise: Cell  # said yes, it kept its promise
    recommend: Cell  # said yes, they would recommend it

    @property
    def kept_share(self) -> str:
        return rate(self.kept_promise, self.answered)

    @property
    def recommend_share(self) -> str:
        return rate(self.recommend, self.answered)


async def verdict(org_id: int, year: int) -> Verdict | None:
    """The published verdict, or None while fewer than ENOUGH young people have answered (by the true count and
    by the published one, so a page never shows a verdict "from 9" beside a rule that says 10)."""
    row = (await VerdictAnswer.raw(VERDICT_SQL, org_id, year))[0]
    answered = Cell.of(row["answered"], row["answered_key"])
    if row["answered"] < ENOUGH or answered.value is None or answered.value < ENOUGH:
        return None
    return Verdict(
        year=year,
        answered=answered,
        kept_promise=Cell.of(row["kept_promise"], row["kept_promise_key"]),
        recommend=Cell.of(row["recommend"], row["recommend_key"]),
    )


async def changes(org_id: int, year: int) -> list[str] | None:
    """What young people said the organisation should change, for its owners and staff only (never published):
    None until the verdict is shown (ENOUGH answers); then every answer that says something, in alphabetical order
    and without a date, so neither the order nor a time points at whoever wrote it."""
    if await verdict(org_id, year) is None:
        return None
    theirs = (VerdictAnswer.organisation == org_id) & (VerdictAnswer.year == year)
    rows = await VerdictAnswer.select(VerdictAnswer.change).where(theirs & (VerdictAnswer.change != ""))
    return sorted((row["change"] for row in rows), key=lambda text: (text.casefold(), text))


def years(today: date) -> list[int]:
    """The reporting years there can be verdicts for, newest first."""
    return list(range(reporting_year(today), FIRST_YEAR - 1, -1))


def year_asked(raw: str | None, today: date) -> int:
    """The year in a query string (?year=2026), this reporting year without one; a clear 400 for any other."""
    found = years(today)
    if not raw:
        return found[0]
    if not raw.isdigit() or int(raw) not in found:
        raise BadRequest(_("Choose a year from the list."))
    return int(raw)
