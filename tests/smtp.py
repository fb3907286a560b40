"""A real SMTP server on a loopback port, for mail tests: it can be stopped and started again on the same port.

It offers no STARTTLS (aiosmtpd without a TLS context), so the app reaches it as a local relay,
smtp+insecure://; `url_expecting_starttls` is the same server named the way production names one."""

from __future__ import annotations

import asyncio
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from app.core.startup import free_port


class _Keep:
    def __init__(
        self, messages: list[Message], refuse: bool, delay_s: float = 0.0, begun: list[str] | None = None
    ) -> None:
        self.messages = messages
        self.refuse = refuse
        self.delay_s = delay_s
        self.begun = begun if begun is not None else []

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.begun.append(address)
        if self.delay_s:  # a slow server: the sender waits here, before the message is accepted
            await asyncio.sleep(self.delay_s)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse:  # as real servers do, the refusal repeats the address it refuses
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


class LoopbackSMTP:
    def __init__(self, port: int | None = None, refuse_recipients: bool = False, delay_s: float = 0.0) -> None:
        self.port = port or free_port()
        self.refuse_recipients = refuse_recipients
        self.delay_s = delay_s
        self.messages: list[Message] = []
        self.begun: list[str] = []  # a sender for each message begun (MAIL FROM), accepted or not
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp+insecure://127.0.0.1:{self.port}"

    @property
    def url_expecting_starttls(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        handler = _Keep(self.messages, self.refuse_recipients, self.delay_s, self.begun)
        self._controller = Controller(handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
