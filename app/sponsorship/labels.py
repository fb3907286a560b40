"""Words shown for a sponsorship's state, translated where they are shown."""

from typing import Any

from app.core.i18n import N_, labeller

SPONSORSHIP_STATUSES = {
    "pending": N_("Waiting for payment"),
    "paid": N_("Paid: codes in the pool"),
    "expired": N_("Not paid"),
}

TEMPLATE_HELPERS: dict[str, Any] = {"sponsorship_status": labeller(SPONSORSHIP_STATUSES)}
