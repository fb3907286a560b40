"""The dev mailbox: messages the app would have emailed, newest first (404 in production)."""

from typing import Any

from litestar import Request, get
from litestar.response import Template

from app.core.auth import dev_only
from app.core.htmx import page_or_fragment
from app.mail import service


@get("/dev/mail", name="dev:mail", guards=[dev_only])
async def mailbox(request: Request[Any, Any, Any]) -> Template:
    return page_or_fragment(request, "dev/mail.html", {"messages": await service.newest()})
