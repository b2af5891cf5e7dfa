"""The fake Bot API's inline mode behaves like Telegram's, seen through python-telegram-bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import telegram
from telegram import InlineQueryResultArticle, InputTextMessageContent
from telegram.error import BadRequest

from tests.support.fake_telegram import FakeTelegram

USER = 1101


@pytest.fixture
def server() -> Iterator[FakeTelegram]:
    """A fake Bot API server with inline mode on (/setinline)."""
    fake = FakeTelegram(token="123:ABC", inline_mode=True).start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
async def bot(server: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    """A real PTB bot talking to the fake server."""
    async with telegram.Bot(server.token, base_url=server.base_url) as client:
        yield client


def article(result_id: str, title: str = "A story") -> InlineQueryResultArticle:
    """An article result whose message is a short HTML text."""
    return InlineQueryResultArticle(
        result_id, title, InputTextMessageContent("<b>A story</b>", parse_mode="HTML")
    )


async def test_inline_queries_need_inline_mode(server: FakeTelegram, bot: telegram.Bot) -> None:
    """getMe says whether inline mode is on; with it off no inline query reaches the bot."""
    assert (await bot.get_me()).supports_inline_queries is True
    server.inline_mode = False
    assert (await bot.get_me(api_kwargs={"x": 1})).supports_inline_queries is False
    with pytest.raises(AssertionError, match="inline mode is off"):
        server.inline_query(USER, "news")


async def test_an_inline_query_arrives_and_its_answer_is_recorded(
    server: FakeTelegram, bot: telegram.Bot
) -> None:
    """The inline_query update carries the text and offset; the accepted answer is recorded."""
    server.inline_query(USER, "strike chile", "20")
    [update] = await bot.get_updates(timeout=0)
    assert update.inline_query is not None
    assert (update.inline_query.query, update.inline_query.offset) == ("strike chile", "20")
    await update.inline_query.answer(
        [article("1"), article("2")], cache_time=10, is_personal=True, next_offset="40"
    )
    [answer] = server.inline_answers
    assert [r["id"] for r in answer.results] == ["1", "2"]
    assert (answer.cache_time, answer.is_personal, answer.next_offset) == (10, True, "40")


async def test_answers_telegram_refuses_are_refused(
    server: FakeTelegram, bot: telegram.Bot
) -> None:
    """Duplicate ids, more than 50 results, bad HTML and a second answer are refused."""
    query_id = server.inline_query(USER, "x")["inline_query"]["id"]
    with pytest.raises(BadRequest, match=r"(?i)result_id_duplicate"):
        await bot.answer_inline_query(query_id, [article("1"), article("1")])
    with pytest.raises(BadRequest, match=r"(?i)results_too_much"):
        await bot.answer_inline_query(query_id, [article(str(i)) for i in range(51)])
    broken = InlineQueryResultArticle(
        "1", "t", InputTextMessageContent("<b>open", parse_mode="HTML")
    )
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
        await bot.answer_inline_query(query_id, [broken])
    with pytest.raises(BadRequest, match=r"(?i)next_offset_invalid"):
        await bot.answer_inline_query(query_id, [], next_offset="9" * 65)
    assert await bot.answer_inline_query(query_id, [article("1")])
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_inline_query(query_id, [article("1")])
