"""The Litestar application."""

from __future__ import annotations

import gc
import logging
import os

os.environ.setdefault("PICCOLO_CONF", "app.piccolo_conf")

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.plugins.htmx import HTMXPlugin

from app.accounts import routes as accounts
from app.accounts import sessions
from app.admin import routes as admin
from app.advisers import routes as advisers
from app.applications import routes as applications
from app.codes import routes as codes
from app.concerns import labels as concern_labels
from app.concerns import routes as concerns
from app.core import db, keys
from app.core.accesslog import configure_logging, log_response
from app.core.auth import AuthMiddleware
from app.core.deps import DEPENDENCIES
from app.core.errors import error_response
from app.core.head import answer_head_as_get
from app.core.i18n import LocaleMiddleware, locale_headers
from app.core.metrics import observed
from app.core.security import security_headers
from app.core.templating import register_helpers, static_files_router, template_config
from app.feedback import routes as feedback
from app.home.routes import home
from app.mail import routes as mail
from app.offers import helpers as offer_helpers
from app.offers import provider_routes as provider_offers
from app.offers import routes as offers
from app.openreferral import routes as openreferral
from app.openreferral.responses import cors_headers as open_data_cors
from app.organisations import labels as organisation_labels
from app.organisations import routes as organisations
from app.outbox import labels as outbox_labels
from app.progress import helpers as progress_helpers
from app.progress import routes as progress
from app.publishing import routes as publishing
from app.pwa import routes as pwa
from app.saved import labels as saved_labels
from app.saved import routes as saved
from app.seo import routes as seo
from app.settings import Settings, SettingsError, load_settings
from app.sponsorship import labels as sponsorship_labels
from app.sponsorship import routes as sponsorship
from app.sponsorship.gateway import StripeGateway
from app.system import routes as system
from app.system.metrics import metrics
from app.verdicts import routes as verdicts
from app.verification import labels as verification_labels
from app.verification import routes as verification
from app.worker import in_process_worker
from app.young_people import routes as young_people
from search.client import make_client
from search.keys import search_only_key

# Every process imports this package first, so templates (pages and emails alike) always have every domain's helpers.
register_helpers(
    concern_labels.TEMPLATE_HELPERS,
    offer_helpers.TEMPLATE_HELPERS,
    organisation_labels.TEMPLATE_HELPERS,
    outbox_labels.TEMPLATE_HELPERS,
    progress_helpers.TEMPLATE_HELPERS,
    saved_labels.TEMPLATE_HELPERS,
    sponsorship_labels.TEMPLATE_HELPERS,
    verification_labels.TEMPLATE_HELPERS,
)

DB_POOL_MAX = 20
MAX_BODY_BYTES = 2 * 1024 * 1024  # forms and CSV uploads; nothing bigger is ever needed


def _checkout_origin(settings: Settings) -> str | None:
    """Where Stripe Checkout's payment page lives (a stand-in's address in tests), when cards are taken."""
    if not settings.takes_cards:
        return None
    if settings.stripe_api_base:
        parts = urlsplit(settings.stripe_api_base)
        return f"{parts.scheme}://{parts.netloc}"
    return "https://checkout.stripe.com"


async def _web_search_key(settings: Settings) -> str | None:
    """The web process searches with a key that can do nothing but search: MEILI_SEARCH_KEY (required in
    production), or in dev and tests one made with the master key at start-up."""
    if settings.meili_search_key or settings.is_prod:
        return settings.meili_search_key
    assert settings.meili_url is not None
    try:
        async with make_client(settings.meili_url, settings.meili_master_key) as master:
            return await search_only_key(master)
    except Exception:  # Meilisearch away at start-up (dev): search with the master key rather than not at all
        logging.getLogger(__name__).warning("no search-only Meilisearch key; searching with the master key")
        return settings.meili_master_key


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    if settings.database_url is None or settings.meili_url is None:
        raise SettingsError(
            "DATABASE_URL and MEILI_URL must be set; `python -m app dev` starts embedded ones and sets them."
        )
    configure_logging(settings.log_format)
    if settings.is_prod and not settings.meili_search_key:
        raise SettingsError(
            "APP_ENV=prod serves with a search-only key: set MEILI_SEARCH_KEY (`python -m app search-key` prints one)."
        )
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # one line per Meilisearch call drowns the log
    engine = db.configure(settings.database_url)
    meili_url = settings.meili_url

    @asynccontextmanager
    async def resources(app: Litestar) -> AsyncIterator[None]:
        # min_size=0: the app starts even while the database is away, and /ready says so.
        await engine.start_connection_pool(min_size=0, max_size=DB_POOL_MAX, reset=db.keep_session)
        app.state.search = make_client(meili_url, await _web_search_key(settings))
        # Only a worker running in this process (dev) writes to Meilisearch, and only it gets the master key.
        writer = make_client(meili_url, settings.meili_master_key) if settings.worker_in_process else None
        gc.freeze()  # what start-up made lives as long as the process: full collections need not walk it again
        try:
            async with in_process_worker(writer or app.state.search, settings, enabled=writer is not None):
                yield
        finally:  # after the worker has stopped, so it never works with a closed client or pool
            await app.state.search.aclose()
            if writer is not None:
                await writer.aclose()
            await engine.close_connection_pool()

    app = Litestar(
        route_handlers=[
            home,
            *offers.ROUTES,
            *system.ROUTES,
            metrics,
            static_files_router(),
            *pwa.ROUTES,
            *seo.ROUTES,
            *accounts.ROUTES,
            *organisations.ROUTES,
            *provider_offers.ROUTES,
            *young_people.ROUTES,
            *advisers.ROUTES,
            *verification.ROUTES,
            *applications.ROUTES,
            *codes.ROUTES,
            *saved.ROUTES,
            *sponsorship.ROUTES,
            *progress.ROUTES,
            *publishing.ROUTES,
            *feedback.ROUTES,
            *concerns.ROUTES,
            *verdicts.ROUTES,
            *admin.ROUTES,
            *openreferral.ROUTES,
            mail.mailbox,
        ],
        template_config=template_config(reload=settings.app_env == "dev"),
        plugins=[HTMXPlugin()],
        compression_config=CompressionConfig(backend="gzip", minimum_size=512),
        middleware=[LocaleMiddleware, AuthMiddleware],
        csrf_config=CSRFConfig(
            secret=keys.key_for(settings, "csrf").hex(),
            cookie_secure=settings.is_prod,
            cookie_httponly=True,
            cookie_samesite="lax",
            # Stripe signs its events; one-click unsubscribes (RFC 8058) carry a key
            # Patterns searched for anywhere in the path: anchored, so no other route can come to match them.
            exclude=[f"^{path}" for path in (sponsorship.WEBHOOK, saved.UNSUBSCRIBE, advisers.UNSUBSCRIBE)],
        ),
        request_max_body_size=MAX_BODY_BYTES,
        before_send=[
            security_headers(hsts=settings.is_prod, pay_at=_checkout_origin(settings)),
            locale_headers,
            open_data_cors,  # /openreferral is read from other websites
            log_response,  # instead of uvicorn's access log, which has the path as asked (tokens, codes, places)
        ],
        dependencies=DEPENDENCIES,  # `settings` and `today`, for any handler that names them
        exception_handlers={Exception: error_response},
        lifespan=[resources],
        state=State(
            {
                "settings": settings,
                "payments": StripeGateway.from_settings(settings),
                "load_principal": sessions.load_principal,  # who a session cookie is: the accounts domain says
            }
        ),
        logging_config=None,  # app.core.accesslog configures app.*; Litestar's default would log httpx's URLs too
        openapi_config=None,  # no API schema pages: this is a website, and they would load scripts from a CDN
        debug=False,
    )
    answer_head_as_get(app)  # HEAD on every GET route (uptime monitors, link checkers)
    # Round the whole handler, the HEAD step too (a route's middleware would miss the 404s and 405s): a request id,
    # counts and timing, with the method as asked.
    app.asgi_handler = observed(app.asgi_handler)
    return app
