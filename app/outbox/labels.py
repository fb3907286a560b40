"""How the team reads the outbox and the worker's jobs at /admin/outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from app.core.i18n import N_, current_locale, gettext, labeller

LONDON = ZoneInfo("Europe/London")
TOPICS = {
    "search.offer": N_("Search update"),
    "mail.send": N_("Email"),
    "push.send": N_("Notification on a phone"),
}


def moment(value: datetime | None) -> str:
    """A time to the second, in Wales: when the team compares a failure with the server's logs, minutes are not
    enough."""
    if value is None:
        return gettext("never")
    return format_datetime(value, "d MMM y, HH:mm:ss", tzinfo=LONDON, locale=current_locale())


def job_name(name: str) -> str:
    """A job's name (its key in worker_job), in the reader's language."""
    return gettext(name) if name else name


TEMPLATE_HELPERS: dict[str, Any] = {"outbox_topic": labeller(TOPICS), "job_name": job_name, "moment": moment}
