"""Verification reminders (housekeeping): a young person hears four weeks and one week before their
verification runs out, once each, if they want emails."""

from __future__ import annotations

from datetime import date, timedelta

from app.mail import service as mail
from app.settings import Settings
from app.verification.tables import Verification

REMINDER_DAYS = (28, 7)


async def send_reminders(settings: Settings, today: date) -> int:
    """Tell people four weeks and one week before their verification runs out."""
    sent = 0
    # The one-week reminder first: someone whose four weeks were missed gets one email, not two.
    for number, days in sorted(enumerate(REMINDER_DAYS, start=1), reverse=True):
        async with Verification._meta.db.transaction():
            sent += await _remind(settings, today, number, days)
    return sent


async def _remind(settings: Settings, today: date, number: int, days: int) -> int:
    sent = 0
    rows = await Verification.raw(
        "UPDATE verification v SET reminders_sent = {} FROM young_person y, user_account u"
        " WHERE v.young_person = y.id AND y.\"user\" = u.id AND v.status = 'verified'"
        " AND v.expires_on >= {} AND v.expires_on <= {} AND v.reminders_sent < {}"
        " RETURNING v.expires_on, u.email, y.email_updates",
        number,
        today,
        today + timedelta(days=days),
        number,
    )
    for row in rows:
        if row["email_updates"]:
            await mail.send(
                row["email"], "verification_reminder", until=row["expires_on"], link=f"{settings.base_url}/me"
            )
            sent += 1
    return sent
