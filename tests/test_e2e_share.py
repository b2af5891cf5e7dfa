"""End to end with the real bot process: the share button under teasers and /format (issue 26)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.models import Article, Chat, ChatKind, RegionFilter
from bot.core.search import parse_query, share_query, shares
from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram, SentMessage
from tests.support.feed_server import FeedServer, rss

READER = 2621
OLD = {"title": "An old story", "link": "https://news.example/old", "guid": "old"}
FIRST = {
    "title": "Harbour strike in Valparaíso",
    "link": "https://news.example/harbour",
    "guid": "harbour",
    "description": "Dockers stop work.",
}
SECOND = {
    "title": "Snow closes mountain passes",
    "link": "https://news.example/snow",
    "guid": "snow",
    "description": "Drivers wait at the border.",
}


def _say(telegram: FakeTelegram, text: str) -> SentMessage:
    before = len(telegram.messages(READER))
    telegram.send_message(READER, READER, text)
    return telegram.wait_for_messages(READER, before + 1, timeout=30)[before]


def _teaser(telegram: FakeTelegram, link: str) -> SentMessage:
    assert telegram.wait_until(
        lambda: any(link in m.raw_text for m in telegram.messages(READER)), timeout=60
    )
    return next(m for m in telegram.messages(READER) if link in m.raw_text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_share_button_under_teasers_follows_format_share(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """In a private chat teasers carry a share button starting an inline query for the story;
    /format shows the setting and /format share off removes the button from later teasers."""
    telegram.inline_mode = True
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    feeds.set("/feed.xml", rss([OLD], title="Daily"))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    _say(telegram, "/start")
    assert "Share button: on" in _say(telegram, "/format").text
    feeds.set("/feed.xml", rss([FIRST, OLD], title="Daily"))
    first = _teaser(telegram, "news.example/harbour")
    assert first.reply_markup is not None
    [[button]] = first.reply_markup["inline_keyboard"]
    assert button["switch_inline_query"] == "Harbour strike in Valparaíso"
    assert button["text"] == "↗️ Share"
    off = _say(telegram, "/format share off")
    assert off.text == "Teasers here no longer carry a share button."
    assert "Share button: off" in _say(telegram, "/format").text
    feeds.set("/feed.xml", rss([SECOND, FIRST, OLD], title="Daily"))
    assert _teaser(telegram, "news.example/snow").reply_markup is None
    assert bot_process.terminate() == 0


def _chat(kind: ChatKind, share: bool | None = None) -> Chat:
    return Chat(1, kind, None, None, None, True, RegionFilter(), True, share_button=share)


def test_share_button_defaults_off_in_channels_only() -> None:
    """Without a /format choice channels get no share button, private chats and groups do."""
    assert shares(_chat(ChatKind.PRIVATE))
    assert shares(_chat(ChatKind.SUPERGROUP))
    assert not shares(_chat(ChatKind.CHANNEL))
    assert shares(_chat(ChatKind.CHANNEL, True))
    assert not shares(_chat(ChatKind.PRIVATE, False))


def test_a_share_query_finds_its_own_story() -> None:
    """The query a share button starts is the title (cut at a word), whose words it then finds."""
    long_title = "Word " * 80
    article = Article(1, 1, "S", "k", long_title, "", None, None, datetime.now(UTC))
    assert len(share_query(article)) <= 200
    assert share_query(article).endswith("Word")
    words = parse_query("Harbour strike in Valparaíso").words
    assert words == ("harbour", "strike", "in", "valparaíso")
