"""Errors that stop a command with one clear sentence instead of a traceback."""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import Any


class StartupError(Exception):
    """Something the person running the command must fix; the message says what."""


def ensure_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            raise StartupError(
                f"Port {port} on {host} is already in use: stop whatever is using it or set PORT to another port."
            ) from None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def answers(url: str, path: str = "/health") -> bool:
    """Whether `url`/health answers 200 (our app and Meilisearch both have one), or another path given."""
    try:
        with urllib.request.urlopen(f"{url}{path}", timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_until_ready(url: str, process: subprocess.Popen[Any], log: str, timeout_s: float = 60) -> None:
    """Until our app's /ready says the database and search answer and every migration has run. 60 s: on a loaded
    machine uvicorn may restart a slow worker process more than once before it serves (seen: 36 s)."""
    deadline = time.monotonic() + timeout_s
    while not answers(url, "/ready"):
        if process.poll() is not None:
            raise StartupError(f"{url} stopped while starting; see {log}.")
        if time.monotonic() > deadline:
            process.terminate()  # uvicorn's parent stops its worker processes too; a kill would leave them running
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
            raise StartupError(f"{url} did not answer within {timeout_s:.0f} s; see {log}.")
        time.sleep(0.1)
