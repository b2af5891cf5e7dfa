"""End to end with the real bot process (issue 25): a daily digest at its time, across a
restart; the post format (hashtags off, photo on) and quiet hours applied when sending.

Settings are stored with ``store.change_settings`` before the bot starts (the commands that set
them have their own tests). The digest test moves the bot's wall clock at the process edge
(``tests/support/fake_clock.py``).
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.chat_schedule import DailyAt, QuietHours
from bot.core.post_format import CAPTION_LIMIT, PostFormat
from tests.support.backends import BACKENDS, outbox_counts, seed_subscribers, store_of
from tests.support.bot_process import BotProcess
from tests.support.fake_clock import FakeClock
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.tg_objects import utf16_len

DIGEST = 2501
LOUD = 2502
OLD = {"title": "An old story", "link": "https://news.example/old", "guid": "old"}


def item(n: int, **extra: str) -> dict[str, str]:
    return {
        "title": f"Dockers strike in Moscow, day {n}",
        "link": f"https://news.example/{n}",
        "guid": f"story-{n}",
        "description": f"Workers at the port of Moscow stopped work for the {n}th day.",
        **extra,
    }


def choose(env: dict[str, str], chat_id: int, **chosen: object) -> None:
    async def change() -> None:
        async with store_of(env) as store:
            await store.chats.change_settings(
                chat_id,
                lambda s: replace(s, **chosen),  # type: ignore[arg-type]
                time.time(),
            )

    asyncio.run(change())


def publish(feeds: FeedServer, *numbers: int) -> None:
    """The feed now lists these stories (newest first) above the old one."""
    feeds.set("/feed.xml", rss([*(item(n) for n in sorted(numbers, reverse=True)), OLD]))


def heard(telegram: FakeTelegram, n: int) -> None:
    """Wait until the instant chat got story ``n`` (the bot ran at the clock's time)."""
    link = f'news.example/{n}"'
    assert telegram.wait_until(
        lambda: any(link in m.raw_text for m in telegram.messages(LOUD)), timeout=60
    ), [m.text for m in telegram.messages(LOUD)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_daily_digest_comes_at_its_time_once_also_after_a_restart(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """``daily 07:00 UTC``: nothing before 07:00, though the bot is killed and started again in
    between; at 07:00 one message holds every story found since; later stories wait for the
    next day."""
    clock = FakeClock(tmp_path / "clock")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    seven = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, tzinfo=UTC).timestamp()
    clock.set(seven - 30 * 60)
    asyncio.run(seed_subscribers(bot_env, telegram, [DIGEST, LOUD]))
    choose(bot_env, DIGEST, schedule=DailyAt(7, 0, "UTC"))
    feeds.set("/feed.xml", rss([OLD]))
    bot = BotProcess(bot_env, cwd=tmp_path, clock=clock.path)
    try:
        bot.start()
        bot.wait_for(r"poll source=.* status=ok .*baseline=True")
        publish(feeds, 1, 2)
        heard(telegram, 2)
        bot.kill()  # a crash before the digest is due
        bot.start()
        publish(feeds, 1, 2, 3)
        heard(telegram, 3)
        clock.set(seven - 20)
        publish(feeds, 1, 2, 3, 4)
        heard(telegram, 4)  # the bot ran at 06:59:40
        assert telegram.messages(DIGEST) == []
        clock.set(seven)
        [digest] = telegram.wait_for_messages(DIGEST, 1, timeout=60)
        publish(feeds, 1, 2, 3, 4, 5)
        heard(telegram, 5)
        assert bot.terminate() == 0
    finally:
        bot.__exit__()
    assert len(telegram.messages(DIGEST)) == 1
    assert digest.text.startswith("🗞 News digest: 4 stories")
    assert sorted(re.findall(r"news\.example/(\d)", digest.raw_text)) == ["1", "2", "3", "4"]
    assert "Eastern Europe" in digest.text.split("\n\n")
    counts = asyncio.run(outbox_counts(bot_env))
    assert (counts.sent, counts.queued) == (4 + 5, 1)  # story 5 waits for tomorrow's digest


def test_format_and_quiet_hours_apply_when_sending(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], bot_process: BotProcess
) -> None:
    """``hashtags off`` removes the hashtags; ``photo on`` sends the teaser as a photo's
    caption for a story with an image; inside silent quiet hours teasers come without sound."""
    bare, photo, quiet, plain = 2511, 2512, 2513, 2514
    asyncio.run(seed_subscribers(bot_env, telegram, [bare, photo, quiet, plain]))
    choose(bot_env, bare, post_format=PostFormat(hashtags=False))
    choose(bot_env, photo, post_format=PostFormat(photo=True))
    minute = datetime.now(UTC).hour * 60 + datetime.now(UTC).minute
    hours = QuietHours((minute - 120) % 1440, (minute + 120) % 1440, "UTC")
    choose(bot_env, quiet, quiet=hours)
    feeds.set("/feed.xml", rss([OLD]))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    image = "https://news.example/images/port.jpg"
    feeds.set("/feed.xml", rss([item(1, image=image), OLD]))
    [with_tags] = telegram.wait_for_messages(plain, 1, timeout=60)
    [without] = telegram.wait_for_messages(bare, 1, timeout=60)
    [pictured] = telegram.wait_for_messages(photo, 1, timeout=60)
    [silent] = telegram.wait_for_messages(quiet, 1, timeout=60)
    assert bot_process.terminate() == 0
    assert "#Russia" in with_tags.text
    assert "#" not in without.text
    assert without.text.startswith("Dockers strike in Moscow, day 1")
    assert pictured.photo == image
    assert pictured.text.startswith("Dockers strike in Moscow, day 1")
    assert "#Russia" in pictured.text
    assert utf16_len(pictured.text) <= CAPTION_LIMIT
    assert [c.params["chat_id"] for c in telegram.calls("sendPhoto")] == [photo]
    assert silent.silent
    assert not with_tags.silent


def test_a_digest_survives_a_leader_failover(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    postgres_url: str,
) -> None:
    """Two processes on PostgreSQL: the leader is killed while stories wait for the 07:00
    digest; the process that takes over sends it once, holding every story."""
    clock = FakeClock(tmp_path / "clock")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    seven = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, tzinfo=UTC).timestamp()
    clock.set(seven - 30 * 60)
    env = {**bot_env, "DATABASE_URL": postgres_url}
    asyncio.run(seed_subscribers(env, telegram, [DIGEST, LOUD]))
    choose(env, DIGEST, schedule=DailyAt(7, 0, "UTC"))
    feeds.set("/feed.xml", rss([OLD]))
    base = bot_env["TELEGRAM_API_BASE_URL"]
    first = BotProcess(
        {**env, "TELEGRAM_API_BASE_URL": f"{base}/as/p1"}, tmp_path, clock=clock.path
    )
    second = BotProcess(
        {**env, "TELEGRAM_API_BASE_URL": f"{base}/as/p2"}, tmp_path, clock=clock.path
    )
    try:
        first.start().wait_for(r"leader elected", timeout=30)
        second.start().wait_for(r"following:", timeout=30)
        first.wait_for(r"poll source=.* status=ok .*baseline=True", timeout=30)
        publish(feeds, 1, 2, 3)
        heard(telegram, 3)
        first.kill()
        second.wait_for(r"leader elected", timeout=60)
        clock.set(seven)
        [digest] = telegram.wait_for_messages(DIGEST, 1, timeout=60)
        publish(feeds, 1, 2, 3, 4)
        heard(telegram, 4)
        assert second.terminate(30) == 0
    finally:
        first.__exit__()
        second.__exit__()
    assert len(telegram.messages(DIGEST)) == 1
    assert sorted(re.findall(r"news\.example/(\d)", digest.raw_text)) == ["1", "2", "3"]
