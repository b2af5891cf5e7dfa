"""Pings: POST /ping/<source id> with the secret header makes that source due now."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import httpx
import pytest

from bot.config import load_settings
from bot.core.errors import ConfigError
from bot.service.pings import PING_HEADER
from tests.support.backends import BACKENDS, seed_subscribers
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

READER = 2701
PING_SECRET = "ping_secret-for-the-tests"
FIRST = {
    "title": "Dockers Strike in Rotterdam",
    "link": "https://news.example/rotterdam",
    "guid": "https://news.example/?p=1",
    "description": "Dock workers in the Netherlands walked out on Monday.",
    "pubDate": "Mon, 01 Feb 2021 10:00:00 +0000",
}
SECOND = {
    "title": "Teachers March in Lisbon",
    "link": "https://news.example/lisbon",
    "guid": "https://news.example/?p=2",
    "description": "Teachers in Portugal marched for higher pay.",
    "pubDate": "Tue, 02 Feb 2021 10:00:00 +0000",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_ping_makes_the_source_due_and_the_story_reaches_the_chat_within_two_seconds(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """With an hour between polls, a ping on the metrics port brings a new story in under 2 s."""
    port = free_port()
    env = {
        **bot_env,
        "POLL_INTERVAL_SECONDS": "3600",
        "METRICS_PORT": str(port),
        "PING_SECRET": PING_SECRET,
    }
    feeds.set("/feed.xml", rss([FIRST], title="Example News"))
    asyncio.run(seed_subscribers(env, telegram, [READER]))
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"poll source=.* status=ok .*baseline=True")
        bot.wait_for(r"running as @")
        feeds.set("/feed.xml", rss([SECOND, FIRST], title="Example News"))
        with httpx.Client(timeout=10) as client:
            started = time.monotonic()
            answer = client.post(
                f"http://127.0.0.1:{port}/ping/1", headers={PING_HEADER: PING_SECRET}
            )
            assert answer.status_code == 202, answer.text
            [teaser] = telegram.wait_for_messages(READER, 1, timeout=10)
            elapsed = time.monotonic() - started
        assert "Teachers March in Lisbon" in teaser.text
        assert elapsed <= 2.0, f"the story took {elapsed:.2f} s after the ping"
        assert len(feeds.requests("/feed.xml")) == 2  # the baseline, then the pinged poll
        bot.wait_for(r"ping source_id=1 due now")
        assert bot.terminate() == 0
    assert PING_SECRET not in bot.output


def test_a_ping_with_a_wrong_or_missing_secret_is_refused_on_the_webhook_server(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """In webhook mode pings share its server; without the right secret (or for an unknown
    source) nothing is polled, and only a right one polls at once."""
    port = free_port()
    env = {
        **bot_env,
        "POLL_INTERVAL_SECONDS": "3600",
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/hook",
        "WEBHOOK_PORT": str(port),
        "PING_SECRET": PING_SECRET,
    }
    feeds.set("/feed.xml", rss([FIRST], title="Example News"))
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"running as @\w+ \(webhook\)")
        bot.wait_for(r"poll source=.* status=ok .*baseline=True")
        url = f"http://127.0.0.1:{port}/ping/1"
        with httpx.Client(timeout=10) as client:
            missing = client.post(url)
            wrong = client.post(url, headers={PING_HEADER: "guess-guess-guess-guess"})
            unknown = client.post(
                f"http://127.0.0.1:{port}/ping/999", headers={PING_HEADER: PING_SECRET}
            )
            fetched = len(feeds.requests("/feed.xml"))
            good = client.post(url, headers={PING_HEADER: PING_SECRET})
        assert (missing.status_code, wrong.status_code) == (403, 403)
        assert unknown.status_code == 404
        assert fetched == 1  # only the first poll: refused pings polled nothing
        assert good.status_code == 202
        bot.wait_for(r"poll source=.* status=(ok|not_modified)", count=2)
        assert len(feeds.requests("/feed.xml")) == 2
        assert bot.terminate() == 0
    assert PING_SECRET not in bot.output


def test_ping_secret_must_be_long_enough(tmp_path: Path) -> None:
    """PING_SECRET shorter than 16 characters is refused at start, without echoing it."""
    with pytest.raises(ConfigError) as caught:
        load_settings({"BOT_TOKEN": "", "PING_SECRET": "short"}, cwd=tmp_path, require_token=False)
    assert "PING_SECRET" in str(caught.value)
    assert "short" not in str(caught.value)
    settings = load_settings({"PING_SECRET": PING_SECRET}, cwd=tmp_path, require_token=False)
    assert settings.ping_secret == PING_SECRET
    assert PING_SECRET not in repr(settings)
    assert PING_SECRET in settings.secrets
