"""Words shown for organisation kinds, statuses and roles."""

from typing import Any

from app.core.i18n import N_, labeller

KIND_LABELS = {
    "employer": N_("Employer"),
    "cultural": N_("Cultural body"),
    "third_sector": N_("Charity or community group"),
    "leisure": N_("Sport or leisure operator"),
    "council": N_("Council"),
    "sponsor": N_("Sponsor"),
    "platform": N_("Cyfle team"),
}
SIGN_UP_KINDS = ("employer", "cultural", "third_sector", "leisure", "council", "sponsor")

ROLE_LABELS = {
    "owner": N_("Owner"),
    "staff": N_("Staff"),
    "redeemer": N_("Redeemer (checks codes at the door)"),
    "verifier": N_("Verifier (confirms young people)"),
    "adviser": N_("Adviser (young people link them to follow their journey)"),
}

STATUS_LABELS = {
    "pending": N_("Waiting for approval"),
    "approved": N_("Approved"),
    "returned": N_("Returned for changes"),
}

kind_label = labeller(KIND_LABELS)

role_label = labeller(ROLE_LABELS)

org_status_label = labeller(STATUS_LABELS)

TEMPLATE_HELPERS: dict[str, Any] = {
    "kind_label": kind_label,
    "role_label": role_label,
    "org_status_label": org_status_label,
}
