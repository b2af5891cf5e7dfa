"""End to end with the real bot process: inline mode (``@bot words`` in any chat; issue 26).

Stories reach the store through a poll of a local feed; a reader's inline queries go through the
fake Bot API (inline mode switched on, as /setinline does in @BotFather), on both backends. The
tests only ask, each as a reader of its own, so they share one bot process per backend
(``tests/support/shared_bot.py``: it must exit 0 on SIGTERM after the last).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.backends import BACKENDS
from tests.support.fake_telegram import FakeTelegram, InlineAnswer
from tests.support.feed_server import FeedServer, rss
from tests.support.shared_bot import RunningBot, shared_bot

READER, EUROPEAN, SCROLLER = 2611, 2612, 2613

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


def _world(telegram: FakeTelegram, feeds: FeedServer) -> None:
    """Inline mode on, the readers and their chats, the feed the first poll stores."""
    telegram.inline_mode = True
    for user, name in ((READER, "Rosa"), (EUROPEAN, "Clara"), (SCROLLER, "Emma")):
        telegram.add_user(user, name)
        telegram.add_private_chat(user)
    feeds.set("/feed.xml", rss(STORIES, title="Daily"))


@pytest.fixture(scope="module", params=BACKENDS)
def running(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    """The bot running on each backend, its first poll (stored, sent to nobody) done."""
    with shared_bot(request, tmp_path_factory.mktemp("inline"), _world) as bot:
        yield bot


def _ask(
    telegram: FakeTelegram, text: str, offset: str = "", *, user: int = READER
) -> InlineAnswer:
    """A reader types ``@bot text`` (scrolled to ``offset``); the bot's answer."""
    before = len(telegram.inline_answers)
    update = telegram.inline_query(user, text, offset)
    query_id = update["inline_query"]["id"]
    assert telegram.wait_until(lambda: len(telegram.inline_answers) > before, timeout=30)
    [answer] = [a for a in telegram.inline_answers if a.inline_query_id == query_id]
    return answer


def _titles(answer: InlineAnswer) -> list[str]:
    return [str(result["title"]) for result in answer.results]


def test_a_word_of_a_title_finds_that_story_ready_to_share(running: RunningBot) -> None:
    """An inline query for a word of a stored title is answered with that article only: its
    title, summary, image as thumbnail and teaser HTML as the message; a short cache."""
    telegram = running.telegram
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


def test_an_empty_query_offers_the_latest_in_the_persons_regions(running: RunningBot) -> None:
    """With no words the answer is the latest stories of the reader's own regions, personal."""
    telegram = running.telegram
    before = len(telegram.messages(EUROPEAN))
    telegram.send_message(EUROPEAN, EUROPEAN, "/region europe")
    telegram.wait_for_messages(EUROPEAN, before + 1, timeout=30)
    answer = _ask(telegram, "", user=EUROPEAN)
    assert sorted(_titles(answer)) == ["Moscow metro opens new line", "Paris museum reopens"]
    assert answer.is_personal is True


def test_scrolling_pages_through_the_matches(running: RunningBot) -> None:
    """Twenty results and a next_offset; the next page holds the other three and ends."""
    telegram = running.telegram
    first = _ask(telegram, "election", user=SCROLLER)
    assert len(first.results) == 20
    assert first.next_offset == "20"
    second = _ask(telegram, "election", first.next_offset, user=SCROLLER)
    assert len(second.results) == 3
    assert second.next_offset == ""
    ids = [r["id"] for r in first.results + second.results]
    assert len(set(ids)) == 23
