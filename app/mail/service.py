"""Email: rendered when the change happens (in the reader's language), queued in the same transaction, sent by
the worker over SMTP with retries, so nothing is lost while the mail server is away."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, TypedDict
from urllib.parse import unquote, urlsplit

import aiosmtplib

from app.accounts.tables import User
from app.core.i18n import current_locale, speaking
from app.core.redact import scrub
from app.core.templating import make_environment
from app.mail.tables import MailMessage
from app.outbox import service as outbox
from app.settings import Settings

TOPIC = "mail.send"
BATCH = 20
log = logging.getLogger("app.mail")
_env = make_environment()


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """A mail template sets `subject` and renders the plain-text body."""
    module = _env.get_template(f"mail/{template}.txt").make_module(context)
    subject = " ".join(str(getattr(module, "subject", "")).split())  # a header has no line breaks
    return subject, str(module).strip() + "\n"


async def send(recipient: str, template: str, unsubscribe: str = "", **context: Any) -> None:
    """Queue an email, in the language its reader last used here (or the current one for a new address).
    Call inside the transaction of the change it tells about. `unsubscribe`: the address that stops mail of this
    kind with one click, for mail people asked for (alerts)."""
    reader = await User.select(User.locale).where(User.email == recipient).first()
    with speaking(reader["locale"] if reader else current_locale()):
        subject, body = render(template, context | {"unsubscribe": unsubscribe})
    rows = await MailMessage.insert(
        MailMessage(recipient=recipient, subject=subject, body=body, unsubscribe=unsubscribe)
    ).returning(MailMessage.id)
    await outbox.enqueue(TOPIC, {"id": rows[0]["id"]})


@dataclass(frozen=True)
class Mail:
    """A message, waiting to go or gone."""

    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime
    sent_at: datetime | None
    unsubscribe: str = ""


async def newest(limit: int = 50) -> list[Mail]:
    rows = await MailMessage.select().order_by(MailMessage.id, ascending=False).limit(limit)
    return [Mail(**row) for row in rows]


class ClearTextRefused(aiosmtplib.SMTPException):
    """smtp:// means STARTTLS: a server that does not offer it gets nothing, rather than the message in clear."""


class SmtpOptions(TypedDict):
    """aiosmtplib.send's keyword arguments."""

    hostname: str | None
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool
    timeout: int


def _smtp_options(url: str) -> SmtpOptions:
    """smtps:// is TLS from the start, smtp:// must upgrade with STARTTLS, and only smtp+insecure:// (a relay on
    the same machine or network) may send in clear: aiosmtplib's default would quietly fall back to clear."""
    parts = urlsplit(url)
    implicit_tls = parts.scheme == "smtps"
    return SmtpOptions(
        hostname=parts.hostname,
        port=parts.port or (465 if implicit_tls else 587),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=implicit_tls,
        start_tls=parts.scheme == "smtp",
        timeout=20,
    )


def _message(settings: Settings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=settings.base_url.split("//", 1)[-1].split(":")[0])
    if mail.unsubscribe:  # RFC 8058: mail programs offer "unsubscribe", which POSTs to it, no sign-in needed
        message["List-Unsubscribe"] = f"<{mail.unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.body)
    return message


async def _send(message: EmailMessage, options: SmtpOptions) -> None:
    try:
        await aiosmtplib.send(message, **options)
    except aiosmtplib.SMTPException as exc:
        if options["start_tls"] and "STARTTLS extension not supported" in str(exc):
            raise ClearTextRefused(
                "the mail server does not offer STARTTLS, and smtp:// never sends in clear"
                " (say smtp+insecure:// for a local relay that cannot)"
            ) from None
        raise


async def deliver_once(settings: Settings) -> int:
    """Send what is due. Without SMTP_URL (dev) messages are only kept, for /dev/mail."""
    items = await outbox.claim(TOPIC, BATCH)
    if not items:
        return 0
    if settings.smtp_url is None:
        await outbox.done(items)
        return len(items)
    options = _smtp_options(settings.smtp_url)
    sent: list[outbox.Claimed] = []
    for index, item in enumerate(items):
        if not await outbox.hold(item):  # the batch outlived its lease and another worker has this one now
            continue
        row = await MailMessage.select().where(MailMessage.id == item.payload["id"]).first()
        if row is None or row["sent_at"] is not None:  # erased before it went, or sent by a worker that then died
            await outbox.done([item])
            continue
        mail = Mail(**row)
        try:
            message = _message(settings, mail)
            await _send(message, options)
        except (ValueError, aiosmtplib.SMTPRecipientsRefused, aiosmtplib.SMTPSenderRefused) as exc:
            # This message can never go (a bad header, an address the server refuses); the rest still can.
            # Servers often repeat the address in their reply: neither the log nor last_error keeps it.
            log.error("mail %s can never be sent: %s; set aside", mail.id, scrub(str(exc)))
            await outbox.set_aside([item], str(exc))
            continue
        except (aiosmtplib.SMTPException, OSError) as exc:
            log.warning("could not send mail %s: %s; will retry", mail.id, scrub(str(exc)))
            await outbox.failed(items[index:], str(exc))  # the server is likely away: back off the rest too
            return index
        # Once sent, production keeps no copy of what it said (links in it are personal).
        body = mail.body if settings.has_dev_surface else ""
        async with MailMessage._meta.db.transaction():  # both or neither: a sent message is never sent again
            await MailMessage.update({MailMessage.sent_at: datetime.now(UTC), MailMessage.body: body}).where(
                MailMessage.id == mail.id
            )
            await outbox.done([item])
        sent.append(item)
    await outbox.back_again(TOPIC, sent)  # a message that had failed went: the rest waiting need not wait on
    return len(items)
