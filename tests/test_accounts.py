"""Signing in by email link: single use, 15 minutes, hashed, no enumeration, rate limited, CSRF protected."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from bs4 import BeautifulSoup

from app.accounts.service import LINKS_PER_ADDRESS_AND_NETWORK, LINKS_PER_IP
from app.accounts.tables import SignInToken, User, UserSession
from app.audit.tables import AuditEntry
from app.mail.tables import MailMessage
from app.outbox.tables import OutboxItem
from tests.people import csrf, last_link, post, sign_in, user


async def test_the_whole_journey_signs_in_and_lands_on_the_page_asked_for(new_client) -> None:
    client = new_client()
    response = await sign_in(client, "Ffion@Example.org", next_path="/account")
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = await client.get("/account")
    assert page.status_code == 200 and "ffion@example.org" in page.text  # addresses are kept lower-cased
    assert await User.count().where(User.email == "ffion@example.org") == 1


async def test_only_a_keyed_hash_of_the_link_is_stored(new_client) -> None:
    client = new_client()
    await post(client, "/sign-in", {"email": "a@example.org"})
    token = await last_link("a@example.org")
    stored = await SignInToken.select(SignInToken.token_hash).first()
    assert stored and token not in stored["token_hash"] and len(stored["token_hash"]) == 64


async def test_opening_the_link_does_not_use_it_up(new_client) -> None:
    """Mail scanners open links; only pressing the button signs in."""
    client = new_client()
    await post(client, "/sign-in", {"email": "b@example.org"})
    token = await last_link("b@example.org")
    for _ in range(3):
        assert (await client.get(f"/sign-in/{token}")).status_code == 200
    assert (await post(client, f"/sign-in/{token}")).status_code == 303


async def test_a_link_works_once(new_client) -> None:
    first, second = new_client(), new_client()
    await post(first, "/sign-in", {"email": "c@example.org"})
    token = await last_link("c@example.org")
    assert (await post(first, f"/sign-in/{token}")).status_code == 303
    again = await post(second, f"/sign-in/{token}")
    assert again.status_code == 400 and "expired or been used already" in again.text
    assert await UserSession.count() == 1


async def test_an_expired_link_is_refused(new_client) -> None:
    client = new_client()
    await post(client, "/sign-in", {"email": "d@example.org"})
    token = await last_link("d@example.org")
    await SignInToken.update({SignInToken.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        SignInToken.email == "d@example.org"
    )
    assert (await post(client, f"/sign-in/{token}")).status_code == 400
    assert await UserSession.count() == 0 and await User.count() == 0


@pytest.mark.parametrize("change", ["flip", "short", "long", "empty-ish"])
async def test_a_tampered_link_is_refused(new_client, change: str) -> None:
    client = new_client()
    await post(client, "/sign-in", {"email": "e@example.org"})
    token = await last_link("e@example.org")
    bad = {
        "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "short": token[:10],
        "long": token + "x" * 200,
        "empty-ish": "-",
    }[change]
    response = await post(client, f"/sign-in/{bad}")
    assert response.status_code in {400, 404}
    assert await UserSession.count() == 0


async def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(new_client) -> None:
    await user("known@example.org")
    pages = []
    for email in ("known@example.org", "never@example.org"):
        client = new_client()
        response = await post(client, "/sign-in", {"email": email})
        assert response.status_code == 200
        main = BeautifulSoup(response.text, "html.parser").find("main")
        assert main is not None
        pages.append(main.get_text(" ", strip=True).replace(email, "EMAIL"))
    assert pages[0] == pages[1]
    assert await MailMessage.count() == 2  # both get a link: the new one creates an account when used


async def test_too_many_links_for_one_address_are_refused(new_client) -> None:
    client = new_client()
    for _ in range(LINKS_PER_ADDRESS_AND_NETWORK):
        assert (await post(client, "/sign-in", {"email": "f@example.org"})).status_code == 200
    refused = await post(client, "/sign-in", {"email": "F@example.org"})
    assert refused.status_code == 429 and "wait an hour" in refused.text
    assert await MailMessage.count() == LINKS_PER_ADDRESS_AND_NETWORK


async def test_too_many_links_from_one_address_on_the_internet_are_refused(new_client) -> None:
    client = new_client()
    for n in range(LINKS_PER_IP):
        assert (await post(client, "/sign-in", {"email": f"g{n}@example.org"})).status_code == 200
    assert (await post(client, "/sign-in", {"email": "another@example.org"})).status_code == 429
    assert await MailMessage.count() == LINKS_PER_IP


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-address", "like name@example.com"),
        ("a@b", "like name@example.com"),
        ("x" * 250 + "@example.org", "like name@example.com"),
        ("<script>alert(1)</script>@x.org", "like name@example.com"),
    ],
)
async def test_a_bad_address_gets_a_message_by_its_field_and_sends_nothing(new_client, email, message) -> None:
    response = await post(new_client(), "/sign-in", {"email": email})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    error = soup.select_one("#f-email-error")
    assert error is not None and message in error.get_text()
    assert soup.select_one("#f-email")["aria-invalid"] == "true"
    assert "<script>alert" not in response.text
    assert await MailMessage.count() == 0 and await SignInToken.count() == 0


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:x"])
async def test_after_signing_in_you_never_leave_the_site(new_client, target: str) -> None:
    response = await sign_in(new_client(), "h@example.org", next_path=target)
    assert response.headers["location"] == "/"


async def test_without_the_csrf_token_nothing_happens(new_client) -> None:
    client = new_client()
    await csrf(client)
    response = await client.post("/sign-in", data={"email": "i@example.org"})
    assert response.status_code == 403
    assert await MailMessage.count() == 0 and await OutboxItem.count() == 0


async def test_htmx_requests_carry_the_token_in_a_header(new_client) -> None:
    client = new_client()
    page = await client.get("/sign-in")
    hx_headers = BeautifulSoup(page.text, "html.parser").body["hx-headers"]
    token = re.search(r'"x-csrftoken": "([^"]+)"', hx_headers).group(1)
    response = await client.post("/sign-in", data={"email": "j@example.org"}, headers={"x-csrftoken": token})
    assert response.status_code == 200
    forged = await client.post("/sign-in", data={"email": "j@example.org"}, headers={"x-csrftoken": "forged"})
    assert forged.status_code == 403


async def test_pages_that_need_you_signed_in_send_you_to_sign_in_and_back(new_client) -> None:
    client = new_client()
    response = await client.get("/account")
    assert response.status_code == 303 and response.headers["location"] == "/sign-in?next=%2Faccount"
    htmx = await client.get("/account", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == "/sign-in?next=%2Faccount"


async def test_signing_out_ends_this_session_only(new_client) -> None:
    phone, laptop = new_client(), new_client()
    await sign_in(phone, "k@example.org")
    await sign_in(laptop, "k@example.org")
    assert (await post(phone, "/sign-out")).status_code == 303
    assert (await phone.get("/account")).status_code == 303
    assert (await laptop.get("/account")).status_code == 200


async def test_signing_out_everywhere_ends_every_session(new_client) -> None:
    phone, laptop = new_client(), new_client()
    await sign_in(phone, "l@example.org")
    await sign_in(laptop, "l@example.org")
    assert (await post(laptop, "/sign-out/everywhere")).status_code == 303
    assert (await phone.get("/account")).status_code == 303
    assert (await laptop.get("/account")).status_code == 303
    assert await UserSession.count() == 0


async def test_a_sign_in_from_a_new_device_is_audited(new_client) -> None:
    phone = new_client()
    await sign_in(phone, "m@example.org")  # the first device of a new account
    await sign_in(phone, "m@example.org")  # the same device again
    assert await AuditEntry.count() == 0
    await sign_in(new_client(), "m@example.org")  # another device
    rows = await AuditEntry.select(AuditEntry.action)
    assert [row["action"] for row in rows] == ["sign_in.new_device"]


async def test_your_name_is_checked_and_saved(new_client) -> None:
    client = new_client()
    await sign_in(client, "n@example.org")
    too_long = await post(client, "/account", {"display_name": "x" * 101})
    assert too_long.status_code == 422 and "100 characters or fewer" in too_long.text
    assert (await User.select(User.display_name).first())["display_name"] == ""
    assert (await post(client, "/account", {"display_name": "Nia"})).status_code == 303
    assert (await User.select(User.display_name).first())["display_name"] == "Nia"


async def test_a_bogus_session_cookie_is_just_signed_out(new_client) -> None:
    client: httpx.AsyncClient = new_client()
    client.cookies.set("session", "nonsense")
    assert (await client.get("/")).status_code == 200
    assert (await client.get("/account")).status_code == 303
