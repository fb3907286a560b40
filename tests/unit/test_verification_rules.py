"""Invitation codes, waiting times in words and the age limit (verifying people: tests/test_verification.py)."""

from __future__ import annotations

from datetime import date, timedelta

from app.verification import invitations
from app.young_people.service import last_day_of_eligibility


def test_codes_are_long_enough_to_be_unguessable() -> None:
    import math

    assert invitations.LENGTH * math.log2(len(invitations.ALPHABET)) >= 64
    assert not set("0O1IL") & set(invitations.ALPHABET)


def test_waiting_times_read_as_words() -> None:
    from datetime import UTC, datetime

    from app.core.templating import waited

    now = datetime.now(UTC)
    assert waited(now - timedelta(hours=3), now) == "waiting 3 hours"
    assert waited(now - timedelta(days=2, hours=1), now) == "waiting 2 days"


def test_someone_born_on_29_february_is_eligible_until_28_february_of_their_26th_year() -> None:
    assert last_day_of_eligibility(date(2004, 2, 29)) == date(2030, 2, 28)
    assert last_day_of_eligibility(date(2000, 6, 15)) == date(2026, 6, 14)
