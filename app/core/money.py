"""Money is whole pence everywhere. One way to read what people type, and one way for each place it is shown."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def parse_pence(raw: str, max_pence: int, min_pence: int = 0) -> int | None:
    """Pounds as people type them ("5", "5.50", "£5", "1,000") in pence; None when nothing was typed.
    ValueError when it is not a whole number of pence from `min_pence` to `max_pence`."""
    text = raw.replace("£", "").replace(",", "").strip()
    if not text:
        return None
    try:
        pence = Decimal(text) * 100
    except (InvalidOperation, ArithmeticError):  # not a number, or one too big for a Decimal ("9e999999")
        raise ValueError("not an amount") from None
    if not pence.is_finite() or pence != pence.to_integral_value() or not min_pence <= pence <= max_pence:
        raise ValueError("not an amount in range")
    return int(pence)


def as_field(pence: int | None) -> str:
    """As a form field shows it back: "7.50", or empty."""
    return "" if pence is None else f"{Decimal(pence) / 100:.2f}"


def as_number(pence: int) -> Decimal:
    """Pounds as a number with two places (CSV: a spreadsheet adds it up, and a negative is never a formula)."""
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def as_text(pence: int) -> str:
    """As people read it: "£12" for whole pounds, "£12.50" otherwise."""
    return f"£{pence // 100:,}" if pence % 100 == 0 else f"£{pence / 100:,.2f}"
