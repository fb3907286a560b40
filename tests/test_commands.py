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


def _started_from(var_dir: Path) -> list[str]:
    import psutil

    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(var_dir) in cmdline and process.info["name"] in {"postgres", "meilisearch"}:
            found.append(process.info["name"])
    return found


def _dev_until_healthy(var_dir: Path, port: int) -> tuple[subprocess.Popen[str], str]:
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
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                return process, response.read().decode()
        except OSError:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.2)
    process.kill()
    raise AssertionError("`python -m app dev` did not serve /health in 90 s")


def test_dev_serves_then_ctrl_c_stops_what_it_started_and_a_second_run_reuses_the_data(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    for run in ("first", "second"):
        process, health = _dev_until_healthy(var_dir, free_port())
        assert json.loads(health) == {"database": "ok", "search": "ok"}
        assert sorted(set(_started_from(var_dir))) == ["meilisearch", "postgres"]
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, output
        assert "Traceback" not in output
        assert _started_from(var_dir) == [], "Ctrl-C stops everything it started"
        expected = "Demo data loaded." if run == "first" else "Demo data already there"
        assert expected in output


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
