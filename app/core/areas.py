"""Council areas to choose from, named in the reader's language and in its alphabetical order."""

from app.core.i18n import alphabetical, current_locale
from search.places import council_name, councils


def council_choices() -> list[tuple[str, str]]:
    """(code, name) for a select of council areas."""
    locale = current_locale()
    named = [(place.code, council_name(place.code, locale)) for place in councils()]
    return alphabetical(named, lambda choice: choice[1], locale)
