"""Real PostgreSQL and Meilisearch for the whole run, on their own data dirs and ports (never dev's),
a fresh migrated database, a clean state for every test, an app client and a phone-sized Chromium.

A run of tests/unit alone (`make test-unit`) starts none of them: tests/unit/conftest.py says why."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from app.core.startup import StartupError
from app.dev.meili import MeiliProcess
from app.dev.services import fresh_services, served_in_subprocess
from app.settings import ROOT, Settings, load_settings
from search.client import SearchClient
from tests.asgi import asgi_client

# Under `pytest -n 2` (make test) each worker has services of its own: var/test/gw0, var/test/gw1.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_VAR = ROOT / "var" / "test" / WORKER if WORKER else ROOT / "var" / "test"
TEST_DATABASE = "cyfle_test"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

_meili: MeiliProcess | None = None


UNIT = Path(__file__).resolve().parent / "unit"
# Unit runs point the app at ports where nothing listens (9 is "discard"), so a test that reaches for a service
# fails at once instead of finding a developer's database.
NO_SERVICES = {
    "APP_ENV": "test",
    "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
    "MEILI_URL": "http://127.0.0.1:9",
}


def only_unit_tests(config: pytest.Config) -> bool:
    """Every path asked for is under tests/unit (`pytest` alone asks for all of tests/)."""
    paths = [(config.invocation_params.dir / arg.split("::")[0]).resolve() for arg in config.args]
    return bool(paths) and all(path.is_relative_to(UNIT) for path in paths)


def pytest_configure(config: pytest.Config) -> None:
    """Runs before collection, so the environment is set before any table module is imported."""
    global _meili
    if getattr(config.option, "numprocesses", None) and not WORKER:
        return  # the controller of `pytest -n`: its workers run the tests, each with services of its own
    if only_unit_tests(config):
        os.environ.update(
            NO_SERVICES | {"SECRET_KEY": secrets.token_urlsafe(32), "PERSON_KEY": secrets.token_urlsafe(32)}
        )
        return
    try:
        env, _meili = fresh_services(TEST_VAR, TEST_DATABASE)
    except StartupError as exc:
        raise pytest.UsageError(str(exc)) from None
    os.environ.update(env)
    from app.core import db

    asyncio.run(db.migrate(env["DATABASE_URL"]))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _meili is not None:
        _meili.stop()


@pytest.fixture(scope="session")
def meili() -> MeiliProcess:
    assert _meili is not None, "this test needs Meilisearch: it belongs outside tests/unit"
    return _meili


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    from app import create_app

    return create_app(settings)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app) as test_client:
        yield test_client


@pytest.fixture
async def new_client(app: Litestar, client: httpx.AsyncClient) -> AsyncIterator[Any]:
    """Makes clients with cookie jars of their own (one per person in a test); `client` keeps the app running."""
    made: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        made.append(httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"))
        return made[-1]

    yield make
    for each in made:
        await each.aclose()


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives in `.messages`."""
    from tests.smtp import LoopbackSMTP

    server = LoopbackSMTP()
    server.start()
    yield server
    server.stop()


# Empties what the last test filled, in one round trip: DELETE with foreign-key triggers off costs a few ms where
# TRUNCATE of every table costs ~170 ms (a new file per table and index); an empty table's DELETE is free. Ids start
# again at 1 only where a test used its sequence.
CLEAN_SQL = """
DO $$
DECLARE
  name text;
  seq text;
  used boolean;
BEGIN
  SET LOCAL session_replication_role = replica;
  FOREACH name IN ARRAY string_to_array('%s', ',') LOOP
    EXECUTE format('DELETE FROM %%I', name);
    seq := pg_get_serial_sequence(name, 'id');
    IF seq IS NOT NULL THEN
      EXECUTE format('SELECT is_called FROM %%s', seq) INTO used;
      IF used THEN
        PERFORM setval(seq, 1, false);
      END IF;
    END IF;
  END LOOP;
END $$
"""


@pytest.fixture(scope="session")
async def meili_admin(meili: MeiliProcess) -> AsyncIterator[SearchClient]:
    """One master-key client for the run's housekeeping (a client per test costs ~25 ms to make)."""
    from search.client import make_client

    async with make_client(meili.url, meili.master_key) as client:
        yield client


_next: pytest.Item | None = None  # the test that runs after this one, if any
_prepared: tuple[str, Any] | None = None  # the offers index the `search` fixture set up: (uid, created at)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    global _next
    _next = nextitem
    return (yield)


@pytest.fixture(autouse=True)
async def clean_state(meili_admin: SearchClient) -> AsyncIterator[None]:
    """Every test starts from empty tables and no search indexes: afterwards, each test's leftovers go. One
    exception, for speed: when the next test asks for `search` too, the offers index it would set up again
    (~0.2 s, settings and all) stays, emptied of documents."""
    global _prepared
    yield
    from app.core import db
    from app.piccolo_app import APP_CONFIG
    from search.settings import TASK_TIMEOUT_MS

    tables = ",".join(table._meta.tablename for table in APP_CONFIG.table_classes)
    await db.engine().run_ddl(CLEAN_SQL % tables)
    keep = _next is not None and "search" in getattr(_next, "fixturenames", ())
    for index in await meili_admin.get_indexes() or []:
        if keep and (index.uid, index.created_at) == _prepared:
            if (await index.get_stats()).number_of_documents:
                task = await index.delete_all_documents()
                await meili_admin.wait_for_task(task.task_uid, timeout_in_ms=TASK_TIMEOUT_MS, raise_for_status=True)
            continue
        await meili_admin.delete_index_if_exists(index.uid)
    if not keep:
        _prepared = None


@pytest.fixture
async def search(meili_admin: SearchClient) -> AsyncIterator[SearchClient]:
    """A client of the test Meilisearch with the offers index set up (clean_state removes it afterwards)."""
    global _prepared
    from search.settings import OFFERS, apply_settings

    found = {(index.uid, index.created_at) for index in await meili_admin.get_indexes() or []}
    if _prepared not in found:
        await apply_settings(meili_admin)
        made = await meili_admin.get_index(OFFERS)
        _prepared = (made.uid, made.created_at)
    yield meili_admin


# Browser tests ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The app served by uvicorn in its own process, as in production, on a free loopback port."""
    with served_in_subprocess(TEST_VAR / "live_server.log") as url:
        yield url


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240 (once per run, before the browser starts)
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: `make test` installs it (as root).")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


class PageProblems(list[str]):
    """Console errors and CSP violations a page reported; a test ends by checking there are none, apart from
    the ones it said to expect (Chromium logs a form answered with 422 as a failed load)."""

    def __init__(self) -> None:
        super().__init__()
        self.expected: list[str] = []

    def expect(self, text: str) -> None:
        self.expected.append(text)

    def unexpected(self) -> list[str]:
        return [problem for problem in self if not any(text in problem for text in self.expected)]


async def _phone_page(browser: Any, javascript: bool, size: dict[str, Any] = PHONE) -> AsyncIterator[Any]:
    context = await browser.new_context(**size, java_script_enabled=javascript, locale="en-GB")
    # Say which element broke the CSP, not just that something did.
    await context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP violation:', "
        "e.violatedDirective, e.sourceFile, e.lineNumber, (e.target && e.target.outerHTML || '').slice(0, 200)))"
    )
    page = await context.new_page()
    problems = PageProblems()
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    yield page
    await context.close()
    assert not problems.unexpected(), f"the page reported errors: {problems.unexpected()}"


@pytest.fixture
async def page(browser: Any) -> AsyncIterator[Any]:
    """A phone-sized page (390×844, touch) with JavaScript on."""
    async for item in _phone_page(browser, javascript=True):
        yield item


@pytest.fixture
async def another_phone(browser: Any) -> AsyncIterator[Any]:
    """Makes more phones (each its own browser context: its own cookies), for journeys between people."""
    opened: list[Any] = []

    async def make(desktop: bool = False) -> Any:
        generator = _phone_page(browser, javascript=True, size=DESKTOP if desktop else PHONE)
        opened.append(generator)
        return await anext(generator)

    yield make
    for generator in opened:
        with contextlib.suppress(StopAsyncIteration):
            await anext(generator)


@pytest.fixture
async def camera_phone(browser: Any) -> AsyncIterator[Any]:
    """Makes a phone with a camera: Chromium's fake one, showing `video` (a .y4m file) or its own test pattern. The
    camera is chosen when Chromium starts, so each phone is a browser of its own. `allowed` is the person's answer
    when the page asks for the camera (Playwright answers; without a grant the page is refused)."""
    launched: list[Any] = []
    opened: list[Any] = []

    async def make(video: Path | None = None, allowed: bool = True) -> Any:
        args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream"]
        if video is not None:
            args.append(f"--use-file-for-fake-video-capture={video}")
        chromium = await browser.browser_type.launch(executable_path=CHROMIUM, args=args)
        launched.append(chromium)
        generator = _phone_page(chromium, javascript=True)
        opened.append(generator)
        page = await anext(generator)
        if allowed:
            await page.context.grant_permissions(["camera"])
        return page

    yield make
    for generator in opened:
        with contextlib.suppress(StopAsyncIteration):
            await anext(generator)
    for chromium in launched:
        await chromium.close()


@pytest.fixture
async def nojs_page(browser: Any) -> AsyncIterator[Any]:
    """The same phone with JavaScript switched off."""
    async for item in _phone_page(browser, javascript=False):
        yield item
