"""Every other page, at phone size and in Welsh too, checked with axe-core and looked at (screenshots)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from app.applications.tables import Application
from app.organisations.tables import Membership, Organisation
from app.verification.tables import Verification
from app.young_people.tables import YoungPerson
from tests import factories
from tests.browser import assert_accessible, screenshot, signed_in_as
from tests.people import admin, member, user

pytestmark = pytest.mark.browser


async def _tour(page: Any, base: str, paths: dict[str, str]) -> None:
    for name, path in paths.items():
        for lang in ("en", "cy"):
            response = await page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
            assert response.status == 200, f"{path} → {response.status}"
            await screenshot(page, f"{name}-{lang}")
            await assert_accessible(page)


async def test_pages_for_organisations_and_the_team(live_server: str, page: Any) -> None:
    org = await factories.organisation(name="Theatr Bach", kind="cultural", council_area="W06000015")
    owner = await member(org, "owner@theatr.example", "owner")
    await member(org, "staff@theatr.example", "staff")
    offer = await factories.offer(org, title="Stage crew taster", places=4)
    applicant = await YoungPerson.insert(
        YoungPerson(
            user=await user("cai@example.org", display_name="Cai"),
            date_of_birth=date(2005, 9, 9),
            home_council="W06000015",
        )
    ).returning(YoungPerson.id)
    application = await Application.insert(
        Application(offer=offer.id, young_person=applicant[0]["id"], message="I have done lighting at school.")
    ).returning(Application.id)
    # The theatre has asked to change its name and area: the team has not agreed yet.
    await Organisation.update(
        {Organisation.proposed: json.dumps({"name": "Theatr Mawr", "council_area": "W06000011"})}
    ).where(Organisation.id == org.id)
    waiting = await factories.organisation(name="Newydd Arts", kind="cultural", approved_at=None)
    await Membership.insert(Membership(user=owner, organisation=waiting.id, role="owner"))
    await signed_in_as(page, live_server, owner)
    await _tour(
        page,
        live_server,
        {
            "organisation-waiting": f"/organisations/{waiting.id}",
            "account": "/account",
            "organisation": f"/organisations/{org.id}",
            "organisation-edit": f"/organisations/{org.id}/edit",
            "organisation-members": f"/organisations/{org.id}/members",
            "offer-edit-live": f"/organisations/{org.id}/offers/{offer.id}",
            "sign-up-organisation": "/organisations/new",
            "applicants": f"/organisations/{org.id}/offers/{offer.id}/applicants",
            "application": f"/organisations/{org.id}/applications/{application[0]['id']}",
        },
    )
    await page.context.clear_cookies()
    await signed_in_as(page, live_server, await admin())
    await _tour(
        page,
        live_server,
        {
            "admin-organisations": "/admin/organisations?q=theatr",
            "admin-waiting": "/admin",
            "admin-organisation-change": f"/admin/organisations/{org.id}",
        },
    )


async def test_pages_for_young_people(live_server: str, page: Any) -> None:
    council = await factories.organisation(kind="council", name="Cardiff Council")
    young = await user("nia@example.org", display_name="Nia")
    profile = await YoungPerson.insert(
        YoungPerson(user=young, date_of_birth=date(2006, 3, 3), home_council="W06000015")
    ).returning(YoungPerson.id)
    await Verification.insert(
        Verification(young_person=profile[0]["id"], council=council.id, status="verified", expires_on=date.today())
    )
    await signed_in_as(page, live_server, young)
    await _tour(
        page,
        live_server,
        {
            "me": "/me",
            "me-verification-renew": "/me/verification",
            "me-profile-filled": "/me/profile",
            "me-applications-empty": "/me/applications",
            "me-delete": "/me/delete",
            "privacy": "/privacy",
            "small-numbers": "/small-numbers",
        },
    )
