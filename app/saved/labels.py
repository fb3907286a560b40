"""Words for saved searches, translated where they are shown (app.core.templating receives them from the root)."""

from typing import Any

from app.core.i18n import N_, labeller
from app.saved.tables import Frequency

FREQUENCY_LABELS = {
    Frequency.now.value: N_("As soon as there is one"),
    Frequency.daily.value: N_("Once a day"),
    Frequency.weekly.value: N_("Once a week"),
}
frequency_label = labeller(FREQUENCY_LABELS)


def frequency_options() -> list[tuple[str, str]]:
    return [(value, frequency_label(value)) for value in FREQUENCY_LABELS]


TEMPLATE_HELPERS: dict[str, Any] = {"frequency_label": frequency_label, "frequency_options": frequency_options}
