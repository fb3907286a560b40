"""Words shown for where a concern stands."""

from typing import Any

from app.core.i18n import N_, labeller

STATUS_LABELS = {
    "new": N_("New"),
    "looking": N_("Looking into it"),
    "upheld": N_("Upheld"),
    "not_upheld": N_("Not upheld"),
    "closed": N_("Closed"),
}
SHOWN_LABELS = {"open": N_("Open (new or being looked into)"), "all": N_("All"), **STATUS_LABELS}

concern_status = labeller(STATUS_LABELS)

TEMPLATE_HELPERS: dict[str, Any] = {"concern_status": concern_status, "concerns_shown": labeller(SHOWN_LABELS)}
