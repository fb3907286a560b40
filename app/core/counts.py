"""Counts about people, as shown anywhere: 1 to 5 are never shown exactly, so nobody can be picked out."""

from app.core.i18n import _

SMALL = 6


def shown(count: int) -> str:
    return _("fewer than 6") if 0 < count < SMALL else str(count)
