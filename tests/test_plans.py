"""Corporate parenting plans: written as a draft by owners and staff, signed off by an owner, then public exactly as
signed; a revision is a new version that says what it changed."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from app.progress.tables import Objective
from app.publishing import plans
from app.publishing.tables import Plan
from tests import factories
from tests.people import member, post, session_for


def _text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


async def _org(new_client):
    org = await factories.organisation(kind="employer", name="Cardiff Bay Builders", pledged_principles=[5, 10])
    owner, staff = new_client(), new_client()
    await session_for(owner, await member(org, "owner@example.org"))
    await session_for(staff, await member(org, "staff@example.org", "staff"))
    goal = await Objective.insert(
        Objective(organisation=org.id, principle=5, measure="starts", offer_type="apprenticeship", target=10,
                  deadline=date(date.today().year + 1, 3, 31))
    ).returning(Objective.id)  # fmt: skip
    return org, owner, staff, goal[0]["id"]


async def test_staff_write_the_draft_an_owner_signs_it_off_and_it_is_public_as_signed(new_client) -> None:
    org, owner, staff, goal = await _org(new_client)
    start = plans.period_of(date.today())
    page = BeautifulSoup((await staff.get(f"/organisations/{org.id}/plan")).text, "html.parser")
    assert page.select_one(f"textarea[name=action_{goal}_en]") is not None
    assert page.select_one("form[action$='/plan/publish']") is None, "staff write; owners sign off"
    too_long = await post(staff, f"/organisations/{org.id}/plan", {"heard_en": "x" * 2001})
    assert too_long.status_code == 422 and await Plan.count() == 0
    saved = await post(
        staff,
        f"/organisations/{org.id}/plan",
        {
            f"action_{goal}_en": "Two apprentices a term, each with a mentor from the site team.",
            f"action_{goal}_cy": "Dau brentis bob tymor, pob un gyda mentor.",
            "heard_en": "Young people asked for travel paid from day one. We now pay it.",
        },
    )
    assert saved.status_code == 303
    anyone = new_client()
    assert (await anyone.get(f"/plans/{org.id}/{start}")).status_code == 404, "a draft is not public"

    unconfirmed = await post(owner, f"/organisations/{org.id}/plan/publish", {})
    assert unconfirmed.status_code == 422
    published = await post(owner, f"/organisations/{org.id}/plan/publish", {"confirm": "on"})
    assert published.status_code == 303 and published.headers["location"] == f"/plans/{org.id}/{start}"
    public = _text((await anyone.get(f"/plans/{org.id}/{start}")).text)
    assert "Corporate parenting plan" in public and "Ambition" in public
    assert "Two apprentices a term" in public and "We now pay it." in public and "version 1" in public
    welsh = BeautifulSoup((await new_client().get(f"/plans/{org.id}/{start}?lang=cy")).text, "html.parser")
    assert "Dau brentis bob tymor" in welsh.get_text()
    assert welsh.find("p", string="Young people asked for travel paid from day one. We now pay it.")["lang"] == "en"
    first = public

    # A change after publishing is a new draft: the published plan stays as it was until a revision is signed.
    await post(staff, f"/organisations/{org.id}/plan", {f"action_{goal}_en": "Three apprentices a term."})
    assert _text((await anyone.get(f"/plans/{org.id}/{start}")).text) == first
    no_reason = await post(owner, f"/organisations/{org.id}/plan/publish", {"confirm": "on"})
    assert no_reason.status_code == 422 and "Say what this version changes" in no_reason.text
    revised = await post(
        owner, f"/organisations/{org.id}/plan/publish", {"confirm": "on", "revision": "More places, after review."}
    )
    assert revised.status_code == 303
    latest = _text((await anyone.get(f"/plans/{org.id}/{start}")).text)
    assert "Three apprentices a term." in latest and "More places, after review." in latest
    assert "Two apprentices a term" in _text((await anyone.get(f"/plans/{org.id}/{start}/1")).text)
    assert [row["version"] for row in await Plan.select(Plan.version).order_by(Plan.version)] == [1, 2]


async def test_the_plan_page_shows_feedback_figures_protected(new_client) -> None:
    org, owner, _staff, _goal = await _org(new_client)
    page = _text((await owner.get(f"/organisations/{org.id}/plan")).text)
    assert "What young people told us, and what we changed" in page
    assert "1 → 0" in page  # no answers yet: nothing to protect
