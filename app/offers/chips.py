"""The search's chosen filters as chips above the results, each with the search that is left when it is removed."""

from dataclasses import dataclass, replace

from app.core.charter import BY_SLUG
from app.core.i18n import gettext
from app.offers.labels import commitment_label, support_label, type_label
from app.offers.query import SearchParams, without_place


@dataclass(frozen=True)
class Chip:
    label: str
    without: SearchParams  # the same search without this filter


def _place_label(params: SearchParams) -> str:
    if params.near:
        return gettext("Within %(km)d km of %(place)s") % {"km": params.radius_km, "place": params.near}
    return gettext("Within %(km)d km of where you are") % {"km": params.radius_km}


def chips(params: SearchParams) -> list[Chip]:
    """One chip per chosen filter, in the order of the form. A place is one chip even when it was not found, so
    the person can see it and take it away without opening the filters."""
    found = [
        Chip(type_label(kind), replace(params, types=tuple(t for t in params.types if t != kind)))
        for kind in params.types
    ]
    found += [
        Chip(support_label(flag), replace(params, support=tuple(s for s in params.support if s != flag)))
        for flag in params.support
    ]
    found += [
        Chip(commitment_label(flag), replace(params, commitments=tuple(c for c in params.commitments if c != flag)))
        for flag in params.commitments
    ]
    if params.principle:
        found.append(Chip(BY_SLUG[params.principle].name, replace(params, principle="")))
    if params.near or params.place is not None:
        found.append(Chip(_place_label(params), without_place(params)))
    return found


def cleared(params: SearchParams) -> SearchParams:
    """The same words, sorted the same way (unless by distance, which needs a place), with no filters."""
    return SearchParams(q=params.q, sort="relevance" if params.sort == "nearest" else params.sort)
