"""Each purpose has its own key derived from SECRET_KEY; counting people uses PERSON_KEY, which outlives a
rotation of SECRET_KEY."""

import dataclasses
import hashlib
import hmac
from typing import get_args

from app.accounts.service import link_hash
from app.accounts.sessions import session_hash
from app.core import keys, ratelimit
from app.settings import Settings
from app.uptake.service import person_key
from app.verification.invitations import code_hash


def test_every_purpose_has_a_key_of_its_own(settings: Settings) -> None:
    derived = [keys.key_for(settings, purpose) for purpose in get_args(keys.Purpose)]
    assert len(set(derived)) == len(derived)
    assert all(len(key) == 32 and settings.secret_key.encode() not in key for key in derived)


def test_no_value_made_for_one_purpose_passes_for_another(settings: Settings) -> None:
    value = "A" * 43
    made = {
        session_hash(settings, value),
        link_hash(settings, value),
        ratelimit.limit_key(settings, value),
        keys.keyed_hash(settings, "device", value),
        keys.keyed_hash(settings, "invitation", value),
    }
    assert len(made) == 5
    # and none is the plain HMAC under SECRET_KEY that every purpose once shared
    assert hmac.new(settings.secret_key.encode(), value.encode(), hashlib.sha256).hexdigest() not in made
    assert code_hash(settings, "ABCDE") != keys.keyed_hash(settings, "session", "ABCDE")


def test_rotating_the_secret_key_keeps_people_counted_the_same(settings: Settings) -> None:
    rotated = dataclasses.replace(settings, secret_key="r" * 40)
    assert person_key(rotated, 7) == person_key(settings, 7)
    assert session_hash(rotated, "token") != session_hash(settings, "token")
    assert person_key(dataclasses.replace(settings, person_key="p" * 40), 7) != person_key(settings, 7)


def test_a_person_key_equal_to_the_old_secret_key_keeps_earlier_counts(settings: Settings) -> None:
    """How to move to PERSON_KEY without a break in the figures: set it to the SECRET_KEY the counts were made with."""
    old = hmac.new(settings.secret_key.encode(), b"person:7", hashlib.sha256).hexdigest()
    assert person_key(dataclasses.replace(settings, person_key=settings.secret_key), 7) == old
