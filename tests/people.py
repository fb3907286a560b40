"""People for tests: sign in through the real email link, or (where the test is about something else) get a
session directly; post forms with the CSRF token the way the pages do."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from app.accounts.sessions import session_hash
from app.accounts.tables import User, UserSession
from app.core.auth import SESSION_COOKIE
from app.mail.tables import MailMessage
from app.organisations.tables import Membership, Organisation
from app.settings import load_settings

LINK = re.compile(r"https?://\S+/sign-in/([A-Za-z0-9_\-]+)")


async def csrf(client: httpx.AsyncClient) -> str:
    if "csrftoken" not in client.cookies:
        await client.get("/sign-in")
    return client.cookies["csrftoken"]


async def post(client: httpx.AsyncClient, url: str, data: Any = None, **kwargs: Any) -> httpx.Response:
    """A form post carrying the CSRF token as the page's hidden field would."""
    token = await csrf(client)
    return await client.post(url, data={**(data or {}), "_csrf_token": token}, **kwargs)


async def last_link(email: str) -> str:
    """The token from the newest sign-in email sent to `email`."""
    query = MailMessage.select().where(MailMessage.recipient == email.lower())
    row = await query.order_by(MailMessage.id, ascending=False).first()
    assert row is not None, f"no email to {email}"
    found = LINK.search(row["body"])
    assert found, row["body"]
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, email: str, next_path: str = "/") -> httpx.Response:
    """The whole journey: ask for a link, open it, press the button."""
    response = await post(client, "/sign-in", {"email": email, "next": next_path})
    assert response.status_code == 200, response.text
    token = await last_link(email)
    assert (await client.get(f"/sign-in/{token}")).status_code == 200
    return await post(client, f"/sign-in/{token}")


async def user(email: str, **fields: Any) -> int:
    rows = await User.insert(User(email=email, known_devices=[], **fields)).returning(User.id)
    return int(rows[0]["id"])


async def session_for(client: httpx.AsyncClient, user_id: int) -> None:
    """A signed-in session without the email round trip."""
    client.cookies.set(SESSION_COOKIE, await new_session(user_id))


async def new_session(user_id: int) -> str:
    """A session token for this person (the value of the session cookie)."""
    token = secrets.token_urlsafe(32)
    await UserSession.insert(
        UserSession(
            token_hash=session_hash(load_settings(), token),
            user=user_id,
            expires_at=datetime.now(UTC) + timedelta(days=1),
        )
    )
    return token


async def member(org: Organisation | int, email: str, role: str = "owner") -> int:
    user_id = await user(email)
    org_id = org if isinstance(org, int) else org.id
    await Membership.insert(Membership(user=user_id, organisation=org_id, role=role))
    return user_id


async def admin(email: str = "admin@cyfle.test") -> int:
    from tests import factories

    team = await factories.organisation(name="Cyfle team", kind="platform")
    return await member(team, email, "owner")


async def young_person(
    email: str,
    name: str = "",
    verified_until: date | None = None,
    born: date = date(2005, 1, 1),
    home_council: str = "W06000015",
) -> tuple[int, int]:
    """A young person with a profile (user id, young person id); with `verified_until`, a council has verified
    them until that day."""
    from app.verification.tables import Verification
    from app.young_people.tables import YoungPerson
    from tests import factories

    user_id = await user(email, display_name=name)
    rows = await YoungPerson.insert(YoungPerson(user=user_id, date_of_birth=born, home_council=home_council)).returning(
        YoungPerson.id
    )
    if verified_until is not None:
        council = await factories.organisation(kind="council")
        await Verification.insert(
            Verification(young_person=rows[0]["id"], council=council.id, status="verified", expires_on=verified_until)
        )
    return user_id, int(rows[0]["id"])


async def signed_in_young_person(new_client: Any, email: str = "sam@example.org") -> tuple[int, httpx.AsyncClient]:
    """A young person (user id) and a client signed in as them."""
    user_id, _ = await young_person(email, "Sam")
    client = new_client()
    await session_for(client, user_id)
    return user_id, client
