"""Who is asking (from the session cookie) and who may use each route.

Every route handler declares one rule in `guards=[...]`: `public`, `signed_in`, `platform_admin`, `dev_only` or
`members(...)`. tests/test_access.py walks the app's route table and tries every route as every kind of person,
so a route without a rule fails the build.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from app.core.errors import Forbidden, NotFound, SignInRequired
from app.core.i18n import _
from app.settings import Settings

SESSION_COOKIE = "session"
DEVICE_COOKIE = "device"
# Nobody's: no session looked up (the open data answers everyone the same, whoever they are).
SKIP_PREFIXES = ("/static/", "/health", "/ready", "/sw.js", "/manifest.webmanifest", "/openreferral")
# Sent when someone signs in, signs out or deletes their account: the browser forgets what it kept for this site
# (the "Your codes" page the service worker keeps for use without signal among it, and the worker itself), so
# whoever uses the phone next never sees the last person's codes.
FORGET_THIS_BROWSER = {"Clear-Site-Data": '"cache", "storage"'}


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


PrincipalLoader = Callable[[Settings, str], Awaitable[Principal | None]]


class AuthMiddleware:
    """Puts the signed-in person (or None) in scope["user"], where guards and handlers read it. Who a session
    token belongs to is the accounts domain's to say: the root puts its loader in the app's state
    (`load_principal`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and not scope["path"].startswith(SKIP_PREFIXES):
            token = ASGIConnection(scope).cookies.get(SESSION_COOKIE)
            state = scope["litestar_app"].state
            load: PrincipalLoader = state.load_principal
            scope["user"] = await load(state.settings, token) if token and len(token) < 100 else None
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
EVERYONE_IN_ORG = ("owner", "staff", "redeemer", "verifier", "adviser")
ADVISERS = ("adviser", "verifier")  # a verifier may advise too; an adviser never verifies
OFFER_EDITORS = ("owner", "staff")
OWNERS = ("owner",)
