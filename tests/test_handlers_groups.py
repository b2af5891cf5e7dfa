"""Groups: only admins configure (checked live), hello once, topics, migration, /cmd@Bot."""

from __future__ import annotations

from pathlib import Path

from bot.core import texts
from bot.telegram.views import Action
from tests.support.chat_harness import harness
from tests.support.fake_telegram import FakeTelegram

GROUP = -100500
OWNER, ADMIN, MEMBER = 601, 602, 603


def _group(telegram: FakeTelegram, *, forum: bool = False) -> None:
    telegram.add_group(
        GROUP, "Readers' club", creator=OWNER, admins=[ADMIN], members=[MEMBER], forum=forum
    )


async def _subscribed(h: object, chat_id: int) -> bool:
    from tests.support.chat_harness import Harness  # noqa: PLC0415

    assert isinstance(h, Harness)
    chat = await h.store.chats.chat(chat_id)
    return chat is not None and chat.subscribed


async def test_admin_configures_and_member_is_refused(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """The creator and an admin may /start and /region; a plain member is politely refused."""
    _group(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, MEMBER, "/start")
        assert h.last(GROUP).text == texts.ADMINS_ONLY
        assert not await _subscribed(h, GROUP)
        await h.send(GROUP, OWNER, "/start")
        assert await _subscribed(h, GROUP)
        await h.send(GROUP, ADMIN, "/region europe")
        await h.send(GROUP, MEMBER, "/region asia")
        assert h.last(GROUP).text == texts.ADMINS_ONLY
        await h.send(GROUP, MEMBER, "/stop")
        await h.send(GROUP, MEMBER, "/settings")  # read only for members
        assert h.last(GROUP).text.endswith(texts.MEMBERS_READ_ONLY)
        assert h.last(GROUP).reply_markup is None
        chat = await h.store.chats.chat(GROUP)
        assert chat is not None
        assert chat.subscribed
        assert chat.region_filter.ids == {"150"}


async def test_demoted_admin_loses_the_right_at_once(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """An admin demoted to member is refused on the very next command."""
    _group(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, ADMIN, "/start")
        assert await _subscribed(h, GROUP)
        telegram.set_member(GROUP, ADMIN, "member")
        await h.send(GROUP, ADMIN, "/stop")
        assert h.last(GROUP).text == texts.ADMINS_ONLY
        assert await _subscribed(h, GROUP)


async def test_anonymous_admin_is_obeyed_and_other_sender_chats_are_not(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A message sent as the group itself (anonymous admin) is obeyed; as a channel, refused."""
    _group(telegram)
    telegram.add_channel(-100777, "Some channel", "somechan", creator=MEMBER)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, MEMBER, "/start", sender_chat_id=-100777)
        assert h.last(GROUP).text == texts.ADMINS_ONLY
        assert not await _subscribed(h, GROUP)
        await h.send(GROUP, ADMIN, "/start", sender_chat_id=GROUP)
        assert await _subscribed(h, GROUP)


async def test_missing_sender_is_refused(telegram: FakeTelegram, tmp_path: Path) -> None:
    """A group command with neither a user nor a sender chat changes nothing."""
    _group(telegram)
    async with harness(telegram, tmp_path) as h:
        update = telegram.send_message(GROUP, OWNER, "/start")
        assert update is not None
        del update["message"]["from"]
        await h.process(update)
        assert h.last(GROUP).text == texts.FORGED_SENDER
        assert not await _subscribed(h, GROUP)


async def test_hello_once_when_added(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Being added says hello with how to configure; being re-added does not repeat it."""
    _group(telegram)
    telegram.set_member(GROUP, telegram.bot_id, "left")
    async with harness(telegram, tmp_path) as h:
        await h.membership(GROUP, OWNER, "member")
        hello = h.last(GROUP)
        assert "/start" in hello.text
        assert "/region" in hello.text
        await h.membership(GROUP, OWNER, "left")
        await h.membership(GROUP, OWNER, "member")
        assert len(telegram.messages(GROUP)) == 1
        assert await h.store.chats.chat(GROUP) is not None


async def test_removed_from_group_deactivates(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Kicking the bot from a subscribed group unsubscribes it."""
    _group(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, OWNER, "/start")
        await h.membership(GROUP, OWNER, "kicked")
        chat = await h.store.chats.chat(GROUP)
        assert chat is not None
        assert not chat.subscribed
        assert chat.deactivated_reason == "bot removed"


async def test_addressed_commands_work_in_privacy_mode(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/latest@BotName is received and answered; a command for another bot is not seen."""
    _group(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, MEMBER, f"/latest@{telegram.bot_username}")
        assert h.last(GROUP).text == texts.LATEST_EMPTY
        assert telegram.send_message(GROUP, MEMBER, "/latest@OtherBot") is None


async def test_start_in_forum_topic_keeps_the_topic(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/start inside a forum topic stores the topic and answers in it."""
    _group(telegram, forum=True)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, ADMIN, "/start", message_thread_id=42)
        chat = await h.store.chats.chat(GROUP)
        assert chat is not None
        assert chat.subscribed
        assert chat.thread_id == 42
        assert h.last(GROUP).message_thread_id == 42


async def test_migration_update_keeps_subscription(telegram: FakeTelegram, tmp_path: Path) -> None:
    """A group upgraded to a supergroup keeps its subscription and filter under the new id."""
    old, new = -500, -100500500
    telegram.add_group(old, "Small group", supergroup=False, creator=OWNER)
    async with harness(telegram, tmp_path) as h:
        await h.send(old, OWNER, "/start")
        await h.send(old, OWNER, "/region latam")
        for update in telegram.group_migrated(old, new):
            await h.process(update)
        assert await h.store.chats.chat(old) is None
        moved = await h.store.chats.chat(new)
        assert moved is not None
        assert moved.subscribed
        assert moved.region_filter.ids == {"latin-america"}


async def test_group_button_pressed_by_member_is_refused(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A member pressing a settings button under an admin's /settings gets an alert; no change."""
    _group(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, ADMIN, "/start")
        await h.send(GROUP, ADMIN, "/settings")
        shown = h.last(GROUP)
        await h.press(GROUP, MEMBER, shown.message_id, h.button(shown, Action.SUBSCRIBE_TOGGLE))
        answer = telegram.callback_answers[-1]
        assert answer.show_alert
        assert answer.text
        assert "administrator" in answer.text
        assert await _subscribed(h, GROUP)
        assert h.last(GROUP).edits == 0
        await h.press(GROUP, ADMIN, shown.message_id, h.button(shown, Action.SUBSCRIBE_TOGGLE))
        assert not await _subscribed(h, GROUP)
