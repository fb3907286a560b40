"""Run every benchmark against a freshly served app and print the figures (also kept in var/bench.json)."""

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


def main() -> int:
    try:
        with served_app() as target:
            asyncio.run(_load_demo())
            figures: dict[str, float] = {}
            figures |= asyncio.run(search_quality.run(target.env))  # on the demo data alone, before the 100k
            figures |= asyncio.run(pages.run(target))
            figures |= asyncio.run(search.run(target))
            figures |= asyncio.run(openreferral.run(target))  # over the 100 000 offers search.run wrote
            figures |= asyncio.run(sitemap.run(target))  # over them too
            figures |= asyncio.run(codes.run(target))
            figures |= asyncio.run(dashboards.run(target))
            # Over the 100 000 offers search.run indexed; last, so that what it writes (10 000 saved searches, 1 540
            # emails) is not still being vacuumed while the others measure.
            figures |= asyncio.run(alerts.run(target))
            figures |= disclosure.run()
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    figures["cpu_count"] = os.cpu_count() or 0
    write_figures(figures, OUTPUT)
    print(f"make bench on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}:")
    for name, value in sorted(figures.items()):
        print(f"  {name:<28} {value}")
    print(f"written to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
