"""Errors that stop a command with one clear sentence instead of a traceback."""

import socket


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
