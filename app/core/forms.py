"""Form input: read fields safely and collect field-level messages, so a bad form re-renders with its errors
and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from app.core.errors import Invalid
from app.core.i18n import _
from app.core.paths import CONTROL

# The characters RFC 5322 allows unquoted before the @, and an ordinary domain name after it.
EMAIL = re.compile(
    r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
)
DIGITS = re.compile(r"[0-9]{1,6}")


class FormInvalid(Invalid):
    """Field name → message. The handler re-renders the form with them (422)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(_("Check what you entered: some answers need changing."))
        self.errors = dict(errors)


class Form:
    """Wraps submitted values; each reader records a message for its field instead of raising at once."""

    def __init__(self, data: Mapping[str, Any] | None) -> None:
        self.data = data or {}
        self.errors: dict[str, str] = {}

    def raw(self, name: str, multiline: bool = False) -> str:
        """The value with control characters removed; line breaks are kept only where a field may have them
        (a name or title with a line break would end up in an email's subject)."""
        value = self.data.get(name, "")
        if isinstance(value, list):
            value = value[0] if value else ""
        text = CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
        return text.strip() if multiline else " ".join(text.split())

    def many(self, name: str) -> list[str]:
        getall = getattr(self.data, "getall", None)
        values: Iterable[Any] = getall(name, []) if getall else self.data.get(name, [])
        if isinstance(values, str):
            values = [values]
        return [str(value).strip() for value in values if str(value).strip()]

    def text(self, name: str, max_length: int, required: bool = False, label: str = "", multiline: bool = False) -> str:
        value = self.raw(name, multiline)
        if required and not value:
            self.errors[name] = _("Enter %(label)s.") % {"label": label or _("an answer")}
        elif len(value) > max_length:
            self.errors[name] = _("Use %(max)d characters or fewer (this has %(count)d).") % {
                "max": max_length,
                "count": len(value),
            }
        return value

    def email(self, name: str = "email") -> str:
        value = self.raw(name).lower()
        if not value:
            self.errors[name] = _("Enter your email address.")
        elif len(value) > 254 or not EMAIL.match(value):
            self.errors[name] = _("Enter an email address like name@example.com.")
        return value

    def choice(self, name: str, choices: Iterable[str], required: bool = True, message: str = "") -> str:
        value = self.raw(name)
        if (value or required) and value not in set(choices):
            self.errors[name] = message or _("Choose one of the options.")
        return value

    def number(self, name: str, low: int, high: int) -> int | None:
        """A whole number typed as plain digits (never '²' or 5000 nines), or None with a message."""
        raw = self.raw(name)
        if not DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
            self.errors[name] = _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
            return None
        return int(raw)

    def ids(self, name: str, allowed: Iterable[int]) -> list[int] | None:
        """Chosen ids from a list (checkboxes); None when any of them is not in `allowed`."""
        chosen, allowed = self.many(name), set(allowed)
        ids = [int(value) for value in chosen if DIGITS.fullmatch(value)]
        return sorted(set(ids)) if len(ids) == len(chosen) and set(ids) <= allowed else None

    def day(self, name: str) -> date | None:
        raw = self.raw(name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = _("Enter a real date, like 2027-03-31.")
            return None

    def flag(self, name: str) -> bool:
        return self.raw(name) in {"on", "true", "1", "yes"}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def check(self) -> None:
        if self.errors:
            raise FormInvalid(self.errors)
