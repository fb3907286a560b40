"""Commands: `python -m app dev | serve | migrate | demo | worker | reindex | reconcile | search-key | admin EMAIL`.

Anything the person running a command must fix ends it with one sentence and a non-zero exit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from app.core.accesslog import configure_logging
from app.core.startup import StartupError, ensure_port_free
from app.settings import Settings, SettingsError, load_settings, new_vapid_key

# On SIGTERM (Fly stopping a machine, a deploy) uvicorn stops taking connections and lets the requests in flight
# finish for up to this long before it cancels them; fly.toml's kill_timeout leaves room beyond it.
GRACEFUL_SHUTDOWN_S = 20
# How long a worker process of `serve` may take to start and to answer uvicorn's ping before it is started again
# (uvicorn's 5 s is too short for importing the app on a busy shared CPU: it restarted them again and again).
WORKER_START_S = 60


async def _migrate(settings: Settings) -> None:
    from app.core import db

    assert settings.database_url is not None
    await db.migrate(settings.database_url)


async def _demo(settings: Settings) -> None:
    from app.core import db
    from app.demo import load_demo

    assert settings.database_url is not None
    db.configure(settings.database_url)
    loaded = await load_demo(date.today())
    print("Demo data loaded." if loaded else "Demo data already there; left as it was.")


async def _worker(settings: Settings) -> None:
    import signal

    from app.core import db
    from app.worker import run
    from search.client import make_client

    assert settings.database_url is not None and settings.meili_url is not None
    engine = db.configure(settings.database_url)
    await engine.start_connection_pool(**db.WORKER_POOL)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with make_client(settings.meili_url, settings.meili_master_key) as search:
        print("Outbox worker running (Ctrl-C or SIGTERM stops it).")
        await run(search, stop, settings)
    await engine.close_connection_pool()


async def _reindex(settings: Settings) -> None:
    from app.core import db
    from app.offers.reindex import reindex, terminal_progress
    from search.client import make_client

    assert settings.database_url is not None and settings.meili_url is not None
    db.configure(settings.database_url)
    async with make_client(settings.meili_url, settings.meili_master_key, timeout_s=30) as search:
        count = await reindex(search, date.today(), terminal_progress)
    print(f"Reindexed {count} offers and swapped the new index in.")


async def _search_key(settings: Settings) -> None:
    from search.client import make_client
    from search.keys import search_only_key

    assert settings.meili_url is not None
    async with make_client(settings.meili_url, settings.meili_master_key) as master:
        print(await search_only_key(master))


async def _admin(settings: Settings, email: str) -> None:
    from app.accounts.admin import AdminError, make_admin
    from app.core import db

    assert settings.database_url is not None
    db.configure(settings.database_url)
    try:
        added = await make_admin(email)
    except AdminError as exc:
        raise SettingsError(str(exc)) from None
    print(f"{email} is {'now' if added else 'already'} a platform admin. They sign in at /sign-in with that address.")


async def _reconcile(settings: Settings) -> None:
    from app.core import db
    from app.sponsorship.events import reconcile
    from app.sponsorship.gateway import StripeGateway

    gateway = StripeGateway.from_settings(settings)
    if gateway is None:
        print("No Stripe keys are set (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET): there is nothing to reconcile.")
        return
    assert settings.database_url is not None
    db.configure(settings.database_url)
    done = await reconcile(settings, gateway)
    print(f"Card pledges pending over an hour: {done['paid']} paid, {done['expired']} released, "
          f"{done['still_open']} still open at Stripe.")  # fmt: skip


def _count_across_workers(settings: Settings) -> None:
    """With several worker processes, prometheus-client counts into files in a fresh directory they all inherit
    (named before they start and import it), so whichever answers for the metrics adds up every one's counts."""
    if settings.web_concurrency < 2:
        return
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="cyfle-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


def _serve(settings: Settings) -> None:
    import uvicorn

    from app.core.accesslog import uvicorn_log_config
    from app.system.metrics import serve_on_port

    _count_across_workers(settings)
    if settings.metrics_port is not None:
        serve_on_port(settings)
    uvicorn.run(
        "app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        # No forwarded header is believed by the server: the app reads only CLIENT_IP_HEADER, and only the entry
        # our own proxy added (app/core/ratelimit.py client_ip). Links use BASE_URL, never the request's scheme.
        proxy_headers=False,
        log_level="info",
        log_config=uvicorn_log_config(settings.log_format),
        access_log=False,  # it logs paths as asked, tokens and places too; app.core.accesslog logs the route
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        timeout_worker_healthcheck=WORKER_START_S,
    )


def _needs_servers(settings: Settings) -> None:
    if settings.database_url is None or settings.meili_url is None:
        raise SettingsError("DATABASE_URL and MEILI_URL must be set for this command (or use `python -m app dev`).")


@contextmanager
def _embedded(settings: Settings) -> Iterator[Settings]:
    """The settings again, pointing at the embedded services (reusing ones a running `make dev` started)."""
    from app.dev.services import embedded_services

    with embedded_services(settings) as started:
        os.environ.update(started)
        yield load_settings()


def _dev(settings: Settings) -> None:
    # SIGTERM (a process manager, `kill`) and SIGHUP (the terminal closed) stop everything as Ctrl-C does. Left to
    # their defaults they end the process at once, before the embedded services are stopped: even uvicorn, which
    # shuts down gracefully on SIGTERM, raises it again afterwards and so ends the process the default way.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGHUP, lambda *_: signal.raise_signal(signal.SIGTERM))  # uvicorn knows SIGTERM only
    ensure_port_free(settings.host, settings.port)
    with _embedded(settings) as settings:
        asyncio.run(_migrate(settings))
        asyncio.run(_demo(settings))
        print(f"Serving on http://{settings.host}:{settings.port}  (Ctrl-C stops everything `make dev` started)")
        _serve(settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("dev", help="start embedded services as needed, migrate, load demo data and serve")
    commands.add_parser("serve", help="serve the app (production: all settings from the environment)")
    commands.add_parser("migrate", help="run database migrations")
    commands.add_parser("demo", help="load demo data into an empty database")
    commands.add_parser("worker", help="run the outbox worker (search sync) until stopped")
    commands.add_parser("reindex", help="rebuild the search index from the database and swap it in")
    commands.add_parser("reconcile", help="ask Stripe about card pledges pending for over an hour and settle them")
    commands.add_parser("search-key", help="print the search-only Meilisearch key to set as MEILI_SEARCH_KEY")
    commands.add_parser("vapid-key", help="print a new web push key to set as VAPID_PRIVATE_KEY")
    admin = commands.add_parser("admin", help="make the person with this email address a platform admin")
    admin.add_argument("email")
    args = parser.parse_args(argv)
    if args.command == "vapid-key":  # needs no settings: it makes one
        print(new_vapid_key())
        return 0
    configure_logging()  # every command's app.* lines (the worker's, a reindex's) lose email addresses too
    if args.command == "dev":  # the one command that says dev itself; everything else needs APP_ENV set
        os.environ.setdefault("APP_ENV", "dev")
    try:
        settings = load_settings()
        configure_logging(settings.log_format)
        if args.command == "dev":
            _dev(settings)
            return 0
        if args.command in ("reindex", "reconcile") and settings.embedded_database:
            with _embedded(settings) as embedded:
                asyncio.run(_reindex(embedded) if args.command == "reindex" else _reconcile(embedded))
            return 0
        if args.command == "admin":
            if settings.embedded_database:
                with _embedded(settings) as embedded:
                    asyncio.run(_migrate(embedded))
                    asyncio.run(_admin(embedded, args.email))
            else:
                asyncio.run(_admin(settings, args.email))
            return 0
        if args.command == "search-key":
            if settings.meili_url is None:
                raise SettingsError("MEILI_URL and MEILI_MASTER_KEY must be set for this command.")
            asyncio.run(_search_key(settings))
            return 0
        _needs_servers(settings)
        if args.command == "serve":
            _serve(settings)
        elif args.command == "migrate":
            asyncio.run(_migrate(settings))
        elif args.command == "demo":
            asyncio.run(_demo(settings))
        elif args.command == "reindex":
            asyncio.run(_reindex(settings))
        elif args.command == "reconcile":
            asyncio.run(_reconcile(settings))
        elif args.command == "worker":
            asyncio.run(_worker(settings))
    except (SettingsError, StartupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
