"""Graceful shutdown: the message in flight finishes, the queue survives, the exit is quick."""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import time

import pytest

from tests.support.backends import BACKENDS, outbox_counts
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

READER = 901
SEND_DELAY = 1.0
ITEMS = [
    {
        "title": f"Story number {n}",
        "link": f"https://news.example/{n}",
        "guid": f"g{n}",
        "pubDate": f"Mon, 0{n} Feb 2021 10:00:00 +0000",
    }
    for n in range(4, 0, -1)
]


def outbox_states(env: dict[str, str]) -> dict[str, int]:
    """The outbox rows by state (states with rows only)."""
    counts = dataclasses.asdict(asyncio.run(outbox_counts(env)))
    return {state: n for state, n in counts.items() if n}


def teasers(telegram: FakeTelegram) -> list[str]:
    return [m.text for m in telegram.messages(READER) if "Story number" in m.text]


@pytest.mark.parametrize("backend", BACKENDS)
def test_sigterm_with_a_queue_in_flight_loses_nothing_and_exits_quickly(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_process: BotProcess,
    bot_env: dict[str, str],
) -> None:
    """SIGTERM mid-send: that send completes and is recorded, the rest stay queued for next time."""
    feeds.set("/feed.xml", rss(ITEMS[-1:]))
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    telegram.send_message(READER, READER, "/start")
    telegram.wait_for_messages(READER, 1)

    telegram.set_delay(SEND_DELAY, "sendMessage")  # every send now takes 1 s to answer
    feeds.set("/feed.xml", rss(ITEMS))  # three new stories for one private chat
    assert telegram.wait_until(lambda: len(teasers(telegram)) == 1, timeout=15)
    time.sleep(0.3)  # the second send is now in flight (it answers 0.7 s from now)
    signalled = time.monotonic()
    assert bot_process.terminate(timeout=15) == 0
    took = time.monotonic() - signalled

    assert took < 10
    assert "shutting down: finishing the message in flight" in bot_process.output
    assert "stopped cleanly" in bot_process.output
    assert len(teasers(telegram)) == 2  # the one in flight reached the chat
    assert outbox_states(bot_env) == {"sent": 2, "queued": 1}  # and was recorded as sent

    telegram.set_delay(0, "sendMessage")
    bot_process.start()
    assert telegram.wait_until(lambda: len(teasers(telegram)) == 3, timeout=20)
    time.sleep(0.5)
    delivered = teasers(telegram)
    assert len(delivered) == len(set(delivered)) == 3
    assert bot_process.terminate() == 0
    assert outbox_states(bot_env) == {"sent": 3}


def test_ctrl_c_stops_the_bot_cleanly(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """SIGINT (Ctrl-C) shuts down the same way: exit status 0 and the closing log line."""
    feeds.set("/feed.xml", rss(ITEMS[-1:]))
    bot_process.start()
    bot_process.wait_for(r"running as @")
    assert bot_process.proc is not None
    signalled = time.monotonic()
    bot_process.proc.send_signal(signal.SIGINT)
    assert bot_process.wait_exit(timeout=15) == 0
    assert time.monotonic() - signalled < 10
    assert "stopped cleanly" in bot_process.output


@pytest.mark.parametrize("state", ["polling", "getMe", "sending"])
def test_sigterm_while_telegram_hangs_exits_within_10_s(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_process: BotProcess,
    bot_env: dict[str, str],
    state: str,
) -> None:
    """Telegram keeps the connection open and never answers: SIGTERM during a long poll, during
    the start-up getMe or with a message in flight ends the run with status 0 within 10 s; the
    message in flight is left due and sent once at the next start."""
    feeds.set("/feed.xml", rss(ITEMS[-1:]))
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    if state == "getMe":
        telegram.hang()
        bot_process.start()
        bot_process.wait_for(r"start database=")
        assert telegram.wait_until(lambda: "getMe" in telegram.held_calls, timeout=20)
    else:
        bot_process.start()
        bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
        telegram.send_message(READER, READER, "/start")
        telegram.wait_for_messages(READER, 1)
        telegram.hang()
        if state == "sending":
            feeds.set("/feed.xml", rss(ITEMS[-2:]))
            assert telegram.wait_until(lambda: "sendMessage" in telegram.held_calls, timeout=20)
        else:
            assert telegram.wait_until(lambda: "getUpdates" in telegram.held_calls, timeout=20)
    signalled = time.monotonic()
    assert bot_process.terminate(timeout=30) == 0
    took = time.monotonic() - signalled
    assert took < 10, took
    assert "stopped cleanly" in bot_process.output
    assert "Traceback" not in bot_process.output
    assert "Unclosed" not in bot_process.output
    if state == "sending":
        assert outbox_states(bot_env) == {"queued": 1}  # left due, not lost
        telegram.hang(False)
        bot_process.start()
        assert telegram.wait_until(lambda: len(teasers(telegram)) == 1, timeout=30)
        assert bot_process.terminate() == 0
        [teaser] = teasers(telegram)
        assert "Story number 2" in teaser
        assert outbox_states(bot_env) == {"sent": 1}
