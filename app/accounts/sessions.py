"""Who a session cookie belongs to: the person, their organisations (with role and approval) and the session's
sliding lifetime. The rules live here once; app.core.auth only asks (the root hands it `load_principal`)."""

from __future__ import annotations

import json
from datetime import timedelta

from app.accounts.tables import UserSession
from app.core.auth import Member, Principal
from app.core.keys import keyed_hash
from app.settings import Settings

SESSION_TTL = timedelta(days=30)  # from last use
SEEN_EVERY = timedelta(hours=1)  # how often last use is written: not on every request

PRINCIPAL_SQL = """
SELECT u.id AS user_id, u.email, u.display_name, s.id AS session_id,
       s.last_seen_at < now() - {}::interval AS stale,
       coalesce(json_agg(json_build_object('organisation_id', o.id, 'kind', o.kind, 'role', m.role,
                'approved', o.approved_at IS NOT NULL) ORDER BY o.id) FILTER (WHERE m.id IS NOT NULL), '[]') AS members
FROM user_session s
JOIN user_account u ON u.id = s."user"
LEFT JOIN membership m ON m."user" = u.id
LEFT JOIN organisation o ON o.id = m.organisation
WHERE s.token_hash = {} AND s.expires_at > now()
GROUP BY u.id, s.id
"""


def session_hash(settings: Settings, session_token: str) -> str:
    return keyed_hash(settings, "session", session_token)


async def load_principal(settings: Settings, session_token: str) -> Principal | None:
    rows = await UserSession.raw(PRINCIPAL_SQL, SEEN_EVERY, session_hash(settings, session_token))
    if not rows:
        return None
    row = rows[0]
    if row["stale"]:  # sliding expiry, written at most once per SEEN_EVERY per session
        await UserSession.raw(
            "UPDATE user_session SET last_seen_at = now(), expires_at = now() + {}::interval WHERE id = {}",
            SESSION_TTL,
            row["session_id"],
        )
    members = json.loads(row["members"]) if isinstance(row["members"], str) else row["members"]
    return Principal(row["user_id"], row["email"], row["display_name"], tuple(Member(**m) for m in members))
