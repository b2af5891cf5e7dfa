"""/format typed and by buttons: the preview with the latest story, each switch, the signature."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bot.core.models import NewArticle, ParsedItem, SourceSpec
from bot.core.post_format import PostFormat
from bot.core.routing import classify_item
from bot.store import Store
from bot.telegram.views import Action
from tests.support.chat_harness import Harness, harness
from tests.support.fake_telegram import FakeTelegram
from tests.support.seeding import record_articles

ANN, OLGA, LUCIA = 951, 952, 953
GROUP, OWNER, MEMBER = -100950, 961, 962
CHANNEL, ALICE = -100951, 971
TITLE = "Winter of Russian Discontent Begins"


async def _story(store: Store) -> None:
    [source] = await store.sources.sync_sources(
        [SourceSpec("Example News", "https://news.example/feed")]
    )
    item = ParsedItem(
        key="k1",
        title=TITLE,
        summary="The social crisis in Russia has reached new levels.",
        url="https://news.example/winter",
        published=datetime.now(UTC),
        image="https://news.example/winter.jpg",
    )
    entry = NewArticle(item, classify_item(item, source))
    await record_articles(store, source.id, [entry], now=time.time(), baseline=True)


async def _format(h: Harness, chat_id: int) -> PostFormat:
    chat = await h.store.chats.chat(chat_id)
    assert chat is not None
    return chat.settings.post_format


def _people(telegram: FakeTelegram) -> None:
    for user, name, language in ((ANN, "Ann", "en"), (OLGA, "Olga", "ru"), (LUCIA, "Lucía", "es")):
        telegram.add_user(user, name, language_code=language)
        telegram.add_private_chat(user)


async def test_format_shows_the_latest_story_as_the_chat_gets_it(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/format renders the latest stored story in the chat's format, with a toggle per part;
    before any story is stored, a made-up one."""
    _people(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/format")
        sample = h.last(ANN)
        assert "How teasers look in this chat, with a made-up story:" in sample.text
        assert "Dock workers in Valencia" in sample.text
        await _story(h.store)
        await h.send(ANN, ANN, "/format")
        view = h.last(ANN)
        assert "How teasers look in this chat, with the latest story:" in view.text
        assert f'<b><a href="https://news.example/winter">{TITLE}</a></b>' in view.raw_text
        assert "#Russia" in view.text
        assert "Example News" in view.text
        assert "Share button: on" in view.text
        labels = h.labels(view)
        for label in ("☑ Summary", "☑ Hashtags", "☑ Source", "☐ Photo", "☐ Read button"):
            assert label in labels


async def test_typed_switches_and_signature(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Each typed switch is stored and answered with the new preview; the signature is a
    last line, escaped; a photo and a Read button show in the preview."""
    _people(telegram)
    async with harness(telegram, tmp_path) as h:
        await _story(h.store)
        await h.send(ANN, ANN, "/format hashtags off")
        assert await _format(h, ANN) == PostFormat(hashtags=False)
        answer = h.last(ANN)
        assert answer.text.startswith("✅ Hashtags: off")
        assert "#Russia" not in answer.text
        assert "☐ Hashtags" in h.labels(answer)
        await h.send(ANN, ANN, "/format summary off")
        assert "social crisis" not in h.last(ANN).text
        await h.send(ANN, ANN, "/format signature <b>Our</b> & paper")
        signed = h.last(ANN)
        assert signed.text.startswith("✅ Signature: <b>Our</b> & paper")
        assert "&lt;b&gt;Our&lt;/b&gt; &amp; paper" in signed.raw_text
        assert "✖ Remove the signature" in h.labels(signed)
        await h.send(ANN, ANN, "/format photo on")
        assert "comes as a photo, with this text as its caption" in h.last(ANN).text
        await h.send(ANN, ANN, "/format button on")
        view = h.last(ANN)
        assert f"<b>{TITLE}</b>" in view.raw_text
        assert view.reply_markup is not None
        [read] = view.reply_markup["inline_keyboard"][0]
        assert (read["text"], read["url"]) == ("📖 Read", "https://news.example/winter")
        await h.send(ANN, ANN, "/format signature off")
        assert h.last(ANN).text.startswith("✅ Signature: off")
        assert await _format(h, ANN) == PostFormat(
            summary=False, hashtags=False, photo=True, button=True
        )


async def test_bad_format_requests_are_quoted_and_change_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """An unknown part, a signature without text and one over 200 characters are refused with
    what was typed; the format stays; /format share still works as before."""
    _people(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/format colour blue")
        assert h.last(ANN).text == (
            "I can't read 'colour blue'. Try /format summary off, /format photo on, /format "
            "button on or /format signature Your text."
        )
        await h.send(ANN, ANN, "/format signature")
        assert h.last(ANN).text == (
            "Write the signature after the word: /format signature Your text. /format "
            "signature off removes it."
        )
        await h.send(ANN, ANN, "/format signature " + "x" * 201)
        assert h.last(ANN).text == "A signature can be at most 200 characters long."
        assert await _format(h, ANN) == PostFormat()
        await h.send(ANN, ANN, "/format share off")
        assert h.last(ANN).text == "Teasers here no longer carry a share button."


async def test_format_buttons_switch_parts(telegram: FakeTelegram, tmp_path: Path) -> None:
    """A toggle stores the switch, answers with a toast and redraws the preview in place; the
    share toggle and the signature's removal work the same way."""
    _people(telegram)
    async with harness(telegram, tmp_path) as h:
        await _story(h.store)
        await h.send(ANN, ANN, "/format signature Ours")
        await h.send(ANN, ANN, "/format")
        view = h.last(ANN)
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.FORMAT_TOGGLE, "source"))
        assert await _format(h, ANN) == PostFormat(source=False, signature="Ours")
        assert telegram.callback_answers[-1].text == "Source: off"
        assert "☐ Source" in h.labels(h.last(ANN))
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.FORMAT_TOGGLE, "share"))
        chat = await h.store.chats.chat(ANN)
        assert chat is not None
        assert chat.share_button is False
        assert "Share button: off" in h.last(ANN).text
        signature = h.button(h.last(ANN), Action.FORMAT_TOGGLE, "signature")
        await h.press(ANN, ANN, view.message_id, signature)
        assert await _format(h, ANN) == PostFormat(source=False)
        assert h.last(ANN).message_id == view.message_id


async def test_group_members_and_channels(telegram: FakeTelegram, tmp_path: Path) -> None:
    """In a group only admins change the format (typed or pressed); a channel's admin sets
    it from the private chat with /format @channel."""
    _people(telegram)
    telegram.add_user(ALICE, "Alice")
    telegram.add_private_chat(ALICE)
    telegram.add_group(GROUP, "Readers' club", creator=OWNER, members=[MEMBER])
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=ALICE)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, MEMBER, "/format photo on")
        assert h.last(GROUP).text == "Only this chat's admins can do that."
        await h.send(GROUP, OWNER, "/format")
        view = h.last(GROUP)
        await h.press(GROUP, MEMBER, view.message_id, h.button(view, Action.FORMAT_TOGGLE, "photo"))
        assert telegram.callback_answers[-1].show_alert
        assert await _format(h, GROUP) == PostFormat()
        await h.press(GROUP, OWNER, view.message_id, h.button(view, Action.FORMAT_TOGGLE, "photo"))
        assert await _format(h, GROUP) == PostFormat(photo=True)
        await h.send(ALICE, ALICE, "/format @worlddesk source off")
        assert await _format(h, CHANNEL) == PostFormat(source=False)
        assert "How teasers look in World Desk" in h.last(ALICE).text
        assert "<code>/format @worlddesk hashtags off</code>" in h.last(ALICE).raw_text


async def test_format_in_russian_and_spanish(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Switches typed in Russian and Spanish are understood and answered in those languages."""
    _people(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(OLGA, OLGA, "/format хэштеги выкл")
        assert await _format(h, OLGA) == PostFormat(hashtags=False)
        assert h.last(OLGA).text.startswith("✅ Хэштеги: выкл.")
        await h.send(LUCIA, LUCIA, "/format fuente no")
        assert await _format(h, LUCIA) == PostFormat(source=False)
        assert h.last(LUCIA).text.startswith("✅ Fuente: no")
