"""Web push: a note on the phone when saved searches have news, for people who turned it on on that phone.

The browser gives us where to send (its push service's address) and the keys to encrypt to (RFC 8291); we sign
with our VAPID key (RFC 8292) so only we can push there. The note says how many new offers there are and nothing
more: a lock screen is seen by others, so never what was searched, nothing about care. Each phone's note is its
own outbox row, sent by the worker and retried; a phone the push service no longer knows (404, 410) is forgotten.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
from typing import Any

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pywebpush import WebPushException, webpush_async
from yarl import URL

from app.accounts.tables import User
from app.core.errors import BadRequest, NotFound
from app.core.i18n import _, ngettext, speaking
from app.outbox import service as outbox
from app.saved.tables import PushSubscription
from app.settings import Settings

TOPIC = "push.send"
BATCH = 20
MOST_PHONES = 10  # browsers someone has turned push on in; the oldest goes when an eleventh comes
KEPT_S = 24 * 3600  # a phone that is off hears it when it is back within a day; later, the email has said it
MOST_ATTEMPTS = 300  # tries, backing off to one each five minutes: about a day
# Push services of the browsers people use (Chrome and Android, Firefox, Safari, Edge), exactly, on HTTPS's own
# port. Anything else would have the worker send requests wherever a stranger pointed it.
SERVICES = ("fcm.googleapis.com", "updates.push.services.mozilla.com", "web.push.apple.com")
SERVICE_ENDINGS = (".notify.windows.com",)  # Windows gives each region its own host (wns2-db5p.notify.windows.com)
TIMEOUT_S = 10
log = logging.getLogger("app.push")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key(settings: Settings) -> str:
    """What the browser subscribes with (applicationServerKey): our VAPID public key, uncompressed, base64url."""
    assert settings.vapid_private_key is not None
    return _public_key(settings.vapid_private_key)


@functools.cache  # one key for the process's life: worked out once, not on every /me/searches
def _public_key(private_key: str) -> str:
    number = int.from_bytes(_unb64(private_key), "big")
    key = ec.derive_private_key(number, ec.SECP256R1()).public_key()
    return _b64(key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))


def _allowed(settings: Settings, endpoint: str) -> bool:
    """Read as aiohttp will read it (yarl), so what is checked is where the worker will post: no user info, no
    other port, no odd characters."""
    try:
        url = URL(endpoint)
    except ValueError:
        return False
    if url.user is not None or url.password is not None or not endpoint.isprintable() or "\\" in endpoint:
        return False
    host = (url.raw_host or "").lower()
    if url.scheme == "https" and url.port == 443 and (host in SERVICES or host.endswith(SERVICE_ENDINGS)):
        return True
    # Tests and trying it out: a push service stand-in on this machine.
    return settings.has_dev_surface and url.scheme == "http" and host == "127.0.0.1"


def _subscription(settings: Settings, data: Any) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from what PushSubscription.toJSON() gives, or a clear 400."""
    problem = _("This browser's push details could not be read. Try turning notifications on again.")
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise BadRequest(problem)
    endpoint, p256dh, auth = data.get("endpoint"), data["keys"].get("p256dh"), data["keys"].get("auth")
    if not (isinstance(endpoint, str) and isinstance(p256dh, str) and isinstance(auth, str)):
        raise BadRequest(problem)
    if len(endpoint) > 1000 or not _allowed(settings, endpoint):
        raise BadRequest(_("Notifications from this browser's push service are not supported."))
    try:
        point, secret = _unb64(p256dh), _unb64(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise BadRequest(problem) from None
    if len(secret) != 16:
        raise BadRequest(problem)
    return endpoint, p256dh, auth


async def turn_on(settings: Settings, user_id: int, data: Any) -> None:
    """This browser hears about new offers; one address belongs to one person (the last to turn it on there)."""
    if not settings.pushes:
        raise NotFound(_("Notifications are not offered here."))
    endpoint, p256dh, auth = _subscription(settings, data)
    async with PushSubscription._meta.db.transaction():
        await PushSubscription.delete().where(PushSubscription.endpoint == endpoint)
        await PushSubscription.insert(PushSubscription(user=user_id, endpoint=endpoint, p256dh=p256dh, auth=auth))
        await PushSubscription.raw(
            'DELETE FROM push_subscription WHERE id IN (SELECT id FROM push_subscription WHERE "user" = {}'
            " ORDER BY id DESC OFFSET {})",
            user_id,
            MOST_PHONES,
        )


async def turn_off(user_id: int, data: Any) -> None:
    """`data` names the browser ({"endpoint": ...}, as static/js/push.js sends it); only its owner's goes."""
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str):
        raise BadRequest(_("Say which browser to stop notifying."))
    await PushSubscription.delete().where((PushSubscription.user == user_id) & (PushSubscription.endpoint == endpoint))


async def phones(user_id: int) -> int:
    return await PushSubscription.count().where(PushSubscription.user == user_id)


async def queue(settings: Settings, user_id: int, count: int, link: str) -> None:
    """Inside the alert's transaction: a note to each of this person's phones, in their language."""
    rows = await PushSubscription.select(PushSubscription.id).where(PushSubscription.user == user_id)
    if not rows:
        return
    reader = await User.select(User.locale).where(User.id == user_id).first()
    with speaking(reader["locale"] if reader else "en"):
        note = {
            "title": _("New on Cyfle"),
            "body": ngettext(
                "%(num)d new opportunity matches your saved searches.",
                "%(num)d new opportunities match your saved searches.",
                count,
            )
            % {"num": count},
            "url": link,
        }
    for row in rows:
        await outbox.enqueue(TOPIC, {"subscription": row["id"], "note": note})


async def deliver_once(settings: Settings) -> int:
    """The worker: send what is due."""
    items = await outbox.claim(TOPIC, BATCH)
    if not items:
        return 0
    claims = {"sub": settings.vapid_subject}
    async with aiohttp.ClientSession() as session:
        for item in items:
            if not await outbox.hold(item):  # the batch outlived its lease and another worker has this one now
                continue
            row = await PushSubscription.select().where(PushSubscription.id == item.payload["subscription"]).first()
            if row is None or settings.vapid_private_key is None:  # turned off (or the key taken away) since
                await outbox.done([item])
                continue
            info = {"endpoint": row["endpoint"], "keys": {"p256dh": row["p256dh"], "auth": row["auth"]}}
            try:
                await webpush_async(
                    info,
                    json.dumps(item.payload["note"]),
                    vapid_private_key=settings.vapid_private_key,
                    vapid_claims=dict(claims),
                    ttl=KEPT_S,
                    timeout=TIMEOUT_S,
                    aiohttp_session=session,
                )
            except WebPushException as exc:
                status = exc.response.status if exc.response is not None else None
                if status in (404, 410):  # the browser unsubscribed or the push service forgot it
                    await PushSubscription.delete().where(PushSubscription.id == row["id"])
                    await outbox.done([item])
                elif status is not None and 400 <= status < 500 and status != 429:
                    log.error("push %s refused (%s); set aside", item.id, status)
                    await outbox.set_aside([item], f"push service said {status}")
                elif item.attempts >= MOST_ATTEMPTS:
                    await outbox.set_aside([item], f"gave up: push service said {status}")
                else:
                    await outbox.failed([item], f"push service said {status}")
                continue
            except (aiohttp.ClientError, TimeoutError) as exc:
                if item.attempts >= MOST_ATTEMPTS:  # about a day of tries: the email has said it long since
                    await outbox.set_aside([item], f"gave up: {type(exc).__name__}")
                else:
                    log.warning("could not reach a push service: %s; will retry", type(exc).__name__)
                    await outbox.failed([item], type(exc).__name__)
                continue
            except Exception as exc:  # anything else about this one note (a key, an address): the others still go
                log.error("push %s can never be sent: %s; set aside", item.id, type(exc).__name__)
                await outbox.set_aside([item], type(exc).__name__)
                continue
            await outbox.done([item])
    return len(items)
