"""Signing in by email link, sessions and signing out. Nobody learns from us whether an address has an account:
every well-formed address gets the same answer and, if under the limits, a link."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.accounts.sessions import SESSION_TTL, session_hash
from app.accounts.tables import SignInToken, User, UserSession
from app.audit import service as audit
from app.core import keys, ratelimit
from app.core.errors import Invalid
from app.core.forms import Form
from app.core.i18n import _, current_locale
from app.core.paths import safe_next
from app.mail import service as mail
from app.settings import Settings

LINK_TTL = timedelta(minutes=15)
KNOWN_DEVICES_KEPT = 20
# Per address and the network asking (its /24 or /64): tight, and only that network is stopped.
LINKS_PER_ADDRESS_AND_NETWORK = 5
# Per address from anywhere: past this many in the window, links are slowed to one every few minutes rather
# than stopped, so strangers asking from many networks cannot keep the person from signing in.
LINKS_PER_ADDRESS_AT_FULL_SPEED = 10
SLOWED_TO_ONE_LINK_EVERY = timedelta(minutes=5)
# Per client address (or IPv6 /64), for any addresses: bounds mail sent at strangers, yet high enough that a
# college, a children's home or a phone network sharing one address does not stop its people signing in.
LINKS_PER_IP = 120
LIMIT_WINDOW_S = 3600


def link_hash(settings: Settings, token: str) -> str:
    return keys.keyed_hash(settings, "sign-in-link", token)


def browser_hash(settings: Settings, nonce: str) -> str:
    """What a link keeps of the browser that asked for it: a keyed hash of that browser's nonce cookie."""
    return keys.keyed_hash(settings, "sign-in-link", "browser:" + nonce)


def new_browser_nonce() -> str:
    return secrets.token_urlsafe(24)


class AskedElsewhere(Exception):
    """The link was asked for in another browser (or this one lost its cookie): the person must say they asked
    for it, and that they mean to sign in as this address, before it is used."""

    def __init__(self, email: str) -> None:
        super().__init__(email)
        self.email = email


def link_not_working() -> str:
    return _("This sign-in link does not work. It may have expired or been used already: ask for a new one.")


def new_device_id() -> str:
    return secrets.token_urlsafe(24)


def now() -> datetime:
    return datetime.now(UTC)


async def request_link(settings: Settings, form: Form, ip: str, browser_nonce: str) -> str:
    """Queue a sign-in link for the address in the form, bound to the browser that asked (its nonce cookie);
    returns the address (for the 'check your email' page)."""
    email = form.email()
    next_path = safe_next(form.raw("next"))
    form.check()
    too_many = _("Too many sign-in links have been asked for. Please wait an hour and try again.")
    network = ratelimit.network_of(ip)
    source = ip if ":" not in ip else network  # an IPv6 client usually has a whole /64 to pick addresses from
    for parts, limit in (
        (("sign-in:ip", source), LINKS_PER_IP),
        (("sign-in:email+network", email, network), LINKS_PER_ADDRESS_AND_NETWORK),
    ):
        await ratelimit.hit(ratelimit.limit_key(settings, *parts), limit, LIMIT_WINDOW_S, too_many)
    token = secrets.token_urlsafe(32)
    async with SignInToken._meta.db.transaction():
        if await _slowed_down(email):
            return email  # the same answer: the links already sent still work, and a new one can follow soon
        await SignInToken.insert(
            SignInToken(
                token_hash=link_hash(settings, token),
                email=email,
                next_path=next_path,
                asked_by=browser_hash(settings, browser_nonce),
                expires_at=now() + LINK_TTL,
            )
        )
        await mail.send(email, "sign_in", link=f"{settings.base_url}/sign-in/{token}", minutes=15)
    return email


async def _slowed_down(email: str) -> bool:
    """Past the per-address allowance, whether a link went to this address too recently for another. Holds a
    lock on the address until the transaction ends, so requests at the same moment are counted one by one."""
    # Its own statement: a statement's snapshot is taken before it starts waiting for the lock.
    await SignInToken.raw("SELECT pg_advisory_xact_lock(hashtextextended({}, 0))", "sign-in:" + email)
    rows = await SignInToken.raw(
        "SELECT (SELECT count(*) FROM sign_in_token"
        "        WHERE email = {} AND created_at > now() - make_interval(secs => {})) AS recent,"
        " (SELECT max(created_at) FROM sign_in_token WHERE email = {}) > now() - make_interval(secs => {})"
        " AS just_sent",
        email,
        LIMIT_WINDOW_S,
        email,
        SLOWED_TO_ONE_LINK_EVERY.total_seconds(),
    )
    return bool(rows[0]["recent"] >= LINKS_PER_ADDRESS_AT_FULL_SPEED and rows[0]["just_sent"])


@dataclass(frozen=True)
class SignedIn:
    session_token: str
    user_id: int
    next_path: str


async def link_email(settings: Settings, token: str) -> str:
    """The address a link that still works signs in as (said on its button page; using nothing up)."""
    if 20 <= len(token) <= 100:
        rows = await SignInToken.raw(
            "SELECT email FROM sign_in_token WHERE token_hash = {} AND used_at IS NULL AND expires_at > now()",
            link_hash(settings, token),
        )
        if rows:
            return str(rows[0]["email"])
    raise Invalid(link_not_working())


async def redeem_link(
    settings: Settings, token: str, device: str, browser_nonce: str | None, confirmed: bool = False
) -> SignedIn:
    """Use a link once, before it expires: sign in, creating the account on first use. In the browser that asked
    for it, at once; anywhere else only once the person has confirmed (else AskedElsewhere), so nobody can sign
    someone in to the sender's account by sending them a link."""
    if not 20 <= len(token) <= 100:
        raise Invalid(link_not_working())
    session_token = secrets.token_urlsafe(32)
    device_hash = keys.keyed_hash(settings, "device", device)
    asked_here = browser_hash(settings, browser_nonce) if browser_nonce else ""
    async with SignInToken._meta.db.transaction():
        used = await SignInToken.raw(
            "UPDATE sign_in_token SET used_at = now() WHERE token_hash = {} AND used_at IS NULL AND expires_at > now()"
            " AND ({} OR (asked_by <> '' AND asked_by = {})) RETURNING email, next_path",
            link_hash(settings, token),
            confirmed,
            asked_here,
        )
        if not used:
            raise AskedElsewhere(await link_email(settings, token))
        user = (
            await User.raw(
                "INSERT INTO user_account (email, locale, known_devices, created_at, last_sign_in_at)"
                " VALUES ({}, {}, {}, now(), now())"
                " ON CONFLICT (email) DO UPDATE SET last_sign_in_at = now(), locale = EXCLUDED.locale"
                " RETURNING id, known_devices",
                used[0]["email"],
                current_locale(),
                [],
            )
        )[0]
        known = list(user["known_devices"] or [])
        if device_hash not in known:
            if known:  # the first device of a new account is not news
                await audit.record("sign_in.new_device", actor=user["id"], subject=("user", user["id"]))
            known = [*known, device_hash][-KNOWN_DEVICES_KEPT:]
            await User.update({User.known_devices: known}).where(User.id == user["id"])
        await UserSession.insert(
            UserSession(
                token_hash=session_hash(settings, session_token),
                user=user["id"],
                expires_at=now() + SESSION_TTL,
            )
        )
    return SignedIn(session_token, user["id"], used[0]["next_path"])


async def sign_out(settings: Settings, session_token: str) -> None:
    await UserSession.delete().where(UserSession.token_hash == session_hash(settings, session_token))


async def sign_out_everywhere(user_id: int) -> None:
    await UserSession.delete().where(UserSession.user == user_id)


async def forget_expired() -> None:
    """Housekeeping: used or expired links and sessions go after a day."""
    await SignInToken.delete().where(SignInToken.expires_at < now() - timedelta(days=1))
    await UserSession.delete().where(UserSession.expires_at < now())


async def update_profile(user_id: int, form: Form) -> None:
    name = form.text("display_name", 100)
    form.check()
    await User.update({User.display_name: name}).where(User.id == user_id)
