"""Security headers on every response, static files and errors included."""

from typing import Final

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

# No inline script or style anywhere: htmx is told not to inject its indicator styles (see base.html).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), payment=(), geolocation=(self)",
}
# The camera is for scanning codes at the door, so only pages whose handlers carry this opt (the door's) may ask
# for it: a granted camera is granted to the whole origin, and this keeps every other page from using it.
CAMERA: Final = "camera"
CAMERA_POLICY: Final = HEADERS["Permissions-Policy"].replace("camera=()", "camera=(self)")
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(hsts: bool, pay_at: str | None = None) -> BeforeMessageSendHookHandler:
    """A before_send hook: unlike route middleware it also sees 404s and 405s from routing. `pay_at` is the
    origin of the card payment page a sponsor's form is sent on to (a form's redirect obeys form-action too)."""
    headers_to_add = dict(HEADERS)
    if pay_at:
        headers_to_add["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {pay_at}"
        )

    async def add_headers(message: Message, scope: Scope) -> None:  # async: Litestar runs sync hooks in a thread
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in headers_to_add.items():
            headers[name] = value
        handler = scope.get("route_handler")
        if handler is not None and handler.opt.get(CAMERA):
            headers["Permissions-Policy"] = CAMERA_POLICY
        if hsts:  # only in prod, where Fly terminates TLS in front of us
            headers["Strict-Transport-Security"] = HSTS

    return add_headers
