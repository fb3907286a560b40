"""Uptake after an adviser's suggestion: counted like every pair count (a young person with an offer, once, however
often they applied or claimed), cell-keyed the same way, shown on a council's dashboard and report through the one
disclosure path, and in every scope's CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.core.counts import KEYS, Cell
from app.uptake import kept, measures
from app.uptake.measures import Scope
from app.uptake.tables import KeptFigures, UptakeEvent
from tests import factories
from tests.people import member, session_for
from tests.test_kept import worked  # noqa: F401 (a fixture)
from tests.test_measures import YEAR, event, on
from tests.test_progress import facts, published

CARDIFF, SWANSEA = "W06000015", "W06000011"
LABEL = "Taken up after an adviser's suggestion"


@pytest.fixture
async def followed() -> dict[str, Any]:
    """In Cardiff: nine young people apply for the apprenticeship after a suggestion (two of them twice over),
    five more apply on their own, and one claims two swim codes after a suggestion. In Swansea: three apply
    after a suggestion. Starts and uses never count as following one, nor does last year."""
    org = await factories.organisation(name="Gwaith")
    published_at = datetime(YEAR, 3, 1, tzinfo=UTC)
    work = await factories.offer(org, type="apprenticeship", principles=[5, 10], published_at=published_at)
    swim = await factories.offer(org, type="sport", principles=[5], published_at=published_at, closes_on=None)
    for person in range(9):
        await event("applied", work, person, on(4, 1 + person), CARDIFF, suggested=True)
    await event("applied", work, 0, on(5), CARDIFF, suggested=True)  # withdrew and applied again: still one
    await event("went_to_apply", work, 1, on(4, 20), CARDIFF, suggested=True)  # and on the employer's site
    await event("started", work, 2, on(6), CARDIFF, suggested=True)
    for person in range(10, 15):
        await event("applied", work, person, on(4), CARDIFF)
    await event("claimed", swim, 20, on(7), CARDIFF, suggested=True)
    await event("claimed", swim, 20, on(7, 11), CARDIFF, suggested=True)  # a second code: the same pair
    await event("redeemed", swim, 20, on(8), CARDIFF, suggested=True)
    for person in range(30, 33):
        await event("applied", work, person, on(9), SWANSEA, suggested=True)
    await event("applied", work, 99, on(3, 1), CARDIFF, suggested=True)  # the year before
    return {"org": org, "work": work, "swim": swim}


async def _pair_key(pairs: list[tuple[int, int]]) -> int:
    """The cell key of these (person, offer) records, worked out on its own from app.core.counts' record hash."""
    rows = await UptakeEvent.raw(
        "SELECT coalesce(sum(hashtextextended(p || ':' || o, 0)), 0)::text AS total"
        " FROM unnest({}::text[], {}::int[]) AS t(p, o)",
        [f"person-{person}" for person, _ in pairs],
        [offer for _, offer in pairs],
    )
    return int(rows[0]["total"]) % KEYS


async def test_counted_once_a_pair_only_after_a_suggestion_and_keyed_like_any_pair(followed: dict[str, Any]) -> None:
    work, swim = followed["work"].id, followed["swim"].id
    mine = await measures.figures(Scope("organisation", followed["org"].id), YEAR)
    assert mine.total["suggested"] == 9 + 1 + 3 and mine.total["applications"] == 9 + 5 + 3
    assert mine.by["area"][CARDIFF]["suggested"] == 10 and mine.by["area"][SWANSEA]["suggested"] == 3
    assert (mine.by["type"]["apprenticeship"]["suggested"], mine.by["type"]["sport"]["suggested"]) == (12, 1)
    assert (mine.by["month"]["2026-04"]["suggested"], mine.by["month"]["2026-07"]["suggested"]) == (9, 1)
    assert mine.by["month"]["2026-05"]["suggested"] == 1  # applied again in May: one pair that month too
    assert (mine.principles[5]["suggested"], mine.principles[10]["suggested"]) == (13, 12)
    cardiff = await measures.figures(Scope("council", area=CARDIFF), YEAR)
    assert cardiff.total["suggested"] == 10
    expected = await _pair_key([(person, work) for person in range(9)] + [(20, swim)])
    assert cardiff.total["suggested_key"] == expected
    swansea = await measures.figures(Scope("council", area=SWANSEA), YEAR)
    # The same three records as its applications: the same cell, so the same published number.
    assert swansea.total["suggested"] == swansea.total["applications"] == 3
    assert swansea.total["suggested_key"] == swansea.total["applications_key"]
    thrive = await measures.tally(Scope("council", area=CARDIFF), YEAR, 10)
    assert (thrive["suggested"], thrive["suggested_key"]) == (9, await _pair_key([(p, work) for p in range(9)]))
    assert (await kept.tally(Scope("council", area=CARDIFF), YEAR, 10))["suggested"] == 9


async def test_a_councils_dashboard_report_csv_json_and_pdf_show_it_protected(
    followed: dict[str, Any], new_client: Any
) -> None:
    import pypdfium2 as pdfium

    cardiff = await factories.organisation(kind="council", council_area=CARDIFF, name="Cardiff Council")
    client = new_client()
    await session_for(client, await member(cardiff, "verifier@cardiff.example", role="verifier"))
    page = await client.get(f"/organisations/{cardiff.id}/uptake?year={YEAR}")
    shown = facts(page.text)
    true = await measures.figures(Scope("council", area=CARDIFF), YEAR)
    number = shown[LABEL]
    assert number == Cell.of(10, true.total["suggested_key"]).text and published(10, number), shown
    people = list(shown)
    assert people.index("Codes used") + 1 == people.index(LABEL) == people.index("Offers live") - 1
    exported = list(
        csv.reader(io.StringIO((await client.get(f"/organisations/{cardiff.id}/uptake.csv?year={YEAR}")).text))
    )
    header, total = exported[0], exported[1]
    assert total[:2] == ["total", ""] and total[header.index(LABEL)] == number
    data = (await client.get(f"/organisations/{cardiff.id}/uptake.json?year={YEAR}")).json()
    assert data["total"]["suggested"] == {"value": int(number), "suppressed": None}
    report = await client.get(f"/organisations/{cardiff.id}/report/{YEAR}")
    assert facts(report.text)[LABEL] == number
    pdf = await client.get(f"/organisations/{cardiff.id}/report/{YEAR}/report.pdf")
    document = pdfium.PdfDocument(pdf.content)
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert f"{LABEL} {number}" in " ".join(text.split())


async def test_a_few_are_fewer_than_6_everywhere(followed: dict[str, Any], new_client: Any) -> None:
    swansea = await factories.organisation(kind="council", council_area=SWANSEA, name="Swansea Council")
    client = new_client()
    await session_for(client, await member(swansea, "staff@swansea.example", role="staff"))
    assert facts((await client.get(f"/organisations/{swansea.id}/uptake?year={YEAR}")).text)[LABEL] == "fewer than 6"
    exported = list(
        csv.reader(io.StringIO((await client.get(f"/organisations/{swansea.id}/uptake.csv?year={YEAR}")).text))
    )
    column = exported[0].index(LABEL)
    assert {row[column] for row in exported[1:]} == {"fewer than 6"}, "3 never shows as it is, nor 0 as 0"
    data = (await client.get(f"/organisations/{swansea.id}/uptake.json?year={YEAR}")).json()
    assert data["total"]["suggested"] == {"value": None, "suppressed": "small"}
    cells = [row["suggested"] for table in data["tables"].values() for row in table]
    assert all(cell == {"value": None, "suppressed": "small"} for cell in cells), "an empty row reads as a small one"


async def test_other_dashboards_keep_it_to_their_downloads(followed: dict[str, Any], new_client: Any) -> None:
    """A provider's and the public page list what they listed; their CSV and JSON carry it, protected."""
    org = followed["org"]
    client = new_client()
    await session_for(client, await member(org, "owner@gwaith.example"))
    for url in (f"/organisations/{org.id}/uptake", "/charter"):
        page = await client.get(f"{url}?year={YEAR}")
        assert page.status_code == 200 and LABEL not in facts(page.text), url
        data = (await client.get(f"{url}.json?year={YEAR}")).json()
        assert published(13, str(data["total"]["suggested"]["value"])), url
        by_area = {row["key"]: row["suggested"] for row in data["tables"]["area"]}
        assert by_area[SWANSEA] == {"value": None, "suppressed": "small"}, url
        exported = list(csv.reader(io.StringIO((await client.get(f"{url}.csv?year={YEAR}")).text)))
        assert exported[1][exported[0].index(LABEL)] == str(data["total"]["suggested"]["value"]), url


async def test_figures_kept_before_it_are_never_read_nor_worked_out_again(
    followed: dict[str, Any],
    worked: list[Scope],  # noqa: F811
) -> None:
    scope = Scope("council", area=CARDIFF)
    stale = {"what": "figures", "year": YEAR, "principle": None, "counted": "cell keys"}
    await KeptFigures.insert(
        KeptFigures(scope=f"council:{CARDIFF}", asked=json.dumps(stale, sort_keys=True), version="",
                    value={"total": {}}, computed_at=datetime.now(UTC) - timedelta(hours=2))
    )  # fmt: skip
    assert await kept.refresh() == 1 and worked == [Scope("national")]  # the nation's, always kept; not the stale
    assert (await kept.figures(scope, YEAR)).total["suggested"] == 10 and worked[1:] == [scope]
