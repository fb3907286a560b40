"""`make soak`: ten minutes of mixed traffic at 50 clients against the app served as in production (uvicorn in its
own process, the worker beside it, 100 000 offers as in `make bench`): per-route p95, every error, and how much the
app's memory grew. Printed and written to var/soak.json.

Each client runs on its own keep-alive connection and, with no pause between them, one of: a search as the page's
htmx asks for it (or the whole page), an offer's page, the home page, a claim of a concession code by a confirmed
young person (then their codes), the door staff redeeming a claimed code, the organisation's dashboard, the public
charter in numbers, or a whole sign-in: the form, asking for a link, the link's page and using it (the link read
from the message the app queued, as the mailbox would). Each client has its own address, as 50 phones would
(CLIENT_IP_HEADER, as behind Fly's proxy), so the per-address limits on sign-in treat them as people, not as one.

The first minute (or a tenth of a shorter run) warms the server up and is not counted; memory is compared from its
end to the end of the run (`rss_start_mb`, `rss_end_mb`, `rss_growth_pct`), sampled every 10 s in between.
SOAK_SECONDS (600 by default) and SOAK_CLIENTS (50) change the run: `SOAK_SECONDS=60 make soak` for a quick look."""

from __future__ import annotations

import asyncio
import os
import random
import re
import secrets
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import asyncpg

from app.core.startup import StartupError
from app.settings import ROOT
from bench import search
from bench.harness import Answer, Target, Wire, percentile, rss_mb, served_app, server_pid, write_figures

SOAK_VAR = ROOT / "var" / "soak"
OUTPUT = ROOT / "var" / "soak.json"
CLIENT_IP_HEADER = "x-soak-client-ip"
PEOPLE = 1500  # confirmed young people, each may claim each of the concessions once
CONCESSIONS = 3
POOL = 3000  # codes in each concession's pool
TIMEOUT_S = 30
LINK = re.compile(r"/sign-in/([A-Za-z0-9_-]{20,100})")


class Soak:
    """What the clients share: the data set up for them, the figures, and whether it is still the warm-up."""

    def __init__(self, target: Target, database_url: str) -> None:
        self.target = target
        self.database_url = database_url
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_examples: list[str] = []
        self.counting = False
        self.csrf = ""
        self.offers: list[int] = []
        self.concessions: list[int] = []
        self.organisation = 0
        self.owner = ""
        self.door = ""
        self.claims: list[tuple[str, int]] = []  # (session, concession) not yet claimed
        self.people: list[str] = []
        self.claimed: list[str] = []  # codes claimed and not yet redeemed
        self.handed: set[str] = set()  # codes given to the door staff already
        self.signed_up = 0
        self.db: asyncpg.Pool | None = None

    async def timed(self, route: str, call: Callable[[], Awaitable[Answer]], ok: tuple[int, ...] = (200,)) -> Answer:
        started = time.perf_counter()
        answer = await asyncio.wait_for(call(), TIMEOUT_S)
        if self.counting:
            self.samples[route].append((time.perf_counter() - started) * 1000)
            if answer.status_code not in ok:
                self.errors[route] += 1
                if len(self.error_examples) < 20:
                    self.error_examples.append(f"{route}: {answer.status_code} {answer.body[:160]!r}")
        return answer


async def _setup(soak: Soak) -> None:
    """The people, the concessions and their pools, the organisation's owner and door staff, and a CSRF cookie."""
    connection = await asyncpg.connect(soak.database_url)
    try:
        await _people_and_codes(soak, connection)
        soak.offers = [row["id"] for row in await connection.fetch(
            "SELECT id FROM offer WHERE status = 'published' ORDER BY random() LIMIT 2000")]  # fmt: skip
        await connection.execute("VACUUM ANALYZE")  # as a database that has been running a while
    finally:
        await connection.close()
    wire = Wire(soak.target.url)
    soak.csrf = (await wire.get("/sign-in")).cookies()["csrftoken"]
    await wire.close()


async def _people_and_codes(soak: Soak, connection: asyncpg.Connection) -> None:
    """As bench/codes.py, in a few statements: confirmed young people with a session each, concessions with their
    pools, and the organisation's owner (its dashboard) and door staff (redeeming)."""
    from app.accounts.sessions import session_hash
    from app.codes.pool import new_codes
    from app.settings import load_settings

    settings = load_settings()
    now = datetime.now(UTC)

    async def organisation(name: str, kind: str) -> int:
        return int(await connection.fetchval(
            "INSERT INTO organisation (name, slug, kind, pledged_principles, approved_at)"
            " VALUES ($1, $2, $3, '{5}', $4) RETURNING id", name, name.lower().replace(" ", "-"), kind, now,
        ))  # fmt: skip

    async def people(emails: list[str]) -> tuple[list[int], list[str]]:
        """Accounts for these addresses and a session token for each."""
        rows = await connection.fetch(
            "INSERT INTO user_account (email) SELECT unnest($1::text[]) RETURNING id, email", emails
        )
        by_email = {row["email"]: row["id"] for row in rows}
        ids = [by_email[email] for email in emails]
        tokens = [secrets.token_urlsafe(32) for _ in ids]
        await connection.execute(
            'INSERT INTO user_session (token_hash, "user", expires_at) SELECT unnest($1::text[]), unnest($2::int[]), $3',
            [session_hash(settings, token) for token in tokens], ids, now + timedelta(days=1),
        )  # fmt: skip
        return ids, tokens

    soak.organisation = await organisation("Soak Leisure", "leisure")
    council = await organisation("Soak Council", "council")
    for n in range(CONCESSIONS):
        offer = int(await connection.fetchval(
            "INSERT INTO offer (organisation, type, title, status, principles, published_at)"
            " VALUES ($1, 'sport', $2, 'published', '{5}', $3) RETURNING id", soak.organisation, f"Soak swim {n}", now,
        ))  # fmt: skip
        await connection.copy_records_to_table(
            "concession_code", records=[(offer, code) for code in new_codes(POOL)], columns=["offer", "code"]
        )
        soak.concessions.append(offer)
    ids, soak.people = await people([f"soak{n}@example.org" for n in range(PEOPLE)])
    await connection.execute(
        "WITH young AS (INSERT INTO young_person (\"user\", date_of_birth, home_council)"
        "  SELECT unnest($1::int[]), '2005-01-01', 'W06000015' RETURNING id)"
        " INSERT INTO verification (young_person, council, status, expires_on)"
        " SELECT id, $2, 'verified', '2030-01-01' FROM young", ids, council,
    )  # fmt: skip
    soak.claims = [(person, offer) for offer in soak.concessions for person in soak.people]
    random.Random(7).shuffle(soak.claims)
    staff, (soak.owner, soak.door) = await people(["soak-owner@example.org", "soak-door@example.org"])
    await connection.execute(
        'INSERT INTO membership ("user", organisation, role) SELECT unnest($1::int[]), $2, unnest($3::text[])',
        staff, soak.organisation, ["owner", "redeemer"],
    )  # fmt: skip


def _address(rng: random.Random) -> str:
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


class Client:
    """One phone: its own connection and address, doing one thing after another."""

    def __init__(self, soak: Soak, n: int) -> None:
        self.soak = soak
        self.rng = random.Random(n)
        self.address = _address(self.rng)
        self.wire = Wire(soak.target.url)

    def headers(self, extra: dict[str, str] | None = None, address: str | None = None) -> dict[str, str]:
        return {CLIENT_IP_HEADER: address or self.address, **(extra or {})}

    def get(
        self, path: str, cookies: dict[str, str] | None = None, extra: dict[str, str] | None = None
    ) -> Callable[[], Awaitable[Answer]]:
        cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        return lambda: self.wire.get(path, self.headers(cookie | (extra or {})))

    def post(
        self, path: str, data: dict[str, str], cookies: dict[str, str], extra: dict[str, str] | None = None
    ) -> Callable[[], Awaitable[Answer]]:
        form = {"_csrf_token": self.soak.csrf, **data}
        jar = {"csrftoken": self.soak.csrf, **cookies}
        return lambda: self.wire.post(path, form, jar, self.headers(extra))

    async def search(self) -> None:
        url = self.rng.choice(search.QUERIES)
        if self.rng.random() < 0.15:
            await self.soak.timed("search page", self.get(url))
        else:
            await self.soak.timed("search fragment", self.get(url, extra={"HX-Request": "true"}))

    async def offer(self) -> None:
        await self.soak.timed("offer page", self.get(f"/offers/{self.rng.choice(self.soak.offers)}"))

    async def home(self) -> None:
        await self.soak.timed("home", self.get("/"))

    async def claim(self) -> None:
        if not self.soak.claims:
            return await self.search()  # every young person has claimed every concession: a longer run than planned
        person, offer = self.soak.claims.pop()
        me = {"session": person}
        await self.soak.timed("claim", self.post(f"/offers/{offer}/claim", {}, me), ok=(303,))
        await self.soak.timed("my codes", self.get("/me/codes", me))

    async def redeem(self) -> None:
        if not self.soak.claimed:
            self.soak.claimed = await _claimed(self.soak)
        if not self.soak.claimed:
            return await self.search()
        data = {"code": self.soak.claimed.pop()}
        door = {"session": self.soak.door}
        org = self.soak.organisation
        await self.soak.timed("redeem", self.post(f"/organisations/{org}/redeem", data, door, {"HX-Request": "true"}))

    async def dashboard(self) -> None:
        owner = {"session": self.soak.owner}
        await self.soak.timed(
            "organisation dashboard", self.get(f"/organisations/{self.soak.organisation}/uptake", owner)
        )

    async def charter(self) -> None:
        await self.soak.timed("charter in numbers", self.get("/charter"))

    async def sign_in(self) -> None:
        """A new person signs in on their own phone (its own address): the whole round, the link from the mail."""
        self.soak.signed_up += 1
        email = f"soak-new-{self.soak.signed_up}-{self.rng.randrange(10**9)}@example.org"
        address = _address(self.rng)
        await self.soak.timed("sign-in form", lambda: self.wire.get("/sign-in", self.headers(address=address)))
        form = {"_csrf_token": self.soak.csrf, "email": email, "next": ""}
        jar = {"csrftoken": self.soak.csrf}
        sent = await self.soak.timed(
            "sign-in ask for a link", lambda: self.wire.post("/sign-in", form, jar, self.headers(address=address))
        )
        token = await _link_token(self.soak, email)
        if token is None:
            self.soak.errors["sign-in ask for a link"] += self.soak.counting
            return
        jar["asked"] = sent.cookies().get("asked", "")
        link = f"/sign-in/{token}"
        await self.soak.timed("sign-in link page", lambda: self.wire.get(link, self.headers(address=address)))
        used = {"_csrf_token": self.soak.csrf, "confirm": "yes"}
        await self.soak.timed(
            "sign-in use the link", lambda: self.wire.post(link, used, jar, self.headers(address=address)), ok=(303,)
        )

    async def run(self, until: float) -> None:
        actions = [self.search, self.offer, self.home, self.claim, self.redeem, self.dashboard, self.charter,
                   self.sign_in]  # fmt: skip
        weights = [36, 20, 6, 10, 10, 5, 5, 8]
        while time.monotonic() < until:
            action = self.rng.choices(actions, weights)[0]
            try:
                await action()
            except (TimeoutError, OSError, EOFError, asyncio.IncompleteReadError, ValueError) as exc:
                if self.soak.counting:
                    self.soak.errors[f"{action.__name__} (no answer)"] += 1
                    if len(self.soak.error_examples) < 20:
                        self.soak.error_examples.append(f"{action.__name__}: {exc!r}")
                await self.wire.close()
                self.wire = Wire(self.soak.target.url)  # a new connection, as a phone would open
        await self.wire.close()


async def _claimed(soak: Soak) -> list[str]:
    """Codes claimed and not yet redeemed (as young people would show them at the door), a few hundred at a time."""
    assert soak.db is not None
    rows = await soak.db.fetch(
        "SELECT code FROM concession_code WHERE claimed_at IS NOT NULL AND redeemed_at IS NULL AND offer = ANY($1)"
        " ORDER BY claimed_at LIMIT 300",
        soak.concessions,
    )
    fresh = [row["code"] for row in rows if row["code"] not in soak.handed]
    soak.handed.update(fresh)
    return fresh


async def _link_token(soak: Soak, email: str) -> str | None:
    assert soak.db is not None
    body = await soak.db.fetchval("SELECT body FROM mail_message WHERE recipient = $1 ORDER BY id DESC LIMIT 1", email)
    found = LINK.search(body or "")
    return found.group(1) if found else None


async def soak_run(target: Target, seconds: int, clients: int) -> dict[str, float]:
    today = date.today()
    await search.load_synthetic(target.env["DATABASE_URL"], today)
    from app.offers.reindex import reindex
    from search.client import make_client

    meili = make_client(target.env["MEILI_URL"], target.env["MEILI_MASTER_KEY"], timeout_s=60)
    await reindex(meili, today)
    await meili.aclose()
    soak = Soak(target, target.env["DATABASE_URL"])
    await _setup(soak)
    soak.db = await asyncpg.create_pool(soak.database_url, min_size=1, max_size=4)
    with _worker():
        return await _traffic(soak, seconds, clients)


@contextmanager
def _worker() -> Iterator[None]:
    """The worker beside the app, as on Fly (it sends the mail, pushes changes to search, keeps figures), started
    once the index is built so that it finds it current."""
    with (SOAK_VAR / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "app", "worker"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield
        finally:
            worker.terminate()
            worker.wait(30)


async def _traffic(soak: Soak, seconds: int, clients: int) -> dict[str, float]:
    pid = server_pid()
    rss_cold = rss_mb(pid)
    warm_up = min(60, seconds // 10)
    began = time.monotonic()
    runs = [asyncio.create_task(Client(soak, n).run(began + warm_up + seconds)) for n in range(clients)]
    await asyncio.sleep(warm_up)
    soak.counting = True
    rss_start, counted_from = rss_mb(pid), time.monotonic()
    rss_samples: list[float] = []
    while not all(run.done() for run in runs):
        await asyncio.sleep(1)
        if len(rss_samples) < (time.monotonic() - counted_from) // 10:
            rss_samples.append(rss_mb(pid))
    await asyncio.gather(*runs)
    elapsed = time.monotonic() - counted_from
    rss_end = rss_mb(pid)
    if soak.db is not None:
        await soak.db.close()
    figures: dict[str, float] = {
        "soak_seconds": seconds,
        "soak_clients": clients,
        "soak_requests": sum(len(samples) for samples in soak.samples.values()),
        "soak_rps": round(sum(len(samples) for samples in soak.samples.values()) / elapsed, 1),
        "soak_errors": sum(soak.errors.values()),
        "rss_cold_mb": rss_cold,
        "rss_start_mb": rss_start,
        "rss_end_mb": rss_end,
        "rss_max_mb": max([rss_start, rss_end, *rss_samples]),
        "rss_growth_pct": round((rss_end - rss_start) / rss_start * 100, 1),
    }
    for route, samples in sorted(soak.samples.items()):
        figures[f"{route}: requests"] = len(samples)
        figures[f"{route}: p95_ms"] = round(percentile(samples, 95), 1)
        figures[f"{route}: errors"] = soak.errors.get(route, 0)
    for route, count in soak.errors.items():
        if route not in soak.samples:
            figures[f"{route}: errors"] = count
    for example in soak.error_examples:
        print(f"  error: {example}", file=sys.stderr)
    return figures


def main() -> int:
    seconds = int(os.environ.get("SOAK_SECONDS", "600"))
    clients = int(os.environ.get("SOAK_CLIENTS", "50"))
    try:
        with served_app(SOAK_VAR, "cyfle_soak", {"CLIENT_IP_HEADER": CLIENT_IP_HEADER}) as target:
            from bench.__main__ import _load_demo

            asyncio.run(_load_demo())
            figures = asyncio.run(soak_run(target, seconds, clients))
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write_figures(figures, OUTPUT)
    print(f"make soak: {clients} clients for {seconds} s on {os.cpu_count()} cores:")
    for name, value in figures.items():
        print(f"  {name:<40} {value}")
    print(f"written to {OUTPUT.relative_to(ROOT)}")
    return 0 if figures["soak_errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
