"""End to end with the real bot process: inline mode (``@bot words`` in any chat; issue 26).

Stories reach the store through a poll of a local feed; a reader's inline queries go through the
fake Bot API (inline mode switched on, as /setinline does in @BotFather), on both backends.
"""

from __future__ import annotations

import pytest

from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram, InlineAnswer
from tests.support.feed_server import FeedServer, rss

pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READER = 2611

STORIES = [
    {
        "title": "Copper strike spreads to the ports",
        "link": "https://news.example/copper",
        "guid": "copper",
        "description": "Dockers join the miners in Chile.",
        "category": "Chile",
        "image": "https://news.example/copper.jpg",
    },
    {
        "title": "Moscow metro opens new line",
        "link": "https://news.example/metro",
        "guid": "metro",
        "description": "Eleven stations open in Russia's capital.",
        "category": "Russia",
    },
    {
        "title": "Paris museum reopens",
        "link": "https://news.example/museum",
        "guid": "museum",
        "description": "The doors open again in France after repairs.",
        "category": "France",
    },
    *(
        {
            "title": f"Election night update {n}",
            "link": f"https://news.example/election-{n}",
            "guid": f"election-{n}",
            "description": "Counting goes on in Brazil.",
            "category": "Brazil",
        }
        for n in range(1, 24)
    ),
]


def _start(telegram: FakeTelegram, feeds: FeedServer, bot: BotProcess) -> None:
    """Inline mode on, the bot running, its first poll (stored, sent to nobody) done."""
    telegram.inline_mode = True
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    feeds.set("/feed.xml", rss(STORIES, title="Daily"))
    bot.start()
    bot.wait_for(r"poll source=.* status=ok .*baseline=True")


def _ask(telegram: FakeTelegram, text: str, offset: str = "") -> InlineAnswer:
    """The reader types ``@bot text`` (scrolled to ``offset``); the bot's answer."""
    before = len(telegram.inline_answers)
    update = telegram.inline_query(READER, text, offset)
    query_id = update["inline_query"]["id"]
    assert telegram.wait_until(lambda: len(telegram.inline_answers) > before, timeout=30)
    [answer] = [a for a in telegram.inline_answers if a.inline_query_id == query_id]
    return answer


def _titles(answer: InlineAnswer) -> list[str]:
    return [str(result["title"]) for result in answer.results]


def test_a_word_of_a_title_finds_that_story_ready_to_share(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """An inline query for a word of a stored title is answered with that article only: its
    title, summary, image as thumbnail and teaser HTML as the message; a short cache."""
    _start(telegram, feeds, bot_process)
    answer = _ask(telegram, "copper")
    assert _titles(answer) == ["Copper strike spreads to the ports"]
    [result] = answer.results
    assert result["type"] == "article"
    assert result["description"] == "Dockers join the miners in Chile."
    assert result["thumbnail_url"] == "https://news.example/copper.jpg"
    content = result["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert '<a href="https://news.example/copper">' in content["message_text"]
    assert answer.cache_time <= 60
    assert answer.is_personal is False
    assert answer.next_offset == ""
    assert _titles(_ask(telegram, "strike chile")) == ["Copper strike spreads to the ports"]
    assert _titles(_ask(telegram, "Россия")) == ["Moscow metro opens new line"]
    assert _ask(telegram, "volcano").results == []
    assert bot_process.terminate() == 0


def test_an_empty_query_offers_the_latest_in_the_persons_regions(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """With no words the answer is the latest stories of the reader's own regions, personal."""
    _start(telegram, feeds, bot_process)
    before = len(telegram.messages(READER))
    telegram.send_message(READER, READER, "/region europe")
    telegram.wait_for_messages(READER, before + 1, timeout=30)
    answer = _ask(telegram, "")
    assert sorted(_titles(answer)) == ["Moscow metro opens new line", "Paris museum reopens"]
    assert answer.is_personal is True
    assert bot_process.terminate() == 0


def test_scrolling_pages_through_the_matches(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """Twenty results and a next_offset; the next page holds the other three and ends."""
    _start(telegram, feeds, bot_process)
    first = _ask(telegram, "election")
    assert len(first.results) == 20
    assert first.next_offset == "20"
    second = _ask(telegram, "election", first.next_offset)
    assert len(second.results) == 3
    assert second.next_offset == ""
    ids = [r["id"] for r in first.results + second.results]
    assert len(set(ids)) == 23
    assert bot_process.terminate() == 0
