"""Demo uptake for `make dev`: what young people have taken up since each demo offer went live, so the dashboards,
"The charter in numbers", objectives and the annual report have something to show. The young people are made up:
each is an area and a number, hashed as a real person's key is, with no account and nothing else about them."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.accounts.tables import User
from app.core.auth import Principal
from app.core.charter import AMBITION, THRIVE
from app.core.forms import Form
from app.offers.tables import CONCESSIONS
from app.organisations.tables import Organisation
from app.progress.tables import Objective
from app.publishing import plans, reports
from app.uptake import measures
from app.uptake.measures import Scope, reporting_year
from app.uptake.tables import UptakeEvent

SEED = 2026
PEOPLE_PER_AREA = 80
AT_HOME = 0.75  # most young people take up what is near where they live
STARTS = 0.4  # of applications
USED = 0.7  # of codes claimed
DONE = {"work_experience": 0.8, "work_shadowing": 0.9, "mentoring": 0.6, "traineeship": 0.6, "internship": 0.7}
DEMO_OBJECTIVES = (  # (principle, measure, type of offer, target as a share of where this year's pace leads)
    (THRIVE, "starts", "mentoring", 0.9),
    (AMBITION, "people", "", 1.6),
)


async def load_uptake(offers: list[dict[str, Any]], now: datetime) -> None:
    """Events for offers given as rows (id, organisation, type, principles, council_area, published_at)."""
    rng = random.Random(SEED)
    areas = sorted({offer["council_area"] for offer in offers})
    rows: list[tuple[Any, ...]] = []
    for offer in offers:
        live = (now - offer["published_at"]).total_seconds()
        about = (offer["id"], offer["organisation"], offer["type"], offer["principles"])
        for _ in range(rng.randint(0, max(0, int(live / 86400 / 4)))):
            area = offer["council_area"] if rng.random() < AT_HOME else rng.choice(areas)
            key = hashlib.sha256(f"demo:{area}:{rng.randrange(PEOPLE_PER_AREA)}".encode()).hexdigest()
            first = offer["published_at"] + timedelta(seconds=rng.uniform(0, live))
            if offer["type"] in CONCESSIONS:
                steps = [("claimed", first)]
                if rng.random() < USED:
                    steps.append(("redeemed", first + timedelta(days=rng.uniform(0.1, 14))))
            else:
                steps = [("applied", first)]
                if rng.random() < STARTS:
                    steps.append(("started", first + timedelta(days=rng.uniform(5, 30))))
                    if rng.random() < DONE.get(offer["type"], 0):
                        steps.append(("completed", steps[-1][1] + timedelta(days=rng.uniform(10, 90))))
            rows += [(at, kind, *about, area, key) for kind, at in steps if at < now]
    columns = [[row[i] for row in rows] for i in range(8)]
    columns[5] = ["{" + ",".join(map(str, principles)) + "}" for principles in columns[5]]  # unnest flattens arrays
    await UptakeEvent.raw(
        "INSERT INTO uptake_event (at, kind, offer, organisation, offer_type, principles, council_area, person_key)"
        " SELECT at, kind, offer, org, type, principles::smallint[], area, key FROM unnest({}::timestamptz[],"
        " {}::text[], {}::int[], {}::int[], {}::text[], {}::text[], {}::text[], {}::text[])"
        " AS t(at, kind, offer, org, type, principles, area, key)",
        *columns,
    )


async def load_objectives(org_id: int, today: date) -> None:
    """Objectives for the demo owner's organisation, due at the end of this reporting year: one set at a pace its
    uptake keeps up with, one above it, so both "on track" and "at risk" are there to see."""
    year = measures.reporting_year(today)
    start, end = (day.date() for day in measures.bounds(year))
    gone = max(0.1, (today - start).days / (end - start).days)
    for principle, measure, offer_type, pace in DEMO_OBJECTIVES:
        so_far = (await measures.tally(Scope("organisation", org_id), year, principle, offer_type))[measure]
        await Objective.insert(
            Objective(
                organisation=org_id,
                principle=principle,
                measure=measure,
                offer_type=offer_type,
                target=max(so_far + 1, round(so_far / gone * pace)),
                deadline=end - timedelta(days=1),
            )
        )


# Signatories since before the 2025 reporting year: these signed off last year's report; the last has not.
REPORTED = ("Drws Agored Youth Trust", "Rhondda Cynon Taf Council", "Taf Valley Health Board")
OVERDUE = "Valleys Leisure Trust"


async def load_reports(today: date) -> None:
    """Published reports for last year and plans from this year, as their owners signed them off (the demo team's
    owner signs for them)."""
    year = reporting_year(today) - 1
    signed_up = datetime(year, 5, 1, tzinfo=UTC)
    rows = await Organisation.select(Organisation.id, Organisation.name).where(
        Organisation.name.is_in([*REPORTED, OVERDUE])
    )
    ids = {row["name"]: row["id"] for row in rows}
    await Organisation.update({Organisation.approved_at: signed_up, Organisation.pledged_at: signed_up}).where(
        Organisation.id.is_in(list(ids.values()))
    )
    team = await User.select(User.id).where(User.email == "team@demo.cyfle.test").first()
    signer = Principal(user_id=team["id"] if team else 0, email="", display_name="")
    heard = "Young people told us our application form was too long and the start times too early. We cut the form to one page and moved starts to ten o'clock."  # noqa: E501
    for name in REPORTED:
        if name in ids:
            await reports.sign(signer, ids[name], year, Form({"confirm": "on"}), today, _paths)
            await plans.save(signer, ids[name], Form({"heard_en": heard}), today)
            await plans.publish(signer, ids[name], Form({"confirm": "on"}), today, _paths)


def _paths(name: str, **params: Any) -> str:
    """The site's own links a report holds (without the app at hand)."""
    return {"progress:small_numbers": "/small-numbers"}[name]
