"""The whole path, with the real bot process: a feed item reaches a subscriber exactly once."""

from __future__ import annotations

import time

import pytest

from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

# Every test here runs the bot on SQLite and on PostgreSQL (DATABASE_URL).
pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READER = 1001
FIRST = {
    "title": "Winter of Russian Discontent Begins",
    "link": "https://news.example/russia-winter",
    "guid": "https://news.example/?p=1",
    "description": "Only a month into 2021, the social crisis in Russia has reached new levels.",
    "pubDate": "Mon, 01 Feb 2021 10:00:00 +0000",
}
SECOND = {
    "title": "Myanmar Coup: Another Nail in the Coffin of Liberalism",
    "link": "https://news.example/myanmar-coup?utm_source=rss",
    "guid": "https://news.example/?p=2",
    "description": (
        "In organizing a swift coup against Aung San Suu Kyi, Myanmar's generals <b>acted</b>."
    ),
    "pubDate": "Tue, 02 Feb 2021 10:00:00 +0000",
}


def test_feed_item_reaches_subscriber_once_across_a_kill(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """/start subscribes; a new item arrives once; after SIGKILL and restart nothing repeats."""
    feeds.set("/feed.xml", rss([FIRST], title="Example News"))
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)

    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    telegram.send_message(READER, READER, "/start")
    (welcome,) = telegram.wait_for_messages(READER, 1)
    assert "subscribed" in welcome.text

    feeds.set("/feed.xml", rss([SECOND, FIRST], title="Example News"))
    messages = telegram.wait_for_messages(READER, 2)
    teaser = messages[1]
    assert teaser.parse_mode == "HTML"
    assert '<a href="https://news.example/myanmar-coup">' in teaser.raw_text
    assert "Myanmar Coup: Another Nail in the Coffin of Liberalism" in teaser.text
    assert "&lt;b&gt;" not in teaser.raw_text  # feed markup was stripped, not passed on
    assert "<b>acted</b>" not in teaser.raw_text

    bot_process.wait_for(r"deliver batch sent=1 ")  # the send is recorded; the kill comes after
    bot_process.kill()
    bot_process.start()
    bot_process.wait_for(r"running as @")
    bot_process.wait_for(r"poll source=.* status=(ok|not_modified)", count=3, timeout=20)
    time.sleep(0.5)
    assert len(telegram.messages(READER)) == 2

    telegram.send_message(READER, READER, "/latest")
    reply = telegram.wait_for_messages(READER, 3)[2]
    assert "Myanmar Coup" in reply.text
    assert "Winter of Russian Discontent" in reply.text
    assert bot_process.terminate() == 0
    assert "stopped cleanly" in bot_process.output
