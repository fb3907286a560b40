"""One key for each purpose, derived from SECRET_KEY with HKDF (RFC 5869), so a value made for one purpose
(a session token's hash, a CSRF token, a rate-limit key) can never be passed off as another's.

Person keys for counting are the exception: they use PERSON_KEY as it is, so that rotating SECRET_KEY does not
change the key of anyone already counted (and a PERSON_KEY equal to an old SECRET_KEY keeps the counts made with
it).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.settings import Settings

Purpose = Literal[
    "session", "csrf", "sign-in-link", "device", "invitation", "rate-limit", "unsubscribe", "concern-receipt"
]
_SALT = b"cyfle key derivation v1"


@lru_cache(maxsize=32)
def _derive(secret: str, purpose: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=f"cyfle:{purpose}".encode())
    return hkdf.derive(secret.encode())


def key_for(settings: Settings, purpose: Purpose) -> bytes:
    return _derive(settings.secret_key, purpose)


def matches(expected: str, given: str) -> bool:
    """A key someone sent against the one expected, in constant time. As bytes: a key typed with any character
    (a link altered by hand) is simply wrong, where comparing text would fail on a non-ASCII one."""
    return hmac.compare_digest(expected.encode(), given.encode())


def keyed_hash(settings: Settings, purpose: Purpose, value: str) -> str:
    """HMAC-SHA256 of `value` under the key for `purpose`, in hex (64 characters)."""
    return hmac.new(key_for(settings, purpose), value.encode(), hashlib.sha256).hexdigest()


def unsubscribe_key(settings: Settings, kind: str, subject_id: int) -> str:
    """The key in a one-click link that stops one kind of email (RFC 8058) for one person or membership: the link's
    only permission, so it is keyed, and short enough for a URL."""
    return keyed_hash(settings, "unsubscribe", f"{kind}:{subject_id}")[:32]


def person_key(settings: Settings, young_person_id: int) -> str:
    return hmac.new(settings.person_key.encode(), f"person:{young_person_id}".encode(), hashlib.sha256).hexdigest()


def counted_record_key(settings: Settings, kind: str, record_id: int) -> str:
    """A counted record that is not a person (a concern): keyed with PERSON_KEY like a person, so its record key in
    a published count is fixed and cannot be worked out from its id."""
    return hmac.new(settings.person_key.encode(), f"{kind}:{record_id}".encode(), hashlib.sha256).hexdigest()
