"""The real bot process: SIGKILL mid fan-out, a second instance, /latest during a fan-out."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.store import OutboxCounts
from tests.support.backends import BACKENDS, outbox_counts, seed_subscribers
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.stories import story

READER = 2890


async def drained(env: Mapping[str, str], tries: int = 200) -> OutboxCounts:
    """The outbox once no row is queued (or after ``tries`` looks 50 ms apart)."""
    for _ in range(tries):
        counts = await outbox_counts(env)
        if not counts.queued:
            break
        await asyncio.sleep(0.05)
    return counts


@pytest.mark.parametrize("backend", BACKENDS)
async def test_sigkill_mid_fan_out_then_restart_delivers_everything_at_most_one_twice(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_process: BotProcess,
    bot_env: dict[str, str],
) -> None:
    """Killed mid fan-out and restarted: every chat gets every teaser, in order, and at most one
    message twice."""
    chats = range(5001, 5031)
    await seed_subscribers(bot_env, telegram, chats)
    feeds.set("/feed.xml", rss([story(0, dated=True)]))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    feeds.set("/feed.xml", rss([story(n, dated=True) for n in (3, 2, 1, 0)]))
    assert await telegram.async_wait_until(lambda: len(telegram.all_messages()) >= 40, 15)
    bot_process.kill()
    before = len(telegram.all_messages())
    assert before < 90  # the kill came mid fan-out
    bot_process.start()
    assert await telegram.async_wait_until(
        lambda: all(len({m.text for m in telegram.messages(c)}) == 3 for c in chats), 20
    )
    await drained(bot_env)
    await asyncio.sleep(0.3)
    assert bot_process.terminate() == 0
    for chat in chats:
        titles = [m.text.split("\n")[0] for m in telegram.messages(chat)]
        assert list(dict.fromkeys(titles)) == [f"Story {n} of the day" for n in (1, 2, 3)]
        assert len(titles) <= 4
        assert max(Counter(titles).values()) <= 2
    assert await outbox_counts(bot_env) == OutboxCounts(queued=0, sent=90, failed=0, cancelled=0)


def test_a_second_bot_on_the_same_sqlite_file_waits_and_takes_over_when_the_first_stops(
    telegram: FakeTelegram, bot_process: BotProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """A rolling deploy on one SQLite file: the second process says in one line that it waits,
    touches neither the database nor Telegram meanwhile, and serves once the first has stopped."""
    telegram.add_user(READER, "Ann")
    telegram.add_private_chat(READER)
    bot_process.start()
    bot_process.wait_for(r"running as @")
    with BotProcess(bot_env, cwd=tmp_path) as second:
        second.wait_for(r"another teaserbot process is using .*: this one waits")
        telegram.send_message(READER, READER, "/help")
        telegram.wait_for_messages(READER, 1, timeout=20)
        assert "running as" not in second.output
        assert bot_process.terminate() == 0
        second.wait_for(r"running as @", timeout=60)
        telegram.send_message(READER, READER, "/help")
        telegram.wait_for_messages(READER, 2, timeout=20)
        assert second.terminate() == 0
        output = second.output
    assert output.count("this one waits") == 1
    assert "Traceback" not in output


@pytest.mark.parametrize("backend", BACKENDS)
async def test_latest_is_answered_within_a_second_during_a_fan_out(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_process: BotProcess,
    bot_env: dict[str, str],
) -> None:
    """/latest gets its answer in under a second while 90 teasers go out, with no 429."""
    await seed_subscribers(bot_env, telegram, range(6001, 6091))
    telegram.set_flood(True)
    feeds.set("/feed.xml", rss([story(0, dated=True)]))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    feeds.set("/feed.xml", rss([story(1, dated=True), story(0, dated=True)]))
    assert await telegram.async_wait_until(lambda: len(telegram.all_messages()) >= 15, 15)
    waits = []
    for asker in (7001, 7002):
        telegram.add_private_chat(asker)
        asked = time.monotonic()
        telegram.send_message(asker, asker, "/latest")
        await telegram.async_wait_for_messages(asker, 1, timeout=5)
        waits.append(time.monotonic() - asked)
        await asyncio.sleep(0.2)
    fanned_out = len(telegram.all_messages())
    assert await telegram.async_wait_until(lambda: len(telegram.all_messages()) >= 92, 15)
    assert bot_process.terminate() == 0
    assert fanned_out < 92  # the questions were asked while the fan-out was under way
    assert max(waits) < 1.0
    assert telegram.count_429 == 0
