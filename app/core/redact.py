"""Text bound for logs or error columns loses anything that names or finds a person: an SMTP server's reply
often repeats the recipient's address, and that must not outlive the message in outbox.last_error or a log."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[^\s<>()\[\]\"',;:@]+@[^\s<>()\[\]\"',;:@]+\.[^\s<>()\[\]\"',;:@]+")
HIDDEN = "<address>"


def scrub(text: str) -> str:
    """The text with every email address replaced by <address>."""
    return EMAIL.sub(HIDDEN, text)
