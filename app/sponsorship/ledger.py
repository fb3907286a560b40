"""The ledger, which must always balance, and what it says: statements of what we owe each provider for
funded codes used at its door, and payouts for the team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.sponsorship.tables import LedgerEntry

# A sponsorship's balance, or (with 0 as its parameter) the whole ledger's: each of balance()'s four sums is
# filtered by one of these, taking the id (or 0) as its parameter.
ONE: Final = "WHERE s.id = {}"
ALL: Final = "WHERE {} = 0"


@dataclass(frozen=True)
class StatementLine:
    """What we owe a provider for one offer's funded codes used in one month (UK time, "2026-04")."""

    month: str
    offer_id: int
    title: str
    units: int
    due_pence: int


@dataclass(frozen=True)
class Payout:
    """What is due to a provider in all, with the funding and refunds behind it."""

    id: int
    name: str
    due_pence: int
    units: int
    funded_pence: int
    refunded_pence: int


async def balance(sponsorship_id: int | None = None) -> dict[str, int]:
    """Funding in, due to providers, refunded, and held (funded codes not yet redeemed, at their unit price).
    funding_in == due_to_provider + refund_out + held, always."""
    where = ONE if sponsorship_id else ALL
    rows = await LedgerEntry.raw(  # S608: ONE and ALL are constants, and the id goes as a parameter
        "SELECT"  # noqa: S608
        " coalesce((SELECT sum(l.amount_pence) FROM ledger_entry l JOIN sponsorship s ON s.id = l.sponsorship"
        f" {where} AND l.kind = 'funding_in'), 0) AS funding_in,"
        " coalesce((SELECT sum(l.amount_pence) FROM ledger_entry l JOIN sponsorship s ON s.id = l.sponsorship"
        f" {where} AND l.kind = 'due_to_provider'), 0) AS due_to_provider,"
        " coalesce((SELECT sum(l.amount_pence) FROM ledger_entry l JOIN sponsorship s ON s.id = l.sponsorship"
        f" {where} AND l.kind = 'refund_out'), 0) AS refund_out,"
        " coalesce((SELECT sum(s.unit_pence) FROM concession_code c JOIN sponsorship s ON s.id = c.funded_by"
        f" {where} AND c.redeemed_at IS NULL), 0) AS held",
        *([sponsorship_id or 0] * 4),
    )
    return {key: int(value) for key, value in dict(rows[0]).items()}


# Statements -----------------------------------------------------------------------------------------------------


async def statement(provider_id: int) -> list[StatementLine]:
    """What we owe a provider for funded codes used at its door, by month (UK time) and offer, newest first."""
    rows = await LedgerEntry.raw(
        "SELECT to_char(date_trunc('month', l.at AT TIME ZONE 'Europe/London'), 'YYYY-MM') AS month,"
        " o.id AS offer_id, o.title, sum(sign(l.amount_pence))::int AS units, sum(l.amount_pence)::int AS due_pence"
        " FROM ledger_entry l JOIN sponsorship s ON s.id = l.sponsorship JOIN offer o ON o.id = s.offer"
        " WHERE l.kind = 'due_to_provider' AND l.provider = {}"
        " GROUP BY 1, o.id, o.title ORDER BY 1 DESC, o.title",
        provider_id,
    )
    return [StatementLine(**row) for row in rows]


async def payouts() -> list[Payout]:
    """For the team: what is due to each provider in all, with the funding and refunds behind it."""
    rows = await LedgerEntry.raw(
        "SELECT org.id, org.name,"
        " coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'due_to_provider'), 0)::int AS due_pence,"
        " coalesce(sum(sign(l.amount_pence)) FILTER (WHERE l.kind = 'due_to_provider'), 0)::int AS units,"
        " coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'funding_in'), 0)::int AS funded_pence,"
        " coalesce(sum(l.amount_pence) FILTER (WHERE l.kind = 'refund_out'), 0)::int AS refunded_pence"
        " FROM ledger_entry l JOIN organisation org ON org.id = l.provider GROUP BY org.id ORDER BY org.name"
    )
    return [Payout(**row) for row in rows]
