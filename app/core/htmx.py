"""One URL, two renderings: the whole page, or just the named block htmx asked for (DESIGN §6.3)."""

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request
from litestar.response import Template

VARY = {"Vary": "HX-Request"}


def wants_fragment(request: Request[Any, Any, Any]) -> bool:
    """htmx swaps want a fragment; boosted links and history restores need the whole page."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-boosted") != "true"
        and headers.get("hx-history-restore-request") != "true"
    )


def page_or_fragment(
    request: Request[Any, Any, Any],
    template_name: str,
    block: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    push_url: str | None = None,
) -> Template:
    """`push_url` is the tidy URL htmx puts in the address bar for this fragment (so Back and sharing work)."""
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
