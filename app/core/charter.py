"""The corporate parenting charter's eleven principles: the taxonomy every offer and report uses."""

from dataclasses import dataclass

from app.core.i18n import N_, gettext


@dataclass(frozen=True)
class Principle:
    id: int
    slug: str
    name_msgid: str
    wording_msgid: str

    @property
    def name(self) -> str:
        return gettext(self.name_msgid)

    @property
    def wording(self) -> str:
        """The principle as the Welsh Government's charter toolkit words it."""
        return gettext(self.wording_msgid)


PRINCIPLES = (
    Principle(
        1,
        "equality",
        N_("Equality"),
        N_(
            "Support care-experienced children and young people to have the same life chances as every other young person in Wales."
        ),
    ),
    Principle(
        2,
        "eradicate-stigma",
        N_("Eradicate stigma"),
        N_(
            "Recognise care-experienced children and young people for who they are, not just by their experience of being in care."
        ),
    ),
    Principle(
        3,
        "togetherness",
        N_("Togetherness"),
        N_(
            "Work alongside care-experienced children and young people to ensure their views, feelings and ideas are integral to, influence and inform the services they receive and the way they receive those services."
        ),
    ),
    Principle(
        4,
        "support",
        N_("Support"),
        N_(
            "Ensure those working in your organisations with care-experienced children and young people understand their needs and have access to information and training."
        ),
    ),
    Principle(
        5,
        "ambition",
        N_("Ambition"),
        N_(
            "Ensure that every care-experienced child and young person reaches their potential and is able to enjoy a wide experience of leisure, cultural, sport and social activities."
        ),
    ),
    Principle(
        6,
        "nurture",
        N_("Nurture"),
        N_("By making all care-experienced children and young people feel valued, respected, cared for and loved."),
    ),
    Principle(
        7,
        "good-health",
        N_("Good health"),
        N_(
            "By providing support to access the right health care and advice needed to support the best physical, mental health and general well-being for all care-experienced children and young people."
        ),
    ),
    Principle(
        8,
        "stable-home",
        N_("Stable home"),
        N_(
            "By seeking out and providing stable places to live that are right for all care-experienced children and young people."
        ),
    ),
    Principle(
        9,
        "good-education",
        N_("Good education"),
        N_(
            "By providing opportunities and support for all care-experienced children and young people to learn and develop to help them become who they want to be."
        ),
    ),
    Principle(
        10,
        "thrive",
        N_("Thrive"),
        N_(
            "By ensuring all care-experienced children and young people are prepared for the future and are able make positive choices for independent living and adulthood."
        ),
    ),
    Principle(
        11,
        "lifelong",
        N_("Lifelong"),
        N_(
            "By working to provide access to and raise awareness of the support and information available to care-experienced young people after leaving care."
        ),
    ),
)
BY_ID = {principle.id: principle for principle in PRINCIPLES}
BY_SLUG = {principle.slug: principle for principle in PRINCIPLES}
AMBITION = 5
THRIVE = 10
LIFELONG = 11
