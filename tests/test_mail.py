"""Email goes out over real SMTP, waits while the server is away, and is kept for /dev/mail outside production."""

from __future__ import annotations

import logging
from dataclasses import replace

import httpx
import pytest
from bs4 import BeautifulSoup

from app import create_app
from app.core import db
from app.mail import service as mail
from app.mail.tables import MailMessage
from app.outbox import service as outbox
from app.outbox.tables import OutboxItem
from app.settings import Settings
from tests.people import post
from tests.smtp import LoopbackSMTP


async def _queue(recipient: str, link: str = "https://cyfle.example/sign-in/abc") -> None:
    async with db.engine().transaction():
        await mail.send(recipient, "sign_in", link=link, minutes=15)


async def test_mail_is_sent_over_smtp(settings: Settings, smtp_server: LoopbackSMTP) -> None:
    await _queue("ffion@example.org")
    sent = await mail.deliver_once(replace(settings, smtp_url=smtp_server.url))
    assert sent == 1
    [message] = smtp_server.messages
    assert message["To"] == "ffion@example.org" and message["Subject"] == "Your link to sign in to Cyfle"
    assert message["From"] == settings.mail_from
    assert "https://cyfle.example/sign-in/abc" in message.get_payload(decode=True).decode()
    row = await MailMessage.select().first()
    assert row["sent_at"] is not None and row["body"]  # kept outside production, for /dev/mail
    assert await outbox.pending(mail.TOPIC) == 0


async def test_production_keeps_no_copy_of_what_it_sent(settings: Settings, smtp_server: LoopbackSMTP) -> None:
    await _queue("a@example.org")
    await mail.deliver_once(replace(settings, smtp_url=smtp_server.url, app_env="prod"))
    row = await MailMessage.select().first()
    assert row["sent_at"] is not None and row["body"] == ""


async def test_mail_waits_while_smtp_is_down_and_goes_when_it_returns(settings: Settings) -> None:
    server = LoopbackSMTP()  # a port with nothing listening yet
    with_smtp = replace(settings, smtp_url=server.url)
    await _queue("one@example.org")
    await _queue("two@example.org")
    assert await mail.deliver_once(with_smtp) == 0
    rows = await OutboxItem.select().where(OutboxItem.topic == mail.TOPIC)
    assert all(row["done_at"] is None and row["last_error"] for row in rows)
    assert await MailMessage.count().where(MailMessage.sent_at.is_not_null()) == 0

    server.start()
    try:
        await OutboxItem.raw("UPDATE outbox SET available_at = now()")  # skip the backoff wait
        assert await mail.deliver_once(with_smtp) == 2
    finally:
        server.stop()
    assert sorted(m["To"] for m in server.messages) == ["one@example.org", "two@example.org"]
    assert await outbox.pending(mail.TOPIC) == 0


async def test_after_a_long_outage_the_first_message_through_brings_the_rest(settings: Settings) -> None:
    """After a long outage the rows wait up to five minutes each (their backoff has grown): once one gets through,
    the server is back, and the others go on the next run instead of waiting it out."""
    server = LoopbackSMTP()  # a port with nothing listening yet
    with_smtp = replace(settings, smtp_url=server.url)
    for n in range(3):
        await _queue(f"person{n}@example.org")
    assert await mail.deliver_once(with_smtp) == 0
    first = (await OutboxItem.select(OutboxItem.id).order_by(OutboxItem.id).first())["id"]
    await OutboxItem.raw("UPDATE outbox SET available_at = now() + interval '250 seconds' WHERE id <> {}", first)
    await OutboxItem.raw("UPDATE outbox SET available_at = now() WHERE id = {}", first)  # its backoff ran out

    server.start()
    try:
        assert await mail.deliver_once(with_smtp) == 1
        assert await mail.deliver_once(with_smtp) == 2, "the others were due at once"
    finally:
        server.stop()
    assert len(server.messages) == 3 and await outbox.pending(mail.TOPIC) == 0
    # With nothing failing before, a delivery changes no other row's time.
    await _queue("later@example.org")
    await OutboxItem.raw("UPDATE outbox SET available_at = now() + interval '250 seconds', attempts = 1")
    await _queue("now@example.org")
    server.start()
    try:
        assert await mail.deliver_once(with_smtp) == 1
        assert await mail.deliver_once(with_smtp) == 0
    finally:
        server.stop()


async def test_without_smtp_mail_is_kept_for_the_dev_mailbox(settings: Settings, new_client) -> None:
    await _queue("older@example.org", link="https://cyfle.example/sign-in/first")
    await _queue("newer@example.org", link="https://cyfle.example/sign-in/second")
    assert await mail.deliver_once(replace(settings, smtp_url=None)) == 2
    page = await new_client().get("/dev/mail")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    links = [a["href"] for a in soup.select("main article a")]
    assert links == ["https://cyfle.example/sign-in/second", "https://cyfle.example/sign-in/first"]


@pytest.mark.parametrize("app_env", ["prod", "staging", ""])
async def test_the_dev_mailbox_exists_only_where_dev_or_test_is_said(settings: Settings, app_env: str) -> None:
    """load_settings refuses an unknown APP_ENV; should one ever get this far, it still means production."""
    await _queue("someone@example.org")
    await mail.deliver_once(replace(settings, smtp_url=None))
    prod = create_app(replace(settings, app_env=app_env, meili_search_key="search-only"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=prod), base_url="http://127.0.0.1") as client:
        page = await client.get("/dev/mail")
    assert page.status_code == 404 and "someone@example.org" not in page.text


async def test_smtp_without_starttls_sends_nothing_in_clear(settings: Settings, smtp_server: LoopbackSMTP) -> None:
    """smtp:// means STARTTLS; a server that does not offer it (this one) gets nothing, and the mail waits."""
    await _queue("clear@example.org")
    assert await mail.deliver_once(replace(settings, smtp_url=smtp_server.url_expecting_starttls)) == 0
    assert smtp_server.messages == []
    [item] = await OutboxItem.select().where(OutboxItem.topic == mail.TOPIC)
    assert item["done_at"] is None and "does not offer STARTTLS" in item["last_error"]
    assert await MailMessage.count().where(MailMessage.sent_at.is_not_null()) == 0

    # Said explicitly, a local relay without TLS is used.
    await OutboxItem.raw("UPDATE outbox SET available_at = now()")
    assert await mail.deliver_once(replace(settings, smtp_url=smtp_server.url)) == 1
    assert [m["To"] for m in smtp_server.messages] == ["clear@example.org"]


async def test_a_refusal_that_repeats_the_address_is_kept_without_it(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    server = LoopbackSMTP(refuse_recipients=True)
    server.start()
    try:
        await _queue("nobody.here@example.org")
        with caplog.at_level(logging.DEBUG):
            await mail.deliver_once(replace(settings, smtp_url=server.url))
    finally:
        server.stop()
    [item] = await OutboxItem.select().where(OutboxItem.topic == mail.TOPIC)
    assert item["done_at"] is not None and "Recipient address rejected" in item["last_error"]
    assert "example.org" not in item["last_error"] and "<address>" in item["last_error"]
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("app"))  # not aiosmtpd's own
    assert "Recipient address rejected" in ours and "example.org" not in ours


async def test_signing_in_in_welsh_sends_the_email_in_welsh(new_client) -> None:
    client = new_client()
    await client.get("/sign-in?lang=cy")
    await post(client, "/sign-in", {"email": "cymraeg@example.org"})
    row = await MailMessage.select().first()
    assert row["subject"] != "Your link to sign in to Cyfle"


async def test_email_about_someone_else_is_in_the_readers_language(new_client) -> None:
    """A Welsh-speaking owner hears of their approval in Welsh, whatever language the admin uses."""
    from app.accounts.tables import User

    await User.insert(User(email="perchennog@example.org", locale="cy", known_devices=[]))
    await User.insert(User(email="owner@example.org", locale="en", known_devices=[]))
    async with db.engine().transaction():
        await mail.send("perchennog@example.org", "organisation_approved", name="Menter", link="https://x/1")
        await mail.send("owner@example.org", "organisation_approved", name="Menter", link="https://x/1")
    subjects = {row["recipient"]: row["subject"] for row in await MailMessage.select()}
    assert subjects["owner@example.org"] == "Menter is approved on Cyfle"
    assert subjects["perchennog@example.org"] == "Mae Menter wedi’i gymeradwyo ar Cyfle"


async def test_the_worker_sends_queued_mail(settings: Settings, search, smtp_server: LoopbackSMTP) -> None:

    from app.worker import in_process_worker

    await _queue("worker@example.org")
    async with in_process_worker(search, replace(settings, smtp_url=smtp_server.url)) as worker:
        await worker.caught_up()
    assert [m["To"] for m in smtp_server.messages] == ["worker@example.org"]


async def test_a_message_that_can_never_go_is_set_aside_and_the_rest_still_go(settings: Settings, smtp_server) -> None:
    await _queue("first@example.org")
    await MailMessage.update({MailMessage.subject: "Broken\nSubject"}).where(
        MailMessage.recipient == "first@example.org"
    )
    await _queue("second@example.org")
    await mail.deliver_once(replace(settings, smtp_url=smtp_server.url))
    assert [m["To"] for m in smtp_server.messages] == ["second@example.org"]
    broken = await OutboxItem.select().order_by(OutboxItem.id).first()
    assert broken["done_at"] is not None and broken["last_error"].startswith("set aside")
