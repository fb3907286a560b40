"""Sign-in links to one address are limited per network tightly and, from everywhere together, only slowed down
(which address a request comes from: tests/unit/test_client_ip_headers.py)."""

from __future__ import annotations

import pytest

from app.accounts import service
from app.core.errors import TooManyRequests
from app.core.forms import Form
from app.mail.tables import MailMessage
from app.settings import Settings


async def ask(settings: Settings, email: str, ip: str) -> None:
    await service.request_link(settings, Form({"email": email}), ip, service.new_browser_nonce())


async def test_one_network_asking_for_one_address_again_and_again_is_stopped(settings: Settings) -> None:
    """Changing address within the same /24 does not get round the limit; another network is not affected."""
    for n in range(service.LINKS_PER_ADDRESS_AND_NETWORK):
        await ask(settings, "h@example.org", f"198.51.100.{n + 1}")
    with pytest.raises(TooManyRequests):
        await ask(settings, "h@example.org", "198.51.100.200")
    await ask(settings, "h@example.org", "192.0.2.1")  # the person, elsewhere
    assert await MailMessage.count() == service.LINKS_PER_ADDRESS_AND_NETWORK + 1


async def test_strangers_asking_from_many_networks_only_slow_links_down(settings: Settings) -> None:
    email = "victim@example.org"
    for n in range(30):  # from 30 networks: more than any lock-out would allow
        await ask(settings, email, f"203.0.{n}.9")
    sent = await MailMessage.count()
    assert sent == service.LINKS_PER_ADDRESS_AT_FULL_SPEED  # then one every few minutes, never none
    await ask(settings, email, "192.0.2.1")  # the person: the same answer, no error, no new link yet
    assert await MailMessage.count() == sent
    await MailMessage.raw("UPDATE sign_in_token SET created_at = created_at - interval '6 minutes'")
    await ask(settings, email, "192.0.2.1")
    assert await MailMessage.count() == sent + 1
    await ask(settings, email, "203.0.99.9")  # and the stranger straight after gets nothing new
    assert await MailMessage.count() == sent + 1
