"""Figures kept up to date as uptake arrives. Working out a busy organisation's year takes a few hundred
milliseconds over a million events, and the nation's several seconds; reading kept figures takes one.

Every people count is a sum over people (app.uptake.measures.Window), so kept figures are brought up to date by
working out only the people whose events arrived since: their counts now, less their counts as kept. Events are
*settled* ten seconds after they happen by the database's clock (an event's time is when its transaction began,
and a transaction that records uptake is one short statement or a few; one that ran longer is counted at the
hourly working out whole); kept figures count the settled events up to `settled_at` and up to event
`max_event`, and

- the worker brings every figure read in the last week up to date every few seconds (`refresh`), and works each
  out afresh once an hour (what the sums cannot see: an offer deleted, an organisation's sector changed);
- a page reads them, adds the few events since (not kept: the worker keeps them), and works out again only the
  offers and places or feedback if those changed (a provider's edit, or the team approving one, which moves
  `public_changed_at` and not `updated_at`); the nation's offers, every offer there is, are left to the worker.

Figures asked for the first time are worked out whole; two requests in one process wanting the same figures wait
for the one working them out."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from app.core.counts import KEYS
from app.core.db import together
from app.uptake import measures
from app.uptake.measures import MEASURES, OFFER_COUNTS, PEOPLE_COUNTS, Cells, Figures, Scope, Window
from app.uptake.tables import KeptFigures

SETTLE = timedelta(seconds=10)  # events older than this (by the database's clock) are counted into figures kept
WORK_OUT_AFRESH = timedelta(hours=1)
PERSONS_AT_MOST = 2000  # more people with new events than this: worked out afresh, which is then cheaper
MOVE_ON_AFTER, MOVE_ON_EVENTS = timedelta(minutes=10), 1000  # figures with nothing new are moved on this often
REFRESH_READ_WITHIN = timedelta(days=7)
FORGET_UNREAD = timedelta(days=30)
VERSION_SQL: Final = """
SELECT concat_ws('/',
    (SELECT count(*) || '.' || coalesce(max(greatest(o.updated_at, o.public_changed_at))::text, '') FROM offer o
        WHERE %s),
    (SELECT count(*) || '.' || coalesce(max(f.created_at)::text, '') FROM feedback f JOIN offer o ON o.id = f.offer
        WHERE %s)
) AS version
"""
# The people with events in a scope's year not yet counted in its kept figures: since they were settled, or
# written since with an earlier time (demo data, an import). Both are few, found by index (time, id), and only
# then is the scope's condition applied (an organisation's index would read its whole year).
PERSONS_SQL: Final = """
WITH e AS MATERIALIZED (SELECT * FROM uptake_event WHERE at >= {} OR id > {})
SELECT DISTINCT e.person_key FROM e WHERE e.at >= {} AND e.at < {} AND %s LIMIT {}
"""
READ_AT_EVERY = timedelta(hours=1)  # when figures were last read is written this often, not on every read
READ_SQL: Final = """
WITH found AS (
    SELECT scope, asked, version, value, computed_at, settled_at, max_event, read_at FROM kept_figures
    WHERE scope = {} AND asked = {}
), touched AS (UPDATE kept_figures k SET read_at = {} FROM found WHERE k.scope = found.scope AND k.asked = found.asked
    AND found.read_at < {})
SELECT version, value, computed_at, settled_at, max_event FROM found
"""
STORE_SQL: Final = (
    "INSERT INTO kept_figures (scope, asked, version, value, computed_at, settled_at, max_event, read_at)"
    " VALUES ({}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT (scope, asked) DO UPDATE SET version = excluded.version,"
    " value = excluded.value, computed_at = excluded.computed_at, settled_at = excluded.settled_at,"
    " max_event = excluded.max_event"
)
STORE_READ_SQL: Final = STORE_SQL + ", read_at = excluded.read_at"  # worked out for a page: read now too
# How figures are worked out, changed with what they hold: figures kept by an earlier way (without a measure added
# since, such as uptake after a suggestion, figures by sector or offers ring-fencing places) are never read again.
COUNTED = "cell keys, suggested, sector, ring-fenced, settled"
log = logging.getLogger("app.uptake")
# A request working figures out hands on the same row to anyone waiting for them.
_working: dict[tuple[str, str], asyncio.Future[Kept]] = {}


@dataclasses.dataclass
class Kept:
    """Figures (or a tally) as JSON-shaped values, and what they have counted."""

    value: dict[str, Any]
    version: str
    computed_at: datetime
    settled_at: datetime
    max_event: int


async def figures(scope: Scope, year: int, principle: int | None = None) -> Figures:
    asked = {"what": "figures", "year": year, "principle": principle, "counted": COUNTED}
    return _figures(scope, await _read(scope, asked))


async def tally(
    scope: Scope, year: int, principle: int, offer_type: str = "", until: date | None = None
) -> dict[str, int]:
    asked = {
        "what": "tally",
        "counted": COUNTED,
        "year": year,
        "principle": principle,
        "type": offer_type,
        "until": until.isoformat() if until else None,
    }
    counts: dict[str, int] = await _read(scope, asked)
    return counts


async def refresh(now: datetime | None = None) -> int:
    """Bring up to date what was read in the last week (worked out afresh once an hour); forget what nobody has
    read for a month. The nation's figures for this reporting year are always kept, read or not: the public
    charter page never waits for them. How many figures it changed."""
    now = now or (await _watermark())[0]
    await KeptFigures.delete().where(KeptFigures.read_at < now - FORGET_UNREAD)
    national, year = Scope("national"), measures.reporting_year(now.astimezone(measures.LONDON).date())
    always = {"what": "figures", "year": year, "principle": None, "counted": COUNTED}
    missing = not await KeptFigures.exists().where(
        (KeptFigures.scope == _key(national)) & (KeptFigures.asked == json.dumps(always, sort_keys=True))
    )
    if missing:
        await _store(national, always, await _work(national, always, now))
    rows = await KeptFigures.select(
        KeptFigures.scope,
        KeptFigures.asked,
        KeptFigures.version,
        KeptFigures.value,
        KeptFigures.computed_at,
        KeptFigures.settled_at,
        KeptFigures.max_event,
    ).where(KeptFigures.read_at >= now - REFRESH_READ_WITHIN)
    done = int(missing)
    for row in rows:
        scope, asked = _scope(row["scope"]), json.loads(row["asked"])
        if asked.get("counted") != COUNTED:  # kept by an earlier way: never read again, forgotten in a month
            continue
        try:
            if row["settled_at"] is None or row["computed_at"] < now - WORK_OUT_AFRESH:
                await _store(scope, asked, await _work(scope, asked, now), read=False)
                done += 1
            elif await _bring_up_to_date(scope, asked, _kept(row), now):
                done += 1
        except Exception:  # one that fails (and is worked out when read) must not stop the others
            log.warning("could not bring %s %s up to date", row["scope"], row["asked"], exc_info=True)
    return done


# How ---------------------------------------------------------------------------------------------------------------


async def _read(scope: Scope, asked: dict[str, Any]) -> Any:
    """The figures (or tally) asked for, as JSON-shaped values: as kept, with the offers and feedback worked out
    again if they changed and the events not yet kept added; or worked out whole and kept."""
    key = (_key(scope), json.dumps(asked, sort_keys=True))
    now = datetime.now(UTC)
    found = await KeptFigures.raw(READ_SQL, *key, now, now - READ_AT_EVERY)
    if found and found[0]["settled_at"] is not None:
        kept = _kept(found[0])
        if asked["what"] == "figures" and scope.kind != "national":  # every offer: the worker looks for those
            version = await _version(scope)
            if version != kept.version:
                await _offers_again(scope, asked, kept.value)
                kept.version = version
                await _store(scope, asked, kept)
    else:
        kept = await _work_once(scope, asked, key)
    persons = await _persons(scope, asked, kept, until=None)
    if persons is None:  # very many since kept (a bulk load): worked out whole, and the last minute's added
        kept = await _work_once(scope, asked, key)
        persons = await _persons(scope, asked, kept, until=None) or ()
    if persons:
        after, before = await together(
            _part(scope, asked, Window(persons=persons)),
            _part(scope, asked, Window(kept.settled_at, persons, kept.max_event)),
        )
        _add(kept.value, after, before, asked)
    return kept.value


async def _work_once(scope: Scope, asked: dict[str, Any], key: tuple[str, str]) -> Kept:
    if key in _working:  # another request in this process is working these out
        return _copy(await asyncio.shield(_working[key]))
    _working[key] = asyncio.get_running_loop().create_future()
    try:
        kept = await _work(scope, asked)
        await _store(scope, asked, kept)
        _working[key].set_result(_copy(kept))
        return kept
    except asyncio.CancelledError:
        _working[key].cancel()
        raise
    except Exception as exc:
        _working[key].set_exception(exc)
        _working[key].exception()  # retrieved here, so nobody waiting is not a warning
        raise
    finally:
        del _working[key]


async def _work(scope: Scope, asked: dict[str, Any], now: datetime | None = None) -> Kept:
    """Work out what was asked whole, from the events settled by now (the database's clock unless given)."""
    version = await _version(scope) if asked["what"] == "figures" else ""
    clock, last = await _watermark()
    now = now or clock
    settled = now - SETTLE
    window = Window(before=settled, through=last)
    if asked["what"] == "figures":
        found = await measures.figures(scope, asked["year"], asked["principle"], window)
        value = json.loads(json.dumps(dataclasses.asdict(found) | {"scope": None}))
    else:
        value = await measures.tally(scope, asked["year"], asked["principle"], asked["type"], _until(asked), window)
    return Kept(value, version, now, settled, last)


async def _bring_up_to_date(scope: Scope, asked: dict[str, Any], kept: Kept, now: datetime) -> bool:
    """Count the events settled since the figures were kept, and the offers and feedback if they changed; stored.
    Whether anything changed."""
    settled, last = now - SETTLE, (await _watermark())[1]
    version = await _version(scope) if asked["what"] == "figures" else kept.version
    persons = await _persons(scope, asked, kept, until=settled)
    if persons is None:
        await _store(scope, asked, await _work(scope, asked, now), read=False)
        return True
    if not persons and version == kept.version:
        if settled - kept.settled_at > MOVE_ON_AFTER or last - kept.max_event > MOVE_ON_EVENTS:
            # Nothing new here, but much elsewhere: moved on, so that the next look starts later.
            await _store(scope, asked, dataclasses.replace(kept, settled_at=settled, max_event=last), read=False)
        return False
    if persons:
        after, before = await together(
            _part(scope, asked, Window(settled, persons, last)),
            _part(scope, asked, Window(kept.settled_at, persons, kept.max_event)),
        )
        _add(kept.value, after, before, asked)
        if asked["what"] == "figures":
            kept.value |= await measures.median(scope, asked["year"], asked["principle"], Window(settled, None, last))
    if version != kept.version:
        await _offers_again(scope, asked, kept.value)
    await _store(scope, asked, Kept(kept.value, version, kept.computed_at, settled, last), read=False)
    return True


async def _persons(scope: Scope, asked: dict[str, Any], kept: Kept, until: datetime | None) -> tuple[str, ...] | None:
    """The people with events in the scope's year (before `until`) that the kept figures have not counted; None
    when there are more than PERSONS_AT_MOST."""
    start, end = _span(asked)
    upto = end if until is None else min(end, until)
    where, args = scope.events()
    rows = await KeptFigures.raw(
        PERSONS_SQL % where, kept.settled_at, kept.max_event, start, upto, *args, PERSONS_AT_MOST + 1
    )
    if len(rows) > PERSONS_AT_MOST:
        return None
    return tuple(sorted(row["person_key"] for row in rows))


async def _part(scope: Scope, asked: dict[str, Any], window: Window) -> Cells | dict[str, int]:
    """The people counts of the events in a window: figures' cells, or a tally."""
    if asked["what"] == "figures":
        return await measures.people(scope, asked["year"], asked["principle"], window)
    return await measures.tally(scope, asked["year"], asked["principle"], asked["type"], _until(asked), window)


def _add(value: dict[str, Any], after: Any, before: Any, asked: dict[str, Any]) -> None:
    """Kept counts plus `after` less `before`, cell by cell (cell keys go round 0 to 255)."""
    if asked["what"] != "figures":
        _move(value, after, before)
        return
    _move(value["total"], after["total"], before["total"])
    for dimension, rows in after["by"].items():
        for key, counts in rows.items():
            into = value["by"][dimension].setdefault(key, dict.fromkeys(MEASURES, 0))
            _move(into, counts, before["by"].get(dimension, {}).get(key, {}))
    for key, counts in after["principles"].items():
        into = value["principles"].setdefault(key, dict.fromkeys(MEASURES, 0))
        _move(into, counts, before["principles"].get(key, {}))


def _move(into: dict[str, int], after: dict[str, int], before: dict[str, int]) -> None:
    for measure in PEOPLE_COUNTS:
        into[measure] = into.get(measure, 0) + after.get(measure, 0) - before.get(measure, 0)
        key = f"{measure}_key"
        if key in after or key in into:
            into[key] = (into.get(key, 0) + after.get(key, 0) - before.get(key, 0)) % KEYS


async def _offers_again(scope: Scope, asked: dict[str, Any], value: dict[str, Any]) -> None:
    """The offers and places, and the feedback, worked out again into kept figures: rows that held only offers
    and have none now go, as they would from figures worked out whole."""
    year, principle = asked["year"], asked["principle"]
    offered = await measures.offers(scope, year, principle)
    value |= await measures.feedback(scope, year, principle)
    value["total"] |= dict.fromkeys(OFFER_COUNTS, 0) | offered["total"]
    for dimension, rows in value["by"].items():
        fresh = offered["by"].get(dimension, {})
        for key in [key for key, counts in rows.items() if key not in fresh]:
            if dimension != "month" and "people_key" not in rows[key]:
                del rows[key]  # only offers were counted here
            else:
                rows[key] |= dict.fromkeys(OFFER_COUNTS, 0)
        for key, counts in fresh.items():
            rows.setdefault(key, dict.fromkeys(MEASURES, 0)).update(counts)
    for key in [key for key, counts in value["principles"].items() if key not in offered["principles"]]:
        if "people_key" not in value["principles"][key]:
            del value["principles"][key]
        else:
            value["principles"][key] |= dict.fromkeys(OFFER_COUNTS, 0)
    for key, counts in offered["principles"].items():
        value["principles"].setdefault(key, dict.fromkeys(MEASURES, 0)).update(counts)


async def _version(scope: Scope) -> str:
    """What a scope's offers and feedback were, in a line: the offers and places and the feedback kept hold while it
    is the same."""
    offer_where, offer_args = scope.offers()
    rows = await KeptFigures.raw(VERSION_SQL % (offer_where, offer_where), *offer_args, *offer_args)
    return str(rows[0]["version"])


async def _watermark() -> tuple[datetime, int]:
    """The database's time (events are stamped by it, so what has settled is reckoned by it too) and its last
    event."""
    rows = await KeptFigures.raw("SELECT now() AS now, coalesce(max(id), 0) AS last FROM uptake_event")
    return rows[0]["now"], int(rows[0]["last"])


def _span(asked: dict[str, Any]) -> tuple[datetime, datetime]:
    start, end = measures.bounds(asked["year"])
    until = _until(asked)
    if until is not None:
        end = min(end, datetime.combine(until + timedelta(days=1), datetime.min.time(), measures.LONDON))
    return start, end


def _until(asked: dict[str, Any]) -> date | None:
    return date.fromisoformat(asked["until"]) if asked.get("until") else None


async def _store(scope: Scope, asked: dict[str, Any], kept: Kept, read: bool = True) -> None:
    await KeptFigures.raw(
        STORE_READ_SQL if read else STORE_SQL,
        _key(scope),
        json.dumps(asked, sort_keys=True),
        kept.version,
        json.dumps(kept.value),
        kept.computed_at,
        kept.settled_at,
        kept.max_event,
        datetime.now(UTC),
    )


def _copy(kept: Kept) -> Kept:
    """Each reader adds to its own figures."""
    return dataclasses.replace(kept, value=json.loads(json.dumps(kept.value)))


def _kept(row: dict[str, Any]) -> Kept:
    value = row["value"]
    return Kept(
        json.loads(value) if isinstance(value, str) else value,
        row["version"],
        row["computed_at"],
        row["settled_at"],
        row["max_event"],
    )


def _figures(scope: Scope, value: dict[str, Any]) -> Figures:
    """Figures back from JSON, which keeps every key as a string: principles are numbered."""
    principles = {int(key): counts for key, counts in value["principles"].items()}
    return Figures(**(value | {"scope": scope, "principles": principles}))


def _key(scope: Scope) -> str:
    if scope.kind == "council":
        return f"council:{scope.area}"
    if scope.kind == "national":
        return "national"
    return f"{scope.kind}:{scope.organisation}"


def _scope(key: str) -> Scope:
    kind, _, rest = key.partition(":")
    if kind == "council":
        return Scope("council", area=rest)
    return Scope(kind, organisation=int(rest) if rest else 0)
