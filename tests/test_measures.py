"""Measures against a hand-built scenario, and the same people giving the same published number in every scope
(how published counts move: tests/unit/test_small_numbers.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from app.uptake import measures, published
from app.uptake.measures import Scope
from app.uptake.tables import UptakeEvent
from tests import factories

YEAR = 2026  # 1 April 2026 to 31 March 2027


async def event(kind: str, offer: Any, person: int, at: datetime, area: str = "W06000015", **extra: Any) -> None:
    await UptakeEvent.raw(
        "INSERT INTO uptake_event (at, kind, offer, organisation, offer_type, principles, council_area, person_key,"
        " sponsorship, suggested) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
        at,
        kind,
        offer.id,
        offer.organisation,
        offer.type,
        offer.principles,
        area,
        f"person-{person}",
        extra.get("sponsorship"),
        extra.get("suggested", False),
    )


def on(month: int, day: int = 10, year: int = YEAR) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


@pytest.fixture
async def scenario() -> dict[str, Any]:
    """Organisation A: an apprenticeship (ambition, thrive; its places ring-fenced) and a swim (ambition); B: a
    mentoring offer."""
    a = await factories.organisation(name="A")
    b = await factories.organisation(name="B")
    published = datetime(YEAR, 3, 1, tzinfo=UTC)
    work = await factories.offer(
        a,
        type="apprenticeship",
        principles=[5, 10],
        places=10,
        ring_fenced=True,
        published_at=published,
        council_area="W06000015",
        closes_on=None,
    )
    swim = await factories.offer(
        a,
        type="sport",
        principles=[5],
        places=None,
        published_at=published,
        council_area="W06000011",
        closes_on=date(YEAR, 9, 30),
    )
    mentor = await factories.offer(
        b,
        type="mentoring",
        principles=[10, 11],
        places=4,
        published_at=published,
        council_area="W06000015",
        closes_on=None,
    )
    for person in range(8):  # 8 apply in April; 7 start on 1 May; 6 complete in June
        applied = on(4, 1 + person)
        await event("applied", work, person, applied)
        if person < 7:
            await event("started", work, person, on(5, 1))
        if person < 6:
            await event("completed", work, person, on(6))
    await event("started", work, 0, on(5, 2))  # moved back and forward: still one start
    for person in range(20, 33):  # 13 codes: 10 from Cardiff, 3 from Swansea; 9 used, one use undone
        area = "W06000015" if person < 30 else "W06000011"
        await event("claimed", swim, person, on(7), area)
        if person < 30:
            await event("redeemed", swim, person, on(8), area)
    await event("redeem_undone", swim, 29, on(8), "W06000015")
    await event("applied", work, 99, on(3, 1))  # the year before: not counted
    for person in range(40, 47):  # B's: never in A's figures
        await event("applied", mentor, person, on(9))
    return {"a": a, "b": b, "work": work, "swim": swim, "mentor": mentor}


async def test_each_measure_against_the_scenario(scenario: dict[str, Any]) -> None:
    found = await measures.figures(Scope("organisation", scenario["a"].id), YEAR)
    assert {measure: found.total[measure] for measure in measures.MEASURES} == {
        "offers": 2,
        "places": 10,
        "ring_fenced": 1,
        "guaranteed_interview": 0,
        "applications": 8,
        "starts": 7,
        "completions": 6,
        "claimed": 13,
        "redeemed": 9,
        "people": 8 + 13,
        "suggested": 0,  # nothing here followed an adviser's suggestion (tests/test_suggested_measure.py)
    }
    assert found.by["month"]["2026-04"]["applications"] == 8
    assert found.by["month"]["2026-05"]["starts"] == 7
    assert found.by["month"]["2026-07"]["claimed"] == 13
    assert found.by["month"]["2027-03"]["applications"] == 0  # every month of the year is there
    assert list(found.by["month"]) == measures.months(YEAR)
    assert found.by["type"]["sport"]["claimed"] == 13
    assert found.by["type"]["apprenticeship"]["starts"] == 7
    assert found.by["area"]["W06000011"]["claimed"] == 3
    assert found.by["month"]["2026-10"]["offers"] == 1  # the swim closed at the end of September
    # Applied 1 to 7 April, started 1 May: 30 to 24 days, the middle one 27.
    assert (found.median_days, found.pairs) == (27, 7)
    assert found.principles[5]["claimed"] == 13 and found.principles[10]["claimed"] == 0
    assert found.principles[10]["starts"] == 7 and found.principles[5]["offers"] == 2
    thrive = await measures.figures(Scope("organisation", scenario["a"].id), YEAR, principle=10)
    assert (thrive.total["claimed"], thrive.total["starts"], thrive.total["offers"]) == (0, 7, 1)


async def test_scopes(scenario: dict[str, Any]) -> None:
    swansea = await measures.figures(Scope("council", area="W06000011"), YEAR)
    assert (swansea.total["claimed"], swansea.total["applications"], swansea.total["offers"]) == (3, 0, 1)
    cardiff = await measures.figures(Scope("council", area="W06000015"), YEAR)
    assert (cardiff.total["applications"], cardiff.total["offers"], cardiff.total["places"]) == (15, 2, 14)
    nowhere = await measures.figures(Scope("council", area="W06000001"), YEAR)  # no offers there, nobody from there
    assert (nowhere.total["offers"], nowhere.total["places"], nowhere.total["people"]) == (0, 0, 0)
    national = await measures.figures(Scope("national"), YEAR)
    assert national.total["applications"] == 15 and set(national.by["organisation"]) == {
        str(scenario["a"].id),
        str(scenario["b"].id),
    }


async def test_the_same_people_give_the_same_published_number_in_every_scope(scenario: dict[str, Any]) -> None:
    """The swim's Cardiff claims are the same ten records seen from the organisation, the council and the nation."""
    a = published.report(await measures.figures(Scope("organisation", scenario["a"].id), YEAR))
    cardiff = published.report(await measures.figures(Scope("council", area="W06000015"), YEAR))
    national = published.report(await measures.figures(Scope("national"), YEAR))
    by_area = {row.key: row.cells["claimed"] for row in national.tables["area"]}
    assert by_area["W06000015"] == cardiff.total.cells["claimed"]
    assert {row.key: row.cells["claimed"] for row in a.tables["area"]}["W06000015"] == by_area["W06000015"]
    assert by_area["W06000015"].value in range(8, 13)
    # 13 claims in all: the same set from the organisation and the nation.
    assert a.total.cells["claimed"] == national.total.cells["claimed"]


async def test_figures_are_cut_by_sector_and_each_cell_is_protected() -> None:
    """The national dashboard by sector: every event counted under the kind of organisation whose offer it was."""
    board = await factories.organisation(name="Health board", kind="health")
    college = await factories.organisation(name="College", kind="education")
    since = datetime(YEAR, 3, 1, tzinfo=UTC)
    nursing = await factories.offer(board, type="apprenticeship", published_at=since)
    course = await factories.offer(college, type="traineeship", published_at=since)
    for person in range(12):
        await event("applied", nursing, person, on(5))
    for person in range(3):
        await event("applied", course, person, on(6))
    figures = await measures.figures(measures.Scope("national"), YEAR)
    assert figures.by["sector"]["health"]["applications"] == 12
    assert figures.by["sector"]["education"]["applications"] == 3
    assert figures.by["sector"]["health"]["offers"] == 1
    cells = {row.key: row.cells for row in published.report(figures).tables["sector"]}
    assert cells["education"]["applications"].text == "fewer than 6"
    assert abs(cells["health"]["applications"].value - 12) <= 2
