"""The year's email asking young people for their verdicts, sent by the worker's housekeeping.

It goes in March, the last month of the reporting year: by then the year's dealings are mostly done, there is a
month left to answer, and the answers are in before the year's report is written (reports are due after the year
ends). Anyone their council has confirmed that day, who dealt with an organisation in the year and has not given
their verdict on it yet, hears once a year: verdict_invite is written before the email is queued, in its
transaction, and a second worker's insert does nothing. Someone who asked for no email is passed over the same way,
and still finds the questions at /me/verdicts (and a line on /me) all year."""

from __future__ import annotations

from datetime import date
from typing import Final

from app.core import keys
from app.mail import service as mail
from app.settings import Settings
from app.uptake.measures import bounds, reporting_year
from app.verdicts.service import DEALINGS, YEAR
from app.verdicts.tables import VerdictInvite

ASK_IN_MONTH: Final = 3

# Confirmed today and not asked this year: the few who might be, before their keyed hashes are worked out.
CONFIRMED_SQL: Final = """
SELECT DISTINCT v.young_person AS id FROM verification v
WHERE v.status = 'verified' AND v.expires_on >= {}
AND NOT EXISTS (SELECT 1 FROM verdict_invite i WHERE i.young_person = v.young_person AND i.year = {})
ORDER BY 1
"""
# Of those, whoever has an organisation to give a verdict on (app.verdicts.service.DEALT_WITH_SQL, for many).
TO_ASK_SQL: Final = (  # S608: constants only
    YEAR  # noqa: S608
    + """
SELECT p.id, u.email, yp.email_updates AS wanted
FROM unnest({}::int[], {}::text[]) AS p(id, key)
JOIN young_person yp ON yp.id = p.id JOIN user_account u ON u.id = yp."user"
WHERE EXISTS (
    SELECT 1 FROM organisation o WHERE o.approved_at IS NOT NULL AND o.kind <> 'platform'
    AND NOT EXISTS (SELECT 1 FROM verdict_given g WHERE g.young_person = p.id AND g.organisation = o.id AND g.year = {})
    AND o.id IN ("""
    + DEALINGS.format(person="p.id", key="p.key")
    + """)
) ORDER BY p.id
"""
)


async def ask_once_a_year(settings: Settings, today: date) -> int:
    """Housekeeping: in March, email each young person who has a verdict to give this year, once. Returns how many
    were asked (emailed or, not wanting email, passed over)."""
    if today.month != ASK_IN_MONTH:
        return 0
    year = reporting_year(today)
    start, end = bounds(year)
    confirmed = [row["id"] for row in await VerdictInvite.raw(CONFIRMED_SQL, today, year)]
    if not confirmed:
        return 0
    person_keys = [keys.person_key(settings, person) for person in confirmed]
    asked = 0
    for row in await VerdictInvite.raw(TO_ASK_SQL, start, end, confirmed, person_keys, year):
        async with VerdictInvite._meta.db.transaction():
            first = await VerdictInvite.raw(
                "INSERT INTO verdict_invite (young_person, year) VALUES ({}, {})"
                " ON CONFLICT ON CONSTRAINT verdict_invited_once DO NOTHING RETURNING id",
                row["id"],
                year,
            )
            if not first:  # another worker got there first
                continue
            if row["wanted"]:
                await mail.send(row["email"], "verdict_ask", link=f"{settings.base_url}/me/verdicts")
            asked += 1
    return asked
