"""What templates use of offers: labels, prices and pay, Markdown, closing soon (app.core.templating receives
them from the root)."""

from typing import Any

from app.offers.labels import (
    commitment_label,
    commitment_note,
    field_label,
    money,
    pay,
    per_label,
    price,
    sort_label,
    status_label,
    support_label,
    type_label,
)
from app.offers.markdown import render
from app.offers.service import closing_soon
from app.offers.tables import CONCESSIONS

TEMPLATE_HELPERS: dict[str, Any] = {
    "offer_type": type_label,
    "offer_field": field_label,
    "support_label": support_label,
    "commitment_label": commitment_label,
    "commitment_note": commitment_note,
    "sort_label": sort_label,
    "pay": pay,
    "price": price,
    "money": money,
    "per_label": per_label,
    "offer_status": status_label,
    "markdown": render,
    "closing_soon": closing_soon,
    "CONCESSIONS": CONCESSIONS,
}
