"""Paths on this site: built from routes' names, and checked before a redirect after signing in takes one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters, other than tab and newlines


def safe_next(path: str | None, default: str = "/") -> str:
    """Only paths on this site: never `//host` or `/\\host`, which browsers treat as another site."""
    if not path or not path.startswith("/") or path.startswith(("//", "/\\")) or len(path) > 300:
        return default
    return path if not CONTROL.search(path) and "\n" not in path else default


def path_to(request: Request[Any, Any, Any], name: str, query: Mapping[str, Any] | None = None, **params: Any) -> str:
    """The path of the route called `name` (Litestar's route_reverse), with a query string when given one."""
    path = request.app.route_reverse(name, **params)
    return path + ("?" + urlencode(query) if query else "")


def redirect_to(
    request: Request[Any, Any, Any],
    name: str,
    query: Mapping[str, Any] | None = None,
    cookies: list[Cookie] | None = None,
    headers: Mapping[str, str] | None = None,
    **params: Any,
) -> Redirect:
    """After a form: see the page called `name` (303, so the browser asks for it with GET)."""
    return Redirect(path_to(request, name, query, **params), status_code=303, cookies=cookies, headers=headers)
