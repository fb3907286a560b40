"""The three ways offers are classified, published as HSDS taxonomies: the offer's type, the charter principles it
serves and the support it offers. Pure: the words are gettext's, in the request's language.

Each taxonomy and term has a UUID 5 named by its slug (app/openreferral/ids.py), so its id is the same everywhere
and never changes; `match` says which offers carry a term, for the `taxonomy_term_id` filter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypedDict

from app.core.charter import PRINCIPLES
from app.core.i18n import N_, gettext
from app.offers.documents import SUPPORT_FLAGS
from app.offers.labels import SUPPORT_LABELS, TYPE_LABELS
from app.offers.tables import OfferType
from app.openreferral.ids import named_uuid
from app.openreferral.links import Links

VERSION = "1"

TYPE_DESCRIPTIONS = {
    OfferType.apprenticeship.value: N_("Paid work with training towards a recognised qualification."),
    OfferType.internship.value: N_("A set time of paid work in an organisation, to learn how it works."),
    OfferType.traineeship.value: N_(
        "A course with work experience that gets you ready for an apprenticeship or a job."
    ),
    OfferType.work_experience.value: N_("A short time in a workplace to try out a job."),
    OfferType.work_shadowing.value: N_("Time alongside someone at work, to see what their job is like."),
    OfferType.mentoring.value: N_("Regular time with someone experienced who helps you plan and reach your goals."),
    OfferType.sport.value: N_("Free or cheaper sport, with a code to show at the door."),
    OfferType.leisure.value: N_("Free or cheaper things to do, like swimming, the gym or the cinema."),
    OfferType.culture.value: N_("Free or cheaper theatre, music, museums and arts."),
}
SUPPORT_DESCRIPTIONS = {
    "travel_paid": N_("The cost of getting there is paid."),
    "equipment_provided": N_("Clothes, kit or tools that are needed are provided."),
    "mentor": N_("Someone is there to guide and support you."),
    "flexible_hours": N_("The hours can fit around the rest of your life."),
    "accessible_venue": N_("The place is accessible to disabled people."),
    "free": N_("It costs nothing to take part."),
}


@dataclass(frozen=True)
class Term:
    slug: str
    name_msgid: str
    description_msgid: str
    matches: Callable[[Mapping[str, Any]], bool]  # does an offer's row carry this term

    @property
    def name(self) -> str:
        return gettext(self.name_msgid)

    @property
    def description(self) -> str:
        return gettext(self.description_msgid)


@dataclass(frozen=True)
class Taxonomy:
    slug: str
    name_msgid: str
    description_msgid: str
    terms: tuple[Term, ...]

    @property
    def id(self) -> str:
        return named_uuid("taxonomy", self.slug)

    def term_id(self, term: Term) -> str:
        return named_uuid("taxonomy", self.slug, "term", term.slug)


def _of_type(kind: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda offer: offer.get("type") == kind


def _serving(principle: int) -> Callable[[Mapping[str, Any]], bool]:
    return lambda offer: principle in (offer.get("principles") or [])


def _offering(flag: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda offer: bool(offer.get(flag))


TAXONOMIES = (
    Taxonomy(
        "offer-type",
        N_("Opportunity types"),
        N_("What kind of opportunity it is: work and training, mentoring, or free or cheaper things to do."),
        tuple(Term(kind.value, TYPE_LABELS[kind], TYPE_DESCRIPTIONS[kind], _of_type(kind)) for kind in OfferType),
    ),
    Taxonomy(
        "charter-principle",
        N_("Corporate parenting charter principles"),
        N_("The principles of the Welsh Government's corporate parenting charter that an opportunity serves."),
        tuple(Term(p.slug, p.name_msgid, p.wording_msgid, _serving(p.id)) for p in PRINCIPLES),
    ),
    Taxonomy(
        "support",
        N_("Support offered"),
        N_("Support a young person can count on when they take up an opportunity."),
        tuple(Term(f, SUPPORT_LABELS[f], SUPPORT_DESCRIPTIONS[f], _offering(f)) for f in SUPPORT_FLAGS),
    ),
)


@dataclass(frozen=True)
class Found:
    taxonomy: Taxonomy
    term: Term


@cache
def terms_by_id() -> dict[str, Found]:
    return {taxonomy.term_id(term): Found(taxonomy, term) for taxonomy in TAXONOMIES for term in taxonomy.terms}


@cache
def taxonomies_by_id() -> dict[str, Taxonomy]:
    return {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}


def all_terms() -> list[Found]:
    """Every term, taxonomy by taxonomy in the order above: the order /taxonomy_terms pages through."""
    return list(terms_by_id().values())


class TermDoc(TypedDict, total=False):
    id: str
    name: str
    description: str
    taxonomy: str
    taxonomy_id: str
    term_uri: str
    term: str


def term_doc(found: Found, links: Links) -> TermDoc:
    """A taxonomy_term as HSDS has it."""
    term_id = found.taxonomy.term_id(found.term)
    return TermDoc(
        id=term_id,
        name=found.term.name,
        description=found.term.description,
        taxonomy=gettext(found.taxonomy.name_msgid),
        taxonomy_id=found.taxonomy.id,
        term_uri=links.to("openreferral:taxonomy_term", term_id=term_id),
        term=found.term.slug,
    )


def taxonomy_doc(taxonomy: Taxonomy, links: Links) -> dict[str, Any]:
    return {
        "id": taxonomy.id,
        "name": gettext(taxonomy.name_msgid),
        "description": gettext(taxonomy.description_msgid),
        "uri": links.to("openreferral:taxonomy", taxonomy_id=taxonomy.id),
        "version": VERSION,
        "taxonomy_terms": [term_doc(Found(taxonomy, term), links) for term in taxonomy.terms],
    }


def terms_of(offer: Mapping[str, Any]) -> list[Found]:
    """The terms an offer carries: its type, its principles and its support, in the taxonomies' order."""
    return [found for found in all_terms() if found.term.matches(offer)]
