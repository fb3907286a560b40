"""Paths on this site, as a redirect after signing in may take them: never another site's."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters, other than tab and newlines


def safe_next(path: str | None, default: str = "/") -> str:
    """Only paths on this site: never `//host` or `/\\host`, which browsers treat as another site."""
    if not path or not path.startswith("/") or path.startswith(("//", "/\\")) or len(path) > 300:
        return default
    return path if not CONTROL.search(path) and "\n" not in path else default
