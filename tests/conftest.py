"""Shared fixtures: the fake Bot API server, the local feed server, and runs of the real bot."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.core import i18n
from bot.store import Store
from bot.store.postgres import PostgresStore
from bot.store.protocol import StoreVerbs
from tests.support import slow
from tests.support.backends import database_env
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer
from tests.support.postgres import PostgresServer, PostgresUnavailableError

# PTB warns (an error under our warning filter) unless durations are opted in to timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# The suite starts hundreds of Python processes (xdist workers, `python -m bot` runs), and each
# would compile every module it imports again, and every xdist worker rewrite every test module's
# asserts again (~10 s of CPU each), where PYTHONDONTWRITEBYTECODE forbids the caches: the tests
# keep them (in the git-ignored __pycache__ folders). Set before the workers and processes start.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
    sys.dont_write_bytecode = False

pytest_plugins = ("pytester",)  # tests/test_slow_marker.py runs pytest on a folder of its own

TOKEN = "123456789:AAE_test-token-for-the-fake-server-0"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


# ------------------------------------------------------------------- the slow marker (fast loop)


@pytest.hookimpl(tryfirst=True)  # before `-m` selects: the marks must be on by then
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that starts a process or a server ``slow`` (tests/support/slow.py)."""
    slow.mark_slow_tests(items)


def pytest_configure(config: pytest.Config) -> None:
    """Watch what each test starts, to check the ``slow`` marks in the fast loop."""
    config.stash[_WATCH] = slow.StartWatch()


_WATCH = pytest.StashKey[slow.StartWatch]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """What starts during a test's set-up and call is that test's doing."""
    item.config.stash[_WATCH].begin(item.nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Not what a tear-down starts (the session's last test stops the PostgreSQL server)."""
    item.config.stash[_WATCH].end()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[pytest.TestReport]:
    """In the fast loop, a test that started a process or a server unmarked fails at tear-down."""
    report: pytest.TestReport = yield
    started = item.config.stash[_WATCH].started(item.nodeid)
    unmarked = item.get_closest_marker(slow.MARKER) is None
    fast_loop = slow.deselects_slow(item.config)
    if call.when == "teardown" and unmarked and started and report.passed and fast_loop:
        report.outcome = "failed"
        report.longrepr = slow.complaint(started)
    return report


@pytest.fixture(autouse=True)
def _english_until_told() -> None:
    """Each test starts in English, whatever language an earlier one chose (``i18n.use`` sets a
    context variable that a synchronous test leaves set for the next one in its process)."""
    i18n.use(None)


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    """A fake Telegram Bot API server on 127.0.0.1."""
    server = FakeTelegram(token=TOKEN).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    """A local HTTP server whose feeds a test can change while the bot runs."""
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def backend() -> str:
    """The database a bot process runs on: SQLite, unless the test is parametrized over
    ``tests.support.backends.BACKENDS`` (``@pytest.mark.parametrize("backend", BACKENDS)``)."""
    return "sqlite"


@pytest.fixture
def bot_env(
    tmp_path: Path,
    telegram: FakeTelegram,
    feeds: FeedServer,
    backend: str,
    request: pytest.FixtureRequest,
) -> dict[str, str]:
    """Environment for a bot process wired to the fake servers, polling fast.

    On the ``postgresql`` backend DATABASE_URL names a fresh database of the test server.
    """
    return {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{telegram.port}",
        **database_env(backend, tmp_path, request),
        "FEED_URLS": feeds.url("/feed.xml"),
        "POLL_INTERVAL_SECONDS": "0.3",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture
def bot_process(tmp_path: Path, bot_env: dict[str, str]) -> Iterator[BotProcess]:
    """A (not yet started) run of `python -m bot` with the fake servers' environment.

    On PostgreSQL the test also fails if the bot made the SQLite file (it used the wrong store).
    """
    process = BotProcess(bot_env, cwd=tmp_path)
    try:
        yield process
    finally:
        process.__exit__()
    if "DATABASE_URL" in bot_env:
        assert not Path(bot_env["DATABASE_PATH"]).exists(), "the bot used SQLite, not PostgreSQL"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server of the test session's own (skipped where it is not installed).

    Under CI (``CI`` set) a missing PostgreSQL fails instead: CI must run these tests.
    """
    try:
        server = PostgresServer.create()
    except PostgresUnavailableError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {exc}")
        pytest.skip(str(exc))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return postgres_server.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[StoreVerbs]:
    """A fresh store on each backend: a SQLite file, or a database on the session's PostgreSQL."""
    opened: StoreVerbs
    if request.param == "sqlite":
        opened = await Store.open(tmp_path / "bot.sqlite3")
    else:
        opened = await PostgresStore.open(request.getfixturevalue("postgres_url"))
    try:
        yield opened
    finally:
        await opened.close()
