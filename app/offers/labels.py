"""Words shown for offer fields, translated where they are shown."""

from app.core.i18n import N_, gettext, labeller
from app.core.money import as_text
from app.offers.tables import OfferType

TYPE_LABELS = {
    OfferType.apprenticeship.value: N_("Apprenticeship"),
    OfferType.internship.value: N_("Internship"),
    OfferType.traineeship.value: N_("Traineeship"),
    OfferType.work_experience.value: N_("Work experience"),
    OfferType.work_shadowing.value: N_("Work shadowing"),
    OfferType.mentoring.value: N_("Mentoring"),
    OfferType.sport.value: N_("Sport"),
    OfferType.leisure.value: N_("Leisure"),
    OfferType.culture.value: N_("Culture"),
}

type_label = labeller(TYPE_LABELS)


SUPPORT_LABELS = {
    "travel_paid": N_("Travel paid"),
    "equipment_provided": N_("Equipment provided"),
    "mentor": N_("A mentor"),
    "flexible_hours": N_("Flexible hours"),
    "accessible_venue": N_("Accessible venue"),
    "free": N_("Free"),
}

# As young people read them: the search's filter and chips, a saved search, an offer's page.
COMMITMENT_LABELS = {
    "ring_fenced": N_("Places kept for you"),
    "guaranteed_interview": N_("A guaranteed interview"),
}
# What each means, on an offer's page.
COMMITMENT_NOTES = {
    "ring_fenced": N_("Only care-experienced young people can take these places."),
    "guaranteed_interview": N_("You will be interviewed if you meet the essential requirements."),
}
# As providers and the team read them: the offer form, and the list of a live offer's changes.
COMMITMENT_FIELDS = {
    "ring_fenced": N_("Ring-fenced places"),
    "guaranteed_interview": N_("Guaranteed interview"),
}
COMMITMENT_HINTS = {
    "ring_fenced": N_("Only care-experienced young people can take these places."),
    "guaranteed_interview": N_(
        "Every care-experienced young person who meets the essential requirements is interviewed."
    ),
}

SORT_LABELS = {
    "relevance": N_("Best match"),
    "closing": N_("Closing soonest"),
    "newest": N_("Newest"),
    "nearest": N_("Nearest"),
}

PAY_PER_LABELS = {
    "hour": N_("%(amount)s an hour"),
    "week": N_("%(amount)s a week"),
    "month": N_("%(amount)s a month"),
    "year": N_("%(amount)s a year"),
    "once": N_("%(amount)s"),
}

support_label = labeller(SUPPORT_LABELS)

commitment_label = labeller(COMMITMENT_LABELS)

commitment_note = labeller(COMMITMENT_NOTES)

sort_label = labeller(SORT_LABELS)


money = as_text  # "£12" or "£12.50" (app/core/money.py)


def pay(pence: int | None, per: str | None) -> str:
    """'£7.80 an hour'; empty when there is no pay."""
    if pence is None:
        return ""
    return gettext(PAY_PER_LABELS.get(per or "once", PAY_PER_LABELS["once"])) % {"amount": money(pence)}


def price(pence: int | None) -> str:
    """What a young person pays: 'Free' or '£3'; empty when not a priced offer."""
    if pence is None:
        return ""
    return gettext("Free") if pence == 0 else money(pence)


PER_CHOICES = {
    "hour": N_("An hour"),
    "week": N_("A week"),
    "month": N_("A month"),
    "year": N_("A year"),
    "once": N_("In total"),
}
STATUS_LABELS = {
    "draft": N_("Draft"),
    "in_review": N_("Waiting for review"),
    "published": N_("Live"),
    "closed": N_("Closed"),
    "archived": N_("Archived"),
}

per_label = labeller(PER_CHOICES)

status_label = labeller(STATUS_LABELS)

# The offer form's fields, as the team's list of a live offer's changes names them.
FIELD_LABELS = {
    "type": N_("Type"),
    "title_en": N_("Title in English"),
    "summary_en": N_("Summary in English"),
    "description_en": N_("Description in English"),
    "title_cy": N_("Title in Welsh"),
    "summary_cy": N_("Summary in Welsh"),
    "description_cy": N_("Description in Welsh"),
    "min_age": N_("Youngest age"),
    "max_age": N_("Oldest age"),
    "places": N_("Places"),
    "closes_on": N_("Closing date"),
    "starts_on": N_("Start date"),
    "location_name": N_("Town or venue"),
    "remote": N_("Online"),
    "council_area": N_("Area"),
    "pay_pence": N_("Pay"),
    "pay_per": N_("Pay per"),
    "price_pence": N_("Price"),
    "usual_price_pence": N_("Usual price"),
    "claim_limit": N_("Codes each person may claim"),
    "claim_period": N_("Claim period"),
    **SUPPORT_LABELS,
    **COMMITMENT_FIELDS,
    "principles": N_("Charter principles"),
    "apply_method": N_("How to apply"),
    "apply_url": N_("Web address to apply"),
}

field_label = labeller(FIELD_LABELS)
