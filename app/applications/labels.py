"""Words for application stages, as the young person and the provider read them."""

from app.core.i18n import N_, labeller

STAGE_LABELS = {
    "new": N_("Sent"),
    "in_review": N_("Being looked at"),
    "contacted": N_("They have been in touch"),
    "offered": N_("Offered a place"),
    "started": N_("Started"),
    "completed": N_("Completed"),
    "unsuccessful": N_("Not this time"),
    "withdrawn": N_("Withdrawn"),
}
stage_label = labeller(STAGE_LABELS)

# The same stages in the provider's words.
PROVIDER_STAGE_LABELS = {
    "new": N_("New"),
    "in_review": N_("In review"),
    "contacted": N_("Contacted"),
    "offered": N_("Offered a place"),
    "started": N_("Started"),
    "completed": N_("Completed"),
    "unsuccessful": N_("Unsuccessful"),
    "withdrawn": N_("Withdrawn by them"),
}
provider_stage_label = labeller(PROVIDER_STAGE_LABELS)
