"""What a sponsor's money did, in aggregate, for its own dashboard and its public impact page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.errors import NotFound
from app.core.i18n import _
from app.organisations.tables import Organisation, OrganisationKind
from app.sponsorship.tables import Sponsorship
from app.uptake import kept, measures, published
from app.uptake.published import Report


@dataclass(frozen=True)
class Totals:
    funded: int  # units, paid for
    offers: int


@dataclass(frozen=True)
class FundedOffer:
    id: int
    title: str
    organisation_name: str


@dataclass(frozen=True)
class Impact:
    """Units a sponsor paid for, the offers they were for, and what young people took up with them in `year`."""

    totals: Totals
    year: int
    report: Report
    offers: list[FundedOffer]


@dataclass(frozen=True)
class Sponsor:
    id: int
    name: str


async def impact(sponsor_id: int, today: date) -> Impact:
    """Paid sponsorships: units funded, and what young people took up with them this reporting year, through the
    same measures (and the same protection of small counts) as every other dashboard."""
    totals = await Sponsorship.raw(
        "SELECT coalesce(sum(s.units), 0)::int AS funded, count(DISTINCT s.offer)::int AS offers"
        " FROM sponsorship s WHERE s.sponsor = {} AND s.status = 'paid'",
        sponsor_id,
    )
    offers = await Sponsorship.raw(
        "SELECT DISTINCT o.id, o.title, org.name AS organisation_name FROM sponsorship s"
        " JOIN offer o ON o.id = s.offer JOIN organisation org ON org.id = o.organisation"
        " WHERE s.sponsor = {} AND s.status = 'paid' ORDER BY o.title",
        sponsor_id,
    )
    year = measures.reporting_year(today)
    found = await kept.figures(measures.Scope("sponsor", organisation=sponsor_id), year)
    return Impact(
        totals=Totals(**totals[0]),
        year=year,
        report=published.report(found),
        offers=[FundedOffer(**row) for row in offers],
    )


async def public_sponsor(org_id: int) -> Sponsor:
    """An approved sponsor organisation, for its public impact page (404 for anything else)."""
    rows = await Organisation.select(Organisation.id, Organisation.name).where(
        (Organisation.id == org_id)
        & (Organisation.kind == OrganisationKind.sponsor)
        & Organisation.approved_at.is_not_null()
    )
    if not rows:
        raise NotFound(_("We could not find that sponsor."))
    return Sponsor(**rows[0])
