"""A PostgreSQL restart while bot processes run: ridden out, nothing lost or sent twice.

The test runs a PostgreSQL server of its own, which it crashes (``pg_ctl stop -m immediate``)
and starts again mid fan-out, under two real bot processes (one leader, one follower).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.store.postgres import PostgresStore
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.postgres import PostgresServer, PostgresUnavailableError, free_port
from tests.support.stories import story
from tests.test_e2e_postgres_processes import _any_logs, subscribe

CHATS = list(range(7001, 7021))
OUTAGE_S = 12.0  # longer than a stepping-down leader's grace for its sends (8 s)


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test alone (it is stopped and started mid-test)."""
    try:
        server = PostgresServer.create()
    except PostgresUnavailableError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {exc}")
        pytest.skip(str(exc))
    server.durable_commits = True  # a crash keeps what was committed, as in production
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def _queued(url: str) -> int:
    store = await PostgresStore.open(url)
    try:
        return (await store.outbox.outbox_counts()).queued
    finally:
        await store.close()


def _stories(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [m.text.split("\n", 1)[0] for m in telegram.messages(chat_id)]


def test_a_database_restart_mid_fan_out_is_ridden_out_without_loss_or_duplicates(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    own_postgres: PostgresServer,
) -> None:
    """PostgreSQL crashes mid fan-out and is back 12 s later: both processes keep running (one
    line for the outage, one for its end), a leader is elected again, and every chat gets
    each story once, the one published during the outage too; /healthz says 503 meanwhile."""
    url = own_postgres.create_database()
    for chat_id in CHATS:
        telegram.add_private_chat(chat_id)
    asyncio.run(subscribe(url, CHATS))
    feeds.set("/feed.xml", rss([story(0)], title="Example News"))
    env = {**bot_env, "DATABASE_URL": url}
    metrics = free_port()
    with (
        BotProcess({**env, "METRICS_PORT": str(metrics)}, cwd=tmp_path) as first,
        BotProcess(env, cwd=tmp_path) as second,
    ):
        assert _any_logs([first, second], r"leader elected", timeout=30)
        assert _any_logs([first, second], r"following:", timeout=30)
        assert _any_logs([first, second], r"poll source=.* status=ok .*baseline=True", timeout=30)
        feeds.set("/feed.xml", rss([story(n) for n in (3, 2, 1, 0)], title="Example News"))
        assert telegram.wait_until(lambda: len(telegram.all_messages()) >= 15, 60)

        own_postgres.halt()
        halted_at = time.monotonic()
        for process in (first, second):
            process.wait_for(r"database unreachable", timeout=30)
        feeds.set("/feed.xml", rss([story(n) for n in (4, 3, 2, 1, 0)], title="Example News"))
        health = httpx.get(f"http://127.0.0.1:{metrics}/healthz", timeout=10)
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - halted_at)))
        during = len(telegram.all_messages())
        own_postgres.resume()

        assert telegram.wait_until(
            lambda: all(len(set(_stories(telegram, c))) == 4 for c in CHATS), 120
        ), [_stories(telegram, c) for c in CHATS]
        for process in (first, second):
            process.wait_for(r"database back after", timeout=30)
        deadline = time.monotonic() + 30
        while asyncio.run(_queued(url)) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(1.0)  # a message sent twice would show by now
        assert [first.proc and first.proc.poll(), second.proc and second.proc.poll()] == [
            None,
            None,
        ]
        assert [first.terminate(30), second.terminate(30)] == [0, 0]
        outputs = [first.output, second.output]
    assert health.status_code == 503
    assert "database unreachable" in health.text or "PostgreSQL" in health.text
    for output in outputs:
        assert "Traceback" not in output, output
        assert output.count("database unreachable") == 1, output
        assert output.count("database back after") == 1, output
    assert sum("leader elected" in line for o in outputs for line in o.splitlines()) >= 2
    for chat_id in CHATS:
        got = _stories(telegram, chat_id)
        assert sorted(got) == sorted(set(got)), (chat_id, got)  # none twice
        assert len(got) == 4, (chat_id, got)  # none lost, story 4 (from the outage) too
    print(f"messages by the end of the outage: {during} of {4 * len(CHATS)}")


def test_sigterm_while_the_database_is_down_stops_cleanly(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    own_postgres: PostgresServer,
) -> None:
    """SIGTERM during an outage: the waiting process exits 0 within the shutdown grace, with
    no traceback."""
    url = own_postgres.create_database()
    telegram.add_private_chat(CHATS[0])
    asyncio.run(subscribe(url, CHATS[:1]))
    feeds.set("/feed.xml", rss([story(0)], title="Example News"))
    with BotProcess({**bot_env, "DATABASE_URL": url}, cwd=tmp_path) as bot:
        bot.wait_for(r"poll source=.* status=ok .*baseline=True", timeout=30)
        own_postgres.halt()
        bot.wait_for(r"database unreachable", timeout=30)
        stopped = time.monotonic()
        status = bot.terminate(30)
        took = time.monotonic() - stopped
        output = bot.output
    own_postgres.resume()
    assert status == 0, output
    assert took < 15, took
    assert "Traceback" not in output, output
    assert "stopped cleanly" in output
