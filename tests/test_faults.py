"""Faults end clearly: a one-line log, the right exit status, and backoff where waiting helps.

The real bot process against the fake Bot API server and the local feed server.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.core.instances import SETTLED_AFTER
from bot.core.models import Classification, NewArticle, ParsedItem, SourceSpec
from bot.store import Store
from tests.support.backends import BACKENDS, seed_subscribers
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.seeding import record_articles
from tests.support.stories import seed_chats, story

CHATS = range(8001, 8031)
READER = 8100


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_telegram_outage_pauses_every_send_with_backoff_then_delivers_all(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess, bot_env: dict[str, str]
) -> None:
    """Every call answered 502: the bot backs off instead of trying each of 30 chats, logs one
    line per pause and no traceback, and delivers everything once Telegram is back."""
    await seed_subscribers(bot_env, telegram, CHATS)
    feeds.set("/feed.xml", rss([story(0)]))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    bot_process.wait_for(r"running as @")  # started: the outage begins once the bot runs
    # ... and polls for updates (on PostgreSQL the leader starts that after "running")
    assert telegram.wait_until(lambda: bool(telegram.calls("getUpdates")), timeout=20)
    telegram.clear_log()
    telegram.fail_next_any(502, times=100_000, method="*")
    telegram.send_message(CHATS[0], CHATS[0], "/help")  # ends the long poll under way
    feeds.set("/feed.xml", rss([story(1), story(0)]))
    await asyncio.sleep(8)
    sends = len(telegram.calls("sendMessage"))
    polls = len(telegram.calls("getUpdates"))
    telegram.clear_faults()
    assert await telegram.async_wait_until(
        lambda: all(len(telegram.messages(chat)) == 1 for chat in CHATS), 90
    )
    bot_process.wait_for(r"deliver outage over")
    assert bot_process.terminate() == 0
    print(f"outage calls: sendMessage={sends} getUpdates={polls}")
    assert sends <= 16, sends  # not one attempt per chat, nor a retry loop at full speed
    assert polls <= 8, polls  # getUpdates backs off too
    assert "deliver outage failures_in_a_row=" in bot_process.output
    assert "Traceback" not in bot_process.output
    assert bot_process.output.count("updates: getUpdates failed") == 1


async def queue_teasers(database: Path, feed_url: str, chat_ids: range, count: int) -> None:
    """``count`` new articles of the configured feed, queued for every chat in the store."""
    store = await Store.open(database)
    try:
        [source] = await store.sources.sync_sources([SourceSpec(name="News", url=feed_url)])
        entries = [
            NewArticle(
                ParsedItem(f"k{n}", f"Story {n}", "Summary.", f"https://news.example/{n}", None),
                Classification(),
            )
            for n in range(count)
        ]
        await record_articles(
            store, source.id, [], now=time.time(), baseline=True, route=lambda _e, _c: []
        )
        await record_articles(
            store,
            source.id,
            entries,
            now=time.time(),
            baseline=False,
            route=lambda _entry, _chats: list(chat_ids),
        )
    finally:
        await store.close()


async def test_a_full_disk_stops_the_bot_with_one_line_and_a_failure_status(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """The database's disk fills up mid fan-out: one error line naming the fault, no traceback,
    exit status 1 (a supervisor restarts it), and nothing acknowledged is lost."""
    database = Path(bot_env["DATABASE_PATH"])
    await seed_chats(database, telegram, CHATS)
    await queue_teasers(database, bot_env["FEED_URLS"], CHATS, 10)
    # The feed holds only what is stored already: the poll writes little, delivery writes most.
    seeded = {"title": "Story 0", "link": "https://news.example/0", "guid": "k0"}
    feeds.set("/feed.xml", rss([seeded]))
    env = {**bot_env, "POLL_INTERVAL_SECONDS": "3600"}
    with BotProcess(env, cwd=tmp_path, file_size_limit=64 * 1024) as bot:
        status = bot.wait_exit(60)
        output = bot.output
    before = len(telegram.all_messages())
    with BotProcess(env, cwd=tmp_path) as bot:  # the disk has room again
        assert await telegram.async_wait_until(
            lambda: all(len({m.text for m in telegram.messages(c)}) == 10 for c in CHATS), 40
        )
        assert bot.terminate() == 0
    assert status == 1
    assert "Traceback" not in output
    [line] = [row for row in output.splitlines() if "stopped after" in row]
    assert "stopped: the d" in line  # delivery's writes, or the poller's, met the full disk
    assert "stopped cleanly" not in output
    assert 0 < before < 300
    for chat in CHATS:
        assert len(telegram.messages(chat)) <= 11  # at most one message twice


def test_a_corrupt_database_file_stops_the_bot_with_one_clear_line(
    bot_process: BotProcess, bot_env: dict[str, str]
) -> None:
    """A database file that is not SQLite: exit status 1 and one line saying so, no traceback."""
    Path(bot_env["DATABASE_PATH"]).write_bytes(b"this is no database, just some bytes\n" * 200)
    bot_process.start()
    status = bot_process.wait_exit(20)
    assert status == 1
    [line] = bot_process.lines
    assert line.startswith("teaserbot: cannot use the database ")
    assert "not a SQLite database" in line
    assert "restore it from a backup" in line


def test_an_unreadable_database_path_stops_the_bot_with_one_clear_line(
    bot_process: BotProcess, bot_env: dict[str, str]
) -> None:
    """A database file that cannot be opened (a link to a missing place): exit status 1, one
    line."""
    Path(bot_env["DATABASE_PATH"]).symlink_to(Path(bot_env["DATABASE_PATH"]).parent / "gone" / "x")
    bot_process.start()
    status = bot_process.wait_exit(20)
    assert status == 1
    [line] = [row for row in bot_process.lines if row.startswith("teaserbot:")]
    assert line.startswith("teaserbot: cannot use the database ")
    assert "cannot be opened" in line
    assert "Traceback" not in bot_process.output


async def test_a_second_instance_polling_the_same_token_stops_and_the_first_runs_on(
    telegram: FakeTelegram, bot_process: BotProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """Two bots, one token, two databases: the one started second meets 409 Conflict, says so in
    one line and exits 1; the first logs one line and keeps answering; no tracebacks."""
    telegram.add_private_chat(READER)
    bot_process.start()
    bot_process.wait_for(r"running as @")
    await asyncio.sleep(SETTLED_AFTER + 1)
    second_dir = tmp_path / "second"
    second_dir.mkdir()
    env = {**bot_env, "DATABASE_PATH": str(second_dir / "bot.sqlite3")}
    with BotProcess(env, cwd=second_dir) as second:
        status = await asyncio.to_thread(second.wait_exit, 60)
        second_output = second.output
    telegram.send_message(READER, READER, "/help")
    await telegram.async_wait_for_messages(READER, 1, timeout=10)
    assert bot_process.terminate() == 0
    assert status == 1
    [fatal] = [line for line in second_output.splitlines() if "stopped after" in line]
    assert "another bot instance is already polling Telegram with this token" in fatal
    first_output = bot_process.output
    assert first_output.count("409 Conflict") == 1
    assert "this one keeps running" in first_output
    assert "Traceback" not in first_output
    assert "Traceback" not in second_output
