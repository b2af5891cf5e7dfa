"""`python -m bot preview URL` prints exactly the teasers a subscribed chat receives (real bot)."""

from __future__ import annotations

import pytest

from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.test_cli_preview import preview

# Every test here runs the bot on SQLite and on PostgreSQL (DATABASE_URL).
pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READER = 1001
SEPARATOR = "\n\n" + "-" * 40 + "\n\n"
OLD = {
    "title": "Winter of Russian Discontent Begins",
    "link": "https://news.example/russia-winter",
    "guid": "https://news.example/?p=1",
    "description": "Only a month into 2021, the social crisis in Russia has reached new levels.",
    "pubDate": "Mon, 01 Feb 2021 10:00:00 +0000",
}
NEW = [
    {
        "title": "Myanmar Coup: Another Nail in the Coffin of Liberalism",
        "link": "https://news.example/myanmar-coup?utm_source=rss",
        "guid": "https://news.example/?p=2",
        "description": "In organizing a swift coup, Myanmar's generals <b>acted</b> &amp; won.",
        "pubDate": "Tue, 02 Feb 2021 10:00:00 +0000",
        "category": ["Asia", "Myanmar"],
        "image": "https://news.example/coup.jpg",
    },
    {
        "title": "Strikes spread in Chile & Argentina as prices <soar>",
        "link": "https://news.example/latin-strikes",
        "guid": "https://news.example/?p=3",
        "description": "Workers in Santiago and Buenos Aires walked out. " + "Long text. " * 60,
        "pubDate": "Wed, 03 Feb 2021 10:00:00 +0000",
    },
    {
        "title": "A story about nowhere in particular",
        "link": "https://news.example/nowhere",
        "guid": "https://news.example/?p=4",
        "description": "",
        "pubDate": "Thu, 04 Feb 2021 10:00:00 +0000",
    },
]


def test_preview_prints_exactly_what_a_subscribed_chat_receives(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """The preview of a feed prints, byte for byte, the HTML teasers the bot sent a subscriber."""
    feeds.set("/feed.xml", rss([OLD], title="Example News"))
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    telegram.send_message(READER, READER, "/start")
    telegram.wait_for_messages(READER, 1)

    feeds.set("/feed.xml", rss([*reversed(NEW), OLD], title="Example News"))
    received = [m.raw_text for m in telegram.wait_for_messages(READER, 1 + len(NEW))[1:]]
    assert bot_process.terminate() == 0

    result = preview(feeds.url("/feed.xml"), cwd=bot_process.cwd)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.removesuffix("\n").split(SEPARATOR)
    assert len(printed) == len(NEW) + 1
    # The feed lists newest first; the chat received the new ones oldest first.
    assert list(reversed(printed[: len(NEW)])) == received
    assert "#Myanmar" in received[0]
    assert "<i>Example News</i>" in received[-1]
