"""End to end with the real bot process: finding stories with /search (issue 26).

Stories reach the store the way they always do (a poll of a local feed); a reader then searches
in a private chat and in a group through the fake Bot API, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.chat_harness import button_labels
from tests.support.fake_telegram import FakeTelegram, SentMessage
from tests.support.feed_server import FeedServer, rss

pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READER, GROUP = 2601, -1002602

STORIES = [
    {
        "title": "Port workers walk out",
        "link": "https://news.example/port",
        "guid": "port",
        "description": "Dockers in Valparaíso stop loading copper.",
        "category": "Chile",
    },
    {
        "title": "Snow closes mountain passes",
        "link": "https://news.example/snow",
        "guid": "snow",
        "description": "Drivers wait at the border for a second day.",
    },
    *(
        {
            "title": f"Election night update {n}",
            "link": f"https://news.example/election-{n}",
            "guid": f"election-{n}",
            "description": "Counting goes on.",
        }
        for n in range(1, 24)
    ),
]


def _start(telegram: FakeTelegram, feeds: FeedServer, bot: BotProcess) -> None:
    """The bot running, its first poll (a baseline: stored, sent to nobody) done."""
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    feeds.set("/feed.xml", rss(STORIES, title="Daily"))
    bot.start()
    bot.wait_for(r"poll source=.* status=ok .*baseline=True")


def _say(telegram: FakeTelegram, chat: int, user: int, text: str) -> SentMessage:
    """A user writes in a chat; the bot's first answer."""
    before = len(telegram.messages(chat))
    telegram.send_message(chat, user, text)
    return telegram.wait_for_messages(chat, before + 1, timeout=30)[before]


def _press_more(telegram: FakeTelegram, chat: int, user: int, message: SentMessage) -> SentMessage:
    """Press "Next 10" under a search answer; the bot's new message."""
    assert message.reply_markup is not None
    [[button]] = message.reply_markup["inline_keyboard"]
    before = len(telegram.messages(chat))
    telegram.press_button(chat, user, message.message_id, str(button["callback_data"]))
    return telegram.wait_for_messages(chat, before + 1, timeout=30)[before]


def test_search_finds_a_story_by_a_word_of_its_summary(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """/search with a word of a summary answers with that story and not the others; place names
    mix with words; an accent need not be typed."""
    _start(telegram, feeds, bot_process)
    found = _say(telegram, READER, READER, "/search copper")
    assert found.text.startswith("Found for “copper”: 1-1")
    assert "Port workers walk out" in found.text
    assert "Snow" not in found.text
    assert "Election" not in found.text
    assert found.reply_markup is None
    assert "Port workers" in _say(telegram, READER, READER, "/search valparaiso").text
    mixed = _say(telegram, READER, READER, "/search dockers chile")
    assert "Port workers walk out" in mixed.text
    assert bot_process.terminate() == 0


def test_no_match_suggests_latest_and_a_bare_search_explains_itself(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """A search with no match says so and suggests /latest; /search alone shows how to use it."""
    _start(telegram, feeds, bot_process)
    none = _say(telegram, READER, READER, "/search volcano")
    assert none.text == "Nothing found for “volcano”. /latest shows the newest stories."
    usage = _say(telegram, READER, READER, "/search")
    assert usage.text.startswith("Send /search and a few words")
    assert bot_process.terminate() == 0


def test_next_ten_pages_through_the_matches_in_a_group(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """In a group anyone may search; "Next 10" brings 11-20, then 21-23 without a button, and
    each list is numbered on from the last."""
    telegram.add_user(2603, "Emma")
    telegram.add_group(GROUP, "Readers", members=[READER, 2603])
    _start(telegram, feeds, bot_process)
    first = _say(telegram, GROUP, READER, "/search election")
    assert first.text.startswith("Found for “election”: 1-10")
    assert button_labels(first) == ["Next 10"]
    second = _press_more(telegram, GROUP, 2603, first)
    assert second.text.startswith("Found for “election”: 11-20")
    assert "\n11. Election night update" in second.text
    third = _press_more(telegram, GROUP, READER, second)
    assert third.text.startswith("Found for “election”: 21-23")
    assert third.reply_markup is None
    numbered = [line for m in (first, second, third) for line in m.text.splitlines()]
    titles = {line.split(". ", 1)[1] for line in numbered if ". Election" in line}
    assert len(titles) == 23
    assert bot_process.terminate() == 0
