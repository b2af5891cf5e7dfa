"""The second experience walk (issue 31) and buttons bound to their message (issue 28, item 5).

Each test drives the real handlers through the fake Bot API as a reader, a group admin, a plain
member or a channel admin would, and checks what that person sees and what the store keeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core import texts
from bot.core.models import Classification, NewArticle, ParsedItem, SourceSpec
from bot.telegram.views import Action, ButtonData
from tests.support.chat_harness import harness
from tests.support.fake_telegram import FakeTelegram
from tests.support.seeding import record_articles
from tests.support.tg_objects import utf16_len

GROUP = -100700
CHANNEL = -1001700
OWNER, ADMIN, MEMBER, READER = 701, 702, 703, 704


def _group(telegram: FakeTelegram) -> None:
    telegram.add_group(GROUP, "Readers' club", creator=OWNER, admins=[ADMIN], members=[MEMBER])


async def test_private_buttons_pressed_on_the_groups_message_change_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A member pressing his private /settings buttons' data on the group's settings message is
    refused with an alert, and neither message nor any chat changes."""
    _group(telegram)
    telegram.add_private_chat(MEMBER)
    async with harness(telegram, tmp_path) as h:
        await h.send(MEMBER, MEMBER, "/settings")
        private = h.last(MEMBER)
        await h.send(GROUP, ADMIN, "/settings")
        group_message = h.last(GROUP)
        before = group_message.text
        presses = [
            h.button(private, action)
            for action in (Action.LANGUAGE, Action.SUBSCRIBE_TOGGLE, Action.SILENT_TOGGLE)
        ]
        presses += [ButtonData(Action.SETTINGS, MEMBER).encode(), h.button(private, Action.DONE)]
        for data in presses:
            await h.press(GROUP, MEMBER, group_message.message_id, data)
            answer = telegram.callback_answers[-1]
            assert answer.show_alert
            assert answer.text == texts.BUTTON_REFUSED
        assert h.last(GROUP).text == before
        assert h.last(GROUP).edits == 0
        member_chat = await h.store.chat(MEMBER)
        assert member_chat is not None
        assert not member_chat.subscribed
        assert not member_chat.silent


async def test_buttons_under_a_private_message_may_set_up_a_channel(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """The channel owner's private /settings @channel buttons still work from his private chat."""
    telegram.add_channel(CHANNEL, "World Desk", creator=OWNER, username="worlddesk")
    telegram.add_private_chat(OWNER)
    async with harness(telegram, tmp_path) as h:
        await h.send(OWNER, OWNER, "/settings @worlddesk")
        view = h.last(OWNER)
        await h.press(OWNER, OWNER, view.message_id, h.button(view, Action.SILENT_TOGGLE))
        channel = await h.store.chat(CHANNEL)
        assert channel is not None
        assert channel.silent


def _emoji_article(number: int) -> NewArticle:
    title = f"🔥🌍 Story {number}: " + "🚨📈 " * 30
    summary = "⚡️🗳️ " * 60
    parsed = ParsedItem(
        key=f"emoji-{number}",
        title=title,
        summary=summary,
        url=f"https://news.example/emoji/{number}",
        published=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=number),
    )
    return NewArticle(parsed, Classification())


async def test_latest_with_emoji_heavy_titles_fits_telegrams_utf16_limit(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/latest 10 and /latest 20 over 25 emoji-heavy stories are sized in UTF-16 units, as
    Telegram counts, so the list is sent (shorter), never refused as too long."""
    telegram.add_private_chat(READER)
    async with harness(telegram, tmp_path) as h:
        [source] = await h.store.sync_sources(
            [SourceSpec(name="📰 Wire", url="https://w.example/")]
        )
        articles = [_emoji_article(n) for n in range(25)]
        await record_articles(h.store, source.id, articles, now=1.0, baseline=True)
        for count in (8, 10, 20):
            await h.send(READER, READER, f"/latest {count}")
            answer = h.last(READER)
            assert answer.text != texts.REPLY_TOO_LONG
            assert answer.text.startswith("Latest ")
            assert utf16_len(answer.text) <= 4096
            assert "1. 🔥🌍 Story 24" in answer.text


async def test_removing_the_last_region_leaves_no_regions_and_offers_a_choice(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Removing the last region (by command, by "none", or by button, in a channel set up from
    private) leaves the chat with no regions and nothing sent, says so and offers Everything and
    Choose; it never widens to every article."""
    telegram.add_private_chat(READER)
    telegram.add_channel(CHANNEL, "World Desk", creator=OWNER, username="worlddesk")
    telegram.add_private_chat(OWNER)
    async with harness(telegram, tmp_path) as h:
        await h.send(READER, READER, "/region asia")
        await h.send(READER, READER, "/region remove asia")
        answer = h.last(READER)
        assert "no regions left" in answer.text
        h.button(answer, Action.REGION_CLEAR)
        h.button(answer, Action.REGION_PAGE, "root")
        chat = await h.store.chat(READER)
        assert chat is not None
        assert not chat.subscribed
        await h.press(READER, READER, answer.message_id, h.button(answer, Action.REGION_CLEAR))
        chat = await h.store.chat(READER)
        assert chat is not None
        assert chat.subscribed
        assert chat.region_filter.is_everything

        await h.send(READER, READER, "/region europe")
        await h.send(READER, READER, "/region none")
        assert "no regions left" in h.last(READER).text
        chat = await h.store.chat(READER)
        assert chat is not None
        assert not chat.subscribed

        await h.send(OWNER, OWNER, "/region @worlddesk europe")
        await h.send(OWNER, OWNER, "/region @worlddesk")
        chooser = h.last(OWNER)
        await h.press(
            OWNER, OWNER, chooser.message_id, h.button(chooser, Action.REGION_TOGGLE, "150")
        )
        toast = telegram.callback_answers[-1].text or ""
        assert "no regions left" in toast
        channel = await h.store.chat(CHANNEL)
        assert channel is not None
        assert not channel.subscribed
        assert "Regions for World Desk</b>: none" in h.last(OWNER).raw_text


async def test_tapping_a_part_of_a_chosen_continent_narrows_it(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """With Europe chosen its parts show as chosen; tapping Western Europe narrows the filter to
    Europe's other parts; tapping Europe again takes them back in; Everything shows as chosen."""
    telegram.add_private_chat(READER)
    async with harness(telegram, tmp_path) as h:
        await h.send(READER, READER, "/start")
        await h.send(READER, READER, "/region")
        chooser = h.last(READER)
        assert "☑ 🌐 Everything" in h.labels(chooser)
        await h.send(READER, READER, "/region europe")
        await h.send(READER, READER, "/region")
        chooser = h.last(READER)
        assert "🌐 Everything" in h.labels(chooser)
        await h.press(
            READER, READER, chooser.message_id, h.button(chooser, Action.REGION_PAGE, "150")
        )
        page = h.last(READER)
        assert "☑ Western Europe" in h.labels(page)
        await h.press(READER, READER, page.message_id, h.button(page, Action.REGION_TOGGLE, "155"))
        chat = await h.store.chat(READER)
        assert chat is not None
        assert chat.region_filter.ids == {"151", "154", "039"}
        page = h.last(READER)
        assert "☐ Western Europe" in h.labels(page)
        assert "☑ Eastern Europe" in h.labels(page)
        await h.press(READER, READER, page.message_id, h.button(page, Action.REGION_TOGGLE, "150"))
        chat = await h.store.chat(READER)
        assert chat is not None
        assert chat.region_filter.ids == {"150"}


async def test_counts_and_states_agree_in_spanish_and_russian(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Texts with a count use the language's plural forms ("La última noticia", "2 последние
    новости"), and toasts agree with their noun ("Publicaciones silenciosas activadas")."""
    telegram.add_user(READER, "Lucía", language_code="es")
    telegram.add_private_chat(READER)
    telegram.add_user(MEMBER, "Ivan", language_code="ru")
    telegram.add_private_chat(MEMBER)
    async with harness(telegram, tmp_path) as h:
        [source] = await h.store.sync_sources([SourceSpec(name="Wire", url="https://w.example/")])
        articles = [_emoji_article(n) for n in range(3)]
        await record_articles(h.store, source.id, articles, now=1.0, baseline=True)
        await h.send(READER, READER, "/latest 1")
        assert h.last(READER).text.startswith("La última noticia\n")
        await h.send(MEMBER, MEMBER, "/latest 2")
        assert h.last(MEMBER).text.startswith("2 последние новости\n")
        await h.send(READER, READER, "/settings")
        view = h.last(READER)
        await h.press(READER, READER, view.message_id, h.button(view, Action.SILENT_TOGGLE))
        assert telegram.callback_answers[-1].text == "Publicaciones silenciosas activadas"
