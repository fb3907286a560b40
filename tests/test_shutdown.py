"""SIGTERM to the served app (Fly stopping a machine for a deploy or a scale-down): it takes no new work, and the
requests already in flight still get their answers before it exits."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import asyncpg
import httpx

from app.dev.services import served_by_the_app
from tests import factories
from tests.conftest import TEST_VAR

LOG = TEST_VAR / "shutdown_server.log"


async def _until(condition: object, what: str, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not await condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"waited {timeout_s:.0f} s for {what}"
        await asyncio.sleep(0.05)


def _logged(text: str, log: Path = LOG) -> bool:
    return text in log.read_text(errors="replace")


async def test_a_request_in_flight_when_sigterm_arrives_still_gets_its_answer() -> None:
    offer = await factories.offer(title="Lifeguard training at dawn")
    holder = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        # Two workers, as on Fly (WEB_CONCURRENCY in fly.toml): the server's parent process passes SIGTERM on.
        with served_by_the_app(LOG, WEB_CONCURRENCY="2") as (url, server):
            for _ in range(6):  # each worker process has served the page once (a new connection each)
                async with httpx.AsyncClient(base_url=url, timeout=30) as warming:
                    assert (await warming.get(f"/offers/{offer.id}")).status_code == 200
            held = holder.transaction()
            await held.start()
            await holder.execute("LOCK TABLE offer IN ACCESS EXCLUSIVE MODE")  # the offer's page waits for it
            async with httpx.AsyncClient(base_url=url, timeout=60) as client:
                in_flight = asyncio.create_task(client.get(f"/offers/{offer.id}"))

                async def waiting_for_the_lock() -> bool:
                    # Inside a transaction PostgreSQL shows pg_stat_activity as it was when first read in it: asked
                    # too soon, it would never show the request arriving. So the snapshot goes before each look.
                    await holder.execute("SELECT pg_stat_clear_snapshot()")
                    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    return bool(await holder.fetchval(waiting))

                await _until(waiting_for_the_lock, "the request to reach the database")
                server.send_signal(signal.SIGTERM)

                async def shutting_down() -> bool:
                    return _logged("Shutting down")

                await _until(shutting_down, "the server to start shutting down")
                await asyncio.sleep(0.5)
                assert not in_flight.done() and server.poll() is None, "it waits for the request in flight"
                await held.rollback()  # the page can be read now
                response = await in_flight
            assert response.status_code == 200 and "Lifeguard training at dawn" in response.text
            assert server.wait(20) == 0
    finally:
        await holder.close()
    assert "Traceback" not in LOG.read_text(errors="replace")
