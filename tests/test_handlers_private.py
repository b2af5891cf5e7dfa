"""Private chats: /start with buttons, /stop, /settings, /help, and the command lists."""

from __future__ import annotations

from pathlib import Path

from bot.core import texts
from bot.telegram.app import register_commands
from bot.telegram.views import Action
from tests.support.chat_harness import harness
from tests.support.fake_telegram import FakeTelegram

ANN = 501


async def test_start_subscribes_and_offers_region_buttons(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/start subscribes with no filter and answers briefly with region and settings buttons."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/start")
        chat = await h.store.chats.chat(ANN)
        assert chat is not None
        assert chat.subscribed
        assert chat.region_filter.is_everything
        welcome = h.last(ANN)
        assert "subscribed" in welcome.text
        assert "/region" in welcome.text
        assert len(welcome.text) < 600
        assert texts.BUTTON_CHOOSE_REGIONS in h.labels(welcome)
        h.button(welcome, Action.REGION_NEW, "root")
        h.button(welcome, Action.SETTINGS_NEW)


async def test_region_button_under_welcome_opens_a_new_chooser(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Pressing "Choose regions" opens the chooser as a new message; the welcome stays."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/start")
        welcome = h.last(ANN)
        await h.press(ANN, ANN, welcome.message_id, h.button(welcome, Action.REGION_NEW))
        chooser = h.last(ANN)
        assert chooser.message_id != welcome.message_id
        assert telegram.messages(ANN)[0].edits == 0
        assert "☐ Europe" in h.labels(chooser)
        assert telegram.callback_answers[-1].show_alert is False


async def test_stop_unsubscribes_and_says_how_to_come_back(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/stop unsubscribes and mentions /start; a second /stop says it is not subscribed."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/start")
        await h.send(ANN, ANN, "/stop")
        assert "/start" in h.last(ANN).text
        chat = await h.store.chats.chat(ANN)
        assert chat is not None
        assert not chat.subscribed
        await h.send(ANN, ANN, "/stop")
        assert h.last(ANN).text == texts.NOT_SUBSCRIBED.replace("<b>", "")


async def test_settings_shows_everything_and_buttons_change_it(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/settings lists subscription, regions and previews; its buttons toggle them in place."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/start")
        await h.send(ANN, ANN, "/region europe")
        await h.send(ANN, ANN, "/settings")
        shown = h.last(ANN)
        assert "Subscribed: yes" in shown.text
        assert "Regions: Europe" in shown.text
        assert "Link previews: on" in shown.text
        await h.press(ANN, ANN, shown.message_id, h.button(shown, Action.PREVIEWS_TOGGLE))
        assert "Link previews: off" in h.last(ANN).text
        await h.press(ANN, ANN, shown.message_id, h.button(shown, Action.SUBSCRIBE_TOGGLE))
        assert "Subscribed: no" in h.last(ANN).text
        chat = await h.store.chats.chat(ANN)
        assert chat is not None
        assert not chat.subscribed
        assert not chat.link_previews


async def test_help_covers_every_command(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/help lists every private command and /help <command> explains each one."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/help")
        overview = h.last(ANN).text
        for name, _ in texts.PRIVATE_COMMANDS:
            assert f"/{name}" in overview
        for name, _ in (*texts.PRIVATE_COMMANDS, *texts.GROUP_ADMIN_COMMANDS):
            await h.send(ANN, ANN, f"/help {name}")
            assert f"/{name}" in h.last(ANN).text
        await h.send(ANN, ANN, "/help <nope>")
        assert "/help" in h.last(ANN).text


async def test_command_lists_differ_for_private_chats_and_group_admins(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """setMyCommands registers /channels for private chats and /start only for group admins."""
    async with harness(telegram, tmp_path) as h:
        await register_commands(h.app)
    private = {c["command"] for c in telegram.commands({"type": "all_private_chats"})}
    members = {c["command"] for c in telegram.commands({"type": "all_group_chats"})}
    admins = {c["command"] for c in telegram.commands({"type": "all_chat_administrators"})}
    assert "channels" in private
    assert "channels" not in admins
    assert {"start", "stop", "region", "settings"} <= admins
    assert not {"start", "stop", "settings"} & members
    assert {"latest", "region"} <= members  # members see the group's regions (read only)


async def test_forged_private_sender_is_refused(telegram: FakeTelegram, tmp_path: Path) -> None:
    """A private-chat message whose sender is not the chat's owner changes nothing."""
    async with harness(telegram, tmp_path) as h:
        telegram.add_user(777, "Mallory")
        update = telegram.send_message(ANN, ANN, "/start")
        assert update is not None
        update["message"]["from"] = {"id": 777, "is_bot": False, "first_name": "Mallory"}
        await h.process(update)
        assert await h.store.chats.chat(ANN) is None
        assert h.last(ANN).text == texts.FORGED_SENDER
