"""Regression tests for what fuzzing the conversation found (issue 15), one case each.

Absurd arguments get a short answer that Telegram accepts; chat identity is trusted only as far
as Telegram vouches for it; a reply Telegram refuses is one log line and, where it can be, a
notice that does go through.
"""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from bot.core import texts
from bot.net.http import Fetcher
from bot.telegram.views import Action
from tests.support.chat_harness import Harness, harness
from tests.support.fake_telegram import FakeTelegram
from tests.support.tg_objects import chat_json, command_entities

ANN, OWNER, MEMBER, OPERATOR = 1501, 1502, 1503, 1504
GROUP, CHANNEL, MUTE, ABSENT = -1001510, -1001520, -1001530, -1001540
LIMIT = 4096


def _world(telegram: FakeTelegram) -> None:
    for user in (ANN, OWNER, MEMBER, OPERATOR):
        telegram.add_user(user, f"User {user}")
        telegram.add_private_chat(user)
    telegram.add_group(GROUP, "Readers", creator=OWNER, members=[MEMBER])
    telegram.add_channel(CHANNEL, "News", "robustnews", creator=OWNER, bot_status="left")
    telegram.add_channel(MUTE, "Mute", "mutenews", creator=OWNER, bot_status="left")
    telegram.add_channel(ABSENT, "Absent", "absentnews", creator=OWNER, bot_status="left")


def _sent_ok(telegram: FakeTelegram) -> None:
    """Every message and answer the bot sent was accepted by Telegram."""
    refused = [
        (c.method, c.status)
        for c in telegram.calls()
        if c.method in ("sendMessage", "editMessageText", "answerCallbackQuery") and c.status != 200
    ]
    assert refused == []


async def _reply_to(h: Harness, chat: int, user: int, text: str) -> str:
    before = len(h.tg.messages(chat))
    await h.send(chat, user, text)
    messages = h.tg.messages(chat)
    assert len(messages) == before + 1, "exactly one answer"
    return messages[-1].text


async def test_region_with_ten_thousand_characters(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/region and 10,000 characters: a short answer quoting a bit of it; the filter unchanged."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        answer = await _reply_to(h, ANN, ANN, "/region " + "x" * 10_000)
        assert len(answer) < 400
        assert "x" * 60 in answer
        assert "x" * 100 not in answer
        chat = await h.store.chats.chat(ANN)
        assert chat is not None
        assert chat.region_filter.is_everything
        _sent_ok(telegram)


async def test_latest_with_five_thousand_digits(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/latest and a 5,000-digit number: answered (capped), not Python's int-conversion error."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        answer = await _reply_to(h, ANN, ANN, "/latest " + "9" * 5000)
        assert len(answer) < LIMIT
        answer = await _reply_to(h, ANN, ANN, "/latest -" + "9" * 5000)
        assert answer == texts.LATEST_USAGE.format(max=texts.LATEST_MAX)
        _sent_ok(telegram)


@pytest.mark.parametrize(
    "command",
    ["/help", "/language", "/start", "/region", "/stop", "/settings"],
)
async def test_long_words_are_echoed_short(
    command: str, telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A command with a 10,000-character word (a name, @target or -id) answers briefly."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        for word in ("é" * 10_000, "@" + "a" * 10_000, "-" + "1" * 5_000):
            answer = await _reply_to(h, ANN, ANN, f"{command} {word}")
            assert len(answer) < 600, answer[:100]
        _sent_ok(telegram)


async def test_command_for_another_bot_in_private(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/start@OtherBot in the private chat is answered: that command is for the other bot."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        answer = await _reply_to(h, ANN, ANN, "/start@OtherBot")
        assert answer == texts.OTHER_BOT_COMMAND.format(bot="OtherBot")
        assert await h.store.chats.chat(ANN) is None


async def test_person_posing_as_the_group_is_not_an_anonymous_admin(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """sender_chat equal to the group counts only from GroupAnonymousBot; a member's is refused."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        update = telegram.send_message(GROUP, MEMBER, "/start", sender_chat_id=GROUP)
        assert update is not None
        update["message"]["from"] = {"id": MEMBER, "is_bot": False, "first_name": "Mallory"}
        await h.process(update)
        assert h.last(GROUP).text == texts.FORGED_SENDER
        assert await h.store.chats.chat(GROUP) is None
        await h.send(GROUP, OWNER, "/start", sender_chat_id=GROUP)  # the genuine article
        chat = await h.store.chats.chat(GROUP)
        assert chat is not None
        assert chat.subscribed


async def test_channel_post_where_the_bot_is_no_admin_changes_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A channel post for a channel the bot does not administer (asked of Telegram) is ignored."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        channel = chat_json(ABSENT, "channel", title="Absent", username="absentnews")
        post = {
            "message_id": 5,
            "chat": channel,
            "sender_chat": channel,
            "date": 0,
            "text": "/start",
            "entities": command_entities("/start"),
        }
        await h.process({"update_id": 1, "channel_post": post})
        assert await h.store.chats.chat(ABSENT) is None
        assert [c.method for c in telegram.calls("getChatMember")] == ["getChatMember"]
        assert telegram.messages(ABSENT) == []


async def test_start_in_a_channel_where_the_bot_cannot_post(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/start posted where the bot is an admin without the right to post: not subscribed, and
    the channel's creator hears why in private."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.membership(MUTE, OWNER, "administrator", can_post_messages=False)
        await h.post(MUTE, "/start")
        chat = await h.store.chats.chat(MUTE)
        assert chat is None or not chat.subscribed
        assert h.last(OWNER).text == texts.CHANNEL_CANNOT_POST.format(chat="Mute")
        assert telegram.messages(MUTE) == []


async def test_start_in_a_registered_channel_still_works(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A channel the bot is known to post in is configured by its posts without asking again."""
    _world(telegram)
    async with harness(telegram, tmp_path, channel_cleanup_after=0) as h:
        await h.membership(CHANNEL, OWNER, "administrator", can_post_messages=True)
        await h.post(CHANNEL, "/start")
        chat = await h.store.chats.chat(CHANNEL)
        assert chat is not None
        assert chat.subscribed
        assert telegram.calls("getChatMember") == []


async def test_too_long_reply_becomes_a_short_notice(
    telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram refusing a reply as too long: one log line, and a short notice in its place."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        telegram.fail_next(ANN, 400, "Bad Request: message is too long")
        with caplog.at_level(logging.INFO):
            await h.send(ANN, ANN, "/help")
        assert h.last(ANN).text == texts.REPLY_TOO_LONG
        _one_refusal_line(caplog, "message is too long")


async def test_reply_without_rights_in_a_group_is_told_privately(
    telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot may no longer write in a group: the person who asked hears it in private."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        telegram.fail_next(GROUP, 400, "Bad Request: not enough rights to send text messages")
        with caplog.at_level(logging.INFO):
            await h.send(GROUP, MEMBER, "/latest")
        assert h.last(MEMBER).text == texts.REPLY_REFUSED.format(chat="Readers")
        _one_refusal_line(caplog, "not enough rights")


async def test_reply_to_a_chat_gone_is_one_line(
    telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Forbidden (kicked meanwhile) and the person unreachable too: one line, no traceback."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        telegram.fail_next(GROUP, 403, "Forbidden: bot was kicked from the supergroup chat")
        telegram.block_bot(MEMBER, send_update=False)
        with caplog.at_level(logging.INFO):
            await h.send(GROUP, MEMBER, "/help")
        _one_refusal_line(caplog, "bot was kicked")
        assert telegram.messages(MEMBER) == []


async def test_refused_reply_in_a_channel_tells_who_added_the_bot(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A channel reply refused: the admin who added the bot hears it privately; a /start there
    whose answer shows the bot lost the right to post leaves the channel unsubscribed."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(OWNER, OWNER, "/help")
        await h.membership(CHANNEL, OWNER, "administrator", can_post_messages=True)
        telegram.fail_next(CHANNEL, 400, "Bad Request: need administrator rights in the channel")
        await h.post(CHANNEL, "/latest")
        assert h.last(OWNER).text == texts.REPLY_REFUSED.format(chat="News")
        telegram.fail_next(CHANNEL, 400, "Bad Request: need administrator rights in the channel")
        await h.post(CHANNEL, "/start")
        chat = await h.store.chats.chat(CHANNEL)
        assert chat is not None
        assert not chat.subscribed
        assert await h.store.chats.channels() == []


async def test_refused_edit_and_button_answer_are_one_line(
    telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A press whose message can't be edited any more, answered too late: logged, no error."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/settings")
        menu = h.last(ANN)
        telegram.fail_next(ANN, 400, "Bad Request: message to edit not found", method="*")
        telegram.fail_next_any(400, "Bad Request: query is too old", method="answerCallbackQuery")
        with caplog.at_level(logging.INFO):
            await h.press(ANN, ANN, menu.message_id, h.button(menu, Action.PREVIEWS_TOGGLE))
        lines = [r for r in caplog.records if "refused" in r.getMessage()]
        assert len(lines) == 2
        assert all(r.exc_info is None for r in caplog.records)


async def test_operator_source_ids_that_are_no_numbers(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/removesource with "²", a 30-digit or a 5,000-digit id gets the usage line."""
    _world(telegram)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    fetcher = Fetcher(user_agent="t", allow_private=True, transport=httpx.MockTransport(answer))
    async with harness(telegram, tmp_path, operators=[OPERATOR], fetcher=fetcher) as h:
        for word in ("²", "9" * 30, "9" * 5000):
            answer_text = await _reply_to(h, OPERATOR, OPERATOR, f"/removesource {word}")
            assert answer_text == texts.SOURCE_ID_USAGE.format(command="removesource")
    await fetcher.aclose()


def _one_refusal_line(caplog: pytest.LogCaptureFixture, reason: str) -> None:
    lines = [r for r in caplog.records if "reply refused" in r.getMessage()]
    assert len(lines) == 1
    assert reason in lines[0].getMessage().lower()
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_forged_migration_moves_nothing(telegram: FakeTelegram, tmp_path: Path) -> None:
    """A "group upgraded" message Telegram does not confirm (getChat) moves nothing."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.send(GROUP, OWNER, "/start")
        update = telegram.send_message(GROUP, OWNER, "/about")
        assert update is not None
        message = update["message"]
        message.pop("text")
        message.pop("entities", None)
        message["migrate_to_chat_id"] = -1009999
        await h.process(update)
        assert await h.store.chats.chat(GROUP) is not None
        assert await h.store.chats.chat(-1009999) is None


async def test_unregistered_channel_checked_once_then_known(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A channel post from a channel the store does not know: asked of Telegram once (admin who
    may post), remembered, and the next post is not asked about again."""
    _world(telegram)
    telegram.set_member(CHANNEL, telegram.bot_id, "administrator", can_post_messages=True)
    async with harness(telegram, tmp_path, channel_cleanup_after=0) as h:
        await h.post(CHANNEL, "/start")
        await h.post(CHANNEL, "/region europe")
        chat = await h.store.chats.chat(CHANNEL)
        assert chat is not None
        assert chat.subscribed
        assert chat.region_filter.ids == {"150"}
        assert len(telegram.calls("getChatMember")) == 1


async def test_operator_answer_refused_as_too_long(
    telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An operator's answer Telegram refuses as too long: one line and a short notice."""
    _world(telegram)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    fetcher = Fetcher(user_agent="t", allow_private=True, transport=httpx.MockTransport(answer))
    async with harness(telegram, tmp_path, operators=[OPERATOR], fetcher=fetcher) as h:
        telegram.fail_next(OPERATOR, 400, "Bad Request: message is too long")
        with caplog.at_level(logging.INFO):
            await h.send(OPERATOR, OPERATOR, "/stats")
        assert h.last(OPERATOR).text == texts.REPLY_TOO_LONG
        assert all(r.exc_info is None for r in caplog.records)
    await fetcher.aclose()


async def test_reply_with_markup_telegram_cannot_read_goes_as_plain_text(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """HTML Telegram refuses to parse: the same answer again as plain text, not an error."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        telegram.fail_next(ANN, 400, "Bad Request: can't parse entities: unsupported start tag")
        await h.send(ANN, ANN, "/about")
        answer = h.last(ANN)
        assert answer.parse_mode is None
        assert "<b>" not in answer.text
        assert len(telegram.messages(ANN)) == 1
