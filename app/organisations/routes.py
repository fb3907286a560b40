"""Signing up an organisation, its home page, its details and its people."""

from typing import Any

from litestar import Request, Router, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect, Template

from app.applications import provider
from app.applications.labels import provider_stage_label
from app.codes import pool
from app.core.areas import council_choices
from app.core.auth import EVERYONE_IN_ORG, OWNERS, Members, Principal, signed_in
from app.core.deps import Id, Provided
from app.core.errors import Conflict, TooManyRequests
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.paths import redirect_to
from app.offers import editing
from app.organisations import members, service
from app.organisations.labels import SIGN_UP_KINDS, kind_label, role_label
from app.organisations.service import Org
from app.settings import Settings

# An organisation waiting for approval keeps its home page, its details and its people.
everyone_in_org = Members(*EVERYONE_IN_ORG, before_approval=True)
owners = Members(*OWNERS, before_approval=True)
approved_owners = Members(*OWNERS)  # nobody is added on behalf of an organisation the team has not checked
ONE = "/organisations/{org_id:int}"


def _kinds() -> list[tuple[str, str]]:
    return [(kind, kind_label(kind)) for kind in SIGN_UP_KINDS]


def _form_page(request: Request[Any, Any, Any], template: str, context: dict[str, Any], status: int = 200) -> Template:
    context = {"councils": council_choices(), "errors": {}, **context}
    return page_or_fragment(request, template, context, status_code=status)


@get("/new", name="organisations:new")
async def new(request: Request[Any, Any, Any]) -> Template:
    return _form_page(request, "organisations/new.html", {"form": {"principles": ["5", "10"]}, "kinds": _kinds()})


@post("/new", name="organisations:create")
async def create(
    request: Request[Any, Any, Any], settings: Provided[Settings], who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    try:
        org_id = await service.sign_up(settings, who, Form(data))
    except FormInvalid as invalid:
        context = {"form": data, "errors": invalid.errors, "kinds": _kinds()}
        return _form_page(request, "organisations/new.html", context, status=422)
    return redirect_to(request, "organisations:detail", org_id=org_id)


@get("/", name="organisations:detail")
async def detail(request: Request[Any, Any, Any], org_id: Id, who: Provided[Principal]) -> Template:
    org = await service.get(org_id)
    role = who.role_in(org_id)
    context: dict[str, Any] = {"org": org, "role": role}
    if org.status == "approved":  # until then: its details, its people and that it is waiting
        context["offers"] = await editing.of_organisation(org_id)
        if role in ("owner", "staff"):
            context |= {"applicants": await provider.counts(org_id), "codes": await pool.organisation_totals(org_id)}
            context["stage_label"] = provider_stage_label
    return page_or_fragment(request, "organisations/detail.html", context)


def _edit_page(request: Request[Any, Any, Any], org: Org, form: Any, errors: Any = None) -> Template:
    kinds = _kinds() if org.kind in SIGN_UP_KINDS else []
    context = {"org": org, "form": form, "kinds": kinds, "errors": errors or {}}
    return _form_page(request, "organisations/edit.html", context, 422 if errors else 200)


@get("/edit", name="organisations:edit")
async def edit(request: Request[Any, Any, Any], org_id: Id) -> Template:
    org = await service.get(org_id)
    return _edit_page(request, org, service.as_form(org))


@post("/edit", name="organisations:update")
async def update(request: Request[Any, Any, Any], org_id: Id, who: Provided[Principal]) -> Redirect | Template:
    data = await request.form()
    try:
        await service.update(who, org_id, Form(data))
    except FormInvalid as invalid:
        return _edit_page(request, await service.get(org_id), data, invalid.errors)
    return redirect_to(request, "organisations:detail", org_id=org_id)


def _pledge_page(request: Request[Any, Any, Any], org: Org, form: Any, errors: Any = None) -> Template:
    context = {"org": org, "form": form, "errors": errors or {}, "length": service.STATEMENT_LENGTH}
    return _form_page(request, "organisations/pledge.html", context, 422 if errors else 200)


@get("/pledge", name="organisations:pledge")
async def pledge(request: Request[Any, Any, Any], org_id: Id) -> Template:
    org = await service.get(org_id)
    form = {f"statement_{p}_{lang}": text for p, said in org.pledge_statements.items() for lang, text in said.items()}
    return _pledge_page(request, org, form)


@post("/pledge", name="organisations:save_pledge")
async def save_pledge(request: Request[Any, Any, Any], org_id: Id, who: Provided[Principal]) -> Redirect | Template:
    data = await request.form()
    try:
        await service.save_statements(who, org_id, Form(data))
    except FormInvalid as invalid:
        return _pledge_page(request, await service.get(org_id), data, invalid.errors)
    return redirect_to(request, "organisations:detail", org_id=org_id)


async def _members_page(request: Request[Any, Any, Any], org_id: int, status: int = 200, **context: Any) -> Template:
    org = await service.get(org_id)
    roles = service.roles_for(org.kind)
    context = {
        "org": org,
        "members": await members.of(org_id),
        "roles": roles,
        "role_options": [(role, role_label(role)) for role in roles],
        "form": {"role": "staff"},
        "errors": {},
        **context,
    }
    return page_or_fragment(request, "organisations/members.html", context, status_code=status)


@get("/members", name="organisations:members")
async def people(request: Request[Any, Any, Any], org_id: Id) -> Template:
    return await _members_page(request, org_id)


@post(ONE + "/members", name="organisations:invite", guards=[approved_owners])
async def invite(
    request: Request[Any, Any, Any], org_id: Id, settings: Provided[Settings], who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    try:
        await members.invite(settings, who, org_id, Form(data))
    except FormInvalid as invalid:
        return await _members_page(request, org_id, 422, form=data, errors=invalid.errors)
    except (Conflict, TooManyRequests) as problem:
        return await _members_page(request, org_id, problem.status_code, form=data, problem=str(problem))
    return redirect_to(request, "organisations:members", org_id=org_id)


@post("/members/{membership_id:int}/role", name="organisations:change_role")
async def change_role(
    request: Request[Any, Any, Any], org_id: Id, membership_id: Id, who: Provided[Principal]
) -> Redirect | Template:
    try:
        await members.change_role(who, org_id, membership_id, Form(await request.form()))
    except (FormInvalid, Conflict) as problem:
        return await _members_page(request, org_id, problem.status_code, problem=str(problem))
    return redirect_to(request, "organisations:members", org_id=org_id)


@post("/members/{membership_id:int}/remove", name="organisations:remove_member")
async def remove_member(
    request: Request[Any, Any, Any], org_id: Id, membership_id: Id, who: Provided[Principal]
) -> Redirect | Template:
    try:
        removed = await members.remove(who, org_id, membership_id)
    except Conflict as problem:
        return await _members_page(request, org_id, problem.status_code, problem=str(problem))
    if removed == who.user_id:
        return redirect_to(request, "accounts:account")
    return redirect_to(request, "organisations:members", org_id=org_id)


# invite shares its path with people, under another rule: it is a lone handler, registered after the Routers
# (two Routers serving one path would each answer its OPTIONS).
ROUTES: list[Router | HTTPRouteHandler] = [
    Router("/organisations", guards=[signed_in], route_handlers=[new, create]),
    Router(ONE, guards=[everyone_in_org], route_handlers=[detail]),
    Router(
        ONE, guards=[owners], route_handlers=[edit, update, pledge, save_pledge, people, change_role, remove_member]
    ),
    invite,
]
