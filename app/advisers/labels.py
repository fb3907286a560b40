"""Words an adviser reads: how far a shared code got, and where a young person's council confirmation stands."""

from app.core.i18n import N_, labeller

CODE_STATES = {"claimed": N_("Claimed, not used yet"), "used": N_("Used"), "expired": N_("Ran out unused")}
shared_code_label = labeller(CODE_STATES)

VERIFICATION_STATES = {
    "requested": N_("waiting for the council to decide"),
    "verified": N_("confirmed"),
    "refused": N_("not confirmed"),
    "revoked": N_("ended by the council"),
    "withdrawn": N_("withdrawn (they asked another council)"),
}
verification_status_label = labeller(VERIFICATION_STATES)
