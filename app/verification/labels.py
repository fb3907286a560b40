"""Words shown for what happened to a verification, translated where they are shown."""

from typing import Any

from app.core.i18n import N_, labeller

DECISIONS = {
    "verification.requested": N_("Asked to be verified"),
    "verification.approved": N_("Approved"),
    "verification.refused": N_("Refused"),
    "verification.revoked": N_("Ended"),
    "invitation.minted": N_("Made invitation codes"),
    "invitation.used": N_("Verified with an invitation code"),
}

TEMPLATE_HELPERS: dict[str, Any] = {"decision_label": labeller(DECISIONS)}
