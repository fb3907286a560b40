"""Run every benchmark against a freshly served app and print the figures (also kept in var/bench.json).

`python -m bench search codes` runs only those parts (the demo data is always loaded; openreferral, sitemap and
alerts measure over the offers search writes, so they need it too); the figures then go to var/bench-PARTS.json,
leaving the full run's var/bench.json alone."""

from __future__ import annotations

import asyncio
import os
import platform
import sys
from datetime import date

from app.core.startup import StartupError
from app.settings import ROOT
from bench import alerts, codes, dashboards, disclosure, openreferral, pages, search, search_quality, sitemap
from bench.harness import served_app, write_figures

OUTPUT = ROOT / "var" / "bench.json"


async def _load_demo() -> None:
    from app.core import db
    from app.demo import load_demo

    db.configure(os.environ["DATABASE_URL"])
    await load_demo(date.today())


PARTS = ("search_quality", "pages", "search", "openreferral", "sitemap", "codes", "dashboards", "alerts", "disclosure")


def main(parts: list[str]) -> int:
    unknown = set(parts) - set(PARTS)
    if unknown:
        print(f"error: no such part: {', '.join(sorted(unknown))} (parts: {', '.join(PARTS)})", file=sys.stderr)
        return 2
    wanted = set(parts or PARTS)
    try:
        with served_app() as target:
            asyncio.run(_load_demo())
            figures: dict[str, float] = {}
            if "search_quality" in wanted:
                figures |= asyncio.run(search_quality.run(target.env))  # on the demo data alone, before the 100k
            if "pages" in wanted:
                figures |= asyncio.run(pages.run(target))
            if "search" in wanted:
                figures |= asyncio.run(search.run(target))
            if "openreferral" in wanted:
                figures |= asyncio.run(openreferral.run(target))  # over the 100 000 offers search.run wrote
            if "sitemap" in wanted:
                figures |= asyncio.run(sitemap.run(target))  # over them too
            if "codes" in wanted:
                figures |= asyncio.run(codes.run(target))
            if "dashboards" in wanted:
                figures |= asyncio.run(dashboards.run(target))
            # Over the 100 000 offers search.run indexed; last, so that what it writes (10 000 saved searches, 1 540
            # emails) is not still being vacuumed while the others measure.
            if "alerts" in wanted:
                figures |= asyncio.run(alerts.run(target))
            if "disclosure" in wanted:
                figures |= disclosure.run()
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    figures["cpu_count"] = os.cpu_count() or 0
    output = OUTPUT if not parts else OUTPUT.with_name(f"bench-{'-'.join(parts)}.json")
    write_figures(figures, output)
    print(f"make bench on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}:")
    for name, value in sorted(figures.items()):
        print(f"  {name:<28} {value}")
    print(f"written to {output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
