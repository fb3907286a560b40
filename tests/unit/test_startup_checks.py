"""Checks made before anything is started: a free port, a Meilisearch binary with the pinned checksum
(the commands themselves: tests/test_commands.py)."""

import os
import socket
from pathlib import Path

import pytest

from app.core.startup import StartupError, ensure_port_free, free_port
from app.dev.meili import find_binary


def test_port_check_passes_on_a_free_port_and_stops_on_a_taken_one() -> None:
    """Port 0 would always be free (the system picks one): try a real port, free and then taken."""
    port = free_port()
    ensure_port_free("127.0.0.1", port)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(StartupError, match=f"Port {port} on 127.0.0.1 is already in use"):
            ensure_port_free("127.0.0.1", port)


def test_a_meilisearch_binary_with_the_wrong_checksum_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "meilisearch"
    fake.write_bytes(b"not meilisearch")
    with pytest.raises(StartupError, match=r"checksum .* not the pinned"):
        find_binary(fake, expected_sha256="0" * 64)
    assert not os.access(fake, os.X_OK), "a binary that failed its check is never made runnable"
