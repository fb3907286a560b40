"""One URL, two renderings: the whole page, or just the named block htmx asked for (DESIGN §6.3)."""

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request
from litestar.plugins.htmx import HTMXDetails
from litestar.response import Template

VARY = {"Vary": "HX-Request"}


def htmx_of(request: Request[Any, Any, Any]) -> HTMXDetails:
    """What htmx said about this request, as the HTMX plugin parsed it (its request class has `.htmx`)."""
    details = getattr(request, "htmx", None)
    return details if isinstance(details, HTMXDetails) else HTMXDetails(request)


def wants_fragment(request: Request[Any, Any, Any]) -> bool:
    """htmx swaps want a fragment; boosted links and history restores need the whole page."""
    htmx = htmx_of(request)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def page_or_fragment(
    request: Request[Any, Any, Any],
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    block: str = "content",
    status_code: int = 200,
    push_url: str | None = None,
) -> Template:
    """`block` is what an htmx swap gets (every page's main block is "content"); `push_url` is the tidy URL htmx
    puts in the address bar for this fragment (so Back and sharing work)."""
    if wants_fragment(request):
        return HTMXBlockTemplate(
            template_name=template_name,
            block_name=block,
            context=context or {},
            status_code=status_code,
            headers=VARY,
            push_url=push_url,
        )
    return Template(template_name=template_name, context=context or {}, status_code=status_code, headers=VARY)
