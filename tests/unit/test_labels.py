from app.core.i18n import speaking
from app.offers.labels import type_label


def test_a_label_for_nothing_is_nothing_not_the_catalogues_header() -> None:
    with speaking("cy"):
        assert type_label("") == ""
        assert type_label("apprenticeship") == "Prentisiaeth"
        assert type_label("unheard_of") == "unheard_of"
