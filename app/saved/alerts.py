"""Alerts: the worker tells people about offers newly published (or findable again) that match their saved searches.

Each run asks Meilisearch, many saved searches per request, for offers published since each search last told
(every word of the search required), sends one email per person with every search's news, in their language,
with a one-click unsubscribe (RFC 8058), and a note to each phone they turned notifications on in (push.py). It
remembers what it told (alert_sent): nobody hears twice about the same offer for the same search. "As soon as
there is one" is told at every run; daily once a day and weekly once in seven days, by the calendar in
Europe/London. A paused search says nothing; an offer withdrawn before the run has left the index, so it is never
sent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.core import keys
from app.core.errors import NotFound
from app.core.i18n import _
from app.mail import service as mail
from app.offers.languages import title_in_languages
from app.offers.query import build_filter
from app.saved import push
from app.saved.searches import params_of
from app.saved.tables import AlertSent, Frequency, SavedSearch
from app.settings import Settings
from search.client import JsonDict, SearchClient
from search.settings import OFFERS, query_words

LONDON = ZoneInfo("Europe/London")
PER_REQUEST = 100  # saved searches asked in one multi-search
MOST = 10  # offers told about per search in one email: the rest are a click away
ASKED = 50  # newest offers asked for each distinct saved query, before each search's own clock is applied


def is_due(frequency: str, told_at: datetime, now: datetime) -> bool:
    """Whether a search is to be told now: at once every run; daily on a new day, weekly seven days on, in London."""
    if frequency == Frequency.now:
        return True
    told, today = told_at.astimezone(LONDON).date(), now.astimezone(LONDON).date()
    return today >= told + timedelta(days=7 if frequency == Frequency.weekly else 1)


def unsubscribe_token(settings: Settings, user_id: int) -> str:
    return keys.unsubscribe_key(settings, "alerts", user_id)


def check_key(settings: Settings, user_id: int, key: str) -> None:
    """An unsubscribe link's key is its permission: a wrong one finds nothing."""
    if not keys.matches(unsubscribe_token(settings, user_id), key):
        raise NotFound(_("This unsubscribe link is not right. You can pause alerts at /me/searches."))


async def stop_all(user_id: int) -> int:
    """One-click unsubscribe: every saved search of this person is paused (they can resume any at /me/searches)."""
    rows = await SavedSearch.raw(
        'UPDATE saved_search SET paused = true WHERE "user" = {} AND NOT paused RETURNING id', user_id
    )
    return len(rows)


async def _due(now: datetime) -> list[dict[str, Any]]:
    rows = await SavedSearch.select(
        SavedSearch.id,
        SavedSearch.user,
        SavedSearch.user.email.as_alias("email"),
        SavedSearch.name,
        SavedSearch.query,
        SavedSearch.frequency,
        SavedSearch.told_at,
    ).where(SavedSearch.paused == False)  # noqa: E712
    return [row for row in rows if is_due(row["frequency"], row["told_at"], now)]


def _asked(saved_query: str, since: datetime, today: date) -> JsonDict:
    """Offers matching a saved query published in the second `since` or later (seconds are what the index keeps;
    alert_sent drops any told already), newest first."""
    params = params_of(saved_query)
    return {
        "indexUid": OFFERS,
        "q": query_words(params.q) + " ",  # the space: whole words only
        "filter": [*build_filter(params, today), f"published_ts >= {int(since.timestamp())}"],
        "sort": ["published_ts:desc"],
        "limit": ASKED,
        "matchingStrategy": "all",
        "attributesToRetrieve": ["id", "title", "language", "title_alt", "published_ts"],
    }


async def send_alerts(client: SearchClient, settings: Settings, now: datetime) -> int:
    """Housekeeping: one run of alerts; returns how many emails it queued. Searches saved with the same query
    (many people keep "apprenticeship near Cardiff") are asked once, from the earliest of their clocks."""
    due = await _due(now)
    by_query: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in due:
        by_query[row["query"]].append(row)
    asked = [(saved_query, min(row["told_at"] for row in rows)) for saved_query, rows in by_query.items()]
    today = now.astimezone(LONDON).date()
    news_of: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(asked), PER_REQUEST):
        chunk = asked[start : start + PER_REQUEST]
        results = await client.searches([_asked(saved_query, since, today) for saved_query, since in chunk])
        for (saved_query, _since), result in zip(chunk, results, strict=True):
            news_of[saved_query] = list(result["hits"])
    by_person: dict[int, list[tuple[dict[str, Any], list[dict[str, Any]]]]] = defaultdict(list)
    for row in due:
        since = int(row["told_at"].timestamp())
        hits = [hit for hit in news_of.get(row["query"], []) if (hit.get("published_ts") or 0) >= since][:MOST]
        if hits:
            by_person[row["user"]].append((row, hits))
    sent = 0
    for user_id, theirs in by_person.items():
        sent += await _tell(settings, user_id, theirs)
    # Every search asked moves on (a run cut short asks again from before; alert_sent drops what was told).
    for start in range(0, len(due), 10_000):
        ids = [row["id"] for row in due[start : start + 10_000]]
        await SavedSearch.update({SavedSearch.told_at: now}).where(SavedSearch.id.is_in(ids))
    return sent


async def _tell(settings: Settings, user_id: int, theirs: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> int:
    """In one transaction: what has not been told before is marked told and the email is queued."""
    async with SavedSearch._meta.db.transaction():
        fresh = await _not_told_before([(row["id"], int(hit["id"])) for row, hits in theirs for hit in hits])
        searches = []
        for row, hits in theirs:
            offers = [
                {"title": title_in_languages(hit), "link": f"{settings.base_url}/offers/{hit['id']}"}
                for hit in hits
                if (row["id"], int(hit["id"])) in fresh
            ]
            if offers:
                link = f"{settings.base_url}/me/searches/{row['id']}/results"
                searches.append({"name": row["name"], "offers": offers, "link": link})
        if not searches:
            return 0
        count = sum(len(search["offers"]) for search in searches)
        manage = f"{settings.base_url}/me/searches"
        await mail.send(
            theirs[0][0]["email"],
            "search_alert",
            unsubscribe=f"{settings.base_url}/alerts/unsubscribe/{user_id}/{unsubscribe_token(settings, user_id)}",
            searches=searches,
            count=count,
            manage=manage,
        )
        await push.queue(settings, user_id, count, link=manage)
    return 1


async def _not_told_before(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Marks these (saved search, offer) pairs told; returns those that were not told before."""
    rows = await AlertSent.raw(
        "INSERT INTO alert_sent (saved_search, offer, sent_at)"
        " SELECT search, offer, now() FROM unnest({}::int[], {}::int[]) AS pair(search, offer)"
        " ON CONFLICT (saved_search, offer) DO NOTHING RETURNING saved_search, offer",
        [search for search, _offer in pairs],
        [offer for _search, offer in pairs],
    )
    return {(int(row["saved_search"]), int(row["offer"])) for row in rows}
