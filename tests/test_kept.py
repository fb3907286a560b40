"""Figures kept between requests: the same as worked out now, brought up to date as uptake, offers and feedback
change without being worked out whole again, and by the worker."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

import pytest

from app.feedback.tables import Feedback
from app.offers.tables import Offer
from app.uptake import kept, measures
from app.uptake.measures import Scope
from app.uptake.tables import KeptFigures
from tests.people import young_person
from tests.test_measures import YEAR, event, on, scenario  # noqa: F401

WHOLE = measures.figures  # worked out whole, for comparison (not counted by `worked`)


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
            now = await WHOLE(scope, YEAR, principle)
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


async def test_kept_figures_follow_uptake_offers_and_feedback(scenario: dict[str, Any], worked: list[Scope]) -> None:  # noqa: F811
    a, b = Scope("organisation", scenario["a"].id), Scope("organisation", scenario["b"].id)
    before = await kept.figures(a, YEAR)
    theirs = (await kept.figures(b, YEAR)).total["applications"]
    assert await kept.figures(a, YEAR) == before and len(worked) == 2
    # Another organisation's uptake changes nothing here; its own figures follow it without being worked out again.
    await event("applied", scenario["mentor"], 60, on(7))
    assert await kept.figures(a, YEAR) == before
    assert (await kept.figures(b, YEAR)).total["applications"] == theirs + 1
    # This one's uptake (just now, or written since with an earlier time), its offers and the feedback on them.
    await event("applied", scenario["work"], 61, datetime.now(UTC))
    await event("applied", scenario["work"], 62, on(7))
    assert (await kept.figures(a, YEAR)).total["applications"] == 10
    await Offer.update({Offer.places: 12, Offer.updated_at: datetime.now(UTC)}).where(Offer.id == scenario["work"].id)
    assert (await kept.figures(a, YEAR)).total["places"] == 12
    _, someone = await young_person("kept@example.org")
    await Feedback.insert(
        Feedback(young_person=someone, offer=scenario["work"].id, subject="application:1", rating=4, created_at=on(7))
    )
    assert (await kept.figures(a, YEAR)).responses == 1
    await Feedback.update({Feedback.rating: 2, Feedback.created_at: on(8)}, force=True)  # answered again
    assert (await kept.figures(a, YEAR)).score == 2
    assert _counts(await kept.figures(a, YEAR)) == _counts(await WHOLE(a, YEAR))
    assert len(worked) == 2  # none of it worked out again whole


async def test_national_figures_follow_every_claim(scenario: dict[str, Any], worked: list[Scope]) -> None:  # noqa: F811
    national = Scope("national")
    before = await kept.figures(national, YEAR)
    await event("applied", scenario["work"], 61, datetime.now(UTC))
    assert (await kept.figures(national, YEAR)).total["applications"] == before.total["applications"] + 1
    # Offers change anywhere, all the time: the worker works the nation's out again within seconds.
    await Offer.update({Offer.places: 12, Offer.updated_at: datetime.now(UTC)}).where(Offer.id == scenario["work"].id)
    assert (await kept.figures(national, YEAR)).total["places"] == before.total["places"]
    await kept.refresh()
    assert (await kept.figures(national, YEAR)).total["places"] == before.total["places"] + 2
    assert len(worked) == 1


async def test_any_mix_of_uptake_gives_the_figures_worked_out_whole(
    scenario: dict[str, Any],  # noqa: F811
    worked: list[Scope],
) -> None:
    """Random uptake in rounds (people old and new, every kind, now and earlier in the year, suggested or not):
    after each round the kept figures, read by a page and brought up to date by the worker, are those worked
    out whole from every event."""
    offers = [scenario["work"], scenario["swim"], scenario["mentor"]]
    kinds = ["applied", "started", "completed", "claimed", "redeemed", "redeem_undone", "went_to_apply", "in_review"]
    scopes = [
        Scope("organisation", scenario["a"].id),
        Scope("council", area="W06000015"),
        Scope("national"),
    ]
    random = Random(24)
    asked = [(scope, principle) for scope in scopes for principle in (None, 10)]
    for scope, principle in asked:
        await kept.figures(scope, YEAR, principle)
    first = len(worked)
    for round_ in range(4):
        for _ in range(12):
            at = datetime.now(UTC) if random.random() < 0.5 else on(random.choice([4, 6, 9, 11]), random.randint(1, 9))
            area = random.choice(["W06000015", "W06000011"])
            suggested = random.random() < 0.3
            person = random.choice([0, 3, 21, 29, 41, *range(100, 110)])
            if random.random() < 0.2:  # an event another day of a kind that counts once a day
                at -= timedelta(days=1)
            await event(random.choice(kinds), random.choice(offers), person, at, area, suggested=suggested)
        for scope, principle in asked:
            fresh = _counts(await WHOLE(scope, YEAR, principle))
            assert _counts(await kept.figures(scope, YEAR, principle)) == fresh, (round_, scope, principle)
            tallied = await kept.tally(scope, YEAR, principle or 5, "sport")
            assert tallied == await measures.tally(scope, YEAR, principle or 5, "sport")
        if round_ % 2:  # the worker, as a minute later: everything settled, counted into what is kept
            await kept.refresh(datetime.now(UTC) + kept.SETTLE)
            for scope, principle in asked:
                assert await kept.figures(scope, YEAR, principle) == await WHOLE(scope, YEAR, principle)
    assert len(worked) == first  # never worked out whole again


def _counts(figures: measures.Figures) -> dict[str, Any]:
    """Figures without the median wait, which a page reads as the worker last worked it out."""
    return {name: value for name, value in dataclasses.asdict(figures).items() if name not in ("median_days", "pairs")}


async def test_a_bulk_load_is_worked_out_whole(
    scenario: dict[str, Any],  # noqa: F811
    worked: list[Scope],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = Scope("organisation", scenario["a"].id)
    await kept.figures(a, YEAR)
    monkeypatch.setattr(kept, "PERSONS_AT_MOST", 3)
    for person in range(200, 205):
        await event("applied", scenario["work"], person, on(10))
    assert await kept.figures(a, YEAR) == await WHOLE(a, YEAR)
    assert len(worked) == 2


async def test_requests_at_once_wait_for_one_working_out(scenario: dict[str, Any], worked: list[Scope]) -> None:  # noqa: F811
    a = Scope("organisation", scenario["a"].id)
    found = await asyncio.gather(*(kept.figures(a, YEAR) for _ in range(5)))
    assert len(worked) == 1 and all(f == found[0] for f in found)


async def test_the_worker_keeps_what_was_read_up_to_date(
    scenario: dict[str, Any],  # noqa: F811
    worked: list[Scope],
) -> None:
    a, b = Scope("organisation", scenario["a"].id), Scope("organisation", scenario["b"].id)
    await kept.figures(a, YEAR)
    await kept.figures(b, YEAR)
    assert await kept.refresh() == 1 and worked[-1] == Scope("national")  # always kept, read or not
    assert await kept.refresh() == 0  # nothing changed
    await event("started", scenario["work"], 7, on(7))  # the 8th applicant starts: the median moves too
    assert await kept.refresh() == 2 and len(worked) == 3  # brought up to date (a and the nation), not worked out
    stored = await KeptFigures.select(KeptFigures.value).where(KeptFigures.scope == f"organisation:{a.organisation}")
    value = stored[0]["value"]
    value = json.loads(value) if isinstance(value, str) else value
    assert value["total"]["starts"] == 8 and value["pairs"] == 8
    assert await kept.figures(a, YEAR) == await WHOLE(a, YEAR)
    # Once an hour they are worked out whole (what the sums cannot see: an offer deleted, a sector changed).
    later = datetime.now(UTC) + kept.WORK_OUT_AFRESH + timedelta(minutes=1)
    await KeptFigures.update({KeptFigures.read_at: later}, force=True)
    assert await kept.refresh(later) == 3 and len(worked) == 6
    # Figures nobody has read for a week are not brought up to date; after a month they are forgotten.
    await event("applied", scenario["work"], 62, on(7))
    await KeptFigures.update({KeptFigures.read_at: datetime.now(UTC) - timedelta(days=8)}, force=True)
    assert await kept.refresh() == 0
    await KeptFigures.update({KeptFigures.read_at: datetime.now(UTC) - timedelta(days=31)}, force=True)
    await kept.refresh()
    assert await KeptFigures.select(KeptFigures.scope).output(as_list=True) == ["national"]  # worked out again


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
