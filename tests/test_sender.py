"""The sender: Telegram's errors as outcomes, and the httpx transport under it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.core.models import (
    Chat,
    ChatGone,
    ChatKind,
    ChatMoved,
    MessageRejected,
    RateLimited,
    RegionFilter,
    Sent,
    TransientFailure,
)
from bot.telegram.ratelimit import chat_of, is_paced
from bot.telegram.sender import TelegramSender, delivery_bot, outcome_of
from bot.telegram.transport import telegram_request
from tests.support.fake_telegram import FakeTelegram

READER = Chat(
    id=42,
    kind=ChatKind.PRIVATE,
    title=None,
    username=None,
    thread_id=None,
    subscribed=True,
    region_filter=RegionFilter(),
    link_previews=False,
)


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (RetryAfter(7), RateLimited(7.0)),
        (ChatMigrated(-1009), ChatMoved(-1009)),
        (
            Forbidden("Forbidden: bot was blocked by the user"),
            ChatGone("Forbidden: bot was blocked by the user"),
        ),
        (BadRequest("Chat not found"), ChatGone("Chat not found")),
        (
            BadRequest("Need administrator rights in the channel chat"),
            ChatGone("Need administrator rights in the channel chat"),
        ),
        (
            BadRequest("Can't parse entities: unclosed tag"),
            MessageRejected("Can't parse entities: unclosed tag"),
        ),
        (BadRequest("Message is too long"), MessageRejected("Message is too long")),
        (BadRequest("Message text is empty"), MessageRejected("Message text is empty")),
        (BadRequest("Topic_closed"), ChatGone("Topic_closed")),
        (BadRequest("Some new complaint"), ChatGone("Some new complaint")),
        (TimedOut(), TransientFailure("Timed out")),
        (NetworkError("Bad Gateway"), TransientFailure("Bad Gateway")),
    ],
)
def test_each_telegram_error_maps_to_its_outcome(error: Exception, outcome: object) -> None:
    """429, migration, 403, chat-level 400s, message-level 400s and network errors each map."""
    assert outcome_of(error) == outcome  # type: ignore[arg-type]


async def test_sender_reports_sent_with_the_message_id_and_paid_flag(
    telegram: FakeTelegram,
) -> None:
    """Through the lean transport a message is sent as HTML, without preview, paid when asked."""
    telegram.add_private_chat(42)
    async with delivery_bot(telegram.token, telegram.base_url, connections=4) as bot:
        outcome = await TelegramSender(bot, paid=True).send(
            READER, "<b>Hello</b> &amp; more", html=True, link_preview=False
        )
    assert outcome == Sent(1)
    (message,) = telegram.messages(42)
    assert message.text == "Hello & more"
    assert message.params["allow_paid_broadcast"] is True
    assert message.link_preview_options == {"is_disabled": True}


async def test_sender_turns_a_dropped_connection_into_a_transient_failure(
    telegram: FakeTelegram,
) -> None:
    """A connection closed without an answer is a network error retried later, not a crash; the
    transport does not resend the POST itself (Telegram may have accepted it)."""
    telegram.add_private_chat(42)
    telegram.fail_next(42, drop=True, times=1)
    async with delivery_bot(telegram.token, telegram.base_url, connections=4) as bot:
        outcome = await TelegramSender(bot).send(READER, "hi", html=False, link_preview=True)
    assert isinstance(outcome, TransientFailure)
    assert [c.status for c in telegram.calls("sendMessage")] == [0]


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def serve(handler: Handler) -> AsyncIterator[str]:
    """A one-off HTTP server on 127.0.0.1 answering with ``handler``; yields a Bot API URL."""
    handlers: set[asyncio.Task[object]] = set()

    async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        await handler(reader, writer)

    server = await asyncio.start_server(tracked, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot1:T/getMe"
    finally:
        server.close()
        if handlers:
            await asyncio.wait(handlers, timeout=2)
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return await reader.readexactly(length) if length else b""


OK_BODY = json.dumps({"ok": True, "result": True}).encode()


async def test_transport_reads_chunked_and_closing_answers() -> None:
    """Chunked bodies and answers that end by closing the connection are both read whole."""
    answers = [
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(OK_BODY[:5]):x}\r\n".encode()
        + OK_BODY[:5]
        + b"\r\n"
        + f"{len(OK_BODY[5:]):x}\r\n".encode()
        + OK_BODY[5:]
        + b"\r\n0\r\n\r\n",
        b"HTTP/1.0 200 OK\r\n\r\n" + OK_BODY,
    ]

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while answers:
            await read_request(reader)
            answer = answers.pop(0)
            writer.write(answer)
            await writer.drain()
            if answer.startswith(b"HTTP/1.0"):
                break
        writer.close()
        await writer.wait_closed()

    async for url in serve(handler):
        request = telegram_request(url, None, connections=2)
        assert await request.do_request(url, "POST") == (200, OK_BODY)
        assert await request.do_request(url, "POST") == (200, OK_BODY)
        await request.shutdown()


async def test_transport_retries_once_on_a_stale_keep_alive_connection() -> None:
    """A kept-alive connection the server closed meanwhile is replaced, the request sent once."""
    seen: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await read_request(reader))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(OK_BODY) + OK_BODY)
        await writer.drain()
        writer.close()  # closes after one answer although it said keep-alive
        await writer.wait_closed()

    async for url in serve(handler):
        request = telegram_request(url, None, connections=2)
        assert await request.do_request(url, "POST") == (200, OK_BODY)
        await asyncio.sleep(0.05)
        assert await request.do_request(url, "POST") == (200, OK_BODY)
        await request.shutdown()
    assert len(seen) == 2


async def test_transport_times_out_as_ptb_expects() -> None:
    """A server that never answers gives PTB's TimedOut after the read timeout."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await reader.read()  # no answer; wait until the client gives up and hangs up
        writer.close()
        await writer.wait_closed()

    async for url in serve(handler):
        request = telegram_request(url, None, connections=1, read_timeout=0.2)
        with pytest.raises(TimedOut):
            await request.do_request(url, "POST")
        await request.shutdown()


async def test_bot_on_the_transport_talks_to_the_fake_api(telegram: FakeTelegram) -> None:
    """A plain PTB Bot on the bot's transport reads getMe."""
    request = telegram_request(telegram.base_url, None, connections=1)
    bot = Bot(telegram.token, base_url=telegram.base_url, request=request)
    async with bot:
        me = await bot.get_me()
    assert me.username == telegram.bot_username


def test_only_message_methods_take_a_slot() -> None:
    """Messages and edits count against the limits; callbacks, lookups and chat actions do not."""
    assert is_paced("sendMessage")
    assert is_paced("sendPhoto")
    assert is_paced("editMessageText")
    assert is_paced("copyMessage")
    assert not is_paced("sendChatAction")
    assert not is_paced("answerCallbackQuery")
    assert not is_paced("getChatMember")
    assert chat_of({"chat_id": 42}) == (42, True)
    assert chat_of({"chat_id": "-100123"}) == (-100123, False)
    assert chat_of({"chat_id": "@news"})[1] is False
