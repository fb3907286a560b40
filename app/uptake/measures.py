"""What young people actually took up, counted for a scope (an organisation, a council area, a sponsor or the
whole country) and a reporting year (April to March), overall and by month, offer type, council area,
organisation and charter principle. `figures` reads the true numbers, each people count with its cell key;
app.uptake.published makes what every dashboard, report, CSV and JSON shows of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from app.core.counts import cell_key_sql, record_hash
from app.core.db import together
from app.uptake.tables import UptakeEvent

LONDON = ZoneInfo("Europe/London")
# Counts of people: protected. Offers and places are about organisations and are shown as they are, and so are
# the live offers that ring-fence places for care-experienced young people or guarantee them an interview.
# "suggested": offers taken up (applied for, gone to apply for, a code claimed) after an adviser suggested them.
PEOPLE_COUNTS = ("applications", "starts", "completions", "claimed", "redeemed", "people", "suggested")
OFFER_COUNTS = ("offers", "places", "ring_fenced", "guaranteed_interview")
MEASURES = OFFER_COUNTS + PEOPLE_COUNTS
CELL_KEYS = tuple(f"{measure}_key" for measure in PEOPLE_COUNTS)  # each people count's cell key
PAIR_HASH: Final = record_hash("e.person_key", "e.offer")  # a young person with an offer: applications, starts, ...
PERSON_HASH: Final = record_hash("e.person_key")
# The order every table shows them in: people first; offers and places (about organisations) last.
COLUMNS = ("people", "applications", "starts", "completions", "claimed", "redeemed", "offers", "places")
PEOPLE_COLUMNS = COLUMNS[:6]
DIMENSIONS = ("month", "type", "area", "organisation", "sector")
REACHED: Final = "('applied', 'went_to_apply', 'claimed', 'redeemed', 'started', 'completed')"
TAKEN_UP: Final = "('applied', 'went_to_apply', 'claimed')"  # what can follow a suggestion (app.advisers)
# The events (uptake_event "e") and offers (offer "o") a scope counts, by its kind: each condition takes the scope's
# organisation or area as its one parameter. The nation's are everything.
EVENTS_OF: Final = {
    "organisation": "e.organisation = {}",
    "council": "e.council_area = {}",
    "sponsor": "e.sponsorship IN (SELECT id FROM sponsorship WHERE sponsor = {})",
}
OFFERS_OF: Final = {
    "organisation": "o.organisation = {}",
    "council": "o.council_area = {}",
    "sponsor": "o.id IN (SELECT offer FROM sponsorship WHERE sponsor = {} AND status = 'paid')",
}
EVERYTHING: Final = "TRUE"
# Events and offers for one charter principle (its id the parameter), and events of one type of offer.
EVENTS_FOR_PRINCIPLE: Final = "e.principles @> ARRAY[{}]::smallint[]"
OFFERS_FOR_PRINCIPLE: Final = "o.principles @> ARRAY[{}]::smallint[]"
OF_TYPE: Final = "e.offer_type = {}"


@dataclass(frozen=True)
class Scope:
    """Whose figures: kind "organisation" (its offers), "council" (young people living in `area`, and offers
    there), "sponsor" (the codes its sponsorships funded) or "national"."""

    kind: str
    organisation: int = 0
    area: str = ""

    def events(self) -> tuple[str, list[Any]]:
        return (EVENTS_OF[self.kind], self._whose()) if self.kind in EVENTS_OF else (EVERYTHING, [])

    def offers(self) -> tuple[str, list[Any]]:
        return (OFFERS_OF[self.kind], self._whose()) if self.kind in OFFERS_OF else (EVERYTHING, [])

    def _whose(self) -> list[Any]:
        return [self.area] if self.kind == "council" else [self.organisation]


def reporting_year(day: date) -> int:
    """The year a day is reported in, by the year it starts: 2026 is 1 April 2026 to 31 March 2027."""
    return day.year if day.month >= 4 else day.year - 1


def bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 4, 1, tzinfo=LONDON), datetime(year + 1, 4, 1, tzinfo=LONDON)


def months(year: int) -> list[str]:
    return [f"{year + (m < 4)}-{m:02d}" for m in (*range(4, 13), 1, 2, 3)]


def _keyed(name: str, count: str, hashes: str) -> str:
    """A people count and its cell key (app.core.counts): the sum of its records' hashes."""
    return f"{count}::int AS {name}, {cell_key_sql(hashes)} AS {name}_key"


def _counts(principle_filter: str) -> str:
    # Person keys compared byte for byte (COLLATE "C"): the same distinct count, and much faster to sort.
    pair = '(e.offer, e.person_key COLLATE "C")'
    counted = [
        _keyed(name, f"count(DISTINCT {pair}) {only}", f"sum(DISTINCT {PAIR_HASH}) {only}")
        for name, only in (
            ("applications", "FILTER (WHERE e.kind = 'applied')"),
            ("starts", "FILTER (WHERE e.kind = 'started')"),
            ("completions", "FILTER (WHERE e.kind = 'completed')"),
        )
    ]
    claimed, redeemed, undone = (
        f"FILTER (WHERE e.kind = '{kind}')" for kind in ("claimed", "redeemed", "redeem_undone")
    )
    reached = f"FILTER (WHERE e.kind IN {REACHED} AND e.person_key <> '')"
    followed = f"FILTER (WHERE e.suggested AND e.kind IN {TAKEN_UP})"
    counted += [
        _keyed("claimed", f"count(*) {claimed}", f"sum({PAIR_HASH}) {claimed}"),
        _keyed(
            "redeemed",
            # Not held at 0 here (a use is only undone after it): every count stays a sum over people.
            f"count(*) {redeemed} - count(*) {undone}",
            f"coalesce(sum({PAIR_HASH}) {redeemed}, 0) - coalesce(sum({PAIR_HASH}) {undone}, 0)",
        ),
        _keyed(
            "people", f'count(DISTINCT e.person_key COLLATE "C") {reached}', f"sum(DISTINCT {PERSON_HASH}) {reached}"
        ),
        # A young person with an offer, however many times they applied or claimed after the suggestion.
        _keyed("suggested", f"count(DISTINCT {pair}) {followed}", f"sum(DISTINCT {PAIR_HASH}) {followed}"),
    ]
    return ", ".join(counted) + f" FROM uptake_event e {principle_filter} WHERE e.at >= {{}} AND e.at < {{}}"


# The sector is the kind of the organisation whose offer it was (its kind now: a council's figures stay whole
# when an organisation is recorded under a better-fitting sector).
EVENTS_SQL: Final = (
    "SELECT CASE WHEN grouping(month) = 0 THEN 'month' WHEN grouping(e.offer_type) = 0 THEN 'type'"
    " WHEN grouping(e.council_area) = 0 THEN 'area' WHEN grouping(e.organisation) = 0 THEN 'organisation'"
    " WHEN grouping(og.kind) = 0 THEN 'sector' ELSE 'total' END AS dimension,"
    " coalesce(month::text, e.offer_type, e.council_area, e.organisation::text, og.kind, '') AS key, "
    + _counts(" LEFT JOIN organisation og ON og.id = e.organisation, width_bucket(e.at, {}::timestamptz[]) AS month")
)
PRINCIPLES_SQL: Final = "SELECT p AS key, " + _counts("CROSS JOIN unnest(e.principles) AS p")
TALLY_SQL: Final = "SELECT " + _counts("")
LIVE_OFFERS: Final = """
WITH o AS (
    SELECT o.id, o.organisation, o.type, o.council_area, coalesce(o.places, 0) AS places, o.published_at, o.closes_on,
        o.principles, o.ring_fenced, o.guaranteed_interview,
        (SELECT kind FROM organisation WHERE id = o.organisation) AS sector
    FROM offer o WHERE o.published_at IS NOT NULL AND o.published_at < {} AND (o.closes_on IS NULL OR o.closes_on >= {})
    AND NOT (o.status IN ('closed', 'archived') AND o.updated_at < {}) AND %s AND %s
)
"""
OFFER_PRINCIPLES_SQL: Final = (  # S608: LIVE_OFFERS is a constant
    LIVE_OFFERS + "SELECT p AS key, count(*)::int AS offers, sum(places)::int AS places, "  # noqa: S608
    "count(*) FILTER (WHERE o.ring_fenced)::int AS ring_fenced,"
    " count(*) FILTER (WHERE o.guaranteed_interview)::int AS guaranteed_interview"
    " FROM o CROSS JOIN unnest(o.principles) AS p GROUP BY p"
)
OFFERS_SQL: Final = (
    LIVE_OFFERS
    + """
SELECT CASE WHEN grouping(o.type) = 0 THEN 'type' WHEN grouping(o.organisation) = 0 THEN 'organisation'
    WHEN grouping(o.sector) = 0 THEN 'sector' ELSE 'total' END AS dimension,
    coalesce(o.type, o.organisation::text, o.sector, '') AS key,
    count(*)::int AS offers, coalesce(sum(places), 0)::int AS places,
    count(*) FILTER (WHERE o.ring_fenced)::int AS ring_fenced,
    count(*) FILTER (WHERE o.guaranteed_interview)::int AS guaranteed_interview
FROM o GROUP BY GROUPING SETS ((), (o.type), (o.organisation), (o.sector))
UNION ALL
SELECT 'month', to_char(m, 'YYYY-MM'), count(o.id)::int, coalesce(sum(o.places), 0)::int,
    count(o.id) FILTER (WHERE o.ring_fenced)::int, count(o.id) FILTER (WHERE o.guaranteed_interview)::int
FROM generate_series({}::date, {}::date, interval '1 month') AS m
LEFT JOIN o ON o.published_at < m + interval '1 month' AND (o.closes_on IS NULL OR o.closes_on >= m::date)
GROUP BY m
"""
)
MEDIAN_SQL: Final = """
WITH s AS (
    SELECT e.offer, e.person_key, min(e.at) AS started FROM uptake_event e
    WHERE e.at >= {} AND e.at < {} AND e.kind = 'started' AND e.person_key <> '' AND %s GROUP BY 1, 2
)
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.started - a.applied) / 86400) AS days,
    count(*)::int AS pairs
FROM s CROSS JOIN LATERAL (
    SELECT min(at) AS applied FROM uptake_event WHERE offer = s.offer AND person_key = s.person_key AND kind = 'applied'
) a WHERE a.applied IS NOT NULL AND a.applied <= s.started
"""
FEEDBACK_HASH: Final = record_hash("f.young_person::text", "f.offer")  # an answer: a young person about an offer
FEEDBACK_SQL: Final = """
SELECT avg(f.rating)::float AS score, count(*)::int AS responses,
    %s AS responses_key
FROM feedback f JOIN offer o ON o.id = f.offer
WHERE f.created_at >= {} AND f.created_at < {} AND %s AND %s
"""


@dataclass
class Figures:
    """The raw numbers: never shown as they are."""

    scope: Scope
    year: int
    principle: int | None
    total: dict[str, int]
    by: dict[str, dict[str, dict[str, int]]]
    principles: dict[int, dict[str, int]]
    median_days: float | None
    pairs: int
    score: float | None
    responses: int
    responses_key: int = 0


@dataclass(frozen=True)
class Window:
    """Which of a scope's events in the year are counted: those before `before`, those of these people only,
    those up to event `through` (by id); everyone's and all of them where a bound is None. Every people count is
    a sum over people (each counts a person, or a person with an offer), so the counts of a few people's events
    can be taken away and added again (app.uptake.kept keeps figures up to date that way)."""

    before: datetime | None = None
    persons: tuple[str, ...] | None = None
    through: int | None = None

    def sql(self) -> tuple[str, list[Any]]:
        bounds: list[tuple[str, Any]] = [
            ("e.at < {}", self.before),
            ("e.person_key = ANY({})", None if self.persons is None else list(self.persons)),
            ("e.id <= {}", self.through),
        ]
        chosen = [(condition, value) for condition, value in bounds if value is not None]
        return " AND ".join(condition for condition, _ in chosen) or EVERYTHING, [value for _, value in chosen]


EVERY_EVENT: Final = Window()


async def tally(
    scope: Scope,
    year: int,
    principle: int,
    offer_type: str = "",
    until: date | None = None,
    window: Window = EVERY_EVENT,
) -> dict[str, int]:
    """The people counts alone, for one principle (and one type of offer), in the year or its part up to and
    including `until`: what an objective measures. The same counting as `figures`, in one statement."""
    start, end = bounds(year)
    if until is not None:
        end = min(end, datetime.combine(until + timedelta(days=1), datetime.min.time(), LONDON))
    where, args = scope.events()
    typed, typed_args = (OF_TYPE, [offer_type]) if offer_type else (EVERYTHING, [])
    counted, counted_args = window.sql()
    rows = await UptakeEvent.raw(
        f"{TALLY_SQL} AND {where} AND {EVENTS_FOR_PRINCIPLE} AND {typed} AND {counted}",
        start,
        end,
        *args,
        principle,
        *typed_args,
        *counted_args,
    )
    return dict(rows[0])


async def figures(scope: Scope, year: int, principle: int | None = None, window: Window = EVERY_EVENT) -> Figures:
    """The year's figures, worked out now from the events in `window` (pages read them through app.uptake.kept)."""
    counted, offered, waited, felt = await together(
        people(scope, year, principle, window),
        offers(scope, year, principle),
        median(scope, year, principle, window),
        feedback(scope, year, principle),
    )
    total = dict.fromkeys(MEASURES, 0) | offered["total"] | counted["total"]
    by: dict[str, dict[str, dict[str, int]]] = {dimension: {} for dimension in DIMENSIONS}
    for found in (offered, counted):
        for dimension, rows in found["by"].items():
            for key, counts in rows.items():
                by[dimension].setdefault(key, dict.fromkeys(MEASURES, 0)).update(counts)
    by["month"] = {month: by["month"].get(month, dict.fromkeys(MEASURES, 0)) for month in months(year)}
    principles: dict[int, dict[str, int]] = {}
    for found in (counted, offered):
        for key, counts in found["principles"].items():
            principles.setdefault(int(key), dict.fromkeys(MEASURES, 0)).update(counts)
    return Figures(
        scope=scope,
        year=year,
        principle=principle,
        total=total,
        by=by,
        principles=principles,
        **waited,
        **felt,
    )


# Figures in parts, as app.uptake.kept keeps them up to date: the people counts (with their cell keys) from the
# events in a window, the offers and places from the offers live now, the median wait and young people's feedback.
Cells = dict[str, Any]  # {"total": counts, "by": {dimension: {key: counts}}, "principles": {principle: counts}}


async def people(scope: Scope, year: int, principle: int | None, window: Window = EVERY_EVENT) -> Cells:
    """The people counts and their cell keys, overall, by each dimension and by principle."""
    start, end = bounds(year)
    where, args = scope.events()
    counted, counted_args = window.sql()
    chosen, chosen_args = (EVENTS_FOR_PRINCIPLE, [principle]) if principle else (EVERYTHING, [])
    # Each event's month is found among the year's twelve month starts, far faster than formatting its date.
    month_starts = [datetime.strptime(month, "%Y-%m").replace(tzinfo=LONDON) for month in months(year)] + [end]
    events, by_principle = await together(
        UptakeEvent.raw(
            f"{EVENTS_SQL} AND {where} AND {chosen} AND {counted}"
            " GROUP BY GROUPING SETS ((), (month), (e.offer_type), (e.council_area), (e.organisation), (og.kind))",
            month_starts,
            start,
            end,
            *args,
            *chosen_args,
            *counted_args,
        ),
        UptakeEvent.raw(f"{PRINCIPLES_SQL} AND {where} AND {counted} GROUP BY p", start, end, *args, *counted_args),
    )
    for row in events:  # months come numbered 1 to 12
        if row["dimension"] == "month":
            row["key"] = months(year)[int(row["key"]) - 1]
    return _cells(events, by_principle)


async def offers(scope: Scope, year: int, principle: int | None) -> Cells:
    """Offers and places live in the year: about organisations, shown as they are."""
    start, end = bounds(year)
    offer_where, offer_args = scope.offers()
    chosen_offer, chosen_args = (OFFERS_FOR_PRINCIPLE, [principle]) if principle else (EVERYTHING, [])
    first_month, last_month = start.date(), date(year + 1, 3, 1)
    rows, by_principle = await together(
        UptakeEvent.raw(
            OFFERS_SQL % (offer_where, chosen_offer),
            end,
            first_month,
            start,
            *offer_args,
            *chosen_args,
            first_month,
            last_month,
        ),
        UptakeEvent.raw(OFFER_PRINCIPLES_SQL % (offer_where, EVERYTHING), end, first_month, start, *offer_args),
    )
    return _cells(rows, by_principle)


async def median(scope: Scope, year: int, principle: int | None, window: Window = EVERY_EVENT) -> dict[str, Any]:
    """Median days from applying to starting, and over how many people with an offer."""
    start, end = bounds(year)
    where, args = scope.events()
    chosen, chosen_args = (EVENTS_FOR_PRINCIPLE, [principle]) if principle else (EVERYTHING, [])
    counted, counted_args = window.sql()
    rows = await UptakeEvent.raw(
        MEDIAN_SQL % f"{where} AND {chosen} AND {counted}", start, end, *args, *chosen_args, *counted_args
    )
    return {"median_days": rows[0]["days"], "pairs": rows[0]["pairs"]}


async def feedback(scope: Scope, year: int, principle: int | None) -> dict[str, Any]:
    """Young people's feedback on the scope's offers: the mean score and how many answered."""
    start, end = bounds(year)
    offer_where, offer_args = scope.offers()
    chosen_offer, chosen_args = (OFFERS_FOR_PRINCIPLE, [principle]) if principle else (EVERYTHING, [])
    responses_key = cell_key_sql(f"sum({FEEDBACK_HASH})")
    rows = await UptakeEvent.raw(
        FEEDBACK_SQL % (responses_key, offer_where, chosen_offer), start, end, *offer_args, *chosen_args
    )
    return {"score": rows[0]["score"], "responses": rows[0]["responses"], "responses_key": rows[0]["responses_key"]}


def _cells(rows: list[dict[str, Any]], by_principle: list[dict[str, Any]]) -> Cells:
    """Rows of a query by dimension and key (the total's dimension is "total"), and by principle, as Cells."""
    found: Cells = {"total": {}, "by": {}, "principles": {}}
    for row in rows:
        dimension, key = row.pop("dimension"), row.pop("key")
        if dimension == "total":
            found["total"] = row
        else:
            found["by"].setdefault(dimension, {})[key] = row
    found["principles"] = {str(row.pop("key")): row for row in by_principle}
    return found
