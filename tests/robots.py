"""robots.txt read as Google reads it (RFC 9309): the longest matching rule wins, Allow on a tie, `*` matches any
characters and a final `$` the end. (Python's urllib.robotparser knows neither `*` nor `$`.)"""

from __future__ import annotations

import re


def rules(text: str) -> list[tuple[bool, str]]:
    """(allowed, pattern) for every rule of the `User-agent: *` group."""
    found: list[tuple[bool, str]] = []
    agents: list[str] = []
    in_rules = False  # a User-agent line after rules starts a new group
    for line in text.splitlines():
        field, _, value = line.partition("#")[0].partition(":")
        field, value = field.strip().lower(), value.strip()
        if field == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value)
        elif field in ("allow", "disallow"):
            in_rules = True
            if "*" in agents and value:
                found.append((field == "allow", value))
    return found


def _matches(pattern: str, path: str) -> bool:
    anchored = pattern.endswith("$")
    body = re.escape(pattern.removesuffix("$")).replace(r"\*", ".*")
    return re.match(body + ("$" if anchored else ""), path) is not None


def may_crawl(text: str, path: str) -> bool:
    matching = [(len(pattern), allowed) for allowed, pattern in rules(text) if _matches(pattern, path)]
    if not matching:
        return True
    return max(matching)[1]
