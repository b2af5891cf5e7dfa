"""A chat's post format applied when its teasers are sent: parts on or off, a Read button, a
signature, and a photo with the teaser as its caption (a text message when Telegram refuses it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.chat_settings import ChatSettings
from bot.core.models import Classification, NewArticle
from bot.core.post_format import CAPTION_LIMIT, PostFormat
from bot.core.routing import hashtags
from tests.delivery_support import Harness, harness_at, new_article
from tests.support.fake_telegram import FakeTelegram
from tests.support.tg_objects import utf16_len

IMAGE = "https://news.example/images/strike.jpg"


@pytest.fixture
async def harness(tmp_path: Path, telegram: FakeTelegram) -> AsyncIterator[Harness]:
    async with harness_at(tmp_path / "bot.sqlite3", telegram) as opened:
        yield opened


def pictured(number: int, *, image: str = IMAGE, summary: str | None = None) -> NewArticle:
    """Article ``number`` about Russia, with an image."""
    entry = new_article(number, summary=summary)
    item = replace(entry.item, image=image)
    return NewArticle(item, Classification(countries=("RU",), regions=("eastern_europe",)))


async def set_format(harness: Harness, chat_id: int, fmt: PostFormat) -> None:
    def change(settings: ChatSettings) -> ChatSettings:
        return replace(settings, post_format=fmt)

    await harness.store.chats.change_settings(chat_id, change, now=0.0)


async def test_hashtags_off_removes_the_hashtags_only_in_that_chat(harness: Harness) -> None:
    """``hashtags off`` sends the teaser without hashtags; a chat with the default keeps them."""
    await harness.add_private(11, 12)
    await set_format(harness, 12, PostFormat(hashtags=False))
    await harness.publish(pictured(1))
    async with harness.running(tags_for=hashtags) as deliverer:
        await harness.settle(deliverer)
    [default] = harness.telegram.messages(11)
    [bare] = harness.telegram.messages(12)
    assert "#Russia" in default.text
    assert "#" not in bare.text
    assert "Story number 1" in bare.text
    assert "News" in bare.text


async def test_summary_and_source_off_and_a_signature(harness: Harness) -> None:
    """``summary off``, ``source off`` and a signature shape the teaser; HTML is escaped."""
    await harness.add_private(21)
    fmt = PostFormat(summary=False, source=False, signature="— Our <paper> & co")
    await set_format(harness, 21, fmt)
    await harness.publish(pictured(2))
    async with harness.running(tags_for=hashtags) as deliverer:
        await harness.settle(deliverer)
    [message] = harness.telegram.messages(21)
    assert "What happened" not in message.text
    assert "News" not in message.text
    assert message.text.endswith("— Our <paper> & co")
    assert "&lt;paper&gt; &amp; co" in message.raw_text


async def test_button_on_puts_the_link_on_a_read_button_next_to_share(
    tmp_path: Path,
) -> None:
    """``button on``: the title is not a link; a "Read" URL button opens the article, and the
    share button stays beside it."""
    with FakeTelegram(inline_mode=True) as telegram:
        async with harness_at(tmp_path / "bot.sqlite3", telegram) as harness:
            await harness.add_private(31)
            await set_format(harness, 31, PostFormat(button=True))
            await harness.publish(pictured(3))
            async with harness.running() as deliverer:
                await harness.settle(deliverer)
            [message] = telegram.messages(31)
    assert "<a " not in message.raw_text
    assert message.reply_markup is not None
    [row] = message.reply_markup["inline_keyboard"]
    assert row[0] == {"text": "📖 Read", "url": "https://news.example/3"}
    assert "switch_inline_query" in row[1]


async def test_photo_on_sends_a_photo_with_the_teaser_as_its_caption(harness: Harness) -> None:
    """``photo on`` and an article with an image: sendPhoto, the teaser as an HTML caption."""
    await harness.add_private(41, 42)
    await set_format(harness, 41, PostFormat(photo=True))
    await harness.publish(pictured(4))
    async with harness.running(tags_for=hashtags) as deliverer:
        await harness.settle(deliverer)
    [photo] = harness.telegram.messages(41)
    assert photo.photo == IMAGE
    assert photo.parse_mode == "HTML"
    assert photo.text.startswith("Story number 4")
    assert "#Russia" in photo.text
    [text] = harness.telegram.messages(42)  # the default format: a text message, as always
    assert text.photo is None
    assert text.text.startswith("Story number 4")


async def test_a_long_teaser_is_cut_to_fit_the_caption(harness: Harness) -> None:
    """A long summary is shortened so the caption stays within 1,024 characters."""
    await harness.add_private(51)
    await set_format(harness, 51, PostFormat(photo=True, signature="s" * 200))
    await harness.publish(pictured(5, summary="Word " * 400))
    async with harness.running(tags_for=hashtags) as deliverer:
        await harness.settle(deliverer)
    [photo] = harness.telegram.messages(51)
    assert photo.photo == IMAGE
    assert utf16_len(photo.text) <= CAPTION_LIMIT


async def test_photo_on_without_an_image_sends_text(harness: Harness) -> None:
    """``photo on`` and an article without an http(s) image: a text message as before."""
    await harness.add_private(61)
    await set_format(harness, 61, PostFormat(photo=True))
    await harness.publish(pictured(6, image="ftp://news.example/a.jpg"))
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    [message] = harness.telegram.messages(61)
    assert message.photo is None
    assert harness.telegram.calls("sendPhoto") == []


async def test_a_refused_photo_falls_back_to_a_text_message(harness: Harness) -> None:
    """Telegram cannot fetch the image (400 wrong file identifier/HTTP URL): the row is sent as
    an HTML text message, recorded sent once, and the chat stays subscribed."""
    await harness.add_private(71)
    await set_format(harness, 71, PostFormat(photo=True))
    harness.telegram.refuse_photo(IMAGE)
    await harness.publish(pictured(7))
    async with harness.running(tags_for=hashtags) as deliverer:
        await harness.settle(deliverer)
    [message] = harness.telegram.messages(71)
    assert message.photo is None
    assert message.parse_mode == "HTML"
    assert message.text.startswith("Story number 7")
    assert "#Russia" in message.text
    assert [c.status for c in harness.telegram.calls("sendPhoto")] == [400]
    assert harness.rows(71) == [("sent", 1, None)]
    chat = await harness.store.chats.chat(71)
    assert chat is not None
    assert chat.subscribed


async def test_a_group_that_forbids_photos_gets_text(harness: Harness) -> None:
    """A group where the bot may not send photos gets the teaser as text, and stays."""
    await harness.add_group(-81)
    harness.telegram.set_member(-81, harness.telegram.bot_id, "restricted", can_send_photos=False)
    await set_format(harness, -81, PostFormat(photo=True))
    await harness.publish(pictured(8))
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    [message] = harness.telegram.messages(-81)
    assert message.photo is None
    assert harness.rows(-81) == [("sent", 1, None)]
