"""Offers as rows: what the offer form writes, and what a row of the offer table holds.

They stay dicts (typed), since that is how they are used: a row is merged with its waiting edit, compared with
the form field by field, copied column by column, kept aside as JSON, and read by other domains' rules and by the
search documents' pure functions. Piccolo returns rows as dicts: these say which keys they have."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict


class SupportFlags(TypedDict):
    """Support a young person can count on (documents.SUPPORT_FLAGS)."""

    travel_paid: bool
    equipment_provided: bool
    mentor: bool
    flexible_hours: bool
    accessible_venue: bool
    free: bool


class Commitments(TypedDict):
    """What a work offer keeps for care-experienced young people (documents.COMMITMENTS)."""

    ring_fenced: bool
    guaranteed_interview: bool


class OfferValues(SupportFlags, Commitments):
    """What the offer form says, checked: the columns a provider writes."""

    type: str
    title: str
    summary: str
    description: str
    language: str
    title_alt: str
    summary_alt: str
    description_alt: str
    location_name: str
    remote: bool
    council_area: str
    apply_method: str
    apply_url: str
    pay_pence: int | None
    pay_per: str | None
    price_pence: int | None
    usual_price_pence: int | None
    min_age: int
    max_age: int
    places: int | None
    claim_limit: int
    claim_period: str
    closes_on: date | None
    starts_on: date | None
    principles: list[int]
    latitude: float | None
    longitude: float | None


class OfferRow(OfferValues):
    """A row of the offer table: what the provider wrote, and where the offer stands."""

    id: int
    organisation: int
    status: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    live_since: datetime | None
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_note: str
    changed_since_review: bool
    pending: str | None
    sponsor_unit_pence: int | None
    sponsor_cap: int
    public_changed_at: datetime


class NamedOfferRow(OfferRow):
    """A row with its organisation's name."""

    organisation_name: str


class OfferPage(NamedOfferRow):
    """What young people's page of one offer shows (and what decides how they can take it up)."""

    lang: str
    languages: list[str]  # the languages it is written in, its first one first
    is_open: bool
    closing_soon: bool
    support: list[str]
    commitments: list[str]
