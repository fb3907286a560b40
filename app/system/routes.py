from typing import Any

from litestar import Request, Response, get

from app.core.auth import public
from app.system.service import is_ready, ready_report

NO_STORE = {"Cache-Control": "no-store"}  # a cached answer would say how things were, not how they are


@get("/health", name="health", cache_control=None, guards=[public])
async def health() -> Response[dict[str, str]]:
    """200 while the process answers requests: it asks nothing else, so a database or search outage, which every
    machine shares, never takes them all out of Fly's routing at once (fly.toml)."""
    return Response({"status": "ok"}, headers=NO_STORE)


@get("/ready", name="ready", cache_control=None, guards=[public])
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """200 when the database and search answer and every migration has run; 503 naming what is not ready."""
    report = await ready_report(request.app.state.search)
    return Response(report, status_code=200 if is_ready(report) else 503, headers=NO_STORE)


ROUTES = [health, ready]
