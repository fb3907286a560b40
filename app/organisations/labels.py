"""Words shown for organisation kinds, statuses and roles."""

from typing import Any

from app.core.i18n import N_, current_locale, labeller

KIND_LABELS = {
    "employer": N_("Business or employer"),
    "cultural": N_("Arts and culture"),
    "third_sector": N_("Charity or community group"),
    "leisure": N_("Sport and leisure"),
    "council": N_("Council"),
    "health": N_("Health (NHS body)"),
    "education": N_("Education (school, college or university)"),
    "housing": N_("Housing association"),
    "employment": N_("Public employment service"),
    "emergency": N_("Police or fire service"),
    "transport": N_("Transport"),
    "sponsor": N_("Sponsor"),
    "oversight": N_("Oversight body (government department or commissioner)"),
    "platform": N_("Cyfle team"),
}
# The sectors an organisation can sign up as, in the order the sign-up form lists them.
SIGN_UP_KINDS = (
    "employer",
    "cultural",
    "third_sector",
    "leisure",
    "council",
    "health",
    "education",
    "housing",
    "employment",
    "emergency",
    "transport",
    "sponsor",
    "oversight",
)
# Kinds that are corporate parents: they pledge, plan and report (sponsors fund; oversight bodies read).
PARENT_KINDS = tuple(kind for kind in SIGN_UP_KINDS if kind not in ("sponsor", "oversight"))

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


def pledge_statement(statements: dict[str, dict[str, str]], principle: int) -> tuple[str, str] | None:
    """What the organisation said it will do for a principle, in the reader's language when it wrote it, else the
    other: (text, its language), or None."""
    said = statements.get(str(principle)) or {}
    reader = current_locale()
    for lang in (reader, "cy" if reader == "en" else "en"):
        if said.get(lang):
            return said[lang], lang
    return None


TEMPLATE_HELPERS: dict[str, Any] = {
    "pledge_statement": pledge_statement,
    "kind_label": kind_label,
    "role_label": role_label,
    "org_status_label": org_status_label,
}
