"""A local stand-in for the few Stripe API endpoints Cyfle uses, so tests drive the real `stripe` library over HTTP.

Tests have no route to Stripe, and mocking the library would test our guesses about it rather than the wire format
it really speaks. So this serves, on a loopback port, what the library sends and parses: form bodies with bracket
keys (`line_items[0][price_data][unit_amount]=500`), JSON objects shaped like Stripe's, Stripe's error shape (from
which the library picks `InvalidRequestError`, `AuthenticationError`, `IdempotencyError`), idempotent replays, a
hosted payment page, and signed webhook deliveries. It is plain ASGI (no framework) so that the bytes of a replayed
response and of a signed delivery are exactly the bytes we choose.

Deliberate limits: only `mode=payment` sessions with inline `price_data`; no `expand`; sessions do not expire by
the clock (call `expire`); every parameter it does not know is refused, as Stripe refuses unknown parameters.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import operator
import re
import secrets
import socket
import string
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from html import escape
from typing import Any
from urllib.parse import parse_qsl

import httpx
import stripe
import uvicorn

Obj = dict[str, Any]
ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[..., Awaitable[Any]], Callable[..., Awaitable[None]]], Awaitable[None]
]
Reply = tuple[int, bytes, list[tuple[str, str]], list[Obj]]  # status, body, headers, events to deliver

SESSION_PARAMS = frozenset(
    {"mode", "success_url", "cancel_url", "line_items", "metadata", "client_reference_id", "customer_email"}
    | {"expires_at", "payment_intent_data", "payment_method_types"}
)
ITEM_PARAMS = frozenset({"price_data", "quantity"})
PRICE_PARAMS = frozenset({"currency", "unit_amount", "product_data"})
LIST_PARAMS = frozenset({"payment_intent", "status", "limit", "created"})
COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}  # created[...]
REFUND_PARAMS = frozenset({"payment_intent", "charge", "amount", "metadata", "reason"})
MINIMUM_CHARGE = {"gbp": 30}  # pence; Stripe's minimum for other currencies is about 50 minor units
TEST_KEY, TEST_WEBHOOK_SECRET = "sk_test_standin", "whsec_standin"
SESSION_ID = "{CHECKOUT_SESSION_ID}"  # in success_url, replaced by the session's id
_ALNUM = string.ascii_letters + string.digits
_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")


class ApiError(Exception):
    """A Stripe error response; the library picks its exception class from the HTTP status and `error.type`."""

    def __init__(self, status: int, message: str, param: str | None = None, **more: str) -> None:
        super().__init__(message)
        self.status = status
        self.body: Obj = {"error": {"type": "invalid_request_error", "message": message, **more}}
        if param:
            self.body["error"]["param"] = param


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header for `payload`: HMAC-SHA256 of `"<t>.<payload>"` keyed by the endpoint secret."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def parse_form(encoded: str) -> Obj:
    """Stripe's bracket form encoding into nested dicts; a dict whose keys are all digits becomes a list, since the
    library always writes lists with indexes (`a[0]`, `a[1]`). Values stay strings, as they are on the wire."""
    root: Obj = {}
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        match = _KEY.fullmatch(key)
        if match is None:
            raise ApiError(400, f"Invalid parameter name: {key}", key)
        *parents, last = [match[1], *re.findall(r"\[([^\[\]]*)\]", match[2])]
        node = root
        try:
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = value
        except (AttributeError, TypeError):
            raise ApiError(400, f"Invalid parameter: {key} mixes a value and an object", key) from None
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v) for k, v in node.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def _id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(24))


def _only(params: Any, allowed: frozenset[str], at: str = "") -> Obj:
    """Refuse what the stand-in does not know, as Stripe refuses unknown parameters, rather than ignore it."""
    if params is None:
        raise ApiError(400, f"Missing required param: {at}.", at)
    if not isinstance(params, dict):
        raise ApiError(400, f"Invalid object: {at}", at)
    for key in params:
        if key not in allowed:
            name = f"{at}[{key}]" if at else key
            raise ApiError(400, f"Received unknown parameter: {name} (not supported by the Stripe stand-in)", name)
    return params


def _required(params: Obj, key: str, at: str = "") -> str:
    name = f"{at}[{key}]" if at else key
    if not isinstance(params.get(key), str) or not params[key]:
        raise ApiError(400, f"Missing required param: {name}.", name)
    return str(params[key])


def _integer(value: Any, param: str, minimum: int = 0) -> int:
    if value is None:
        raise ApiError(400, f"Missing required param: {param}.", param)
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
        raise ApiError(400, f"Invalid integer: {value}", param)
    if int(value) < minimum:
        raise ApiError(400, f"This value must be greater than or equal to {minimum}.", param)
    return int(value)


def _metadata(value: Any, param: str) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ApiError(400, "Invalid metadata: values must be strings", param)
    if len(value) > 50 or any(len(k) > 40 or len(v) > 500 for k, v in value.items()):
        raise ApiError(400, "Invalid metadata: at most 50 keys, keys up to 40 and values up to 500 characters", param)
    return dict(value)


def money(amount: int, currency: str) -> str:
    """An amount in minor units as people read it: £12.50 (other currencies as 12.50 EUR)."""
    figure = f"{amount // 100:,}.{amount % 100:02d}"
    return f"£{figure}" if currency == "gbp" else f"{figure} {currency.upper()}"


def _html(title: str, body: str) -> bytes:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · Stripe stand-in</title>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    ).encode()


class StripeStandIn:
    """The stand-in's state and its ASGI app. One lock guards the state: the server thread and the test thread both
    touch it. Webhooks are delivered outside the lock, in a worker thread, before the triggering response is sent:
    tests see a webhook's effect as soon as the call returns, and the server's loop stays free to answer the
    receiver if it calls back (say, a retrieve) while handling the delivery."""

    def __init__(self, url: str, secret_key: str, webhook_secret: str) -> None:
        self.url = url
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret
        self.webhook_url: str | None = None
        self.sessions: dict[str, Obj] = {}
        self.charges: dict[str, Obj] = {}
        self.refunds: dict[str, Obj] = {}
        self.events: list[Obj] = []
        self.deliveries: list[tuple[Obj, int]] = []
        self._lock = threading.Lock()
        self._lines: dict[str, list[Obj]] = {}  # session id -> line items, for the payment page
        self._intent_metadata: dict[str, dict[str, str]] = {}  # session id -> payment_intent_data[metadata]
        self._charge_of_intent: dict[str, str] = {}
        self._idempotent: dict[str, tuple[tuple[str, str, Obj], int, bytes, str]] = {}

    def client(self, http_client: stripe.HTTPClient | None = None) -> stripe.StripeClient:
        """A real `StripeClient` pointed here; by default on HTTPX, so both the sync and the `*_async` methods work.
        Pass your own `http_client` to close its connections when done (`close()`, `await close_async()`)."""
        http = http_client or stripe.HTTPXClient(allow_sync_methods=True)
        return stripe.StripeClient(self.secret_key, base_addresses={"api": self.url}, http_client=http)

    def complete(self, session_id: str) -> Obj:
        """Pay an open session as the hosted page's Pay button does (and deliver `checkout.session.completed`).
        Blocks while the webhook is delivered: if the receiver runs in the caller's event loop, call it in a thread."""
        return self._then_deliver(self._complete, session_id)

    def expire(self, session_id: str) -> Obj:
        """Expire an open session as Stripe does when its time is up (and deliver `checkout.session.expired`)."""
        return self._then_deliver(self._expire, session_id, None)

    def _then_deliver(self, operation: Callable[..., tuple[Obj, list[Obj]]], *args: Any) -> Obj:
        with self._lock:
            obj, events = operation(*args)
            obj = copy.deepcopy(obj)
        self._deliver_all(events)
        return obj

    def event(self, type: str, obj: Obj, request: Obj | None = None) -> Obj:
        """An Event object around a snapshot of `obj`; only built, not recorded (the stand-in records its own)."""
        return {
            "id": _id("evt_"), "object": "event", "api_version": stripe.api_version, "created": int(time.time()),
            "data": {"object": copy.deepcopy(obj)}, "livemode": False, "pending_webhooks": int(bool(self.webhook_url)),
            "request": request or {"id": None, "idempotency_key": None}, "type": type,
        }  # fmt: skip

    def deliver(self, event: Obj) -> int:
        """POST the event to `webhook_url`, signed over the exact bytes sent (pretty-printed, as Stripe sends them);
        records and returns the receiver's status, 0 if it could not be reached."""
        if self.webhook_url is None:
            raise RuntimeError("webhook_url is not set")
        payload = json.dumps(event, indent=2).encode()
        headers = {"Content-Type": "application/json", "Stripe-Signature": sign(payload, self.webhook_secret)}
        try:
            with httpx.Client(timeout=10, trust_env=False) as http:
                status = http.post(self.webhook_url, content=payload, headers=headers).status_code
        except httpx.HTTPError:
            status = 0
        with self._lock:
            self.deliveries.append((event, status))
        return status

    def _deliver_all(self, events: list[Obj]) -> None:
        for event in events:
            if self.webhook_url is not None:
                self.deliver(event)

    def _record(self, type: str, obj: Obj, request: Obj | None) -> Obj:
        self.events.append(event := self.event(type, obj, request))
        return event

    # The operations below run with the lock held; the ones that fire events also return those to deliver.

    def _session(self, session_id: str) -> Obj:
        if session_id not in self.sessions:
            raise ApiError(404, f"No such checkout.session: '{session_id}'", "session", code="resource_missing")
        return self.sessions[session_id]

    def _create_session(self, p: Obj) -> Obj:
        _only(p, SESSION_PARAMS)
        if _required(p, "mode") != "payment":
            raise ApiError(400, "Invalid mode: the stand-in supports only payment", "mode")
        success_url, cancel_url = _required(p, "success_url"), _required(p, "cancel_url")
        if p.get("payment_method_types", ["card"]) != ["card"]:
            raise ApiError(400, "The stand-in takes cards only.", "payment_method_types")
        if not isinstance(p.get("line_items"), list):
            raise ApiError(400, "Missing required param: line_items.", "line_items")
        lines, currencies = [], set()
        for i, item in enumerate(p["line_items"]):
            at = f"line_items[{i}]"
            price = _only(_only(item, ITEM_PARAMS, at).get("price_data"), PRICE_PARAMS, f"{at}[price_data]")
            product = _only(price.get("product_data"), frozenset({"name"}), f"{at}[price_data][product_data]")
            currencies.add(_required(price, "currency", f"{at}[price_data]").lower())
            lines.append({
                "name": _required(product, "name", f"{at}[price_data][product_data]"),
                "unit_amount": _integer(price.get("unit_amount"), f"{at}[price_data][unit_amount]"),
                "quantity": _integer(item.get("quantity"), f"{at}[quantity]", minimum=1),
            })  # fmt: skip
        if len(currencies) != 1:
            raise ApiError(400, "All line items must use the same currency.", "line_items")
        (currency,) = currencies
        total = sum(line["unit_amount"] * line["quantity"] for line in lines)
        if total < MINIMUM_CHARGE.get(currency, 50):
            raise ApiError(400, f"The total must be at least {money(MINIMUM_CHARGE.get(currency, 50), currency)}.")
        now = int(time.time())
        expires_at = _integer(p.get("expires_at", str(now + 86400)), "expires_at")
        if not now + 1800 <= expires_at <= now + 86400:
            raise ApiError(400, "expires_at must be from 30 minutes to 24 hours after creation.", "expires_at")
        intent = _only(p.get("payment_intent_data", {}), frozenset({"metadata"}), "payment_intent_data")
        session_id = _id("cs_test_")
        self._lines[session_id] = lines
        self._intent_metadata[session_id] = _metadata(intent.get("metadata"), "payment_intent_data[metadata]")
        self.sessions[session_id] = session = {
            "id": session_id, "object": "checkout.session", "amount_subtotal": total, "amount_total": total,
            "cancel_url": cancel_url, "client_reference_id": p.get("client_reference_id"), "created": now,
            "currency": currency, "customer_email": p.get("customer_email"), "expires_at": expires_at,
            "livemode": False, "metadata": _metadata(p.get("metadata"), "metadata"), "mode": "payment",
            "payment_intent": None, "payment_status": "unpaid", "status": "open", "success_url": success_url,
            "url": f"{self.url}/pay/{session_id}",
        }  # fmt: skip
        return session

    def _list_sessions(self, p: Obj) -> Obj:
        rows = list(reversed(self.sessions.values()))  # newest first
        for key, value in _only(p, LIST_PARAMS).items():
            if key in ("status", "payment_intent"):
                rows = [s for s in rows if s[key] == value]
            elif key == "created":
                for op, bound in _only(value, frozenset(COMPARE), "created").items():
                    rows = [s for s in rows if COMPARE[op](s["created"], _integer(bound, f"created[{op}]"))]
        limit = _integer(p.get("limit", "10"), "limit", minimum=1)
        return {"object": "list", "data": rows[:limit], "has_more": len(rows) > limit, "url": "/v1/checkout/sessions"}

    def _expire(self, session_id: str, request: Obj | None) -> tuple[Obj, list[Obj]]:
        session = self._session(session_id)
        if session["status"] != "open":
            raise ApiError(400, f"Only an open Checkout Session can be expired; this one is {session['status']}.")
        session.update(status="expired", url=None)
        return session, [self._record("checkout.session.expired", session, request)]

    def _complete(self, session_id: str) -> tuple[Obj, list[Obj]]:
        session = self._session(session_id)
        if session["status"] != "open":
            raise ApiError(400, f"Only an open Checkout Session can be paid; this one is {session['status']}.")
        intent, charge_id, amount = _id("pi_"), _id("ch_"), session["amount_total"]
        self.charges[charge_id] = {
            "id": charge_id, "object": "charge", "amount": amount, "amount_captured": amount, "amount_refunded": 0,
            "captured": True, "created": int(time.time()), "currency": session["currency"],
            "metadata": dict(self._intent_metadata[session_id]), "paid": True, "payment_intent": intent,
            "refunded": False, "status": "succeeded",
        }  # fmt: skip
        self._charge_of_intent[intent] = charge_id
        session.update(status="complete", payment_status="paid", payment_intent=intent, url=None)
        return session, [self._record("checkout.session.completed", session, None)]

    def _refund(self, p: Obj, request: Obj) -> tuple[Obj, list[Obj]]:
        _only(p, REFUND_PARAMS)
        if "payment_intent" in p:
            param, charge_id = "payment_intent", self._charge_of_intent.get(p["payment_intent"], "")
        elif "charge" in p:
            param, charge_id = "charge", p["charge"]
        else:
            raise ApiError(400, "One of the following params should be provided: payment_intent or charge.")
        if charge_id not in self.charges or p.get("charge", charge_id) != charge_id:
            raise ApiError(400, f"No such {param}: '{p[param]}'", param, code="resource_missing")
        charge = self.charges[charge_id]
        left = charge["amount"] - charge["amount_refunded"]
        if left == 0:
            raise ApiError(400, f"Charge {charge_id} has already been refunded.", code="charge_already_refunded")
        amount = _integer(p["amount"], "amount", minimum=1) if "amount" in p else left
        if amount > left:
            refused = f"Refund amount ({money(amount, charge['currency'])}) is greater than unrefunded amount"
            raise ApiError(400, f"{refused} on charge ({money(left, charge['currency'])})", "amount")
        if p.get("reason") not in (None, "duplicate", "fraudulent", "requested_by_customer"):
            raise ApiError(400, f"Invalid reason: {p['reason']}", "reason")
        refund_id = _id("re_")
        self.refunds[refund_id] = refund = {
            "id": refund_id, "object": "refund", "amount": amount, "balance_transaction": None, "charge": charge_id,
            "created": int(time.time()), "currency": charge["currency"],
            "metadata": _metadata(p.get("metadata"), "metadata"),
            "payment_intent": charge["payment_intent"], "reason": p.get("reason"), "status": "succeeded",
        }  # fmt: skip
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        return refund, [self._record("charge.refunded", charge, request)]

    def _route(self, method: str, path: str, p: Obj, request: Obj) -> tuple[Obj, list[Obj]]:
        route = f"{method} {re.sub(r'^/v1/checkout/sessions/[^/]+', '/v1/checkout/sessions/<id>', path)}"
        session_id = path.split("/")[4] if "<id>" in route else ""
        if route == "POST /v1/checkout/sessions":
            return self._create_session(p), []
        if route == "GET /v1/checkout/sessions":
            return self._list_sessions(p), []
        if route == "GET /v1/checkout/sessions/<id>" and not _only(p, frozenset()):
            return self._session(session_id), []
        if route == "POST /v1/checkout/sessions/<id>/expire" and not _only(p, frozenset()):
            return self._expire(session_id, request)
        if route == "POST /v1/refunds":
            return self._refund(p, request)
        raise ApiError(404, f"Unrecognized request URL ({method}: {path}).")

    def _api(self, method: str, path: str, encoded: str, headers: dict[str, str]) -> Reply:
        """One API call: auth, idempotency (only successes are kept: Stripe saves no result for a request that failed
        validation), then the operation; all under the lock, so concurrent retries cannot both execute."""
        request_id = _id("req_")
        extra = [("request-id", request_id), ("content-type", "application/json")]
        if headers.get("authorization") != f"Bearer {self.secret_key}":
            return 401, json.dumps(ApiError(401, "Invalid API Key provided.").body).encode(), extra, []
        key = headers.get("idempotency-key") if method == "POST" else None
        with self._lock:
            try:
                params = parse_form(encoded)
                if key and (saved := self._idempotent.get(key)):
                    if saved[0] != (method, path, params):
                        message = "Keys for idempotent requests can only be used with the same parameters they were"
                        message += f" first used with. Try using a key other than '{key}' for a different request."
                        raise ApiError(400, message, type="idempotency_error")
                    replayed = [("idempotent-replayed", "true"), ("original-request", saved[3])]
                    return saved[1], saved[2], [*extra, *replayed], []
                obj, events = self._route(method, path, params, {"id": request_id, "idempotency_key": key})
                status = 200
            except ApiError as error:
                status, obj, events = error.status, error.body, []
            content = json.dumps(obj, indent=2).encode()
            if key and status == 200:
                self._idempotent[key] = ((method, path, params), status, content, request_id)
        return status, content, extra, events

    def _page(self, method: str, session_id: str) -> Reply:
        """The hosted payment page: GET shows it; POST is its Pay button, and redirects to the success URL."""
        html = [("content-type", "text/html; charset=utf-8")]
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                return 404, _html("Not found", "<h1>Not found</h1>\n<p>No such checkout session.</p>"), html, []
            if session["status"] != "open":
                body = f"<h1>Checkout unavailable</h1>\n<p>This checkout session is {session['status']}.</p>"
                return 400, _html("Checkout unavailable", body), html, []
            if method == "POST":
                session, events = self._complete(session_id)
                return 303, b"", [("location", session["success_url"].replace(SESSION_ID, session_id))], events
            total, currency = money(session["amount_total"], session["currency"]), session["currency"]
            items = "".join(
                f"<li>{escape(line['name'])} × {line['quantity']}: "
                f"{money(line['unit_amount'] * line['quantity'], currency)}</li>\n"
                for line in self._lines[session_id]
            )
            body = (
                f"<h1>Checkout</h1>\n<ul>\n{items}</ul>\n<p>Total: {total}</p>\n"
                f'<form method="post" action="/pay/{session_id}">\n'
                f'<button type="submit">Pay {total}</button>\n</form>\n'
                f'<p><a href="{escape(session["cancel_url"])}">Cancel</a></p>'
            )
            return 200, _html(f"Pay {total}", body), html, []

    async def __call__(self, scope: MutableMapping[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        method, path = scope["method"], scope["path"]
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        if path.startswith("/v1/"):
            encoded = body.decode() if method == "POST" else scope["query_string"].decode()
            status, content, extra, events = self._api(method, path, encoded, headers)
        elif path == "/favicon.ico":  # browsers ask; an empty answer keeps their console clean
            status, content, extra, events = 204, b"", [], []
        elif path.startswith("/pay/") and method in ("GET", "POST"):
            status, content, extra, events = self._page(method, path.removeprefix("/pay/"))
        else:
            status, content, extra, events = 404, b"Not found", [("content-type", "text/plain")], []
        await asyncio.to_thread(self._deliver_all, events)
        raw = [(k.encode(), v.encode()) for k, v in extra]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": content})


@contextmanager
def serve_in_thread(app: ASGIApp) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a daemon thread on a free loopback port; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, interface="asgi3", lifespan="off", log_config=None, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="stand-in server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def serve_stand_in(secret_key: str = TEST_KEY, webhook_secret: str = TEST_WEBHOOK_SECRET) -> Iterator[StripeStandIn]:
    """A running stand-in: give the app `standin.url` (as base_addresses={"api": url}) and set `webhook_url`."""
    standin = StripeStandIn("", secret_key, webhook_secret)
    with serve_in_thread(standin) as url:
        standin.url = url
        yield standin
