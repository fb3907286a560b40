"""Every route × every kind of person, built from the app's own route table: a route without a rule, or a rule
that lets the wrong person in, fails here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from litestar import Litestar

from app.advisers import nudges
from app.advisers.tables import AdviserLink, Suggestion
from app.applications.tables import Application
from app.codes.tables import Code
from app.concerns.tables import Concern
from app.core.auth import Rule
from app.core.keys import keyed_hash
from app.openreferral.ids import Kind, named_uuid, row_uuid
from app.organisations.labels import SIGN_UP_KINDS
from app.organisations.tables import Membership, Organisation
from app.outbox.tables import OutboxItem
from app.progress.tables import Objective
from app.publishing.tables import Plan, PublishedReport
from app.saved.alerts import unsubscribe_token
from app.saved.tables import SavedSearch
from app.settings import load_settings
from app.sponsorship.tables import Sponsorship
from app.uptake.measures import reporting_year
from app.verification.tables import Verification
from app.young_people.tables import YoungPerson
from tests import factories
from tests.people import admin, csrf, member, session_for, user

ROLES = (
    "anonymous",
    "young_person",
    "owner_of_owning_org",
    "staff_of_owning_org",
    "redeemer_of_owning_org",
    "verifier_of_owning_org",
    "adviser_of_owning_org",  # linked by the young person, who shares their applications with them
    "other_adviser_of_owning_org",  # an adviser nobody linked
    "staff_of_another_org",
    "council_verifier",
    "sponsor",
    "platform_admin",
)
SKIPPED_METHODS = {"OPTIONS"}  # Litestar answers these itself (an Allow header, no content)


def _create_app() -> Litestar:
    from app import create_app

    return create_app()


def _endpoints() -> list[tuple[str, str, Rule]]:
    found = []
    for route in _create_app().routes:
        for handler in route.route_handlers:  # type: ignore[union-attr]
            declared = [guard for layer in handler.ownership_layers for guard in (layer.guards or [])]
            rules = [guard for guard in declared if isinstance(guard, Rule)]
            for method in sorted(handler.http_methods - SKIPPED_METHODS):
                assert len(rules) == 1, f"{method} {route.path} must declare exactly one access rule, not {rules}"
                found.append((method, route.path, rules[0]))
    return sorted(found, key=lambda endpoint: (endpoint[1], endpoint[0]))  # the same order in every process


ENDPOINTS = _endpoints()


# Who may use each route, written out here rather than read from the code, so a route whose guard changes, or a
# new route nobody has thought about, fails until this table says who it is for.
WHO = {
    "everyone": set(ROLES),
    "signed_in": set(ROLES) - {"anonymous"},
    "admins": {"platform_admin"},
    "org_editors": {"owner_of_owning_org", "staff_of_owning_org"},
    "org_owners": {"owner_of_owning_org"},
    "org_verifiers": {"verifier_of_owning_org"},
    "verified_young_people": {"young_person"},
    "the_applicant": {"young_person"},
    "the_searcher": {"young_person"},  # whose saved search it is
    "young_people": {"young_person"},
    "at_the_door": {"owner_of_owning_org", "staff_of_owning_org", "redeemer_of_owning_org"},
    "sponsors": {"sponsor"},  # owner of the sponsor organisation the path names
    "org_viewers": {"owner_of_owning_org", "staff_of_owning_org", "verifier_of_owning_org"},
    "org_members": {
        "owner_of_owning_org",
        "staff_of_owning_org",
        "redeemer_of_owning_org",
        "verifier_of_owning_org",
        "adviser_of_owning_org",
        "other_adviser_of_owning_org",
    },
    # Advisers (and verifiers, who may advise) of the organisation; one link's pages are its adviser's alone.
    "org_advisers": {"adviser_of_owning_org", "other_adviser_of_owning_org", "verifier_of_owning_org"},
    "the_adviser": {"adviser_of_owning_org"},
    "the_advised": {"young_person"},
    "nobody": set(),  # the young person who made the link (or received the suggestion)
    # Confirmed by a council today, and applied to (went to apply for, claimed a code from) the organisation this
    # reporting year, with no verdict on it yet: anyone else is told there is nothing to answer (404).
    "verdict_givers": {"young_person"},
}
EXPECTED = {
    "GET /": "everyone",
    "GET /offers": "everyone",
    "GET /offers/{offer_id:int}": "everyone",
    "GET /offers.atom": "everyone",  # a search's feed: only findable offers, nobody's data
    "GET /open-data": "everyone",
    "GET /health": "everyone",  # the process answers: nothing else asked, nothing said
    "GET /ready": "everyone",  # ok/down/pending per part: no address, version or error text
    "GET /metrics": "nobody",  # only a scraper with METRICS_TOKEN (tests/test_metrics.py); unset here: 404 for all
    "POST /stripe/webhook": "everyone",  # Stripe's; without its signature: 400, nothing changed
    "GET /static/{file_path:path}": "everyone",
    "HEAD /static/{file_path:path}": "everyone",
    "GET /manifest.webmanifest": "everyone",  # the same for everyone (in their language): nobody's data
    "GET /sw.js": "everyone",
    "GET /robots.txt": "everyone",
    "GET /sitemap.xml": "everyone",  # findable offers and public pages only
    "GET /sitemap-offers.xml": "everyone",
    "GET /sign-in": "everyone",
    "POST /sign-in": "everyone",
    "GET /sign-in/{token:str}": "everyone",
    "POST /sign-in/{token:str}": "everyone",
    "POST /sign-out": "everyone",
    "POST /sign-out/everywhere": "signed_in",
    "GET /account": "signed_in",
    "POST /account": "signed_in",
    "GET /organisations/new": "signed_in",
    "POST /organisations/new": "signed_in",
    "GET /organisations/{org_id:int}": "org_members",
    "GET /organisations/{org_id:int}/edit": "org_owners",
    "POST /organisations/{org_id:int}/edit": "org_owners",
    "GET /organisations/{org_id:int}/pledge": "org_owners",
    "POST /organisations/{org_id:int}/pledge": "org_owners",
    "GET /organisations/{org_id:int}/members": "org_owners",
    "POST /organisations/{org_id:int}/members": "org_owners",
    "POST /organisations/{org_id:int}/members/{membership_id:int}/role": "org_owners",
    "POST /organisations/{org_id:int}/members/{membership_id:int}/remove": "org_owners",
    "GET /organisations/{org_id:int}/offers/new": "org_editors",
    "POST /organisations/{org_id:int}/offers": "org_editors",
    "POST /organisations/{org_id:int}/offers/preview": "org_editors",
    "GET /organisations/{org_id:int}/offers/{offer_id:int}": "org_editors",
    "POST /organisations/{org_id:int}/offers/{offer_id:int}": "org_editors",
    "POST /organisations/{org_id:int}/offers/{offer_id:int}/submit": "org_editors",
    "POST /organisations/{org_id:int}/offers/{offer_id:int}/close": "org_editors",
    "POST /organisations/{org_id:int}/offers/{offer_id:int}/discard": "org_editors",
    "POST /organisations/{org_id:int}/offers/{offer_id:int}/duplicate": "org_editors",
    "GET /admin": "admins",
    "GET /admin/organisations": "admins",
    "GET /admin/organisations/{org_id:int}": "admins",
    "POST /admin/organisations/{org_id:int}/approve": "admins",
    "POST /admin/organisations/{org_id:int}/return": "admins",
    "GET /admin/offers/{offer_id:int}": "admins",
    "POST /admin/offers/{offer_id:int}/approve": "admins",
    "POST /admin/offers/{offer_id:int}/return": "admins",
    "GET /admin/outbox": "admins",
    "POST /admin/outbox/{outbox_id:int}/retry": "admins",
    "POST /admin/outbox/{outbox_id:int}/drop": "admins",
    "GET /me": "signed_in",
    "GET /me/profile": "signed_in",
    "POST /me/profile": "signed_in",
    "GET /me/data": "signed_in",
    "GET /me/delete": "signed_in",
    "POST /me/delete": "signed_in",
    "GET /me/verification": "signed_in",
    "POST /me/verification": "signed_in",
    "POST /me/verification/code": "signed_in",
    "POST /me/verification/renew": "signed_in",
    "GET /privacy": "everyone",
    "GET /join": "everyone",
    "GET /organisations/{org_id:int}/verification": "org_verifiers",
    "GET /organisations/{org_id:int}/verification/log": "org_verifiers",
    "GET /organisations/{org_id:int}/verification/{verification_id:int}": "org_verifiers",
    "POST /organisations/{org_id:int}/verification/{verification_id:int}/approve": "org_verifiers",
    "POST /organisations/{org_id:int}/verification/{verification_id:int}/refuse": "org_verifiers",
    "POST /organisations/{org_id:int}/verification/{verification_id:int}/revoke": "org_verifiers",
    "GET /organisations/{org_id:int}/invitations": "org_verifiers",
    "POST /organisations/{org_id:int}/invitations": "org_verifiers",
    "GET /offers/{offer_id:int}/apply": "signed_in",
    "POST /offers/{offer_id:int}/apply": "verified_young_people",
    "GET /me/applications": "signed_in",
    "GET /offers/{offer_id:int}/go": "everyone",
    "POST /me/applications/{application_id:int}/withdraw": "the_applicant",
    "GET /organisations/{org_id:int}/offers/{offer_id:int}/applicants": "org_editors",
    "GET /organisations/{org_id:int}/applications/{application_id:int}": "org_editors",
    "POST /organisations/{org_id:int}/applications/{application_id:int}/stage": "org_editors",
    "GET /organisations/{org_id:int}/offers/{offer_id:int}/codes": "org_editors",
    "POST /organisations/{org_id:int}/offers/{offer_id:int}/codes/generate": "org_editors",
    "POST /organisations/{org_id:int}/offers/{offer_id:int}/codes/upload": "org_editors",
    "POST /offers/{offer_id:int}/claim": "verified_young_people",
    "POST /offers/{offer_id:int}/wait": "young_people",
    "GET /me/codes": "signed_in",
    "POST /offers/{offer_id:int}/saved": "signed_in",
    "GET /me/saved": "signed_in",
    "GET /me/searches": "signed_in",
    "GET /alerts/unsubscribe/{user_id:int}/{key:str}": "everyone",  # the key in the alert is the permission
    "POST /alerts/unsubscribe/{user_id:int}/{key:str}": "everyone",
    "GET /advising/unsubscribe/{membership_id:int}/{key:str}": "everyone",  # the key in the email is the permission
    "POST /advising/unsubscribe/{membership_id:int}/{key:str}": "everyone",
    "GET /me/searches/new": "signed_in",
    "POST /me/searches": "signed_in",
    "POST /me/searches/{search_id:int}": "the_searcher",
    "POST /me/searches/{search_id:int}/delete": "the_searcher",
    "GET /me/searches/{search_id:int}/results": "the_searcher",
    "POST /me/push": "signed_in",
    "POST /me/push/off": "signed_in",
    "GET /me/advisers": "signed_in",
    "POST /me/advisers": "young_people",
    "GET /me/advisers/{link_id:int}": "the_advised",
    "POST /me/advisers/{link_id:int}": "the_advised",
    "POST /me/advisers/{link_id:int}/unlink": "the_advised",
    "GET /me/suggestions/{suggestion_id:int}": "the_advised",
    "POST /me/suggestions/{suggestion_id:int}/dismiss": "the_advised",
    "GET /organisations/{org_id:int}/advising": "org_advisers",
    "POST /organisations/{org_id:int}/advising/code": "org_advisers",
    "GET /organisations/{org_id:int}/advising/nudges": "org_advisers",  # only their own links' nudges
    "POST /organisations/{org_id:int}/advising/nudges/email": "org_advisers",  # their own weekly email on or off
    "POST /organisations/{org_id:int}/advising/suggest": "org_advisers",
    "GET /organisations/{org_id:int}/advising/{link_id:int}": "the_adviser",
    "POST /organisations/{org_id:int}/advising/{link_id:int}/accept": "the_adviser",  # a request still waiting
    "POST /organisations/{org_id:int}/advising/{link_id:int}/end": "the_adviser",
    "GET /organisations/{org_id:int}/redeem": "at_the_door",
    "POST /organisations/{org_id:int}/redeem": "at_the_door",
    "POST /organisations/{org_id:int}/redeem/{code_id:int}/undo": "at_the_door",
    "GET /sponsors/{org_id:int}/impact": "everyone",  # aggregates only
    # Anyone may raise a concern about what anyone can see (CSRF as every form, 5 an hour per network).
    "GET /concerns/new": "everyone",
    "POST /concerns/new": "everyone",
    "GET /concerns/receipt/{token:str}": "everyone",  # the link given on sending is the permission
    "POST /concerns/receipt/{token:str}": "everyone",  # adding something to it, with the same link
    "GET /admin/concerns": "admins",
    "GET /admin/concerns/{concern_id:int}": "admins",
    "POST /admin/concerns/{concern_id:int}": "admins",
    "GET /organisations/{org_id:int}/funding": "sponsors",
    "GET /organisations/{org_id:int}/funding/offers/{offer_id:int}": "sponsors",
    "POST /organisations/{org_id:int}/funding/offers/{offer_id:int}": "sponsors",
    "GET /organisations/{org_id:int}/funding/{sponsorship_id:int}": "sponsors",
    "POST /organisations/{org_id:int}/funding/{sponsorship_id:int}/refund": "sponsors",
    "POST /organisations/{org_id:int}/funding/{sponsorship_id:int}/cancel": "sponsors",
    "GET /organisations/{org_id:int}/offers/{offer_id:int}/sponsorship": "org_editors",
    "POST /organisations/{org_id:int}/offers/{offer_id:int}/sponsorship": "org_editors",
    "GET /admin/sponsorships": "admins",
    "GET /admin/payouts": "admins",
    "GET /admin/payouts.csv": "admins",
    "GET /organisations/{org_id:int}/statement": "org_editors",
    "GET /organisations/{org_id:int}/statement.csv": "org_editors",
    "POST /admin/sponsorships/{sponsorship_id:int}/paid": "admins",
    "GET /organisations/{org_id:int}/uptake": "org_viewers",
    "GET /organisations/{org_id:int}/uptake.csv": "org_viewers",
    "GET /organisations/{org_id:int}/uptake.json": "org_viewers",
    "GET /charter": "everyone",  # national aggregates, protected
    "GET /charter.csv": "everyone",
    "GET /small-numbers": "everyone",
    "GET /charter.json": "everyone",
    "GET /organisations/{org_id:int}/objectives": "org_editors",
    "POST /organisations/{org_id:int}/objectives": "org_editors",
    "POST /organisations/{org_id:int}/objectives/{objective_id:int}/remove": "org_editors",
    "GET /organisations/{org_id:int}/report/{year:int}": "org_viewers",
    "GET /organisations/{org_id:int}/report/{year:int}/figures.csv": "org_viewers",
    "GET /organisations/{org_id:int}/report/{year:int}/report.pdf": "org_viewers",
    "POST /organisations/{org_id:int}/report/{year:int}/sign": "org_owners",
    "GET /organisations/{org_id:int}/plan": "org_editors",
    "POST /organisations/{org_id:int}/plan": "org_editors",
    "POST /organisations/{org_id:int}/plan/publish": "org_owners",
    # An oversight body's members only (tests/test_oversight.py): the organisations here are not oversight bodies.
    "GET /organisations/{org_id:int}/oversight": "nobody",
    "GET /signatories": "everyone",  # approved organisations and what they publish; counts protected
    "GET /signatories.csv": "everyone",
    "GET /signatories.json": "everyone",
    "GET /plans/{org_id:int}/{start_year:int}": "everyone",  # once signed off (404 before, or if not approved)
    "GET /plans/{org_id:int}/{start_year:int}/{version:int}": "everyone",
    # Published reports: public once signed off (404 until then, and for an organisation not approved).
    "GET /reports/{org_id:int}/{year:int}": "everyone",
    "GET /reports/{org_id:int}/{year:int}/{version:int}": "everyone",
    "GET /reports/{org_id:int}/{year:int}/{version:int}/pdf": "everyone",
    "GET /me/feedback": "signed_in",
    "GET /me/feedback/{kind:str}/{item_id:int}": "the_applicant",  # their own completed application
    "POST /me/feedback/{kind:str}/{item_id:int}": "the_applicant",
    "GET /organisations/{org_id:int}/feedback": "org_editors",
    "GET /me/verdicts": "signed_in",
    "GET /me/verdicts/{org_id:int}": "verdict_givers",
    "POST /me/verdicts/{org_id:int}": "verdict_givers",
    "GET /organisations/{org_id:int}/verdict": "org_editors",  # with what young people said it should change
    "GET /dev/mail": "everyone",  # in dev and tests; 404 in production (tests/test_mail.py)
    # The open data (Open Referral UK): published offers only, the same for everyone; GET only, no session read.
    "GET /openreferral": "everyone",
    "GET /openreferral/services": "everyone",
    "GET /openreferral/services/{service_id:str}": "everyone",
    "GET /openreferral/service_at_locations": "everyone",
    "GET /openreferral/service_at_locations/{location_id:str}": "everyone",
    "GET /openreferral/taxonomies": "everyone",
    "GET /openreferral/taxonomies/{taxonomy_id:str}": "everyone",
    "GET /openreferral/taxonomy_terms": "everyone",
    "GET /openreferral/taxonomy_terms/{term_id:str}": "everyone",
}


def allowed(method: str, path: str, role: str) -> bool:
    key = f"{method} {path}"
    assert key in EXPECTED, f"{key} is a new route: add who may use it to EXPECTED in tests/test_access.py"
    return role in WHO[EXPECTED[key]]


@dataclass
class World:
    clients: dict[str, httpx.AsyncClient]
    params: dict[str, str]


async def _world(new_client: Any, waiting: bool = False) -> World:
    """Every kind of person and something of each kind for them to reach. With `waiting`, the owning
    organisation and the sponsor have not been approved yet, and the owning organisation's owner, staff and
    verifier are the sponsor's too."""
    owning = await factories.organisation(kind="council")  # councils post offers too, and have every role
    other = await factories.organisation(kind="employer")
    council = await factories.organisation(kind="council")
    sponsor = await factories.organisation(kind="sponsor")
    offer = await factories.offer(owning)
    concession = await factories.offer(owning, type="sport", title="Swim", sponsor_unit_pence=500, sponsor_cap=100)
    external = await factories.offer(owning, apply_method="external", apply_url="https://jobs.example/1")
    listed = await factories.offer(other)  # in the open data, whatever happens to the owning organisation
    code = await Code.insert(Code(offer=concession.id, code="ABCD-EFGH-JKLM")).returning(Code.id)
    sponsored = await Sponsorship.insert(
        Sponsorship(sponsor=sponsor.id, offer=concession.id, units=2, unit_pence=500, amount_pence=1000,
                    method="invoice", reference="SP-ACCESS1")
    ).returning(Sponsorship.id)  # fmt: skip
    ids = {
        "young_person": await user("young@example.org"),
        "owner_of_owning_org": await member(owning, "owner@example.org", "owner"),
        "staff_of_owning_org": await member(owning, "staff@example.org", "staff"),
        "redeemer_of_owning_org": await member(owning, "redeemer@example.org", "redeemer"),
        "verifier_of_owning_org": await member(owning, "own-verifier@example.org", "verifier"),
        "adviser_of_owning_org": await member(owning, "adviser@example.org", "adviser"),
        "other_adviser_of_owning_org": await member(owning, "other-adviser@example.org", "adviser"),
        "staff_of_another_org": await member(other, "other@example.org", "staff"),
        "council_verifier": await member(council, "verifier@example.org", "verifier"),
        "sponsor": await member(sponsor, "sponsor@example.org", "owner"),
        "platform_admin": await admin(),
    }
    clients = {"anonymous": new_client()}
    for role, user_id in ids.items():
        clients[role] = new_client()
        await session_for(clients[role], user_id)
    staff = await Membership.select(Membership.id).where(Membership.user == ids["staff_of_owning_org"]).first()
    young = await YoungPerson.insert(
        YoungPerson(user=ids["young_person"], date_of_birth=date(2006, 5, 1), home_council="W06000015")
    ).returning(YoungPerson.id)
    asked = await Verification.insert(Verification(young_person=young[0]["id"], council=owning.id)).returning(
        Verification.id
    )
    applied = await Application.insert(Application(offer=offer.id, young_person=young[0]["id"])).returning(
        Application.id
    )
    completed = await Application.insert(
        Application(offer=external.id, young_person=young[0]["id"], stage="completed")
    ).returning(Application.id)
    kept = await SavedSearch.insert(SavedSearch(user=ids["young_person"], name="Swimming", query="q=swim")).returning(
        SavedSearch.id
    )
    objective = await Objective.insert(
        Objective(organisation=owning.id, principle=5, measure="starts", target=3, deadline=date(2100, 1, 1))
    ).returning(Objective.id)
    await Verification.insert(  # confirmed by another council, so they can apply
        Verification(young_person=young[0]["id"], council=council.id, status="verified", expires_on=date(2100, 1, 1))
    )
    adviser = await Membership.select(Membership.id).where(Membership.user == ids["adviser_of_owning_org"]).first()
    linked = await AdviserLink.insert(
        AdviserLink(young_person=young[0]["id"], membership=adviser["id"], status="linked", share_applications=True)
    ).returning(AdviserLink.id)
    suggested = await Suggestion.insert(Suggestion(link=linked[0]["id"], offer=listed.id)).returning(Suggestion.id)
    another = await YoungPerson.insert(
        YoungPerson(user=await user("asking@example.org"), date_of_birth=date(2007, 1, 1), home_council="W06000015")
    ).returning(YoungPerson.id)
    asking = await AdviserLink.insert(AdviserLink(young_person=another[0]["id"], membership=adviser["id"])).returning(
        AdviserLink.id
    )
    await Plan.insert(
        Plan(organisation=owning.id, start_year=reporting_year(date.today()), html_en="<h1>Plan</h1>",
             signed_at=datetime.now(UTC))
    )  # fmt: skip
    await PublishedReport.insert(
        PublishedReport(organisation=owning.id, year=reporting_year(date.today()) - 1, html_en="<h1>Report</h1>",
                        pdf_en=b"%PDF-1.4", submitted_to="wales")
    )  # fmt: skip
    concern = await Concern.insert(
        Concern(organisation=owning.id, offer=offer.id, what_happened="It went wrong", safety=True,
                receipt=keyed_hash(load_settings(), "concern-receipt", RECEIPT))
    ).returning(Concern.id)  # fmt: skip
    troubled = await OutboxItem.insert(  # a topic no worker takes: it keeps failing, for /admin/outbox
        OutboxItem(topic="test.access", attempts=5, last_error="TimeoutError")
    ).returning(OutboxItem.id)
    if waiting:
        for role in ("owner", "staff", "verifier"):
            await Membership.insert(Membership(user=ids[f"{role}_of_owning_org"], organisation=sponsor.id, role=role))
        await Organisation.update({Organisation.approved_at: None}).where(
            Organisation.id.is_in([owning.id, sponsor.id])
        )
    params = {
        "org_id": str(owning.id),
        "offer_id": str(offer.id),
        "membership_id": str(staff["id"]),
        "verification_id": str(asked[0]["id"]),
        "application_id": str(applied[0]["id"]),
        "code_id": str(code[0]["id"]),
        "concession_id": str(concession.id),
        "sponsor_id": str(sponsor.id),
        "sponsorship_id": str(sponsored[0]["id"]),
        "external_id": str(external.id),
        "objective_id": str(objective[0]["id"]),
        "search_id": str(kept[0]["id"]),
        "link_id": str(linked[0]["id"]),
        "asking_link_id": str(asking[0]["id"]),  # a young person's request the adviser has not accepted yet
        "suggestion_id": str(suggested[0]["id"]),
        "concern_id": str(concern[0]["id"]),
        "outbox_id": str(troubled[0]["id"]),
        "user_id": str(ids["young_person"]),
        "key": unsubscribe_token(load_settings(), ids["young_person"]),
        "year": str(reporting_year(date.today())),
        "version": "1",
        "start_year": str(reporting_year(date.today())),
        "kind": "application",
        "item_id": str(completed[0]["id"]),
        "token": "x" * 43,
        "file_path": "css/app.css",
        "service_id": row_uuid(Kind.service, listed.id),
        "location_id": row_uuid(Kind.service_at_location, listed.id),
        "taxonomy_id": named_uuid("taxonomy", "offer-type"),
        "term_id": named_uuid("taxonomy", "offer-type", "term", "apprenticeship"),
    }
    return World(clients, params)


RECEIPT = "the-receipt-of-the-concern-in-the-world"
CONCESSION_ROUTES = ("/codes", "/claim", "/wait", "/sponsorship")  # these need a sport, leisure or culture offer
FUNDING = "/organisations/{org_id:int}/funding"  # a sponsor's pages: the path names the sponsor organisation


def _url(path: str, params: dict[str, str]) -> str:
    if path.startswith((FUNDING, "/sponsors/")):
        params = params | {"org_id": params["sponsor_id"], "offer_id": params["concession_id"]}
    elif path.endswith(CONCESSION_ROUTES) or "/codes/" in path:
        params = params | {"offer_id": params["concession_id"]}
    elif path.endswith("/go"):  # applying on the provider's own website
        params = params | {"offer_id": params["external_id"]}
    elif path.startswith("/reports/"):  # last year's, signed off
        params = params | {"year": str(int(params["year"]) - 1)}
    elif path.endswith("/accept"):
        params = params | {"link_id": params["asking_link_id"]}
    elif path.startswith("/concerns/receipt/"):  # the link given to whoever raised the concern
        params = params | {"token": RECEIPT}
    elif path.startswith("/advising/unsubscribe/"):  # the weekly email's link: its own key
        key = nudges.unsubscribe_token(load_settings(), int(params["membership_id"]))
        params = params | {"key": key}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in params, f"tests/test_access.py needs a sample value for the path parameter {name!r}"
        return params[name]

    about = f"?offer={params['offer_id']}" if path == "/concerns/new" else ""  # what the concern is about
    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path) + about


# Let in means the page, or for a form with nothing filled in: done (303), or a message about the input.
LET_IN = {"GET": {200}, "HEAD": {200}, "POST": {200, 303, 400, 409, 422}}
ELSEWHERE = "https://jobs.example/1"  # /go sends people on to the provider's own site
RESULTS = "/offers?"  # a saved search opens its results
ONBOARDING = "/me/profile"  # signed-in people without a young person's profile are sent here first


def _outcome(response: httpx.Response) -> str:
    request = f"{response.request.method} {response.request.url} → {response.status_code}"
    if response.status_code in (401, 403, 404):  # 404: someone else's application is, to you, not there
        return "denied"
    if response.status_code == 303 and response.headers["location"].startswith("/sign-in?next="):
        return "denied"
    if response.request.method == "GET" and response.status_code == 303:
        location = response.headers["location"]
        assert location in (ONBOARDING, ELSEWHERE) or location.startswith(RESULTS), request
        return "allowed"
    assert response.status_code in LET_IN[response.request.method], request
    return "allowed"


@pytest.mark.parametrize(("method", "path", "rule"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
async def test_only_the_right_people_get_through(new_client, search, method: str, path: str, rule: Rule) -> None:
    world = await _world(new_client)
    url = _url(path, world.params)
    # Those who should be turned away go first, so nothing an allowed request changes can hide a leak.
    order = sorted(ROLES, key=lambda role: allowed(method, path, role))
    for role in order:
        client = world.clients[role]
        if method == "GET":  # HEAD first (uptime monitors, link checkers): the GET's answer, without its body
            head = await client.head(url)
        if method in ("GET", "HEAD"):
            response = await client.request(method, url)
        else:
            response = await client.request(method, url, data={"_csrf_token": await csrf(client)})
        expected = "allowed" if allowed(method, path, role) else "denied"
        assert _outcome(response) == expected, f"{role}: {method} {url} → {response.status_code}"
        if method == "GET":
            assert (head.status_code, head.content) == (response.status_code, b""), f"{role}: HEAD {url}"
            assert head.headers.get("content-type") == response.headers.get("content-type"), f"{role}: HEAD {url}"


# Until the Cyfle team approves an organisation, its people reach only what any signed-in person reaches, its
# page (details, pledge, and that it is waiting) and, for owners, its details and people: no figures, no young
# people, no offers, codes, invitations or money, whatever kind of organisation it says it is.
WAITING_ROLES = ("owner_of_owning_org", "staff_of_owning_org", "verifier_of_owning_org")
BEFORE_APPROVAL = {
    "GET /organisations/{org_id:int}": set(WAITING_ROLES),
    "GET /organisations/{org_id:int}/edit": {"owner_of_owning_org"},
    "POST /organisations/{org_id:int}/edit": {"owner_of_owning_org"},
    "GET /organisations/{org_id:int}/pledge": {"owner_of_owning_org"},  # they say what they will do as they sign
    "POST /organisations/{org_id:int}/pledge": {"owner_of_owning_org"},
    "GET /organisations/{org_id:int}/members": {"owner_of_owning_org"},
    "POST /organisations/{org_id:int}/members/{membership_id:int}/role": {"owner_of_owning_org"},
    "POST /organisations/{org_id:int}/members/{membership_id:int}/remove": {"owner_of_owning_org"},
    "GET /sponsors/{org_id:int}/impact": set(),  # an unapproved sponsor has no public page
    "GET /reports/{org_id:int}/{year:int}": set(),  # nor any published report
    "GET /reports/{org_id:int}/{year:int}/{version:int}": set(),
    "GET /reports/{org_id:int}/{year:int}/{version:int}/pdf": set(),
    "GET /plans/{org_id:int}/{start_year:int}": set(),
    "GET /plans/{org_id:int}/{start_year:int}/{version:int}": set(),
    "GET /concerns/new": set(),  # nor a concern form: what nobody can see cannot be reported (404)
    "POST /concerns/new": set(),
}


def allowed_while_waiting(method: str, path: str, role: str) -> bool:
    key = f"{method} {path}"
    if key in BEFORE_APPROVAL:
        return role in BEFORE_APPROVAL[key]
    return EXPECTED[key] in ("everyone", "signed_in")


@pytest.mark.parametrize(("method", "path", "rule"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
async def test_an_organisation_waiting_for_approval_reaches_nothing_else(
    new_client, search, method: str, path: str, rule: Rule
) -> None:
    world = await _world(new_client, waiting=True)
    url = _url(path, world.params)
    owning = int(world.params["org_id"])
    # Every kind is tried for being turned away; what the owner may do is then done once (it changes things).
    for kind in SIGN_UP_KINDS:
        await Organisation.update({Organisation.kind: kind}).where(Organisation.id == owning)
        for role in WAITING_ROLES:
            if allowed_while_waiting(method, path, role):
                continue
            client = world.clients[role]
            data = None if method in ("GET", "HEAD") else {"_csrf_token": await csrf(client)}
            response = await client.request(method, url, data=data)
            assert _outcome(response) == "denied", (
                f"{role} of a waiting {kind}: {method} {url} → {response.status_code}"
            )
    for role in WAITING_ROLES:
        if allowed_while_waiting(method, path, role):
            client = world.clients[role]
            data = None if method in ("GET", "HEAD") else {"_csrf_token": await csrf(client)}
            response = await client.request(method, url, data=data)
            assert _outcome(response) == "allowed", f"{role} of a waiting organisation: {method} {url}"


def test_every_route_is_in_the_matrix_and_nothing_else() -> None:
    assert {f"{method} {path}" for method, path, _ in ENDPOINTS} == set(EXPECTED)
    assert not [path for _, path, _ in ENDPOINTS if path.startswith("/schema")], "no API schema pages"


# Stripe signs its events (tests/test_sponsorship.py checks forged ones change nothing); one-click unsubscribe
# carries its own key (tests/test_alerts.py and tests/test_adviser_nudges.py check a wrong one changes nothing).
CSRF_EXEMPT = {
    "/stripe/webhook",
    "/alerts/unsubscribe/{user_id:int}/{key:str}",
    "/advising/unsubscribe/{membership_id:int}/{key:str}",
}
UNSAFE = [(method, path) for method, path, _ in ENDPOINTS if method not in ("GET", "HEAD") and path not in CSRF_EXEMPT]


async def _snapshot() -> dict[str, Any]:
    from app.core import db
    from app.piccolo_app import APP_CONFIG

    snapshot = {}
    for table in APP_CONFIG.table_classes:
        name = table._meta.tablename
        rows = await db.engine().run_ddl(
            f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM {name} t"  # noqa: S608 (table names from the code)
        )
        snapshot[name] = rows[0]["h"]
    return snapshot


@pytest.mark.parametrize(("method", "path"), UNSAFE, ids=[f"{m} {p}" for m, p in UNSAFE])
async def test_every_unsafe_request_without_the_csrf_token_is_refused_and_changes_nothing(
    new_client, search, method: str, path: str
) -> None:
    world = await _world(new_client)
    role = sorted(WHO[EXPECTED[f"{method} {path}"]])[-1]  # someone the route would otherwise let in
    client = world.clients[role]
    await client.get("/sign-in")  # has the CSRF cookie, but does not send the token
    before = await _snapshot()
    response = await client.request(method, _url(path, world.params), data={"title": "x", "reason": "x"})
    assert response.status_code == 403, f"{role}: {method} {path} → {response.status_code}"
    assert await _snapshot() == before
    htmx = await client.request(
        method, _url(path, world.params), headers={"HX-Request": "true", "x-csrftoken": "forged"}
    )
    assert htmx.status_code == 403
    assert await _snapshot() == before
