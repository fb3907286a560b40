from typing import Any

from litestar import Request, Response, get

from app.core.auth import public
from app.system.service import health_report, is_healthy


@get("/health", name="health", cache_control=None, guards=[public])
async def health(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """200 when the database and search answer; 503 naming what is down (Fly's check and uptime monitors)."""
    report = await health_report(request.app.state.search)
    return Response(report, status_code=200 if is_healthy(report) else 503, headers={"Cache-Control": "no-store"})
