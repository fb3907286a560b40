"""One settings object, read from the environment.

The defaults give the embedded setup: with DATABASE_URL and MEILI_URL unset, `python -m app dev` starts
PostgreSQL and Meilisearch itself. In production every secret must be given, or start-up stops with a
sentence that says which one is missing. APP_ENV is never assumed: unset or unknown stops start-up, so a
forgotten setting can never open the dev-only pages (`make dev` and `python -m app dev` say dev themselves).
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ENVS = ("dev", "test", "prod")
DEV_SURFACE_ENVS = ("dev", "test")  # the only places with /dev/mail, generated secrets and kept mail bodies
SMTP_SCHEMES = ("smtp://", "smtps://", "smtp+insecure://")
MIN_SECRET_LENGTH = 32
LOG_FORMATS = ("text", "json")


class SettingsError(Exception):
    """A setting is missing or wrong; the message is one sentence meant for the person starting the app."""


@dataclass(frozen=True)
class Settings:
    app_env: str
    host: str
    port: int
    database_url: str | None
    meili_url: str | None
    meili_master_key: str | None
    secret_key: str
    var_dir: Path
    web_concurrency: int
    worker_in_process: bool
    base_url: str
    smtp_url: str | None
    mail_from: str
    client_ip_header: str
    person_key: str = ""  # keys young people for counting only (app/core/keys.py); kept when SECRET_KEY rotates
    trusted_proxy_hops: int = 1
    meili_search_key: str | None = None
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None  # only to point the Stripe client at a stand-in (tests, trying it out)
    vapid_private_key: str | None = None  # web push's signing key (P-256, raw, base64url); none: no web push
    vapid_subject: str = ""  # who push services may contact about our pushes (mailto:)
    openreferral_per_minute: int = 300  # requests to /openreferral/ per client and minute, in each process; 0: no limit
    metrics_token: str | None = None  # /metrics answers a scraper sending it as a bearer token; unset: 404
    metrics_port: int | None = None  # `serve` also answers Prometheus on this port (Fly's scraper: private network)
    log_format: str = "text"  # app.* lines as text, or one JSON object a line (production's default)

    @property
    def takes_cards(self) -> bool:
        """Card payments need both Stripe keys; without them sponsors pledge by invoice."""
        return bool(self.stripe_secret_key and self.stripe_webhook_secret)

    @property
    def pushes(self) -> bool:
        """Web push is offered once it has a VAPID key."""
        return self.vapid_private_key is not None

    @property
    def is_prod(self) -> bool:
        return self.app_env == "prod"

    @property
    def has_dev_surface(self) -> bool:
        """Said explicitly (APP_ENV=dev or test), never assumed: anything else is treated as production."""
        return self.app_env in DEV_SURFACE_ENVS

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def embedded_search(self) -> bool:
        return self.meili_url is None


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}.")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}.")


def new_vapid_key() -> str:
    """A P-256 private key as web push keeps it: the raw 32-byte number, base64url without padding."""
    from cryptography.hazmat.primitives.asymmetric import ec

    number = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def _vapid_key(raw: str) -> str:
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except ValueError:
        decoded = b""
    if len(decoded) != 32:
        raise SettingsError("VAPID_PRIVATE_KEY must be a P-256 key, base64url: `python -m app vapid-key` makes one.")
    return raw


def kept_secret(path: Path, make: Callable[[], str] = lambda: secrets.token_urlsafe(32)) -> str:
    """A random secret generated once and kept in var/, so restarts keep sessions and search data."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    path.touch(mode=0o600)
    path.write_text(value)
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    app_env = env.get("APP_ENV", "").strip()
    if not app_env:
        raise SettingsError(
            "APP_ENV is not set: say prod, dev or test (`make dev` sets dev); refusing to guess, as a guess of dev"
            " would open the dev-only pages."
        )
    if app_env not in APP_ENVS:
        raise SettingsError(f"APP_ENV must be one of {', '.join(APP_ENVS)}, not {app_env!r}.")
    var_dir = Path(env.get("VAR_DIR", "").strip() or ROOT / "var")
    database_url = env.get("DATABASE_URL", "").strip() or None
    meili_url = env.get("MEILI_URL", "").strip().rstrip("/") or None
    meili_master_key = env.get("MEILI_MASTER_KEY", "").strip() or None
    meili_search_key = env.get("MEILI_SEARCH_KEY", "").strip() or None
    secret_key = env.get("SECRET_KEY", "").strip() or None
    person_key = env.get("PERSON_KEY", "").strip() or None
    smtp_url = env.get("SMTP_URL", "").strip() or None
    port = _int(env, "PORT", 8000, 1, 65535)
    base_url = (env.get("BASE_URL", "").strip() or f"http://127.0.0.1:{port}").rstrip("/")

    if app_env == "prod":
        missing = [
            name
            for name, value in (
                ("DATABASE_URL", database_url),
                ("MEILI_URL", meili_url),
                ("MEILI_MASTER_KEY", meili_master_key),
                ("SECRET_KEY", secret_key),
                ("PERSON_KEY", person_key),
                ("BASE_URL", env.get("BASE_URL", "").strip()),
                ("SMTP_URL", smtp_url),
            )
            if not value
        ]
        if missing:
            raise SettingsError(f"APP_ENV=prod needs {', '.join(missing)} to be set; refusing to start.")
    if secret_key is None:
        if app_env not in DEV_SURFACE_ENVS:  # unreachable while prod requires it; kept so it fails closed
            raise SettingsError("SECRET_KEY must be set outside dev and test.")
        secret_key = kept_secret(var_dir / "secret_key")
    if person_key is None:
        person_key = kept_secret(var_dir / "person_key")
    for name, value in (("SECRET_KEY", secret_key), ("PERSON_KEY", person_key)):
        if len(value) < MIN_SECRET_LENGTH:
            raise SettingsError(f"{name} must be at least {MIN_SECRET_LENGTH} characters long.")
    if database_url is not None and not database_url.startswith(("postgres://", "postgresql://")):
        raise SettingsError("DATABASE_URL must be a postgresql:// URL.")
    if meili_url is not None and not meili_url.startswith(("http://", "https://")):
        raise SettingsError("MEILI_URL must be an http:// or https:// URL.")

    stripe_secret_key = env.get("STRIPE_SECRET_KEY", "").strip() or None
    stripe_webhook_secret = env.get("STRIPE_WEBHOOK_SECRET", "").strip() or None
    if bool(stripe_secret_key) != bool(stripe_webhook_secret):
        raise SettingsError("STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET go together: set both, or neither.")
    stripe_api_base = env.get("STRIPE_API_BASE", "").strip().rstrip("/") or None
    if stripe_api_base is not None and app_env == "prod":
        raise SettingsError("STRIPE_API_BASE points Stripe at a stand-in; it is not for production.")

    # Web push: optional in production (unset, nobody is offered it); dev and test keep a key of their own in var/.
    vapid_private_key = env.get("VAPID_PRIVATE_KEY", "").strip() or None
    if vapid_private_key is None and app_env in DEV_SURFACE_ENVS:
        vapid_private_key = kept_secret(var_dir / "vapid_private_key", make=new_vapid_key)
    if vapid_private_key is not None:
        _vapid_key(vapid_private_key)
    mail_from = env.get("MAIL_FROM", "").strip() or "Cyfle <hello@cyfle.invalid>"
    vapid_subject = env.get("VAPID_SUBJECT", "").strip() or f"mailto:{parseaddr(mail_from)[1]}"
    if not vapid_subject.startswith(("mailto:", "https://")):
        raise SettingsError("VAPID_SUBJECT must be a mailto: or https:// address push services can reach us at.")

    metrics_token = env.get("METRICS_TOKEN", "").strip() or None
    if metrics_token is not None and len(metrics_token) < MIN_SECRET_LENGTH:
        raise SettingsError(f"METRICS_TOKEN must be at least {MIN_SECRET_LENGTH} characters long (or unset).")
    metrics_port = _int(env, "METRICS_PORT", 0, 0, 65535) or None
    if metrics_port is not None and metrics_port == port:
        raise SettingsError("METRICS_PORT must differ from PORT: the metrics stay off the public site.")
    log_format = env.get("LOG_FORMAT", "").strip().lower() or ("json" if app_env == "prod" else "text")
    if log_format not in LOG_FORMATS:
        raise SettingsError(f"LOG_FORMAT must be text or json, not {log_format!r}.")

    if not base_url.startswith(("http://", "https://")):
        raise SettingsError("BASE_URL must be an http:// or https:// URL (the address in links we email).")
    if smtp_url is not None and not smtp_url.startswith(SMTP_SCHEMES):
        raise SettingsError(
            "SMTP_URL must be an smtp:// (STARTTLS), smtps:// or smtp+insecure:// (a local relay, in clear) URL."
        )

    return Settings(
        app_env=app_env,
        host=env.get("HOST", "").strip() or ("0.0.0.0" if app_env == "prod" else "127.0.0.1"),
        port=port,
        database_url=database_url,
        meili_url=meili_url,
        meili_master_key=meili_master_key,
        secret_key=secret_key,
        var_dir=var_dir,
        web_concurrency=_int(env, "WEB_CONCURRENCY", 1, 1, 64),
        worker_in_process=_bool(env, "WORKER_IN_PROCESS", default=app_env == "dev"),
        base_url=base_url,
        smtp_url=smtp_url,
        mail_from=mail_from,
        client_ip_header=env.get("CLIENT_IP_HEADER", "").strip().lower(),
        person_key=person_key,
        trusted_proxy_hops=_int(env, "TRUSTED_PROXY_HOPS", 1, 1, 10),
        meili_search_key=meili_search_key,
        stripe_secret_key=stripe_secret_key,
        stripe_webhook_secret=stripe_webhook_secret,
        stripe_api_base=stripe_api_base,
        vapid_private_key=vapid_private_key,
        vapid_subject=vapid_subject,
        openreferral_per_minute=_int(env, "OPENREFERRAL_PER_MINUTE", 300, 0, 1_000_000),
        metrics_token=metrics_token,
        metrics_port=metrics_port,
        log_format=log_format,
    )
