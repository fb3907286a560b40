"""Figures kept between requests. Working out a busy organisation's year takes a few hundred milliseconds over a
million events; reading it back takes one. Pages read figures here, and get them worked out afresh whenever what
they count has changed:

- an organisation's, a council area's or a sponsor's figures are kept while its events in that year (how many,
  and the latest), its offers (how many, and the latest change: a provider's edit, or the team approving one,
  which moves `public_changed_at` and not `updated_at`) and the feedback on them are as they were, and for an hour
  at most;
- the national figures change with every claim anywhere, so they are kept for ten minutes.

The worker works out again, in the background, whatever was read in the last week and has changed since (`refresh`),
so a page rarely waits. Two requests in one process wanting the same figures wait for the one working them out."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from app.uptake import measures
from app.uptake.measures import Figures, Scope
from app.uptake.tables import KeptFigures

KEEP_NATIONAL = timedelta(minutes=10)
KEEP_AT_MOST = timedelta(hours=1)  # for what the version cannot see (an offer deleted, a sponsorship paid)
REFRESH_READ_WITHIN = timedelta(days=7)
REFRESH_AHEAD = timedelta(minutes=5)  # the worker's sweep: what would not hold by the next one is worked out now
FORGET_UNREAD = timedelta(days=30)
VERSION_SQL: Final = """
SELECT concat_ws('/',
    (SELECT count(*) || '.' || coalesce(max(e.at)::text, '') FROM uptake_event e WHERE e.at >= {} AND e.at < {} AND %s),
    (SELECT count(*) || '.' || coalesce(max(greatest(o.updated_at, o.public_changed_at))::text, '') FROM offer o
        WHERE %s),
    (SELECT count(*) || '.' || coalesce(max(f.created_at)::text, '') FROM feedback f JOIN offer o ON o.id = f.offer
        WHERE %s)
) AS version
"""
READ_AT_EVERY = timedelta(hours=1)  # when figures were last read is written this often, not on every read
READ_SQL: Final = """
WITH found AS (
    SELECT scope, asked, version, value, computed_at, read_at FROM kept_figures WHERE scope = {} AND asked = {}
), touched AS (UPDATE kept_figures k SET read_at = {} FROM found WHERE k.scope = found.scope AND k.asked = found.asked
    AND found.read_at < {})
SELECT version, value, computed_at FROM found
"""
STORE_SQL: Final = (
    "INSERT INTO kept_figures (scope, asked, version, value, computed_at, read_at)"
    " VALUES ({}, {}, {}, {}, {}, {}) ON CONFLICT (scope, asked) DO UPDATE SET version = excluded.version,"
    " value = excluded.value, computed_at = excluded.computed_at"
)
STORE_READ_SQL: Final = STORE_SQL + ", read_at = excluded.read_at"  # worked out for a page: read now too
# How figures are worked out, changed with what they hold: figures kept by an earlier way (without a measure added
# since, such as uptake after a suggestion, figures by sector or offers ring-fencing places) are never read again.
COUNTED = "cell keys, suggested, sector, ring-fenced"
log = logging.getLogger("app.uptake")
# Figures are kept as JSON, and a request working them out hands on the same text to anyone waiting for them.
_working: dict[tuple[str, str], asyncio.Future[str]] = {}


async def figures(scope: Scope, year: int, principle: int | None = None) -> Figures:
    asked = {"what": "figures", "year": year, "principle": principle, "counted": COUNTED}
    return _figures(scope, json.loads(await _kept(scope, asked)))


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
    counts: dict[str, int] = json.loads(await _kept(scope, asked))
    return counts


async def refresh(now: datetime | None = None) -> int:
    """Work out again what was read in the last week and has changed since it was worked out; forget what nobody
    has read for a month. How many it worked out."""
    now = now or datetime.now(UTC)
    await KeptFigures.delete().where(KeptFigures.read_at < now - FORGET_UNREAD)
    rows = await KeptFigures.select(
        KeptFigures.scope, KeptFigures.asked, KeptFigures.version, KeptFigures.computed_at
    ).where(KeptFigures.read_at >= now - REFRESH_READ_WITHIN)
    done = 0
    for row in rows:
        scope, asked = _scope(row["scope"]), json.loads(row["asked"])
        if asked.get("counted") != COUNTED:  # kept by an earlier way: never read again, forgotten in a month
            continue
        try:
            version = await _version(scope, asked["year"])
            if _holds(row, scope, version, now + REFRESH_AHEAD):
                continue
            await _store(scope, asked, version, await _work(scope, asked), read=False)
            done += 1
        except Exception:  # one that fails (and is worked out when read) must not stop the others
            log.warning("could not work out %s %s again", row["scope"], row["asked"], exc_info=True)
    return done


# How ---------------------------------------------------------------------------------------------------------------


async def _kept(scope: Scope, asked: dict[str, Any]) -> str:
    """The figures (or tally) asked for, as JSON: as kept, if they still hold, or worked out afresh and kept."""
    key = (_key(scope), json.dumps(asked, sort_keys=True))
    version = await _version(scope, asked["year"])
    now = datetime.now(UTC)
    found = await KeptFigures.raw(READ_SQL, *key, now, now - READ_AT_EVERY)
    if found and _holds(found[0], scope, version, now):
        return str(found[0]["value"])
    if key in _working:  # another request in this process is working these out
        return await asyncio.shield(_working[key])
    _working[key] = asyncio.get_running_loop().create_future()
    try:
        value = await _work(scope, asked)
        await _store(scope, asked, version, value)
        _working[key].set_result(value)
        return value
    except asyncio.CancelledError:
        _working[key].cancel()
        raise
    except Exception as exc:
        _working[key].set_exception(exc)
        _working[key].exception()  # retrieved here, so nobody waiting is not a warning
        raise
    finally:
        del _working[key]


def _holds(row: dict[str, Any], scope: Scope, version: str, now: datetime) -> bool:
    age = now - row["computed_at"]
    return row["version"] == version and age < (KEEP_NATIONAL if scope.kind == "national" else KEEP_AT_MOST)


async def _version(scope: Scope, year: int) -> str:
    """What a scope's figures for a year are worked out from, in a line: they hold while it is the same. The
    national figures have none (they are kept for a time instead)."""
    if scope.kind == "national":
        return ""
    where, args = scope.events()
    offer_where, offer_args = scope.offers()
    rows = await KeptFigures.raw(
        VERSION_SQL % (where, offer_where, offer_where), *measures.bounds(year), *args, *offer_args, *offer_args
    )
    return str(rows[0]["version"])


async def _work(scope: Scope, asked: dict[str, Any]) -> str:
    """Work out what was asked, as the JSON that is kept."""
    if asked["what"] == "figures":
        found = await measures.figures(scope, asked["year"], asked["principle"])
        return json.dumps(dataclasses.asdict(found) | {"scope": None})
    until = date.fromisoformat(asked["until"]) if asked["until"] else None
    return json.dumps(await measures.tally(scope, asked["year"], asked["principle"], asked["type"], until))


async def _store(scope: Scope, asked: dict[str, Any], version: str, value: str, read: bool = True) -> None:
    now = datetime.now(UTC)
    await KeptFigures.raw(
        STORE_READ_SQL if read else STORE_SQL,
        _key(scope),
        json.dumps(asked, sort_keys=True),
        version,
        value,
        now,
        now,
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
