"""Who is asking (from the session cookie) and who may use each route.

Every route handler declares one rule in `guards=[...]`: `public`, `signed_in`, `platform_admin`, `dev_only` or
`members(...)`. tests/test_access.py walks the app's route table and tries every route as every kind of person,
so a route without a rule fails the build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from app.accounts.tables import UserSession
from app.core.errors import Forbidden, NotFound, SignInRequired
from app.core.i18n import _
from app.core.keys import keyed_hash
from app.settings import Settings

SESSION_COOKIE = "session"
DEVICE_COOKIE = "device"
SKIP_PREFIXES = ("/static/", "/health")


@dataclass(frozen=True)
class Member:
    organisation_id: int
    kind: str
    role: str
    approved: bool


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    display_name: str
    memberships: tuple[Member, ...] = field(default=())

    @property
    def is_admin(self) -> bool:
        return any(m.kind == "platform" and m.approved for m in self.memberships)

    def member_of(self, organisation_id: int) -> Member | None:
        return next((m for m in self.memberships if m.organisation_id == organisation_id), None)

    def role_in(self, organisation_id: int) -> str | None:
        member = self.member_of(organisation_id)
        return member.role if member else None

    @property
    def name(self) -> str:
        return self.display_name or self.email


PRINCIPAL_SQL = """
SELECT u.id AS user_id, u.email, u.display_name, s.id AS session_id,
       s.last_seen_at < now() - interval '1 hour' AS stale,
       coalesce(json_agg(json_build_object('organisation_id', o.id, 'kind', o.kind, 'role', m.role,
                'approved', o.approved_at IS NOT NULL) ORDER BY o.id) FILTER (WHERE m.id IS NOT NULL), '[]') AS members
FROM user_session s
JOIN user_account u ON u.id = s."user"
LEFT JOIN membership m ON m."user" = u.id
LEFT JOIN organisation o ON o.id = m.organisation
WHERE s.token_hash = {} AND s.expires_at > now()
GROUP BY u.id, s.id
"""


async def load_principal(settings: Settings, session_token: str) -> Principal | None:
    token_hash = keyed_hash(settings, "session", session_token)
    rows = await UserSession.raw(PRINCIPAL_SQL, token_hash)
    if not rows:
        return None
    row = rows[0]
    if row["stale"]:  # sliding expiry, written at most once an hour per session
        await UserSession.raw(
            "UPDATE user_session SET last_seen_at = now(), expires_at = now() + interval '30 days' WHERE id = {}",
            row["session_id"],
        )
    members = json.loads(row["members"]) if isinstance(row["members"], str) else row["members"]
    return Principal(row["user_id"], row["email"], row["display_name"], tuple(Member(**m) for m in members))


class AuthMiddleware:
    """Puts the signed-in person (or None) in scope["user"], where guards and handlers read it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and not scope["path"].startswith(SKIP_PREFIXES):
            token = ASGIConnection(scope).cookies.get(SESSION_COOKIE)
            settings = scope["litestar_app"].state.settings
            scope["user"] = await load_principal(settings, token) if token and len(token) < 100 else None
        await self.app(scope, receive, send)


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Principal) else None


def require(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    who = principal_of(connection)
    if who is None:
        raise SignInRequired(_("Please sign in to carry on."))
    return who


class Rule:
    """A guard that also says, for tests and readers, which rule it is. Guards are async: Litestar runs a sync
    guard in a worker thread, a hop on every request."""

    name = "rule"

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


class Public(Rule):
    name = "public"

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        return None


class SignedIn(Rule):
    name = "signed_in"

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        require(connection)


class PlatformAdmin(Rule):
    name = "platform_admin"

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        if not require(connection).is_admin:
            raise Forbidden(_("Only the Cyfle team can use this page."))


class DevOnly(Rule):
    """Pages for trying the service out; they exist only where APP_ENV says dev or test, never by default."""

    name = "dev_only"

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        if not connection.app.state.settings.has_dev_surface:
            raise NotFound(_("We could not find that page."))


class Members(Rule):
    """People with one of `roles` in the organisation named by the `org_id` path parameter, once the Cyfle team
    has approved it. Until then its people see only its details, its members page and that it is waiting
    (`before_approval=True` marks those few routes): no figures, no young people, no codes, no money."""

    def __init__(self, *roles: str, before_approval: bool = False) -> None:
        self.roles = frozenset(roles)
        self.before_approval = before_approval
        self.name = f"members({', '.join(sorted(roles))}{', before approval' if before_approval else ''})"

    async def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        who = require(connection)
        member = who.member_of(int(connection.path_params["org_id"]))
        if member is None or member.role not in self.roles:
            raise Forbidden(_("You need to be a member of this organisation, with the right role, to do that."))
        if not (member.approved or self.before_approval):
            raise Forbidden(_("Your organisation is waiting for the Cyfle team to approve it. You can use this then."))


public = Public()
signed_in = SignedIn()
platform_admin = PlatformAdmin()
dev_only = DevOnly()
EVERYONE_IN_ORG = ("owner", "staff", "redeemer", "verifier")
OFFER_EDITORS = ("owner", "staff")
OWNERS = ("owner",)
