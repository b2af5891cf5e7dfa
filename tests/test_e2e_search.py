"""End to end with the real bot process: finding stories with /search (issue 26).

Stories reach the store the way they always do (a poll of a local feed); a reader then searches
in a private chat and in a group through the fake Bot API, on SQLite and on PostgreSQL. The tests
only search, each in its own chats, so they share one bot process per backend
(``tests/support/shared_bot.py``: it must exit 0 on SIGTERM after the last).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.backends import BACKENDS
from tests.support.chat_harness import button_labels
from tests.support.fake_telegram import FakeTelegram, SentMessage
from tests.support.feed_server import FeedServer, rss
from tests.support.shared_bot import RunningBot, shared_bot

READER, OTHER_READER, EMMA, GROUP = 2601, 2604, 2603, -1002602

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


def _world(telegram: FakeTelegram, feeds: FeedServer) -> None:
    """The readers, their chats and the feed the bot's first poll stores (sent to nobody)."""
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    telegram.add_user(OTHER_READER, "Clara")
    telegram.add_private_chat(OTHER_READER)
    telegram.add_user(EMMA, "Emma")
    telegram.add_group(GROUP, "Readers", members=[READER, EMMA])
    feeds.set("/feed.xml", rss(STORIES, title="Daily"))


@pytest.fixture(scope="module", params=BACKENDS)
def running(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    """The bot running on each backend, its first poll (a baseline) done."""
    with shared_bot(request, tmp_path_factory.mktemp("search"), _world) as bot:
        yield bot


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


def test_search_finds_a_story_by_a_word_of_its_summary(running: RunningBot) -> None:
    """/search with a word of a summary answers with that story and not the others; place names
    mix with words; an accent need not be typed."""
    telegram = running.telegram
    found = _say(telegram, READER, READER, "/search copper")
    assert found.text.startswith("Found for “copper”: 1-1")
    assert "Port workers walk out" in found.text
    assert "Snow" not in found.text
    assert "Election" not in found.text
    assert found.reply_markup is None
    assert "Port workers" in _say(telegram, READER, READER, "/search valparaiso").text
    mixed = _say(telegram, READER, READER, "/search dockers chile")
    assert "Port workers walk out" in mixed.text


def test_no_match_suggests_latest_and_a_bare_search_explains_itself(running: RunningBot) -> None:
    """A search with no match says so and suggests /latest; /search alone shows how to use it."""
    telegram = running.telegram
    none = _say(telegram, OTHER_READER, OTHER_READER, "/search volcano")
    assert none.text == "Nothing found for “volcano”. /latest shows the newest stories."
    usage = _say(telegram, OTHER_READER, OTHER_READER, "/search")
    assert usage.text.startswith("Send /search and a few words")


def test_next_ten_pages_through_the_matches_in_a_group(running: RunningBot) -> None:
    """In a group anyone may search; "Next 10" brings 11-20, then 21-23 without a button, and
    each list is numbered on from the last."""
    telegram = running.telegram
    first = _say(telegram, GROUP, READER, "/search election")
    assert first.text.startswith("Found for “election”: 1-10")
    assert button_labels(first) == ["Next 10"]
    second = _press_more(telegram, GROUP, EMMA, first)
    assert second.text.startswith("Found for “election”: 11-20")
    assert "\n11. Election night update" in second.text
    third = _press_more(telegram, GROUP, READER, second)
    assert third.text.startswith("Found for “election”: 21-23")
    assert third.reply_markup is None
    numbered = [line for m in (first, second, third) for line in m.text.splitlines()]
    titles = {line.split(". ", 1)[1] for line in numbered if ". Election" in line}
    assert len(titles) == 23
