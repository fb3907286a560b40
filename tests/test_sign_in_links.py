"""A sign-in link signs in the browser that asked for it, as the person it names: its page says which address it
signs in to, and anywhere else it asks for a second, explicit confirmation first."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.accounts.tables import SignInToken, UserSession
from app.core.auth import SESSION_COOKIE
from tests.people import last_link, post


def text_of(html: str) -> str:
    main = BeautifulSoup(html, "html.parser").find("main")
    assert main is not None
    return main.get_text(" ", strip=True)


async def ask(client, email: str) -> str:
    assert (await post(client, "/sign-in", {"email": email})).status_code == 200
    return await last_link(email)


async def test_the_button_page_says_which_address_it_signs_in_to(new_client) -> None:
    client = new_client()
    token = await ask(client, "ffion@example.org")
    page = await client.get(f"/sign-in/{token}")
    assert page.status_code == 200 and "This will sign you in as ffion@example.org" in text_of(page.text)


async def test_the_browser_that_asked_signs_in_with_one_press(new_client) -> None:
    client = new_client()
    token = await ask(client, "gwen@example.org")
    cookie = next(h for h in (await post(client, "/sign-in", {"email": "gwen@example.org"})).headers.get_list(
        "set-cookie") if h.startswith("asked="))  # fmt: skip
    assert "HttpOnly" in cookie and "Path=/sign-in" in cookie and "Max-Age=900" in cookie
    used = await post(client, f"/sign-in/{token}")  # the first link still works: one nonce per browser
    assert used.status_code == 303 and SESSION_COOKIE in used.cookies
    assert await UserSession.count() == 1


async def test_another_browser_is_asked_to_confirm_and_not_signed_in_until_it_does(new_client) -> None:
    asked, other = new_client(), new_client()
    token = await ask(asked, "huw@example.org")
    page = await post(other, f"/sign-in/{token}")
    assert page.status_code == 200 and SESSION_COOKIE not in page.cookies
    text = text_of(page.text)
    assert "Did you ask for this link?" in text and "huw@example.org" in text
    form = BeautifulSoup(page.text, "html.parser").find("input", {"name": "confirm"})
    assert form is not None and form["value"] == "yes"
    assert await UserSession.count() == 0
    assert await SignInToken.count().where(SignInToken.used_at.is_null()) == 1  # not used up by the question
    confirmed = await post(other, f"/sign-in/{token}", {"confirm": "yes"})
    assert confirmed.status_code == 303 and SESSION_COOKIE in confirmed.cookies
    assert await UserSession.count() == 1


async def test_a_link_someone_sent_you_does_not_quietly_sign_you_in_to_their_account(new_client) -> None:
    """The attacker asks for a link to their own address and gets the victim to open it."""
    attacker, victim = new_client(), new_client()
    token = await ask(attacker, "attacker@example.org")
    await ask(victim, "victim@example.org")  # the victim has asked for a link of their own: a different nonce
    shown = await victim.get(f"/sign-in/{token}")
    assert "attacker@example.org" in text_of(shown.text)
    pressed = await post(victim, f"/sign-in/{token}")
    assert pressed.status_code == 200 and "attacker@example.org" in text_of(pressed.text)
    assert await UserSession.count() == 0


async def test_a_link_that_does_not_work_says_so_when_opened(new_client) -> None:
    client = new_client()
    token = await ask(client, "iolo@example.org")
    assert (await post(client, f"/sign-in/{token}")).status_code == 303
    again = await client.get(f"/sign-in/{token}")
    assert "expired or been used already" in again.text and "Sign in to Cyfle" not in again.text
    assert "iolo@example.org" not in again.text
