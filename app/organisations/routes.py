"""Signing up an organisation, its home page, its details and its people."""

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.applications import provider
from app.applications.labels import provider_stage_label
from app.codes import pool
from app.core.auth import EVERYONE_IN_ORG, OWNERS, Members, require, signed_in
from app.core.deps import Provided
from app.core.errors import Conflict, TooManyRequests
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.offers import editing
from app.organisations import members, service
from app.organisations.labels import SIGN_UP_KINDS, kind_label, role_label
from app.settings import Settings
from search.places import councils

owners = Members(*OWNERS, before_approval=True)  # an organisation waiting for approval keeps its details and people


def _council_options() -> list[tuple[str, str]]:
    return [(place.code, place.name) for place in councils()]


def _form_page(request: Request[Any, Any, Any], template: str, context: dict[str, Any], status: int = 200) -> Template:
    context = {"councils": _council_options(), "errors": {}, **context}
    return page_or_fragment(request, template, context, status_code=status)


@get("/organisations/new", name="organisations:new", guards=[signed_in])
async def new(request: Request[Any, Any, Any]) -> Template:
    kinds = [(kind, kind_label(kind)) for kind in SIGN_UP_KINDS]
    return _form_page(request, "organisations/new.html", {"form": {"principles": ["5", "10"]}, "kinds": kinds})


@post("/organisations/new", name="organisations:create", guards=[signed_in])
async def create(request: Request[Any, Any, Any], settings: Provided[Settings]) -> Redirect | Template:
    data = await request.form()
    try:
        org_id = await service.sign_up(settings, require(request), Form(data))
    except FormInvalid as invalid:
        kinds = [(kind, kind_label(kind)) for kind in SIGN_UP_KINDS]
        context = {"form": data, "errors": invalid.errors, "kinds": kinds}
        return _form_page(request, "organisations/new.html", context, status=422)
    return Redirect(f"/organisations/{org_id}", status_code=303)


@get(
    "/organisations/{org_id:int}", name="organisations:detail", guards=[Members(*EVERYONE_IN_ORG, before_approval=True)]
)
async def detail(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    org = await service.get(org_id)
    role = require(request).role_in(org_id)
    context: dict[str, Any] = {"org": org, "role": role}
    if org["status"] == "approved":  # until then: its details, its people and that it is waiting
        context["offers"] = await editing.of_organisation(org_id)
        if role in ("owner", "staff"):
            context |= {"applicants": await provider.counts(org_id), "codes": await pool.organisation_totals(org_id)}
            context["stage_label"] = provider_stage_label
    return page_or_fragment(request, "organisations/detail.html", context)


def _edit_page(request: Request[Any, Any, Any], org: dict[str, Any], form: Any, errors: Any = None) -> Template:
    kinds = [(kind, kind_label(kind)) for kind in SIGN_UP_KINDS] if org["kind"] in SIGN_UP_KINDS else []
    context = {"org": org, "form": form, "kinds": kinds, "errors": errors or {}}
    return _form_page(request, "organisations/edit.html", context, 422 if errors else 200)


@get("/organisations/{org_id:int}/edit", name="organisations:edit", guards=[owners])
async def edit(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    org = await service.get(org_id)
    return _edit_page(request, org, org | org["proposed"] | {"principles": [str(p) for p in org["pledged_principles"]]})


@post("/organisations/{org_id:int}/edit", name="organisations:update", guards=[owners])
async def update(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Redirect | Template:
    data = await request.form()
    try:
        await service.update(require(request), org_id, Form(data))
    except FormInvalid as invalid:
        return _edit_page(request, await service.get(org_id), data, invalid.errors)
    return Redirect(f"/organisations/{org_id}", status_code=303)


async def _members_page(request: Request[Any, Any, Any], org_id: int, status: int = 200, **context: Any) -> Template:
    org = await service.get(org_id)
    roles = service.roles_for(org["kind"])
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


@get("/organisations/{org_id:int}/members", name="organisations:members", guards=[owners])
async def people(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    return await _members_page(request, org_id)


@post("/organisations/{org_id:int}/members", name="organisations:invite", guards=[Members(*OWNERS)])
async def invite(
    request: Request[Any, Any, Any], org_id: FromPath[int], settings: Provided[Settings]
) -> Redirect | Template:
    data = await request.form()
    try:
        await members.invite(settings, require(request), org_id, Form(data))
    except FormInvalid as invalid:
        return await _members_page(request, org_id, 422, form=data, errors=invalid.errors)
    except (Conflict, TooManyRequests) as problem:
        return await _members_page(request, org_id, problem.status_code, form=data, problem=str(problem))
    return Redirect(f"/organisations/{org_id}/members", status_code=303)


@post(
    "/organisations/{org_id:int}/members/{membership_id:int}/role",
    name="organisations:change_role",
    guards=[owners],
)
async def change_role(
    request: Request[Any, Any, Any], org_id: FromPath[int], membership_id: FromPath[int]
) -> Redirect | Template:
    try:
        await members.change_role(require(request), org_id, membership_id, Form(await request.form()))
    except (FormInvalid, Conflict) as problem:
        return await _members_page(request, org_id, problem.status_code, problem=str(problem))
    return Redirect(f"/organisations/{org_id}/members", status_code=303)


@post(
    "/organisations/{org_id:int}/members/{membership_id:int}/remove",
    name="organisations:remove_member",
    guards=[owners],
)
async def remove_member(
    request: Request[Any, Any, Any], org_id: FromPath[int], membership_id: FromPath[int]
) -> Redirect | Template:
    who = require(request)
    try:
        removed = await members.remove(who, org_id, membership_id)
    except Conflict as problem:
        return await _members_page(request, org_id, problem.status_code, problem=str(problem))
    return Redirect("/account" if removed == who.user_id else f"/organisations/{org_id}/members", status_code=303)


ROUTES = [new, create, detail, edit, update, people, invite, change_role, remove_member]
