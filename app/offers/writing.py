"""What a provider writes: the offer form, read and checked, and the offer as it will look (the live preview and
the team's review show it as young people will)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.core.charter import BY_ID as PRINCIPLES
from app.core.forms import Form
from app.core.i18n import _
from app.core.money import parse_pence
from app.offers.documents import COMMITMENTS, SUPPORT_FLAGS
from app.offers.languages import LANGUAGES, Words, as_columns, words_for
from app.offers.rows import Commitments, OfferValues, SupportFlags
from app.offers.service import COMMITTING, closing_soon, default_principles
from app.offers.tables import ApplyMethod, OfferType, PayPer
from search.places import by_code, find_place

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MAX_PENCE = 10_000_000  # £100,000: pay or a price above is a typing slip


def _pence(form: Form, name: str) -> int | None:
    try:
        return parse_pence(form.raw(name), MAX_PENCE)
    except ValueError:
        form.error(name, _("Enter an amount in pounds, like 7.50."))
        return None


def _whole(form: Form, name: str, low: int, high: int) -> int | None:
    """A whole number in the range, or None when the field is empty or the number is not (that is an error)."""
    return form.number(name, low, high) if form.raw(name) else None


def _count(form: Form, name: str, low: int, high: int, default: int) -> int:
    number = _whole(form, name, low, high)
    return default if number is None else number


def read_offer(form: Form, today: date, check: bool = True) -> OfferValues:
    """Every field of the offer form, checked; problems are named by field and nothing is saved.
    With check=False (the live preview) it returns what it could read and leaves the problems in form.errors."""
    kind = form.choice("type", [t.value for t in OfferType], message=_("Choose what type of opportunity it is."))
    values = OfferValues(
        type=kind,
        **_words(form),  # type: ignore[typeddict-item]
        location_name=form.text("location_name", 120),
        remote=form.flag("remote"),
        council_area=form.raw("council_area"),
        apply_method=form.choice("apply_method", [m.value for m in ApplyMethod]),
        apply_url=form.text("apply_url", 500),
        pay_pence=_pence(form, "pay"),
        pay_per=form.raw("pay_per") or None,
        price_pence=_pence(form, "price"),
        usual_price_pence=_pence(form, "usual_price"),
        min_age=_count(form, "min_age", 14, 30, 16),
        max_age=_count(form, "max_age", 14, 30, 25),
        places=_whole(form, "places", 1, 100000),
        claim_limit=_count(form, "claim_limit", 1, 50, 1),
        claim_period=form.choice("claim_period", ["once", "month"], required=False) or "once",
        closes_on=form.day("closes_on"),
        starts_on=form.day("starts_on"),
        **_support(form),
        **_commitments(form, kind),
        principles=_principles(form, kind),
        latitude=None,
        longitude=None,
    )
    if values["pay_per"] is not None and values["pay_per"] not in {p.value for p in PayPer}:
        form.error("pay_per", _("Choose one of the options."))
    if values["pay_pence"] is not None and values["pay_per"] is None:
        form.error("pay_per", _("Say whether the pay is per hour, week, month or year."))
    if values["min_age"] > values["max_age"]:
        form.error("max_age", _("The oldest age must be the same as or more than the youngest."))
    if values["closes_on"] is not None and values["closes_on"] < today:
        form.error("closes_on", _("The closing date must be today or later."))
    if values["starts_on"] and values["closes_on"] and values["starts_on"] < values["closes_on"]:
        form.error("starts_on", _("The start date must be on or after the closing date."))
    if values["apply_method"] == ApplyMethod.external and not URL.match(values["apply_url"]):
        form.error("apply_url", _("Enter the web address where people apply, starting with https://"))
    if values["apply_method"] == ApplyMethod.in_app:
        values["apply_url"] = ""
    if not values["remote"] and not values["location_name"]:
        form.error("location_name", _("Say where it happens, or tick that it is online."))
    _place(form, values)
    if check:
        form.check()
    return values


def _words(form: Form) -> dict[str, str]:
    """Title, summary and description in English, Welsh or both (fields like title_en, title_cy): one language is
    enough; a language with a summary or description needs its title too."""
    texts: dict[str, Words] = {}
    for lang in LANGUAGES:
        words = Words(
            title=form.text(f"title_{lang}", 120),
            summary=form.text(f"summary_{lang}", 280),
            description=form.text(f"description_{lang}", 10000, multiline=True),
            lang=lang,
        )
        if words.title:
            texts[lang] = words
        elif words.summary or words.description:
            form.error(
                f"title_{lang}", _("Give a title in this language too, or leave its summary and description empty.")
            )
    if not texts:
        form.error("title_en", _("Give a title in English or in Welsh (or both)."))
        texts["en"] = Words("", "", "", "en")
    first = form.raw("language")
    return as_columns(texts, first if first in LANGUAGES else "en")


def _support(form: Form) -> SupportFlags:
    support = set(form.many("support"))
    if support - set(SUPPORT_FLAGS):
        form.error("support", _("Choose support from the list."))
    return SupportFlags(
        travel_paid="travel_paid" in support,
        equipment_provided="equipment_provided" in support,
        mentor="mentor" in support,
        flexible_hours="flexible_hours" in support,
        accessible_venue="accessible_venue" in support,
        free="free" in support,
    )


def _commitments(form: Form, kind: str) -> Commitments:
    """Places ring-fenced for care-experienced young people, a guaranteed interview: only where people apply for work
    and are chosen (service.COMMITTING). Ticked for another type, they are a problem to put right, and the preview
    shows the offer without them."""
    chosen = set(form.many("commitment"))
    if chosen - set(COMMITMENTS):
        form.error("commitment", _("Choose from the list."))
    elif chosen and kind and kind not in COMMITTING:
        form.error(
            "commitment",
            _("Untick these: only work opportunities can ring-fence places or guarantee an interview."),
        )
        chosen = set()
    return Commitments(ring_fenced="ring_fenced" in chosen, guaranteed_interview="guaranteed_interview" in chosen)


def _principles(form: Form, kind: str) -> list[int]:
    chosen = form.ids("principles", PRINCIPLES)
    if chosen is None:
        form.error("principles", _("Choose principles from the list."))
    return sorted(set(default_principles(kind)) | set(chosen or []))


@dataclass(frozen=True)
class OfferView:
    """What the offer page shows (templates/offers/_offer.html), for the provider's live preview and the team's
    review: `id` is None for an offer not saved yet, whose Apply button goes straight to its web address."""

    id: int | None
    type: str
    title: str
    summary: str
    description: str
    lang: str
    organisation_name: str
    is_open: bool
    closing_soon: bool
    support: list[str]
    commitments: list[str]
    remote: bool
    location_name: str
    closes_on: date | None
    starts_on: date | None
    pay_pence: int | None
    pay_per: str | None
    price_pence: int | None
    usual_price_pence: int | None
    min_age: int
    max_age: int
    places: int | None
    apply_method: str
    apply_url: str
    principles: list[int]


def as_view(
    values: OfferValues, organisation_name: str, today: date, offer_id: int | None = None, reader: str = "en"
) -> OfferView:
    """What the offer page needs, from stored or just-typed values (the preview shows it as it will look), in the
    reader's language when the offer is written in it."""
    words = words_for(values, reader)
    return OfferView(
        id=offer_id,
        type=values["type"],
        title=words.title,
        summary=words.summary,
        description=words.description,
        lang=words.lang,
        organisation_name=organisation_name,
        is_open=True,
        closing_soon=closing_soon(values["closes_on"], today),
        support=[flag for flag, on in _flags(values).items() if on],
        commitments=[flag for flag in COMMITMENTS if values.get(flag)],
        remote=values["remote"],
        location_name=values["location_name"],
        closes_on=values["closes_on"],
        starts_on=values["starts_on"],
        pay_pence=values["pay_pence"],
        pay_per=values["pay_per"],
        price_pence=values["price_pence"],
        usual_price_pence=values["usual_price_pence"],
        min_age=values["min_age"],
        max_age=values["max_age"],
        places=values["places"],
        apply_method=values["apply_method"],
        apply_url=values["apply_url"],
        principles=values["principles"],
    )


def _flags(values: Mapping[str, Any]) -> dict[str, bool]:
    """The support an offer gives, flag by flag."""
    return {flag: bool(values.get(flag)) for flag in SUPPORT_FLAGS}


def _place(form: Form, values: OfferValues) -> None:
    """A town or council from the gazetteer gives coordinates, so the offer can be found by distance."""
    if values["council_area"] and by_code(values["council_area"]) is None:
        form.error("council_area", _("Choose an area from the list."))
    place = find_place(values["location_name"]) if values["location_name"] else None
    values["latitude"], values["longitude"] = (place.lat, place.lng) if place and not values["remote"] else (None, None)
    if place and not values["council_area"]:
        values["council_area"] = place.area_code or place.code
