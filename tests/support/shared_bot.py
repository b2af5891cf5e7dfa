"""One real bot process shared by the tests of a module, on each backend.

A bot process costs about a second of CPU to start (imports, the database's migrations); tests
that only talk to a running bot through the fake Bot API, each in chats of its own and changing
nothing the others read, can share one. What belongs to a process (signals, exit codes, crash
recovery, environment and command line) keeps a process per test (``bot_process``).

The process is stopped with SIGTERM after the module's last test, and must then exit 0, as each
test used to check; on PostgreSQL it must not have made the SQLite file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer

TOKEN = "123456789:AAE_test-token-for-the-fake-server-0"  # as tests/conftest.py's


@dataclass(frozen=True)
class RunningBot:
    """The fake Bot API, the feed server and the bot process running against them."""

    telegram: FakeTelegram
    feeds: FeedServer
    bot: BotProcess


@contextmanager
def shared_bot(
    request: pytest.FixtureRequest,
    directory: Path,
    prepare: Callable[[FakeTelegram, FeedServer], None],
    *,
    ready: str = r"poll source=.* status=ok .*baseline=True",
) -> Iterator[RunningBot]:
    """Start the servers, ``prepare`` their world, start the bot on ``request.param`` (the
    backend) and wait for the ``ready`` log line; stop it all after the block."""
    env = {"DATABASE_PATH": str(directory / "bot.sqlite3")}
    if request.param == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_server").create_database()
    with FakeTelegram(token=TOKEN) as telegram, FeedServer() as feeds:
        env |= {
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{telegram.port}",
            "FEED_URLS": feeds.url("/feed.xml"),
            "POLL_INTERVAL_SECONDS": "0.3",
            "LOG_LEVEL": "INFO",
        }
        prepare(telegram, feeds)
        with BotProcess(env, cwd=directory) as bot:
            bot.wait_for(ready)
            yield RunningBot(telegram, feeds, bot)
            assert bot.terminate() == 0, bot.output
    if "DATABASE_URL" in env:
        assert not Path(env["DATABASE_PATH"]).exists(), "the bot used SQLite, not PostgreSQL"
