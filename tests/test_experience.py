"""The second experience walk (issue 31) and buttons bound to their message (issue 28, item 5).

Each test drives the real handlers through the fake Bot API as a reader, a group admin, a plain
member or a channel admin would, and checks what that person sees and what the store keeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core import i18n, texts
from bot.core.models import Classification, NewArticle, ParsedItem, SourceSpec
from bot.telegram.app import register_commands
from bot.telegram.views import Action, ButtonData
from tests.support.chat_harness import harness
from tests.support.fake_telegram import FakeTelegram
from tests.support.seeding import poll_ok, record_articles
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
        member_chat = await h.store.chats.chat(MEMBER)
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
        channel = await h.store.chats.chat(CHANNEL)
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
        [source] = await h.store.sources.sync_sources(
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
        chat = await h.store.chats.chat(READER)
        assert chat is not None
        assert not chat.subscribed
        await h.press(READER, READER, answer.message_id, h.button(answer, Action.REGION_CLEAR))
        chat = await h.store.chats.chat(READER)
        assert chat is not None
        assert chat.subscribed
        assert chat.region_filter.is_everything

        await h.send(READER, READER, "/region europe")
        await h.send(READER, READER, "/region none")
        assert "no regions left" in h.last(READER).text
        chat = await h.store.chats.chat(READER)
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
        channel = await h.store.chats.chat(CHANNEL)
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
        chat = await h.store.chats.chat(READER)
        assert chat is not None
        assert chat.region_filter.ids == {"151", "154", "039"}
        page = h.last(READER)
        assert "☐ Western Europe" in h.labels(page)
        assert "☑ Eastern Europe" in h.labels(page)
        await h.press(READER, READER, page.message_id, h.button(page, Action.REGION_TOGGLE, "150"))
        chat = await h.store.chats.chat(READER)
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
        [source] = await h.store.sources.sync_sources(
            [SourceSpec(name="Wire", url="https://w.example/")]
        )
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


async def test_channel_added_without_the_right_to_post_is_told_and_listed_as_waiting(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A channel admin who adds the bot without the right to post hears which right is missing,
    /channels lists the channel as waiting for it, and granting it sets the channel up."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=OWNER, bot_status="left")
    async with harness(telegram, tmp_path) as h:
        await h.send(OWNER, OWNER, "/help")
        await h.membership(CHANNEL, OWNER, "administrator", can_post_messages=False)
        told = h.last(OWNER)
        assert "World Desk" in told.text
        assert "Post messages" in told.text
        telegram.add_channel(CHANNEL - 1, "Night Desk", creator=READER, bot_status="left")
        await h.membership(CHANNEL - 1, READER, "administrator", can_post_messages=False)
        await h.send(READER, READER, "/start")  # his first /start: told now
        assert "📢 Only the channel" in h.labels(telegram.messages(READER)[0])
        assert any(
            "Night Desk" in m.text and "Post messages" in m.text for m in telegram.messages(READER)
        )
        await h.send(OWNER, OWNER, "/channels")
        listing = h.last(OWNER)
        assert "World Desk: waiting for the right to post messages" in listing.text
        await h.membership(CHANNEL, OWNER, "administrator", can_post_messages=True)
        assert "Thanks for adding me to World Desk" in h.last(OWNER).text
        await h.send(OWNER, OWNER, "/channels")
        listing = h.last(OWNER)
        assert "waiting for the right" not in listing.text
        assert "World Desk" in listing.text


async def test_answers_to_channel_commands_are_silent(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Every answer the bot posts in a channel, to a command typed there, is sent silently."""
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=OWNER)
    async with harness(telegram, tmp_path) as h:
        for command in ("/start", "/settings", "/region europe", "/latest", "/help"):
            await h.post(CHANNEL, command)
        answers = telegram.messages(CHANNEL)
        assert len(answers) == 5
        assert all(answer.silent for answer in answers)


async def test_the_bot_describes_itself_in_every_language_at_start(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """At start the bot sets its description and short description, in English for everyone and
    in each other language for its speakers, within Telegram's limits."""
    async with harness(telegram, tmp_path) as h:
        assert telegram.profile_text("description") == ""
        await register_commands(h.app)
    assert telegram.profile_text("description") == texts.BOT_DESCRIPTION
    assert telegram.profile_text("short_description", "xx") == texts.BOT_SHORT_DESCRIPTION
    for language in ("de", "es", "fr", "pt", "ru"):
        description = telegram.profile_text("description", language)
        short = telegram.profile_text("short_description", language)
        assert description == i18n.tr(texts.BOT_DESCRIPTION, language)
        assert short == i18n.tr(texts.BOT_SHORT_DESCRIPTION, language)
        assert description != texts.BOT_DESCRIPTION
        assert short != texts.BOT_SHORT_DESCRIPTION


async def test_language_of_a_channel_is_confirmed_in_the_owners_language(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/language @channel es, typed by an English-speaking owner, is confirmed in English and
    names the channel; the channel itself speaks Spanish from then on."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=OWNER)
    async with harness(telegram, tmp_path) as h:
        await h.send(OWNER, OWNER, "/language @worlddesk es")
        assert h.last(OWNER).text == "From now on I speak Spanish in World Desk."
        channel = await h.store.chats.chat(CHANNEL)
        assert channel is not None
        assert channel.language == "es"


async def test_a_channel_owners_first_start_offers_to_keep_only_the_channel(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """An owner who added the bot to his channel before talking to it hears at his first /start
    that he would get every story twice, and one tap keeps the teasers in the channel only."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=OWNER, bot_status="left")
    async with harness(telegram, tmp_path) as h:
        await h.membership(CHANNEL, OWNER, "administrator", can_post_messages=True)
        telegram.add_private_chat(OWNER)
        await h.send(OWNER, OWNER, "/start")
        welcome = telegram.messages(OWNER)[0]
        assert "twice" in welcome.text
        assert "📢 Only the channel" in h.labels(welcome)
        await h.press(OWNER, OWNER, welcome.message_id, h.button(welcome, Action.STOP_HERE))
        assert "channels only" in h.last(OWNER).text
        mine = await h.store.chats.chat(OWNER)
        assert mine is not None
        assert not mine.subscribed
        await h.send(READER, READER, "/start")
        assert "twice" not in h.last(READER).text


async def test_commands_from_other_bots_are_understood(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/sub and /subscribe subscribe, /unsub and /unsubscribe unsubscribe, /menu shows the
    settings, and /list suggests /settings."""
    telegram.add_private_chat(READER)
    async with harness(telegram, tmp_path) as h:
        for start, stop in (("/sub", "/unsub"), ("/subscribe", "/unsubscribe")):
            await h.send(READER, READER, start)
            chat = await h.store.chats.chat(READER)
            assert chat is not None
            assert chat.subscribed
            await h.send(READER, READER, stop)
            chat = await h.store.chats.chat(READER)
            assert chat is not None
            assert not chat.subscribed
        await h.send(READER, READER, "/menu")
        assert h.last(READER).text.startswith("Settings for this chat")
        await h.send(READER, READER, "/list")
        assert h.last(READER).text == "I don't know /list. Did you mean /settings?"


async def test_add_buttons_and_a_forwarded_post_start_a_channels_set_up(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/start and /help offer deep links that add the bot to a group or, with the rights it
    needs, to a channel; a post forwarded from a channel its admin runs starts its set-up, and
    from a channel without the bot, offers to add it."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=OWNER)
    telegram.add_channel(CHANNEL - 1, "Other Desk", "otherdesk", creator=OWNER, bot_status="left")
    async with harness(telegram, tmp_path) as h:
        bot = telegram.bot_username
        for command in ("/start", "/help"):
            await h.send(OWNER, OWNER, command)
            markup = h.last(OWNER).reply_markup
            assert markup is not None
            urls = [b.get("url") for row in markup["inline_keyboard"] for b in row]
            assert f"https://t.me/{bot}?startgroup=true" in urls
            assert (
                f"https://t.me/{bot}?startchannel=true&admin=post_messages+delete_messages" in urls
            )
        await h.process(
            telegram.send_message(OWNER, OWNER, "News!", forward_from_channel_id=CHANNEL)
        )
        setup = h.last(OWNER)
        assert "Thanks for adding me to World Desk" in setup.text
        h.button(setup, Action.CHANNEL_TOGGLE)
        await h.process(
            telegram.send_message(OWNER, OWNER, "News!", forward_from_channel_id=CHANNEL - 1)
        )
        assert "not an administrator of Other Desk" in h.last(OWNER).text
        await h.process(telegram.send_message(READER, READER, "x", forward_from_channel_id=CHANNEL))
        assert "not an administrator of World Desk" in h.last(READER).text


async def test_groups_quote_commands_show_members_their_part_and_answer_a_mention(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """In a group the bot quotes the command it answers; a member's /help lists what members
    can do; a member sees the group's regions (read only, nothing changes); a mention of the
    bot gets an answer."""
    telegram.add_group(
        GROUP, "Readers' club", creator=OWNER, members=[MEMBER], bot_status="administrator"
    )
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, OWNER, "/region europe")
        command = telegram.chat_message(GROUP, h.last(GROUP).message_id - 1)
        assert command is not None
        assert h.last(GROUP).params["reply_parameters"]["message_id"] == command["message_id"]
        await h.send(GROUP, MEMBER, "/help")
        members_help = h.last(GROUP).text
        assert "/latest" in members_help
        assert "/stop" not in members_help
        assert "Admins can also" in members_help
        await h.send(GROUP, OWNER, "/help")
        assert "/stop" in h.last(GROUP).text
        await h.send(GROUP, MEMBER, "/region")
        seen = h.last(GROUP)
        assert "Readers' club is subscribed: Europe." in seen.text
        assert "Only this chat's admins can change it." in seen.text
        assert seen.reply_markup is None
        await h.send(GROUP, MEMBER, "/region asia")
        assert h.last(GROUP).text == texts.ADMINS_ONLY
        chat = await h.store.chats.chat(GROUP)
        assert chat is not None
        assert chat.region_filter.ids == {"150"}
        await h.send(GROUP, MEMBER, f"@{telegram.bot_username} are you there?")
        assert h.last(GROUP).text.startswith("Hello! I post news teasers here.")


async def test_a_change_of_the_apps_language_is_followed_until_one_is_chosen(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A reader whose Telegram switches from Spanish to German is answered in German (and his
    digests would be too); once he picks French with /language, French stays."""
    telegram.add_user(READER, "Lucía", language_code="es")
    async with harness(telegram, tmp_path) as h:
        await h.send(READER, READER, "/start")
        assert h.last(READER).text.startswith("¡Bienvenido")
        telegram.add_user(READER, "Lucía", language_code="de")
        await h.send(READER, READER, "/settings")
        assert h.last(READER).text.startswith("Einstellungen")
        chat = await h.store.chats.chat(READER)
        assert chat is not None
        assert chat.language == "de"
        await h.send(READER, READER, "/language fr")
        telegram.add_user(READER, "Lucía", language_code="ru")
        await h.send(READER, READER, "/settings")
        assert h.last(READER).text.startswith("Réglages")
        chat = await h.store.chats.chat(READER)
        assert chat is not None
        assert chat.language == "fr"


async def test_refusals_name_a_channel_the_bot_knows_by_its_title(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A channel the bot was removed from is named by its title in the refusal, not its id."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=OWNER)
    async with harness(telegram, tmp_path) as h:
        await h.send(OWNER, OWNER, "/start @worlddesk")
        await h.membership(CHANNEL, OWNER, "left")
        await h.send(OWNER, OWNER, f"/settings {CHANNEL}")
        refusal = h.last(OWNER)
        assert "World Desk" in refusal.text
        assert str(CHANNEL) not in refusal.text


async def test_typing_friction_verbs_alone_bare_names_links_and_edits(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/region add alone explains itself; a channel is found without its @ or by its t.me link
    (a misspelt region still gets its suggestion); an edited command is handled like a new one."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=OWNER)
    async with harness(telegram, tmp_path) as h:
        await h.send(OWNER, OWNER, "/region add")
        assert h.last(OWNER).text.startswith("Add which regions?")
        await h.send(OWNER, OWNER, "/region remove")
        assert h.last(OWNER).text.startswith("Remove which regions?")
        for named in ("worlddesk", "t.me/worlddesk", "https://t.me/worlddesk"):
            await h.send(OWNER, OWNER, f"/settings {named}")
            assert h.last(OWNER).text.startswith("Settings for World Desk")
        await h.send(OWNER, OWNER, "/region worlddesk europe")
        channel = await h.store.chats.chat(CHANNEL)
        assert channel is not None
        assert channel.region_filter.ids == {"150"}
        await h.send(OWNER, OWNER, "/region eurpoe")
        assert "Did you mean" in h.last(OWNER).text
        typo = telegram.chat_message(OWNER, h.last(OWNER).message_id - 1)
        assert typo is not None
        await h.process(telegram.edit_message(OWNER, typo["message_id"], "/region asia"))
        mine = await h.store.chats.chat(OWNER)
        assert mine is not None
        assert mine.region_filter.ids == {"142"}
        assert h.last(OWNER).text == "You are subscribed: Asia."


async def test_operators_help_lists_their_commands_and_sources_show_feed_titles(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """An operator's /help lists the operator commands (a reader's does not); /sources names a
    source by its feed's title with its host."""
    telegram.add_private_chat(OWNER)
    telegram.add_private_chat(READER)
    async with harness(telegram, tmp_path, operators=[OWNER]) as h:
        [source] = await h.store.sources.sync_sources(
            [SourceSpec(name="wire", url="https://wire.example/feed.xml")]
        )
        await poll_ok(h.store, source.id, now=1.0, next_poll_at=60.0, feed_title="Global Wire")
        await h.send(OWNER, OWNER, "/help")
        assert "/addsource" in h.last(OWNER).text
        await h.send(READER, READER, "/help")
        assert "/addsource" not in h.last(READER).text
        await h.send(OWNER, OWNER, "/sources")
        assert "Global Wire (wire.example)" in h.last(OWNER).text


async def test_latest_cuts_long_lines_with_an_ellipsis_and_counts_what_it_shows(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/latest cuts a long summary with "…", even after a full stop, and its heading counts the
    stories it shows."""
    telegram.add_private_chat(READER)
    long = ParsedItem(
        key="long",
        title="A long story",
        summary="First sentence is short. " + "Then a much longer second sentence follows " * 8,
        url="https://news.example/long",
        published=datetime(2026, 1, 2, tzinfo=UTC),
    )
    async with harness(telegram, tmp_path) as h:
        [source] = await h.store.sources.sync_sources(
            [SourceSpec(name="Wire", url="https://w.example/")]
        )
        entries = [*(_emoji_article(n) for n in range(24)), NewArticle(long, Classification())]
        await record_articles(h.store, source.id, entries, now=1.0, baseline=True)
        await h.send(READER, READER, "/latest 20")
        answer = h.last(READER).text
        shown = answer.count("\n\n")
        assert answer.startswith(f"Latest {shown}\n")
        assert 0 < shown < 20
        await h.send(READER, READER, "/latest 1")
        assert "A long story\nFirst sentence is short. Then a much longer" in h.last(READER).text
        line = next(x for x in h.last(READER).text.split("\n") if x.startswith("First sentence"))
        assert line.endswith("… (Wire)")


async def test_small_slips_language_toast_done_mark_and_a_groups_stop(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """The language view's toast says Languages; Done on an unsubscribed chat is not ticked; a
    group's /stop speaks of this chat's regions, not "your" regions."""
    _group(telegram)
    telegram.add_private_chat(READER)
    async with harness(telegram, tmp_path) as h:
        await h.send(READER, READER, "/settings")
        view = h.last(READER)
        await h.press(READER, READER, view.message_id, h.button(view, Action.LANGUAGE))
        assert telegram.callback_answers[-1].text == "Languages"
        await h.send(READER, READER, "/settings")
        view = h.last(READER)
        await h.press(READER, READER, view.message_id, h.button(view, Action.DONE))
        assert h.last(READER).text.startswith("🔕 You are not subscribed")
        await h.send(GROUP, ADMIN, "/start")
        await h.send(GROUP, ADMIN, "/stop")
        stopped = h.last(GROUP).text
        assert "This chat's regions are kept" in stopped
        assert "Your regions" not in stopped
