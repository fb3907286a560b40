"""Providers' pages for their offers: write, preview, save as draft, send for review, close, duplicate."""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, Router, get, post
from litestar.response import Redirect, Template

from app.core.areas import council_choices
from app.core.auth import OFFER_EDITORS, Members, Principal
from app.core.deps import Id, Provided
from app.core.errors import Conflict
from app.core.forms import Form, FormInvalid
from app.core.htmx import page_or_fragment
from app.core.i18n import alphabetical, current_locale, gettext
from app.core.paths import redirect_to
from app.offers import editing, writing
from app.offers.documents import COMMITMENTS, SUPPORT_FLAGS
from app.offers.labels import (
    COMMITMENT_FIELDS,
    COMMITMENT_HINTS,
    PER_CHOICES,
    TYPE_LABELS,
    per_label,
    support_label,
    type_label,
)
from app.offers.languages import LANGUAGES
from app.offers.rows import OfferRow
from app.organisations import service as organisations

editors = Members(*OFFER_EDITORS)
BLANK = {
    "type": "",
    "apply_method": "in_app",
    "min_age": "16",
    "max_age": "25",
    "claim_limit": "1",
    "claim_period": "once",
}


@dataclass(frozen=True)
class FormChoices:
    """The form's options, labelled in the reader's language."""

    type_options: list[tuple[str, str]]
    per_options: list[tuple[str, str]]
    support_options: list[tuple[str, str, str]]
    commitment_options: list[tuple[str, str, str]]
    councils: list[tuple[str, str]]


def _choices() -> FormChoices:
    return FormChoices(
        type_options=alphabetical(((kind, type_label(kind)) for kind in TYPE_LABELS), lambda choice: choice[1]),
        per_options=[(per, per_label(per)) for per in PER_CHOICES],
        support_options=[(flag, support_label(flag), "") for flag in SUPPORT_FLAGS],
        commitment_options=[
            (flag, gettext(COMMITMENT_FIELDS[flag]), gettext(COMMITMENT_HINTS[flag])) for flag in COMMITMENTS
        ],
        councils=council_choices(),
    )


async def _form_page(
    request: Request[Any, Any, Any],
    org_id: int,
    today: date,
    form: Mapping[str, Any],
    offer: OfferRow | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    problem: str | None = None,
) -> Template:
    org = await organisations.get(org_id)
    preview = _preview(Form(form), org.name, today)
    context = {
        "org": org,
        "offer": offer,
        "form": form,
        "errors": errors or {},
        "preview": preview,
        "problem": problem,
        "choices": _choices(),
    }
    return page_or_fragment(request, "organisations/offers/form.html", context, status_code=status)


def _preview(form: Form, organisation_name: str, today: date) -> writing.OfferView:
    """The offer as it will look, in the language the provider chose to preview (the tab they write in)."""
    chosen = form.raw("preview_lang")
    reader = chosen if chosen in LANGUAGES else current_locale()
    return writing.as_view(writing.read_offer(form, today, check=False), organisation_name, today, reader=reader)


@get("/new", name="offers:new")
async def new(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    return await _form_page(request, org_id, today, BLANK | {"language": current_locale()})


@post("/", name="offers:create")
async def create(
    request: Request[Any, Any, Any], org_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    try:
        offer_id = await editing.create(who, org_id, Form(data), today)
    except FormInvalid as invalid:
        return await _form_page(request, org_id, today, data, errors=invalid.errors, status=422)
    return redirect_to(request, "offers:edit", org_id=org_id, offer_id=offer_id)


@post("/preview", name="offers:preview")
async def preview(request: Request[Any, Any, Any], org_id: Id, today: Provided[date]) -> Template:
    """htmx asks for the preview block as the provider types; without JavaScript the Preview button shows the
    whole form again with the preview under it."""
    org = await organisations.get(org_id)
    form = Form(await request.form())
    shown = _preview(form, org.name, today)
    context = {"org": org, "offer": None, "form": form.data, "errors": {}, "preview": shown, "choices": _choices()}
    return page_or_fragment(request, "organisations/offers/form.html", context, block="preview")


@get("/{offer_id:int}", name="offers:edit")
async def edit(request: Request[Any, Any, Any], org_id: Id, offer_id: Id, today: Provided[date]) -> Template:
    offer = await editing.get(org_id, offer_id)
    return await _form_page(request, org_id, today, editing.as_form(editing.as_edited(offer)), offer=offer)


@post("/{offer_id:int}", name="offers:update")
async def update(
    request: Request[Any, Any, Any], org_id: Id, offer_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect | Template:
    data = await request.form()
    try:
        await editing.update(who, org_id, offer_id, Form(data), today, then_submit=data.get("then") == "submit")
    except FormInvalid as invalid:
        offer = await editing.get(org_id, offer_id)
        return await _form_page(request, org_id, today, data, offer=offer, errors=invalid.errors, status=422)
    except Conflict as problem:
        offer = await editing.get(org_id, offer_id)
        return await _form_page(request, org_id, today, data, offer=offer, status=409, problem=str(problem))
    return redirect_to(request, "offers:edit", org_id=org_id, offer_id=offer_id)


Action = Callable[[Principal, int, int], Awaitable[None]]


async def _act(
    request: Request[Any, Any, Any], who: Principal, org_id: int, offer_id: int, action: Action, today: date
) -> Redirect | Template:
    try:
        await action(who, org_id, offer_id)
    except Conflict as problem:
        offer = await editing.get(org_id, offer_id)
        form = editing.as_form(editing.as_edited(offer))
        return await _form_page(request, org_id, today, form, offer=offer, status=409, problem=str(problem))
    return redirect_to(request, "offers:edit", org_id=org_id, offer_id=offer_id)


@post("/{offer_id:int}/submit", name="offers:submit")
async def submit(
    request: Request[Any, Any, Any], org_id: Id, offer_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect | Template:
    return await _act(request, who, org_id, offer_id, editing.submit, today)


@post("/{offer_id:int}/close", name="offers:close")
async def close(
    request: Request[Any, Any, Any], org_id: Id, offer_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect | Template:
    return await _act(request, who, org_id, offer_id, editing.close, today)


@post("/{offer_id:int}/discard", name="offers:discard")
async def discard(
    request: Request[Any, Any, Any], org_id: Id, offer_id: Id, today: Provided[date], who: Provided[Principal]
) -> Redirect | Template:
    """Drops a live offer's edit that waits for the team; the approved version stays live."""
    return await _act(request, who, org_id, offer_id, editing.discard, today)


@post("/{offer_id:int}/duplicate", name="offers:duplicate")
async def duplicate(request: Request[Any, Any, Any], org_id: Id, offer_id: Id, who: Provided[Principal]) -> Redirect:
    new_id = await editing.duplicate(who, org_id, offer_id)
    return redirect_to(request, "offers:edit", org_id=org_id, offer_id=new_id)


ROUTES = [
    Router(
        "/organisations/{org_id:int}/offers",
        guards=[editors],
        route_handlers=[new, create, preview, edit, update, submit, close, discard, duplicate],
    )
]
