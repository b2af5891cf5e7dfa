"""The fake Bot API server behaves like Telegram as seen through the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import telegram
from telegram import BotCommand, BotCommandScopeAllChatAdministrators
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

from tests.support.deadlines import deadline
from tests.support.fake_telegram import FakeTelegram
from tests.support.tg_objects import EntityParseError, parse_html

REPO_ROOT = Path(__file__).resolve().parents[1]
ANN, BOB, CAROL = 1001, 1002, 1003
GROUP, CHANNEL = -1001, -1002


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns on integer durations unless opted in to timedelta values."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        server.add_user(ANN, "Ann", "ann")
        server.add_user(BOB, "Bob", "bob")
        server.add_private_chat(ANN)
        yield server


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(tg.token, base_url=tg.base_url) as ptb_bot:
        yield ptb_bot


# --- basics ----------------------------------------------------------------------------------


async def test_get_me_answers_the_bot_user(bot: telegram.Bot) -> None:
    """getMe answers the configured bot user, which PTB parses."""
    me = await bot.get_me()
    assert me.id == 123
    assert me.username == "TeaserTestBot"
    assert me.is_bot
    assert me.can_read_all_group_messages is False


async def test_wrong_token_is_unauthorized(tg: FakeTelegram) -> None:
    """A request with another token gets 401, which PTB raises as InvalidToken."""
    with pytest.raises(InvalidToken):
        async with telegram.Bot("123:WRONG", base_url=tg.base_url) as wrong:
            await wrong.get_me()


async def test_unknown_method_is_not_found(tg: FakeTelegram) -> None:
    """An unknown method answers 404 Not Found in Bot API JSON."""
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{tg.base_url}{tg.token}/sendTelepathy", data={"a": "1"})
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_send_message_round_trip_with_html(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """sendMessage returns a Message and records plain and raw text, markup and mode."""
    markup = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton("More", callback_data="more:1")]]
    )
    sent = await bot.send_message(
        ANN,
        '<b>Hi</b> &amp; <a href="https://example.org/x">read</a> 🌍',
        parse_mode="HTML",
        reply_markup=markup,
        link_preview_options=telegram.LinkPreviewOptions(is_disabled=True),
    )
    assert sent.text == "Hi & read 🌍"
    assert sent.from_user is not None
    assert sent.from_user.id == 123
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 2),
        ("text_link", 5, 4),
    ]
    [record] = tg.messages(ANN)
    assert record.message_id == sent.message_id
    assert record.text == "Hi & read 🌍"
    assert record.raw_text.startswith("<b>Hi</b>")
    assert record.parse_mode == "HTML"
    assert record.reply_markup == {
        "inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]
    }
    assert record.link_preview_options == {"is_disabled": True}
    second = await bot.send_message(ANN, "again")
    assert second.message_id == sent.message_id + 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<b>unclosed", "Can't find end tag"),
        ("<blink>x</blink>", 'Unsupported start tag "blink"'),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("a < b", "Unsupported start tag"),
    ],
)
async def test_malformed_html_is_bad_request(
    tg: FakeTelegram, bot: telegram.Bot, text: str, fragment: str
) -> None:
    """Malformed HTML is refused with "can't parse entities" and nothing is recorded."""
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(ANN, text, parse_mode="HTML")
    # PTB strips "Bad Request: " and lower-cases the rest of the description
    assert caught.value.message.startswith("Can't parse entities: ")
    assert fragment.lower() in caught.value.message
    assert tg.messages(ANN) == []


async def test_length_is_counted_after_entity_parsing(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """4096 visible characters pass even with tags around them; 4097 are too long."""
    await bot.send_message(ANN, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ANN, "a" * 4097)
    assert len(tg.messages(ANN)) == 1


async def test_empty_text_and_unknown_chat_are_bad_requests(bot: telegram.Bot) -> None:
    """Text that is empty after parsing, and an unknown chat, are 400s like Telegram's."""
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(ANN, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(777, "hello")


# --- errors the sender must map --------------------------------------------------------------


async def test_injected_429_is_retry_after(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """fail_next with 429 surfaces as RetryAfter carrying the retry_after given, then passes."""
    tg.fail_next(ANN, 429, retry_after=5)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ANN, "hello")
    assert caught.value.retry_after == dtm.timedelta(seconds=5)
    assert tg.count_429 == 1
    await bot.send_message(ANN, "hello")
    assert [m.text for m in tg.messages(ANN)] == ["hello"]


async def test_blocked_user_is_forbidden(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """A user who blocked the bot answers 403 "bot was blocked by the user"."""
    tg.block_bot(ANN)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ANN, "hello")


async def test_user_who_never_started_the_bot_is_forbidden(bot: telegram.Bot) -> None:
    """A known user without a private chat answers 403 "can't initiate conversation"."""
    with pytest.raises(Forbidden, match=r"(?i)can't initiate conversation"):
        await bot.send_message(BOB, "hello")


async def test_kicked_group_and_channel_without_rights(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """Kicked from a group gives 403; a channel admin without can_post_messages gives 400."""
    tg.add_group(GROUP, "Group", creator=ANN, bot_status="kicked")
    tg.add_channel(CHANNEL, "News", "news", creator=ANN, bot_can_post=False)
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the supergroup chat"):
        await bot.send_message(GROUP, "hello")
    with pytest.raises(BadRequest, match=r"(?i)need administrator rights"):
        await bot.send_message("@news", "hello")
    tg.set_member(CHANNEL, tg.bot_id, "left")
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the channel chat"):
        await bot.send_message(CHANNEL, "hello")


async def test_migrated_group_is_chat_migrated(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """Sending to an upgraded group raises ChatMigrated with the new supergroup id."""
    tg.add_group(-5, "Old group", supergroup=False, creator=ANN)
    tg.migrate_group(-5, -1005)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-5, "hello")
    assert caught.value.new_chat_id == -1005
    await bot.send_message(-1005, "hello")
    assert len(tg.messages(-1005)) == 1


async def test_server_error_and_dropped_connection_are_network_errors(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    """An injected 502 and a dropped connection both surface as NetworkError."""
    tg.fail_next_any(502)
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await bot.send_message(ANN, "hello")
    tg.fail_next(ANN, drop=True)
    with pytest.raises(NetworkError):
        await bot.send_message(ANN, "hello")
    await bot.send_message(ANN, "hello")
    assert [c.status for c in tg.calls("sendMessage")] == [502, 0, 200]


async def test_delay_makes_answers_slow(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """set_delay holds the answers of one method for the given time."""
    tg.set_delay(0.3, method="sendMessage")
    started = time.monotonic()
    await bot.send_message(ANN, "slow")
    assert time.monotonic() - started >= 0.3


# --- flood mode ------------------------------------------------------------------------------


async def test_flood_second_private_message_within_a_second(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    """In flood mode a 2nd message to one private chat within 1 s is a 429, not recorded."""
    now = [1000.0]
    tg.clock = lambda: now[0]
    tg.set_flood(True)
    await bot.send_message(ANN, "one")
    now[0] += 0.5
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ANN, "two")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert [m.text for m in tg.messages(ANN)] == ["one"]
    assert tg.count_429 == 1
    now[0] += 0.5
    await bot.send_message(ANN, "two")
    assert [m.text for m in tg.messages(ANN)] == ["one", "two"]


async def test_flood_thirty_first_message_overall(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """In flood mode the 31st message within a second overall is a 429."""
    tg.clock = lambda: 1000.0  # frozen: however slow this machine is, all 31 share one second
    tg.set_flood(True)
    for user_id in range(1, 32):
        tg.add_private_chat(user_id)
    for user_id in range(1, 31):
        await bot.send_message(user_id, "hi")
    with pytest.raises(RetryAfter):
        await bot.send_message(31, "hi")
    assert len(tg.all_messages()) == 30


async def test_paid_broadcast_raises_the_overall_limit(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """allow_paid_broadcast lets more than 30 messages a second through."""
    tg.clock = lambda: 1000.0
    tg.set_flood(True)
    for user_id in range(1, 41):
        tg.add_private_chat(user_id)
        await bot.send_message(user_id, "hi", allow_paid_broadcast=True)
    assert tg.count_429 == 0


async def test_flood_group_limit_is_twenty_a_minute(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """In flood mode the 21st message to one group within 60 s is a 429."""
    tg.add_group(GROUP, "Group", creator=ANN)
    tg.set_flood(True)
    for _ in range(20):
        await bot.send_message(GROUP, "hi")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(GROUP, "hi")
    assert isinstance(caught.value.retry_after, dtm.timedelta)
    assert caught.value.retry_after.total_seconds() >= 59


# --- updates ---------------------------------------------------------------------------------


async def test_long_poll_returns_a_queued_start(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """getUpdates holds until /start arrives; PTB parses text, user and bot_command entity."""
    threading.Timer(0.2, tg.send_message, args=(ANN, ANN, "/start")).start()
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    assert time.monotonic() - started < 3
    [update] = updates
    assert update.message is not None
    assert update.message.text == "/start"
    assert update.effective_user is not None
    assert update.effective_user.id == ANN
    assert update.message.parse_entities(["bot_command"]) == {update.message.entities[0]: "/start"}


async def test_long_poll_times_out_empty_and_offset_confirms(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    """An empty long poll returns [] after its timeout; an offset drops confirmed updates."""
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9
    tg.send_message(ANN, ANN, "/start")
    tg.send_message(ANN, ANN, "/stop@TeaserTestBot")
    first, second = await bot.get_updates()
    assert second.update_id == first.update_id + 1
    [again] = await bot.get_updates(offset=second.update_id)
    assert again.update_id == second.update_id
    assert await bot.get_updates(offset=second.update_id + 1) == ()


async def test_a_newer_poll_ends_the_older_with_conflict(bot: telegram.Bot) -> None:
    """A second concurrent getUpdates ends the first with 409 Conflict, as Telegram does."""
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{bot.base_url}/getUpdates", data={"timeout": "0"}, timeout=5)
    assert response.json() == {"ok": True, "result": []}
    with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
        await first


async def test_a_hanging_server_answers_nothing_until_it_answers_again(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    """hang(): calls and a long poll under way get no answer (and are listed as held) until
    hang(False); then both are answered."""
    polling = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0.2)
    tg.hang()
    asking = asyncio.create_task(bot.get_me())
    assert await tg.async_wait_until(lambda: sorted(tg.held_calls) == ["getMe", "getUpdates"])
    await asyncio.sleep(0.5)
    assert not asking.done()
    assert not polling.done()
    tg.hang(False)
    assert (await asking).username == "TeaserTestBot"
    assert await polling == ()
    assert tg.held_calls == []


async def test_updates_of_an_abandoned_poll_stay_queued(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    """A long poll whose client hung up answers nobody; its update goes to the next poll."""
    abandoned = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    abandoned.cancel()
    with pytest.raises(asyncio.CancelledError):
        await abandoned
    await asyncio.sleep(0.05)
    tg.send_message(ANN, ANN, "/start")
    assert await tg.async_wait_until(lambda: len(tg.calls("getUpdates")) == 1, timeout=5)
    assert tg.calls("getUpdates")[0].status == 0
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.text == "/start"


async def test_group_messages_respect_privacy_mode(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """In a group the bot gets commands, not chatter; anonymous admins carry sender_chat."""
    tg.add_group(GROUP, "Group", forum=True, creator=ANN, members=[BOB])
    assert tg.send_message(GROUP, BOB, "just chatting") is None
    assert tg.send_message(GROUP, BOB, "/start@OtherBot") is None
    tg.send_message(GROUP, BOB, "/region Europe", message_thread_id=7)
    tg.send_message(GROUP, ANN, "/stop@TeaserTestBot", sender_chat_id=GROUP)
    topic, anonymous = await bot.get_updates()
    assert topic.effective_message is not None
    assert topic.effective_message.message_thread_id == 7
    assert topic.effective_message.is_topic_message
    assert anonymous.effective_message is not None
    assert anonymous.effective_message.sender_chat is not None
    assert anonymous.effective_message.sender_chat.id == GROUP
    assert anonymous.effective_user is not None
    assert anonymous.effective_user.username == "GroupAnonymousBot"


async def test_callback_query_parses_and_is_answered(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """press_button yields a callback_query with its message; answerCallbackQuery is recorded."""
    sent = await bot.send_message(
        ANN,
        "pick",
        reply_markup=telegram.InlineKeyboardMarkup(
            [[telegram.InlineKeyboardButton("Europe", callback_data="region:150")]]
        ),
    )
    tg.press_button(ANN, ANN, sent.message_id, "region:150")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None
    assert query.data == "region:150"
    assert isinstance(query.message, telegram.Message)
    assert query.message.message_id == sent.message_id
    await query.answer("Saved", show_alert=True)
    [answer] = tg.callback_answers
    assert (answer.text, answer.show_alert) == ("Saved", True)
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_callback_query("nope")


async def test_my_chat_member_parses_and_updates_the_world(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    """bot_membership_changed yields my_chat_member and changes what getChatMember answers."""
    tg.add_channel(CHANNEL, "News", "news", creator=ANN, bot_status="left")
    tg.bot_membership_changed(CHANNEL, ANN, "left", "administrator", can_post_messages=True)
    [update] = await bot.get_updates()
    change = update.my_chat_member
    assert change is not None
    assert change.old_chat_member.status == "left"
    assert isinstance(change.new_chat_member, telegram.ChatMemberAdministrator)
    assert change.new_chat_member.can_post_messages is True
    member = await bot.get_chat_member(CHANNEL, tg.bot_id)
    assert member.status == "administrator"
    await bot.send_message(CHANNEL, "posted")
    assert len(tg.messages("@news")) == 1


async def test_block_queues_my_chat_member_kicked(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """Blocking the bot queues the my_chat_member update Telegram sends (member -> kicked)."""
    tg.block_bot(ANN)
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_group_migration_updates_parse(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """group_migrated queues the two service messages carrying both chat ids."""
    tg.add_group(-5, "Old", supergroup=False, creator=ANN)
    tg.group_migrated(-5, -1005)
    to_new, from_old = await bot.get_updates()
    assert to_new.effective_message is not None
    assert to_new.effective_message.migrate_to_chat_id == -1005
    assert from_old.effective_message is not None
    assert from_old.effective_message.migrate_from_chat_id == -5


# --- other methods ---------------------------------------------------------------------------


async def test_edit_message_text_updates_the_record(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """editMessageText changes the recorded text; an identical edit is "not modified"."""
    sent = await bot.send_message(ANN, "old")
    edited = await bot.edit_message_text("<i>new</i>", ANN, sent.message_id, parse_mode="HTML")
    assert isinstance(edited, telegram.Message)
    assert edited.text == "new"
    [record] = tg.messages(ANN)
    assert (record.text, record.raw_text, record.edits) == ("new", "<i>new</i>", 1)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("<i>new</i>", ANN, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", ANN, 999)


async def test_commands_are_kept_per_scope(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """setMyCommands is recorded per scope and language; getMyCommands reads it back."""
    await bot.set_my_commands([BotCommand("start", "Subscribe")])
    await bot.set_my_commands(
        [BotCommand("region", "Choose regions")], scope=BotCommandScopeAllChatAdministrators()
    )
    assert tg.commands() == [{"command": "start", "description": "Subscribe"}]
    assert tg.commands({"type": "all_chat_administrators"})[0]["command"] == "region"
    admin_cmds = await bot.get_my_commands(scope=BotCommandScopeAllChatAdministrators())
    assert [c.command for c in admin_cmds] == ["region"]
    assert await bot.get_my_commands(language_code="de") == ()
    await bot.delete_my_commands()
    assert tg.commands() == []


async def test_chat_member_queries(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """getChat, getChatMember, getChatAdministrators and getChatMemberCount read the world."""
    tg.add_group(GROUP, "Group", creator=ANN, admins=[BOB], members=[CAROL])
    tg.set_member(GROUP, CAROL, "administrator", can_pin_messages=False)
    chat = await bot.get_chat(GROUP)
    assert (chat.type, chat.title) == ("supergroup", "Group")
    creator = await bot.get_chat_member(GROUP, ANN)
    assert isinstance(creator, telegram.ChatMemberOwner)
    carol = await bot.get_chat_member(GROUP, CAROL)
    assert isinstance(carol, telegram.ChatMemberAdministrator)
    assert carol.can_pin_messages is False
    admins = await bot.get_chat_administrators(GROUP)
    assert {a.user.id for a in admins} == {ANN, BOB, CAROL}
    assert await bot.get_chat_member_count(GROUP) == 4  # three people and the bot
    tg.set_member(GROUP, BOB, "left")
    assert (await bot.get_chat_member(GROUP, BOB)).status == "left"


@pytest.mark.parametrize("encoding", ["json", "form", "multipart", "query"])
async def test_every_request_encoding_is_accepted(tg: FakeTelegram, encoding: str) -> None:
    """JSON, urlencoded form, multipart form and query strings all reach sendMessage."""
    url = f"{tg.base_url}{tg.token}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}
    fields = {"chat_id": str(ANN), "text": "hé", "reply_markup": json.dumps(markup)}
    async with httpx.AsyncClient() as client:
        if encoding == "json":
            response = await client.post(
                url, json={**fields, "chat_id": ANN, "reply_markup": markup}
            )
        elif encoding == "form":
            response = await client.post(url, data=fields)
        elif encoding == "multipart":
            response = await client.post(url, data=fields, files={"x": ("x.txt", b"123")})
        else:
            response = await client.get(url, params=fields)
    assert response.json()["ok"] is True
    [record] = tg.messages(ANN)
    assert (record.text, record.reply_markup) == ("hé", markup)


def test_wait_for_messages_reports_what_was_seen(tg: FakeTelegram) -> None:
    """wait_for_messages raises AssertionError listing the messages seen when too few came."""
    with httpx.Client() as client:
        client.post(f"{tg.base_url}{tg.token}/sendMessage", data={"chat_id": ANN, "text": "one"})
    assert [m.text for m in tg.wait_for_messages(ANN, 1, timeout=1)] == ["one"]
    with pytest.raises(AssertionError, match=r"saw 1: \['one'\]"):
        tg.wait_for_messages(ANN, 2, timeout=0.2)


async def test_async_wait_does_not_block_the_loop(tg: FakeTelegram, bot: telegram.Bot) -> None:
    """async_wait_for_messages lets a bot on the same loop send while it waits."""

    async def send_later() -> None:
        await asyncio.sleep(0.1)
        await bot.send_message(ANN, "late")

    sender = asyncio.create_task(send_later())
    [message] = await tg.async_wait_for_messages(ANN, 1, timeout=5)
    await sender
    assert message.text == "late"


def test_parse_html_counts_offsets_in_utf16() -> None:
    """Entity offsets count UTF-16 units (emoji are two) and <pre><code> keeps the language."""
    text, entities = parse_html('🌍 <b>x</b>\n<pre><code class="language-py">a &lt; b</code></pre>')
    assert text == "🌍 x\na < b"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 1},
        {"type": "pre", "language": "py", "offset": 5, "length": 5},
    ]
    with pytest.raises(EntityParseError, match="must have class"):
        parse_html("<span>x</span>")


# --- standalone process ------------------------------------------------------------------------


def test_standalone_server_is_driven_over_http() -> None:
    """The module runs as a process whose /_control API sets up chats and reads messages."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_telegram", "--port", "0", "--flood"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        root = line.split(" on ", 1)[1].split()[0]
        with httpx.Client(base_url=root, timeout=5) as client:

            def control(action: str, **kwargs: object) -> object:
                answer = client.post(f"/_control/{action}", json=kwargs).json()
                assert answer["ok"], answer
                return answer["result"]

            control("add_user", user_id=ANN, first_name="Ann")
            control("add_private_chat", user_id=ANN)

            async def send() -> None:
                async with telegram.Bot("123:ABC", base_url=f"{root}/bot") as remote:
                    await remote.send_message(ANN, "<b>over the wire</b>", parse_mode="HTML")

            asyncio.run(send())
            messages = control("wait_for_messages", chat_id=ANN, count=1, timeout=5)
            assert isinstance(messages, list)
            assert [m["text"] for m in messages] == ["over the wire"]
            assert control("count_429") == 0
            assert control("flood") is True
            bad = client.post("/_control/add_group", json={"nope": 1}).json()
            assert bad["ok"] is False
    finally:
        proc.terminate()
        proc.wait(deadline(5))
        if proc.stdout is not None:
            proc.stdout.close()
