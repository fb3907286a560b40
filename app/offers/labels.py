"""Words shown for offer fields, translated where they are shown."""

from app.core.i18n import N_, gettext
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


def type_label(offer_type: str) -> str:
    return gettext(TYPE_LABELS.get(offer_type, offer_type))
