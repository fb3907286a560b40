"""search_recall_at_5: does the search page find what young people ask for? On the demo data, for every judged
query of search/judgements.csv, the share of the relevant offers among the first five results.

A judgement names the query, its kind (english, welsh, mutation, plural, ...) and a case-insensitive regex that a
relevant offer's words match (title, summary, description, the other language's, and the organisation's name).
The relevant set R is every offer open today whose words match; a query scores |first five ∩ R| / min(5, |R|),
and the figure is the mean. The search is the app's own (app.offers.query, exactly what the search page sends)
against an index built from the database as `make dev` builds it.

`make search-quality` (python -m bench.search_quality) prints the figure and every query that fell short;
`make bench` adds the figure to var/bench.json."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.settings import ROOT
from search.client import SearchClient

JUDGEMENTS = ROOT / "search" / "judgements.csv"
QUALITY_VAR = ROOT / "var" / "search-quality"
QUALITY_DATABASE = "cyfle_quality"
TOP = 5
TEXT_FIELDS = ("title", "summary", "description", "title_alt", "summary_alt", "description_alt", "organisation_name")


class NothingRelevant(Exception):
    """A judged query that no offer could satisfy: the judgement (or the demo data) is wrong, not the search."""


@dataclass(frozen=True)
class Judgement:
    query: str
    kind: str
    relevant: re.Pattern[str]


@dataclass(frozen=True)
class Outcome:
    judgement: Judgement
    score: float
    relevant: int  # |R|
    shown: list[tuple[str, bool]]  # the first results' titles, and whether each is relevant


def read_judgements(path: Path = JUDGEMENTS) -> list[Judgement]:
    with path.open(newline="", encoding="utf-8") as file:
        return [
            Judgement(row["query"], row["kind"], re.compile(row["relevant"], re.IGNORECASE))
            for row in csv.DictReader(file)
        ]


def offer_text(offer: Mapping[str, Any]) -> str:
    """What a judgement's regex is matched against: every word a reader could see, in both languages."""
    return "\n".join(str(offer.get(field) or "") for field in TEXT_FIELDS)


def relevant_ids(judgement: Judgement, offers: Iterable[Mapping[str, Any]]) -> set[int]:
    return {int(offer["id"]) for offer in offers if judgement.relevant.search(offer_text(offer))}


def score(top: list[int], relevant: set[int]) -> float:
    """Recall at 5, capped so a query with fewer than five relevant offers can still score 1."""
    return len(set(top[:TOP]) & relevant) / min(TOP, len(relevant))


async def open_offers(today: date) -> list[dict[str, Any]]:
    """Every offer a search can find today, with its organisation's name (as the index has it)."""
    from app.offers.service import open_on
    from app.offers.tables import Offer

    columns = [getattr(Offer, name) for name in ("id", *TEXT_FIELDS[:-1])]
    organisation = Offer.organisation.name.as_alias("organisation_name")
    return list(await Offer.select(*columns, organisation).where(open_on(today)))


async def measure(client: SearchClient, judgements: list[Judgement], today: date) -> list[Outcome]:
    """Run every judged query through the search page's own search; raises NothingRelevant for a query that no open
    offer satisfies, naming it."""
    from app.offers.query import parse, search_offers

    offers = await open_offers(today)
    outcomes = []
    for judgement in judgements:
        relevant = relevant_ids(judgement, offers)
        if not relevant:
            raise NothingRelevant(f"no open offer is relevant to {judgement.query!r} ({judgement.relevant.pattern})")
        results = await search_offers(client, parse({"q": [judgement.query]}), today)
        top = [hit.id for hit in results.hits[:TOP]]
        shown = [(hit.title, hit.id in relevant) for hit in results.hits[:TOP]]
        outcomes.append(Outcome(judgement, score(top, relevant), len(relevant), shown))
    return outcomes


def recall_at_5(outcomes: list[Outcome]) -> float:
    return round(sum(outcome.score for outcome in outcomes) / len(outcomes), 3)


def report(outcomes: list[Outcome]) -> str:
    """The figure, then every query that fell short, grouped by kind, with what came back (✓ relevant)."""
    lines = [f"search_recall_at_5 {recall_at_5(outcomes):.3f}  ({len(outcomes)} judged queries)"]
    kinds = sorted({outcome.judgement.kind for outcome in outcomes})
    for kind in kinds:
        of_kind = [outcome for outcome in outcomes if outcome.judgement.kind == kind]
        short = [outcome for outcome in of_kind if outcome.score < 1]
        lines.append(f"{kind}: {recall_at_5(of_kind):.3f} over {len(of_kind)}, {len(short)} short")
        for outcome in short:
            came = " | ".join(("✓ " if ok else "✗ ") + title for title, ok in outcome.shown) or "nothing"
            lines.append(f"  {outcome.score:.2f}  {outcome.judgement.query!r} (R={outcome.relevant}): {came}")
    return "\n".join(lines)


async def run(target_env: Mapping[str, str]) -> dict[str, float]:
    """For `make bench`: the demo data is loaded; index it alone (before the 100k synthetic offers) and measure."""
    outcomes = await _index_and_measure(target_env["MEILI_URL"], target_env["MEILI_MASTER_KEY"], date.today())
    return {"search_recall_at_5": recall_at_5(outcomes)}


async def _index_and_measure(meili_url: str, master_key: str, today: date) -> list[Outcome]:
    from app.offers.reindex import reindex
    from search.client import make_client

    async with make_client(meili_url, master_key, timeout_s=60) as client:
        await reindex(client, today)
        return await measure(client, read_judgements(), today)


async def _demo_measured(env: Mapping[str, str]) -> list[Outcome]:
    from app.core import db
    from app.demo import load_demo

    today = date.today()
    with contextlib.redirect_stdout(io.StringIO()):  # Piccolo lists every migration it runs
        await db.migrate(env["DATABASE_URL"])
    await load_demo(today)
    return await _index_and_measure(env["MEILI_URL"], env["MEILI_MASTER_KEY"], today)


def main() -> int:
    """A fresh database and Meilisearch under var/search-quality, the demo data as `make dev` loads it, the report."""
    from app.core.startup import StartupError
    from app.dev.services import fresh_services

    try:
        env, meili = fresh_services(QUALITY_VAR, QUALITY_DATABASE)
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    os.environ.update(env)
    try:
        outcomes = asyncio.run(_demo_measured(env))
    except NothingRelevant as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        meili.stop()
    print(report(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
