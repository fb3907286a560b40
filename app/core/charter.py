"""The corporate parenting charter's eleven principles: the taxonomy every offer and report uses."""

from dataclasses import dataclass

from app.core.i18n import N_, gettext


@dataclass(frozen=True)
class Principle:
    id: int
    slug: str
    name_msgid: str

    @property
    def name(self) -> str:
        return gettext(self.name_msgid)


PRINCIPLES = (
    Principle(1, "equality", N_("Equality")),
    Principle(2, "eradicate-stigma", N_("Eradicate stigma")),
    Principle(3, "togetherness", N_("Togetherness")),
    Principle(4, "support", N_("Support")),
    Principle(5, "ambition", N_("Ambition")),
    Principle(6, "nurture", N_("Nurture")),
    Principle(7, "good-health", N_("Good health")),
    Principle(8, "stable-home", N_("Stable home")),
    Principle(9, "good-education", N_("Good education")),
    Principle(10, "thrive", N_("Thrive")),
    Principle(11, "lifelong", N_("Lifelong")),
)
BY_ID = {principle.id: principle for principle in PRINCIPLES}
BY_SLUG = {principle.slug: principle for principle in PRINCIPLES}
AMBITION = 5
THRIVE = 10
LIFELONG = 11
