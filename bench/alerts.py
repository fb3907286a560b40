"""alerts_run_s: one run of alerts for 10 000 saved searches when 500 offers are new, over the 100 000-offer index
that bench/search.py built (run after it). The searches are the search bench's mix of what young people type and
tick, each near one of 100 towns (1 700 distinct queries), 5 per person for 2 000 people, told an hour ago; the
new offers are demo offers published just now."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from app.accounts.tables import User
from app.core import db
from app.mail.tables import MailMessage
from app.offers.indexing import push_offers
from app.offers.tables import Offer
from app.saved.alerts import send_alerts
from app.saved.tables import SavedSearch
from app.settings import load_settings
from bench.harness import Target
from bench.search import QUERIES
from search.client import make_client
from search.places import places

PEOPLE = 2_000
EACH = 5
NEW_OFFERS = 500
TOWNS = 100


async def run(target: Target) -> dict[str, float]:
    settings = load_settings(target.env)
    today, now = date.today(), datetime.now(UTC)
    # The search bench's queries, each kept by people in many towns: a mix of shared and distinct saved queries.
    towns = [place.name for place in places() if place.kind == "town"][:TOWNS]
    queries = [f"{urlsplit(url).query}&near={town}&radius_km=25".lstrip("&") for url in QUERIES for town in towns]
    users = await User.insert(
        *[User(email=f"alerts{n}@bench.example", known_devices=[]) for n in range(PEOPLE)]
    ).returning(User.id)
    searches = [
        SavedSearch(
            user=row["id"], name=f"Search {k}", query=queries[(n * EACH + k) % len(queries)], frequency="now",
            told_at=now - timedelta(hours=1), seen_at=now - timedelta(hours=1),
        )
        for n, row in enumerate(users)
        for k in range(EACH)
    ]  # fmt: skip
    for start in range(0, len(searches), 2_000):  # PostgreSQL takes at most 32 767 values in one statement
        await SavedSearch.insert(*searches[start : start + 2_000])
    templates = await Offer.select().where(Offer.status == "published").limit(NEW_OFFERS)
    new = await Offer.insert(
        *[
            Offer(**{key: value for key, value in row.items() if key != "id"} | {"published_at": now})
            for row in templates
        ]
    ).returning(Offer.id)
    before = await MailMessage.count()
    async with make_client(target.env["MEILI_URL"], target.env["MEILI_MASTER_KEY"], timeout_s=60) as meili:
        await push_offers(meili, [row["id"] for row in new], today)
        await db.engine().start_connection_pool(**db.WORKER_POOL)  # as the worker runs it
        try:
            started = time.perf_counter()
            emails = await send_alerts(meili, settings, now + timedelta(seconds=1))
            run_s = time.perf_counter() - started
        finally:
            await db.engine().close_connection_pool()
    assert emails == await MailMessage.count() - before
    return {
        "alerts_run_s": round(run_s, 1),
        "alerts_emails": emails,
        "alerts_saved_searches": PEOPLE * EACH,
        "alerts_distinct_queries": len(set(search.query for search in searches)),
    }
