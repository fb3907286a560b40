"""The Stripe stand-in, driven by the real `stripe` library over HTTP: objects, errors, idempotency, the hosted
payment page, refunds, webhook signatures and deliveries. If these pass, the app's own tests can trust it."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import stripe
from bs4 import BeautifulSoup
from stripe._encode import _api_encode

from tests.stripe_standin import ApiError, StripeStandIn, parse_form, serve_in_thread, serve_stand_in, sign

SUCCESS = "https://cyfle.test/sponsor/done?session={CHECKOUT_SESSION_ID}"
CANCEL = "https://cyfle.test/sponsor/cancelled"
EVENT_FIELDS = {"id", "object", "api_version", "created", "data", "livemode", "pending_webhooks", "request", "type"}


def line(name: str, unit_amount: int, quantity: int, currency: str = "gbp") -> dict[str, Any]:
    price = {"currency": currency, "unit_amount": unit_amount, "product_data": {"name": name}}
    return {"price_data": price, "quantity": quantity}


def session_params(**changes: Any) -> dict[str, Any]:
    params = {
        "mode": "payment",
        "success_url": SUCCESS,
        "cancel_url": CANCEL,
        "line_items": [line("Bus pass", 500, 2), line("Lunch <for> two", 250, 1)],
        "metadata": {"sponsorship_id": "7"},
        "client_reference_id": "sponsor-3",
        "customer_email": "sam@example.org",
        "payment_intent_data": {"metadata": {"sponsorship_id": "7"}},
    }
    return {k: v for k, v in {**params, **changes}.items() if v is not None}


@pytest.fixture
def standin() -> Iterator[StripeStandIn]:
    with serve_stand_in() as running:
        yield running


@pytest.fixture
async def stripe_client(standin: StripeStandIn) -> AsyncIterator[stripe.StripeClient]:
    http = stripe.HTTPXClient(allow_sync_methods=True)
    yield standin.client(http)
    http.close()
    await http.close_async()


@pytest.fixture
async def web() -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client for the hosted page."""
    async with httpx.AsyncClient(trust_env=False) as http:
        yield http


class Receiver:
    """A webhook endpoint like the app's: verifies the signature with the library, and calls the stand-in back
    while handling the delivery (which must not deadlock)."""

    def __init__(self, standin: StripeStandIn) -> None:
        self.standin = standin
        self.secret = standin.webhook_secret
        self.events: list[stripe.Event] = []
        self.seen_status: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        signature = dict(scope["headers"]).get(b"stripe-signature", b"").decode()
        try:
            event = stripe.Webhook.construct_event(body, signature, self.secret)
        except stripe.SignatureVerificationError:
            status = 400
        else:
            self.events.append(event)
            if event.data.object.object == "checkout.session":
                http = stripe.HTTPXClient()
                fetched = await self.standin.client(http).v1.checkout.sessions.retrieve_async(event.data.object.id)
                await http.close_async()
                self.seen_status.append(fetched.status)
            status = 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def test_the_form_parser_reads_what_the_library_writes() -> None:
    params = session_params(expires_at=1700000000)
    encoded = urlencode(list(_api_encode(params))).replace("%5B", "[").replace("%5D", "]")
    assert "line_items[0][price_data][unit_amount]=500" in encoded
    assert parse_form(encoded) == json.loads(json.dumps(params), parse_int=str)
    with pytest.raises(ApiError):
        parse_form("metadata=x&metadata[a]=b")


async def test_a_session_comes_back_as_a_stripe_object(
    standin: StripeStandIn, stripe_client: stripe.StripeClient
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(params=session_params())
    assert isinstance(session, stripe.checkout.Session)
    assert session.id.startswith("cs_test_") and session.object == "checkout.session"
    assert session.url == f"{standin.url}/pay/{session.id}"
    assert (session.mode, session.status, session.payment_status) == ("payment", "open", "unpaid")
    assert (session.amount_subtotal, session.amount_total, session.currency) == (1250, 1250, "gbp")
    assert session.metadata.to_dict() == {"sponsorship_id": "7"}
    assert (session.client_reference_id, session.customer_email) == ("sponsor-3", "sam@example.org")
    assert (session.success_url, session.cancel_url) == (SUCCESS, CANCEL)
    assert session.payment_intent is None and session.livemode is False
    assert session.expires_at - session.created == 86400
    fetched = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)
    assert fetched.to_dict() == session.to_dict() == standin.sessions[session.id]

    expires_at = int(time.time()) + 3600
    session = await stripe_client.v1.checkout.sessions.create_async(params=session_params(expires_at=expires_at))
    assert session.expires_at == expires_at


def test_the_sync_methods_work_too(stripe_client: stripe.StripeClient) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).id == session.id


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"success_url": None}, "success_url"),
        ({"mode": None}, "mode"),
        ({"mode": "subscription"}, "mode"),
        ({"line_items": None}, "line_items"),
        ({"line_items": [{"price_data": line("Pass", 500, 1)["price_data"]}]}, "line_items[0][quantity]"),
        ({"line_items": [line("Pass", 500, 0)]}, "line_items[0][quantity]"),
        ({"line_items": [line("", 500, 1)]}, "line_items[0][price_data][product_data][name]"),
        ({"line_items": [line("Pass", "five", 1)]}, "line_items[0][price_data][unit_amount]"),  # type: ignore[arg-type]
        ({"line_items": [line("Pass", 500, 1), line("Pass", 500, 1, "eur")]}, "line_items"),
        ({"expires_at": int(time.time()) + 60}, "expires_at"),
        ({"payment_method_types": ["bacs_debit"]}, "payment_method_types"),
        ({"payment_intent_data": {"description": "x"}}, "payment_intent_data[description]"),
        ({"metadata": {"k" * 41: "v"}}, "metadata"),
    ],
)
async def test_missing_and_invalid_params_are_refused(
    standin: StripeStandIn, stripe_client: stripe.StripeClient, changes: dict[str, Any], param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        await stripe_client.v1.checkout.sessions.create_async(params=session_params(**changes))
    assert type(caught.value) is stripe.InvalidRequestError
    assert (caught.value.http_status, caught.value.param) == (400, param)
    assert caught.value.error.type == "invalid_request_error" and caught.value.user_message
    assert standin.sessions == {}


async def test_an_unknown_session_is_resource_missing(stripe_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        await stripe_client.v1.checkout.sessions.retrieve_async("cs_test_nope")
    assert (caught.value.http_status, caught.value.code) == (404, "resource_missing")


async def test_a_wrong_api_key_is_refused(standin: StripeStandIn) -> None:
    http = stripe.HTTPXClient()
    wrong = stripe.StripeClient("sk_test_wrong", base_addresses={"api": standin.url}, http_client=http)
    with pytest.raises(stripe.AuthenticationError) as caught:
        await wrong.v1.checkout.sessions.create_async(params=session_params())
    await http.close_async()
    assert caught.value.http_status == 401
    assert standin.sessions == {}


async def test_an_idempotency_key_replays_the_first_response(
    standin: StripeStandIn, stripe_client: stripe.StripeClient
) -> None:
    sessions = stripe_client.v1.checkout.sessions
    first = await sessions.create_async(params=session_params(), options={"idempotency_key": "k1"})
    again = await sessions.create_async(params=session_params(), options={"idempotency_key": "k1"})
    assert again.id == first.id and list(standin.sessions) == [first.id]
    assert again.last_response.body == first.last_response.body
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.last_response.headers
    with pytest.raises(stripe.IdempotencyError):
        await sessions.create_async(params=session_params(client_reference_id="x"), options={"idempotency_key": "k1"})

    # A request that failed validation saves nothing, so its key can be reused once the params are fixed.
    with pytest.raises(stripe.InvalidRequestError):
        await sessions.create_async(params=session_params(cancel_url=None), options={"idempotency_key": "k2"})
    fixed = await sessions.create_async(params=session_params(), options={"idempotency_key": "k2"})
    assert fixed.id != first.id

    # A replayed expiry does not act again: no error (though the session is no longer open), no second event.
    expired = await sessions.expire_async(first.id, options={"idempotency_key": "k3"})
    replayed = await sessions.expire_async(first.id, options={"idempotency_key": "k3"})
    assert expired.status == replayed.status == "expired"
    assert [e["type"] for e in standin.events] == ["checkout.session.expired"]
    assert standin.events[0]["request"]["idempotency_key"] == "k3"


async def test_sessions_are_listed_newest_first_and_filtered(
    standin: StripeStandIn, stripe_client: stripe.StripeClient
) -> None:
    sessions = stripe_client.v1.checkout.sessions
    ids = [(await sessions.create_async(params=session_params())).id for _ in range(3)]
    paid = standin.complete(ids[1])
    listed = await sessions.list_async()
    assert isinstance(listed, stripe.ListObject) and listed.url == "/v1/checkout/sessions"
    assert [s.id for s in listed.data] == ids[::-1] and listed.has_more is False
    assert isinstance(listed.data[0], stripe.checkout.Session)
    by_intent = await sessions.list_async(params={"payment_intent": paid["payment_intent"]})
    assert [s.id for s in by_intent.data] == [ids[1]]
    assert [s.id for s in (await sessions.list_async(params={"status": "open"})).data] == [ids[2], ids[0]]
    first_page = await sessions.list_async(params={"limit": 1})
    assert [s.id for s in first_page.data] == [ids[2]] and first_page.has_more is True
    now = int(time.time())
    assert (await sessions.list_async(params={"created": {"gte": now + 10}})).data == []
    assert len((await sessions.list_async(params={"created": {"gte": now - 10, "lte": now + 10}})).data) == 3
    with pytest.raises(stripe.InvalidRequestError):
        await sessions.list_async(params={"customer": "cus_1"})  # type: ignore[typeddict-unknown-key]


async def test_the_hosted_page_pays_and_redirects(
    standin: StripeStandIn, stripe_client: stripe.StripeClient, web: httpx.AsyncClient
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(params=session_params())
    page = await web.get(session.url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.html["lang"] == "en" and soup.title.string and soup.main and soup.main.h1
    assert "Bus pass × 2: £10.00" in soup.main.text and "Lunch <for> two × 1: £2.50" in soup.main.text
    form = soup.main.form
    assert (form["method"], form["action"]) == ("post", f"/pay/{session.id}")
    assert form.button.text == "Pay £12.50" and form.button["type"] == "submit"
    assert [(a.text, a["href"]) for a in soup.main.find_all("a")] == [("Cancel", CANCEL)]
    assert not soup.find_all(["script", "style"]) and not soup.find_all(style=True)

    paid = await web.post(session.url)
    assert paid.status_code == 303
    assert paid.headers["location"] == SUCCESS.replace("{CHECKOUT_SESSION_ID}", session.id)
    done = standin.sessions[session.id]
    assert (done["status"], done["payment_status"], done["url"]) == ("complete", "paid", None)
    assert done["payment_intent"].startswith("pi_")
    (charge,) = standin.charges.values()
    assert (charge["amount"], charge["payment_intent"], charge["status"]) == (1250, done["payment_intent"], "succeeded")
    assert charge["metadata"] == {"sponsorship_id": "7"} and charge["id"].startswith("ch_")
    (event,) = standin.events
    assert set(event) == EVENT_FIELDS and event["id"].startswith("evt_") and event["object"] == "event"
    assert (event["type"], event["data"]["object"], event["livemode"]) == ("checkout.session.completed", done, False)
    assert event["api_version"] == stripe.api_version and standin.deliveries == []  # no webhook_url

    assert (await web.post(session.url)).status_code == 400
    assert (await web.get(session.url)).status_code == 400
    assert (await web.get(f"{standin.url}/pay/cs_test_nope")).status_code == 404
    with pytest.raises(ApiError):
        standin.complete(session.id)


async def test_expiring_a_session(
    standin: StripeStandIn, stripe_client: stripe.StripeClient, web: httpx.AsyncClient
) -> None:
    sessions = stripe_client.v1.checkout.sessions
    session = await sessions.create_async(params=session_params())
    expired = await sessions.expire_async(session.id)
    assert (expired.status, expired.payment_status, expired.url) == ("expired", "unpaid", None)
    (event,) = standin.events
    assert event["type"] == "checkout.session.expired" and event["data"]["object"]["status"] == "expired"
    assert event["request"]["id"] == expired.last_response.headers["Request-Id"]
    with pytest.raises(stripe.InvalidRequestError):
        await sessions.expire_async(session.id)
    assert (await web.post(session.url)).status_code == 400

    other = await sessions.create_async(params=session_params())
    assert standin.expire(other.id)["status"] == "expired"
    assert standin.events[-1]["request"] == {"id": None, "idempotency_key": None}


async def test_refunds_up_to_what_is_left(standin: StripeStandIn, stripe_client: stripe.StripeClient) -> None:
    refunds = stripe_client.v1.refunds
    session = await stripe_client.v1.checkout.sessions.create_async(params=session_params())
    intent = standin.complete(session.id)["payment_intent"]
    (charge_id,) = standin.charges

    part = await refunds.create_async(params={"payment_intent": intent, "amount": 300, "metadata": {"why": "late"}})
    assert isinstance(part, stripe.Refund) and part.id.startswith("re_") and part.object == "refund"
    assert (part.amount, part.currency, part.status, part.charge, part.payment_intent) == (
        300, "gbp", "succeeded", charge_id, intent
    )  # fmt: skip
    assert part.metadata.to_dict() == {"why": "late"} and standin.refunds[part.id] == part.to_dict()

    with pytest.raises(stripe.InvalidRequestError) as caught:
        await refunds.create_async(params={"payment_intent": intent, "amount": 951})
    assert caught.value.param == "amount" and "£9.50" in caught.value.user_message
    rest = await refunds.create_async(params={"charge": charge_id})
    assert rest.amount == 950

    refunded = [e for e in standin.events if e["type"] == "charge.refunded"]
    charges = [e["data"]["object"] for e in refunded]
    assert [(c["amount_refunded"], c["refunded"]) for c in charges] == [(300, False), (1250, True)]
    assert all(c["object"] == "charge" and c["amount"] == 1250 and c["payment_intent"] == intent for c in charges)
    assert charges[0]["metadata"] == {"sponsorship_id": "7"} and charges[0]["status"] == "succeeded"
    assert refunded[0]["request"]["id"] == part.last_response.headers["Request-Id"]

    with pytest.raises(stripe.InvalidRequestError) as caught:
        await refunds.create_async(params={"payment_intent": intent, "amount": 1})
    assert caught.value.code == "charge_already_refunded"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        await refunds.create_async(params={"payment_intent": "pi_nope"})
    assert (caught.value.code, caught.value.param) == ("resource_missing", "payment_intent")


def test_signatures_are_what_the_library_verifies(standin: StripeStandIn) -> None:
    event = standin.event("checkout.session.completed", {"id": "cs_test_1", "object": "checkout.session"})
    payload = json.dumps(event, indent=2).encode()
    header = sign(payload, "whsec_test")
    timestamp = int(header.split(",")[0].removeprefix("t="))
    assert header == stripe.WebhookSignature.generate_signature_header(payload.decode(), "whsec_test", timestamp)
    verified = stripe.Webhook.construct_event(payload, header, "whsec_test")
    assert isinstance(verified, stripe.Event) and verified.type == "checkout.session.completed"
    assert verified.data.object.id == "cs_test_1"

    refused = [
        (payload.replace(b"cs_test_1", b"cs_test_2"), header, "whsec_test"),
        (payload, header, "whsec_other"),
        (payload, sign(payload, "whsec_test", int(time.time()) - 301), "whsec_test"),
    ]
    for body, signature, secret in refused:
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(body, signature, secret)


async def test_events_are_delivered_signed(
    standin: StripeStandIn, stripe_client: stripe.StripeClient, web: httpx.AsyncClient
) -> None:
    receiver = Receiver(standin)
    with serve_in_thread(receiver) as url:
        standin.webhook_url = f"{url}/webhooks/stripe"
        session = await stripe_client.v1.checkout.sessions.create_async(params=session_params())
        assert (await web.post(session.url)).status_code == 303  # delivered before the redirect
        assert receiver.seen_status == ["complete"]  # the receiver's call back was answered meanwhile
        await stripe_client.v1.refunds.create_async(
            params={"payment_intent": standin.sessions[session.id]["payment_intent"]}
        )
        standin.webhook_secret = "whsec_rotated"  # the receiver still has the old one
        other = await stripe_client.v1.checkout.sessions.create_async(params=session_params())
        await stripe_client.v1.checkout.sessions.expire_async(other.id)

    assert [e.type for e in receiver.events] == ["checkout.session.completed", "charge.refunded"]
    assert [e.id for e in receiver.events] == [e["id"] for e in standin.events[:2]]
    assert [(event["type"], status) for event, status in standin.deliveries] == [
        ("checkout.session.completed", 200), ("charge.refunded", 200), ("checkout.session.expired", 400)
    ]  # fmt: skip
    assert all(e["pending_webhooks"] == 1 for e in standin.events)


def test_an_unreachable_webhook_is_status_0(standin: StripeStandIn, stripe_client: stripe.StripeClient) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    standin.webhook_url = f"http://127.0.0.1:{port}/webhooks/stripe"
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    standin.complete(session.id)
    assert standin.deliveries == [(standin.events[0], 0)]
    forged = standin.event("charge.refunded", {"id": "ch_1", "object": "charge"})
    assert standin.deliver(forged) == 0 and len(standin.events) == 1  # event() builds, does not record
    standin.webhook_url = None
    with pytest.raises(RuntimeError):
        standin.deliver(forged)
