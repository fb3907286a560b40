"""Offer descriptions: Markdown rendered to HTML, then sanitised (no raw HTML, scripts, event handlers or
javascript: links can survive)."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr"}
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


@lru_cache(maxsize=512)
def render(text: str) -> Markup:
    html = _md.render(text or "")
    # Headings inside a description sit below the page's own h1 and h2.
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 (sanitised by nh3 just above)
