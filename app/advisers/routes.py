"""A young person's advisers (/me/advisers: link, choose what each sees, unlink) and suggestions (/me/suggestions);
an adviser's pages (/organisations/<id>/advising: the young people who linked them, their link code, what needs a
look, suggesting)."""

from datetime import date
from typing import Any

from litestar import Request, Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app.advisers import advising, labels, nudges, service, suggestions
from app.applications.labels import provider_stage_label, stage_label
from app.core.auth import ADVISERS, Members, Principal, public, signed_in
from app.core.deps import Id, Provided
from app.core.errors import NotFound
from app.core.forms import Form, FormInvalid
from app.core.head import only_looking
from app.core.htmx import page_or_fragment
from app.core.i18n import current_locale
from app.core.paths import path_to, redirect_to, safe_next
from app.core.search_engines import NOINDEX
from app.settings import Settings

advisers_only = Members(*ADVISERS)
UNSUBSCRIBE = nudges.UNSUBSCRIBE


# The young person's side -------------------------------------------------------------------------------------


async def _advisers_page(request: Request[Any, Any, Any], who: Principal, status: int = 200, **extra: Any) -> Template:
    context = {"advisers": await service.mine(who.user_id), "form": {}, "errors": {}, "seen_as": who.name, **extra}
    return page_or_fragment(request, "me/advisers.html", context, status_code=status)


@get("/", name="me:advisers")
async def my_advisers(request: Request[Any, Any, Any], who: Provided[Principal]) -> Template | Redirect:
    try:
        await service.profile_of(who)
    except NotFound:
        return redirect_to(request, "me:profile")
    return await _advisers_page(request, who, asked=request.query_params.get("asked") == "1")


@post("/", name="me:ask_adviser")
async def ask_adviser(
    request: Request[Any, Any, Any], settings: Provided[Settings], who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await service.ask(settings, who, Form(data))
    except FormInvalid as invalid:
        return await _advisers_page(request, who, 422, form=data, errors=invalid.errors)
    return redirect_to(request, "me:advisers", query={"asked": "1"})  # never a name in the address: it is shown


async def _sharing_page(
    request: Request[Any, Any, Any], who: Principal, link_id: int, status: int = 200, **extra: Any
) -> Template:
    choice = await service.choosing(who, link_id, current_locale())
    form = {
        "applications": "all" if choice.adviser.share_applications else "chosen",
        "codes": "all" if choice.adviser.share_codes else "chosen",
        "application": [str(row.id) for row, shared in choice.applications if shared],
        "code": [str(row.id) for row, shared in choice.codes if shared],
        "email_suggestions": "on" if choice.adviser.email_suggestions else "",
    }
    context = {
        "choice": choice,
        "application_options": [
            (row.id, row.title, f"{row.organisation_name} · {stage_label(row.stage)}") for row, _ in choice.applications
        ],
        "code_options": [(row.id, row.title, row.organisation_name) for row, _ in choice.codes],
        "form": form,
        "errors": {},
        "seen_as": who.name,
        **extra,
    }
    return page_or_fragment(request, "me/adviser.html", context, status_code=status)


@get("/{link_id:int}", name="me:adviser")
async def my_adviser(request: Request[Any, Any, Any], link_id: Id, who: Provided[Principal]) -> Template:
    return await _sharing_page(request, who, link_id, saved=request.query_params.get("saved") == "1")


@post("/{link_id:int}", name="me:share_with_adviser")
async def share_with_adviser(
    request: Request[Any, Any, Any], link_id: Id, who: Provided[Principal]
) -> Template | Redirect:
    data = await request.form()
    try:
        await service.share(who, link_id, Form(data), current_locale())
    except FormInvalid as invalid:
        page = await _sharing_page(request, who, link_id, 422, errors=invalid.errors)
        page.context["form"] = data
        return page
    return redirect_to(request, "me:adviser", query={"saved": "1"}, link_id=link_id)


@post("/{link_id:int}/unlink", name="me:unlink_adviser")
async def unlink_adviser(request: Request[Any, Any, Any], link_id: Id, who: Provided[Principal]) -> Redirect:
    await service.unlink(who, link_id)
    return redirect_to(request, "me:advisers")


@get("/{suggestion_id:int}", name="me:suggestion")
async def suggestion(request: Request[Any, Any, Any], suggestion_id: Id, who: Provided[Principal]) -> Template:
    found = await suggestions.open_one(who.user_id, suggestion_id, current_locale(), only_looking(request))
    return page_or_fragment(request, "me/suggestion.html", {"suggestion": found})


@post("/{suggestion_id:int}/dismiss", name="me:dismiss_suggestion")
async def dismiss_suggestion(request: Request[Any, Any, Any], suggestion_id: Id, who: Provided[Principal]) -> Redirect:
    await suggestions.dismiss(who.user_id, suggestion_id)
    return redirect_to(request, "me:index")


# The adviser's side ------------------------------------------------------------------------------------------


@get("/", name="advising:index")
async def advising_index(request: Request[Any, Any, Any], org_id: Id, who: Provided[Principal]) -> Template:
    context = {
        "org_id": org_id,
        "people": await advising.advisees(who, org_id),
        "code": await advising.link_code(who, org_id),
        "changed": request.query_params.get("changed") == "1",
    }
    return page_or_fragment(request, "organisations/advising/index.html", context)


@get("/nudges", name="advising:nudges")
async def advising_nudges(
    request: Request[Any, Any, Any], org_id: Id, today: Provided[date], who: Provided[Principal]
) -> Template:
    """What needs a look across the young people who linked this adviser (the weekly email, as a page)."""
    found, emailed = await nudges.page(who, org_id, today, current_locale())
    context = {
        "org_id": org_id,
        "nudges": found,
        "stage_label": provider_stage_label,
        "emailed": emailed,
        "changed": request.query_params.get("email"),
    }
    return page_or_fragment(request, "organisations/advising/nudges.html", context)


@post("/nudges/email", name="advising:nudges_email")
async def nudges_email(request: Request[Any, Any, Any], org_id: Id, who: Provided[Principal]) -> Redirect:
    """The weekly email on or off."""
    on = (await request.form()).get("email") == "on"
    await nudges.email_weekly(who, org_id, on)
    to = path_to(request, "advising:nudges", {"email": "on" if on else "off"}, org_id=org_id) + "#weekly-email"
    return Redirect(to, status_code=303)


@get(nudges.UNSUBSCRIBE + "/{membership_id:int}/{key:str}", name="advising:unsubscribe_ask", guards=[public],
     opt={NOINDEX: True})  # fmt: skip
async def unsubscribe_ask(
    request: Request[Any, Any, Any], membership_id: Id, key: FromPath[str], settings: Provided[Settings]
) -> Template:
    """The link in the weekly email, opened in a browser: a button, since opening a link must change nothing."""
    await nudges.unsubscribe(settings, membership_id, key, stop=False)
    context = {"membership_id": membership_id, "key": key, "done": False}
    return page_or_fragment(request, "advising/unsubscribe.html", context)


@post(nudges.UNSUBSCRIBE + "/{membership_id:int}/{key:str}", name="advising:unsubscribe", guards=[public],
      status_code=200)  # fmt: skip
async def unsubscribe(
    request: Request[Any, Any, Any], membership_id: Id, key: FromPath[str], settings: Provided[Settings]
) -> Template:
    """One click, from a mail program or the page: no more weekly email. No sign-in needed."""
    await nudges.unsubscribe(settings, membership_id, key, stop=True)
    context = {"membership_id": membership_id, "key": key, "done": True}
    return page_or_fragment(request, "advising/unsubscribe.html", context)


@post("/code", name="advising:new_code")
async def new_code(request: Request[Any, Any, Any], org_id: Id, who: Provided[Principal]) -> Redirect:
    await advising.link_code(who, org_id, fresh=True)
    return redirect_to(request, "advising:index", query={"changed": "1"}, org_id=org_id)


@post("/{link_id:int}/accept", name="advising:accept")
async def accept(request: Request[Any, Any, Any], org_id: Id, link_id: Id, who: Provided[Principal]) -> Redirect:
    await advising.accept(who, org_id, link_id)
    return redirect_to(request, "advising:person", org_id=org_id, link_id=link_id)


@post("/{link_id:int}/end", name="advising:end")
async def end(request: Request[Any, Any, Any], org_id: Id, link_id: Id, who: Provided[Principal]) -> Redirect:
    await advising.end(who, org_id, link_id)
    return redirect_to(request, "advising:index", org_id=org_id)


@get("/{link_id:int}", name="advising:person")
async def person(
    request: Request[Any, Any, Any], org_id: Id, link_id: Id, today: Provided[date], who: Provided[Principal]
) -> Template:
    found = await advising.person(who, org_id, link_id, current_locale())
    context = {
        "org_id": org_id,
        "person": found,
        "today": today,
        "stage_label": provider_stage_label,
        "shared_code_label": labels.shared_code_label,
        "verification_status_label": labels.verification_status_label,
    }
    return page_or_fragment(request, "organisations/advising/person.html", context)


@post("/suggest", name="advising:suggest")
async def suggest(
    request: Request[Any, Any, Any],
    org_id: Id,
    settings: Provided[Settings],
    today: Provided[date],
    who: Provided[Principal],
) -> Template | Redirect:
    """From an offer's page: back to it, saying what happened (or the form again, with what to fix)."""
    data = await request.form()
    form = Form(data)
    back = safe_next(form.raw("next"), path_to(request, "advising:index", org_id=org_id))
    try:
        made = await suggestions.suggest(settings, who, org_id, form, today)
    except FormInvalid as invalid:
        options = suggestions.Advising(org_id, await suggestions.recipients(who, org_id)).options
        context = {"org_id": org_id, "form": data, "errors": invalid.errors, "back": back, "options": options}
        return page_or_fragment(request, "organisations/advising/suggest.html", context, status_code=422)
    return page_or_fragment(request, "organisations/advising/suggest.html", {"made": made, "back": back})


ROUTES: list[ControllerRouterHandler] = [
    Router(
        "/me/advisers",
        guards=[signed_in],
        route_handlers=[my_advisers, ask_adviser, my_adviser, share_with_adviser, unlink_adviser],
    ),
    Router("/me/suggestions", guards=[signed_in], route_handlers=[suggestion, dismiss_suggestion]),
    Router(
        "/organisations/{org_id:int}/advising",
        guards=[advisers_only],
        route_handlers=[advising_index, advising_nudges, nudges_email, new_code, accept, end, person, suggest],
    ),
    unsubscribe_ask,
    unsubscribe,
]
