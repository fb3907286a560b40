"""Rate limits are about the client's real address: a forwarding header is believed only when configured, and then
only the entry our own proxy added (the limits themselves, against the database: tests/test_client_ip.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from litestar import Request

from app.core.ratelimit import client_ip, network_of
from app.settings import Settings


def request(headers: dict[str, str] | list[tuple[str, str]], peer: str = "10.9.9.9") -> Request[Any, Any, Any]:
    pairs = headers.items() if isinstance(headers, dict) else headers
    scope: Any = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(name.lower().encode(), value.encode()) for name, value in pairs],
        "client": (peer, 40000),
        "query_string": b"",
    }
    return Request(scope)


def behind(settings: Settings, header: str, hops: int = 1) -> Settings:
    return dataclasses.replace(settings, client_ip_header=header, trusted_proxy_hops=hops)


def test_without_a_configured_header_no_header_is_believed(settings: Settings) -> None:
    plain = behind(settings, "")
    forged = {"X-Forwarded-For": "1.2.3.4", "Fly-Client-IP": "5.6.7.8", "X-Real-IP": "9.9.9.9"}
    assert client_ip(request(forged), plain) == "10.9.9.9"


def test_only_the_entry_our_proxy_added_counts_not_what_the_client_wrote(settings: Settings) -> None:
    xff = behind(settings, "x-forwarded-for")
    # The client sent "X-Forwarded-For: 1.2.3.4"; Fly's proxy appended the address it saw.
    assert client_ip(request({"X-Forwarded-For": "1.2.3.4, 203.0.113.7"}), xff) == "203.0.113.7"
    assert client_ip(request([("X-Forwarded-For", "1.2.3.4"), ("X-Forwarded-For", "203.0.113.7")]), xff) == (
        "203.0.113.7"
    )
    assert client_ip(request({"X-Forwarded-For": "203.0.113.7"}), xff) == "203.0.113.7"


def test_with_two_trusted_proxies_the_second_entry_from_the_right_counts(settings: Settings) -> None:
    two = behind(settings, "x-forwarded-for", hops=2)
    assert client_ip(request({"X-Forwarded-For": "1.2.3.4, 203.0.113.7, 10.0.0.2"}), two) == "203.0.113.7"
    assert client_ip(request({"X-Forwarded-For": "10.0.0.2"}), two) == "10.9.9.9"  # not through both: the socket


def test_fly_client_ip_is_read_as_the_proxy_set_it(settings: Settings) -> None:
    fly = behind(settings, "fly-client-ip")
    assert client_ip(request({"Fly-Client-IP": "2001:db8::1"}), fly) == "2001:db8::1"
    assert client_ip(request({"X-Forwarded-For": "1.2.3.4"}), fly) == "10.9.9.9"


@pytest.mark.parametrize("value", ["not-an-address", "1.2.3.4; drop", ""])
def test_a_header_that_is_not_an_address_is_not_used(settings: Settings, value: str) -> None:
    assert client_ip(request({"Fly-Client-IP": value}), behind(settings, "fly-client-ip")) == "10.9.9.9"


def test_networks_are_a_slash_24_or_a_slash_64() -> None:
    assert network_of("203.0.113.7") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"


def test_the_server_believes_no_forwarded_header_itself(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    import uvicorn

    from app.__main__ import _serve

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    _serve(dataclasses.replace(settings, app_env="prod"))
    assert seen["proxy_headers"] is False
    assert seen.get("forwarded_allow_ips") in (None, "127.0.0.1")
