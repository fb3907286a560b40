"""Figures kept between requests: the same as worked out now, kept while what they count is unchanged, worked out
again when it changes, and refreshed by the worker."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.feedback.tables import Feedback
from app.offers.tables import Offer
from app.uptake import kept, measures
from app.uptake.measures import Scope
from app.uptake.tables import KeptFigures
from tests.people import young_person
from tests.test_measures import YEAR, event, on, scenario  # noqa: F401


@pytest.fixture
def worked(monkeypatch: pytest.MonkeyPatch) -> list[Scope]:
    """Each time figures are worked out, which scope's."""
    calls: list[Scope] = []
    real = measures.figures

    async def counted(scope: Scope, *args: Any) -> measures.Figures:
        calls.append(scope)
        await asyncio.sleep(0.05)  # long enough for a second request to arrive while this one works
        return await real(scope, *args)

    monkeypatch.setattr(measures, "figures", counted)
    return calls


async def test_kept_figures_are_the_figures_worked_out_now(scenario: dict[str, Any]) -> None:  # noqa: F811
    scopes = (
        Scope("organisation", scenario["a"].id),
        Scope("council", area="W06000015"),
        Scope("sponsor", scenario["b"].id),
        Scope("national"),
    )
    for scope in scopes:
        for principle in (None, 10):
            now = await measures.figures(scope, YEAR, principle)
            assert await kept.figures(scope, YEAR, principle) == now  # worked out, kept
            assert await kept.figures(scope, YEAR, principle) == now  # read back from JSON
    mine = Scope("organisation", scenario["a"].id)
    assert await kept.tally(mine, YEAR, 5) == await measures.tally(mine, YEAR, 5)
    counted = await kept.tally(mine, YEAR, 5, "apprenticeship", on(4, 5).date())
    assert {measure: counted[measure] for measure in measures.PEOPLE_COUNTS} == {
        "applications": 5,
        "starts": 0,
        "completions": 0,
        "claimed": 0,
        "redeemed": 0,
        "people": 5,
        "suggested": 0,
    }


async def test_kept_until_what_they_count_changes(scenario: dict[str, Any], worked: list[Scope]) -> None:  # noqa: F811
    a, b = Scope("organisation", scenario["a"].id), Scope("organisation", scenario["b"].id)
    before = await kept.figures(a, YEAR)
    theirs = (await kept.figures(b, YEAR)).total["applications"]
    assert await kept.figures(a, YEAR) == before and len(worked) == 2
    # Another organisation's uptake changes nothing here.
    await event("applied", scenario["mentor"], 60, on(7))
    assert await kept.figures(a, YEAR) == before and len(worked) == 2
    assert (await kept.figures(b, YEAR)).total["applications"] == theirs + 1 and len(worked) == 3
    # This one's uptake, its offers and the feedback on them each mean working them out again.
    await event("applied", scenario["work"], 61, on(7))
    assert (await kept.figures(a, YEAR)).total["applications"] == 9 and len(worked) == 4
    await Offer.update({Offer.places: 12, Offer.updated_at: datetime.now(UTC)}).where(Offer.id == scenario["work"].id)
    assert (await kept.figures(a, YEAR)).total["places"] == 12 and len(worked) == 5
    _, someone = await young_person("kept@example.org")
    await Feedback.insert(
        Feedback(young_person=someone, offer=scenario["work"].id, subject="application:1", rating=4, created_at=on(7))
    )
    assert (await kept.figures(a, YEAR)).responses == 1 and len(worked) == 6
    await Feedback.update({Feedback.rating: 2, Feedback.created_at: on(8)}, force=True)  # answered again
    assert (await kept.figures(a, YEAR)).score == 2 and len(worked) == 7
    # Another year's uptake does not.
    await event("applied", scenario["work"], 62, on(7, year=YEAR - 1))
    await kept.figures(a, YEAR)
    assert len(worked) == 7
    # And nothing is kept for more than an hour.
    await KeptFigures.update({KeptFigures.computed_at: datetime.now(UTC) - timedelta(minutes=61)}, force=True)
    await kept.figures(a, YEAR)
    assert len(worked) == 8


async def test_national_figures_are_kept_ten_minutes(scenario: dict[str, Any], worked: list[Scope]) -> None:  # noqa: F811
    national = Scope("national")
    before = await kept.figures(national, YEAR)
    await event("applied", scenario["work"], 61, on(7))
    assert await kept.figures(national, YEAR) == before and len(worked) == 1
    await KeptFigures.update({KeptFigures.computed_at: datetime.now(UTC) - timedelta(minutes=11)}, force=True)
    assert (await kept.figures(national, YEAR)).total["applications"] == before.total["applications"] + 1


async def test_requests_at_once_wait_for_one_working_out(scenario: dict[str, Any], worked: list[Scope]) -> None:  # noqa: F811
    a = Scope("organisation", scenario["a"].id)
    found = await asyncio.gather(*(kept.figures(a, YEAR) for _ in range(5)))
    assert len(worked) == 1 and all(f == found[0] for f in found)


async def test_the_worker_refreshes_what_was_read_and_has_changed(
    scenario: dict[str, Any],  # noqa: F811
    worked: list[Scope],
) -> None:
    a, b = Scope("organisation", scenario["a"].id), Scope("organisation", scenario["b"].id)
    await kept.figures(a, YEAR)
    await kept.figures(b, YEAR)
    assert await kept.refresh() == 0  # nothing changed
    await event("applied", scenario["work"], 61, on(7))
    assert await kept.refresh() == 1 and worked[-1] == a
    assert (await kept.figures(a, YEAR)).total["applications"] == 9 and len(worked) == 3  # the page did not wait
    # Figures nobody has read for a week are not worked out again; after a month they are forgotten.
    await event("applied", scenario["work"], 62, on(7))
    await KeptFigures.update({KeptFigures.read_at: datetime.now(UTC) - timedelta(days=8)}, force=True)
    assert await kept.refresh() == 0
    await KeptFigures.update({KeptFigures.read_at: datetime.now(UTC) - timedelta(days=31)}, force=True)
    await kept.refresh()
    assert await KeptFigures.count() == 0


async def test_when_figures_were_read_is_written_once_an_hour(scenario: dict[str, Any]) -> None:  # noqa: F811
    a = Scope("organisation", scenario["a"].id)
    await kept.figures(a, YEAR)
    first = await KeptFigures.select(KeptFigures.read_at).first()
    await kept.figures(a, YEAR)
    assert await KeptFigures.select(KeptFigures.read_at).first() == first
    an_hour_ago = datetime.now(UTC) - timedelta(minutes=61)
    await KeptFigures.update({KeptFigures.read_at: an_hour_ago}, force=True)
    await kept.figures(a, YEAR)
    read = await KeptFigures.select(KeptFigures.read_at).first()
    assert read is not None and read["read_at"] > an_hour_ago + timedelta(minutes=60)
