"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, a small world model, fault injection.

In-process (pytest)::

    with FakeTelegram() as tg:              # or tg = FakeTelegram().start(); ...; tg.stop()
        tg.add_user(1, "Ann", "ann")
        tg.add_private_chat(1)
        bot = telegram.Bot(tg.token, base_url=tg.base_url)   # PTB: base_url ends in "/bot"
        await bot.send_message(1, "<b>hi</b>", parse_mode="HTML")
        [msg] = tg.wait_for_messages(1, 1)  # async tests: await tg.async_wait_for_messages(1, 1)
        assert msg.text == "hi" and msg.raw_text == "<b>hi</b>"

`tg.base_url` is "http://127.0.0.1:PORT/bot" (what PTB's `base_url` wants); `tg.root_url` is
"http://127.0.0.1:PORT" (what the bot's TELEGRAM_API_BASE_URL setting holds). The server runs
its own asyncio loop in a daemon thread; every public method is thread-safe. Never call the
blocking `wait_*` methods from the event loop the bot runs in: use the `async_wait_*` ones.

Standalone (end-to-end runs and benchmarks, driven from another process)::

    python -m tests.support.fake_telegram --port 8081 [--flood] [--token 123:ABC]

It prints one line "fake-telegram listening on http://127.0.0.1:PORT token=..." when ready.
Every public method below is also reachable as ``POST /_control/<name>`` with a JSON object
of keyword arguments, answering ``{"ok": true, "result": ...}`` (dataclasses become objects),
or ``{"ok": false, "description": ...}`` with status 400. Read-only properties (``count_429``,
``callback_answers``, ``flood``, ``pending_updates``, ``held_calls``) answer the same way.
``GET /_control/health`` answers ok.

Behaviour worth knowing:

* sendMessage is checked like Telegram does: unknown chat (400), upgraded group (400 with
  ``migrate_to_chat_id``), blocked user / deactivated user / user who never started the bot
  (403), bot kicked from or not in a group/supergroup/channel (403), channel admin without
  ``can_post_messages`` (400 "need administrator rights in the channel chat", as Telegram
  answers), restricted bot (400), empty text (400), text over 4096 characters after entity
  parsing (400), bad HTML (400 "can't parse entities: ..."). Markdown parse modes are accepted
  but not parsed (text recorded as given). Inline keyboards are checked too (at most 100
  buttons, labels not empty, callback_data of 1-64 bytes: 400 "BUTTON_DATA_INVALID"), and an
  answerCallbackQuery text over 200 characters gets 400 "MESSAGE_TOO_LONG".
* sendPhoto takes an http(s) URL or a known file id as ``photo`` (else, or for a URL given to
  ``refuse_photo``, 400 "wrong file identifier/HTTP URL specified"; a group member without
  ``can_send_photos``: 400 "not enough rights to send photos to the chat") and checks its
  caption as sendMessage checks a text, at most 1024 characters (400 "message caption is too
  long"); the record's ``photo`` is the URL and ``text`` the caption as shown.
* Order of checks: token, fault injection, chat and text checks, then flood limits. A
  rejected message is not recorded and does not count toward the flood windows.
* Flood mode counts accepted sendMessage and sendPhoto calls: more than 30 in any 1 s window overall
  (1000 with ``allow_paid_broadcast``), more than 1 per 1 s to one private chat, more than 20
  per 60 s to one group or channel gives 429 with an integer ``retry_after`` >= 1.
* Privacy mode (default on, as getMe's ``can_read_all_group_messages=False`` says): in groups
  the bot receives only commands (not those addressed to another bot), replies to its own
  messages, and everything while it is an administrator. ``send_message`` returns None for a
  message the bot would not receive.
* ``block_bot`` (and a blocked user writing again, which unblocks) queues the my_chat_member
  update Telegram sends; pass ``send_update=False`` to change only the world.
* ``server.clock`` (default ``time.monotonic``) times the flood windows, ``sent_at`` and the
  call log; a test may assign a frozen or stepped clock.
* ``hang()`` makes the server stop answering (TCP open, requests read, no answer), as a
  Telegram that hangs does; ``hang(False)`` answers again.
* A newer getUpdates ends an older pending one with 409 Conflict; a long poll whose client hung
  up is logged with status 0 and its updates stay queued for the next poll.
* A bot whose TELEGRAM_API_BASE_URL is ``<root>/as/NAME`` is served as usual and its calls are
  logged with ``client=NAME``: several bot processes on one server are told apart that way.
* PTB 22 warns when it builds ``RetryAfter`` unless ``PTB_TIMEDELTA=true`` is set; with
  warnings as errors, set it (``retry_after`` is then a ``timedelta``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import copy
import dataclasses
import itertools
import json
import math
import re
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from tests.support.deadlines import deadline
from tests.support.tg_objects import (
    CHANNEL_BOT,
    GROUP_ANONYMOUS_BOT,
    JSON,
    MEMBER_STATUSES,
    EntityParseError,
    bot_user_json,
    chat_full_info_json,
    chat_json,
    chat_member_json,
    command_entities,
    message_entities,
    parse_html,
    user_json,
    utf16_len,
)

MAX_TEXT_LENGTH = 4096  # UTF-16 code units of the text after entity parsing, as Telegram counts
MAX_CAPTION_LENGTH = 1024  # the same, for a photo's caption
_CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("client", default="")
MAX_CALLBACK_ANSWER = 200  # characters of an answerCallbackQuery text
MAX_CALLBACK_DATA = 64  # bytes of a button's callback_data
MAX_BUTTONS = 100  # buttons in one inline keyboard
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)  # everything except chat_member, message_reaction and message_reaction_count
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "link_preview_options",
        "reply_parameters",
        "entities",
        "allowed_updates",
        "commands",
        "scope",
        "suggested_post_parameters",
        "results",
        "button",
    }
)
_INT_FIELDS = frozenset(
    {
        "message_id",
        "message_thread_id",
        "offset",
        "limit",
        "user_id",
        "cache_time",
        "reply_to_message_id",
        "max_connections",
        "direct_messages_topic_id",
    }
)
_FLOAT_FIELDS = frozenset({"timeout"})
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "is_personal",
        "disable_notification",
        "protect_content",
        "allow_paid_broadcast",
        "disable_web_page_preview",
        "drop_pending_updates",
        "allow_sending_without_reply",
    }
)
_INT_RE = re.compile(r"-?\d+")
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_STATUS_PHRASES = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_CONTROL_ACTIONS = frozenset(
    {
        "add_user",
        "add_private_chat",
        "add_group",
        "add_channel",
        "set_member",
        "block_bot",
        "unblock_bot",
        "deactivate_user",
        "migrate_group",
        "send_message",
        "channel_post",
        "press_button",
        "inline_query",
        "edit_message",
        "profile_text",
        "bot_membership_changed",
        "group_migrated",
        "push_update",
        "messages",
        "all_messages",
        "calls",
        "commands",
        "fail_next",
        "fail_next_any",
        "refuse_photo",
        "clear_faults",
        "set_flood",
        "set_delay",
        "hang",
        "clear_log",
        "wait_for_messages",
    }
)
_CONTROL_PROPERTIES = frozenset(
    {"count_429", "callback_answers", "inline_answers", "flood", "pending_updates", "held_calls"}
)


class ApiError(Exception):
    """A Bot API error answer: HTTP status = error_code, plus the description and parameters."""

    def __init__(self, error_code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        """The JSON body Telegram sends for this error."""
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(slots=True)
class SentMessage:
    """A message the bot sent (sendMessage), as recorded; edits update it in place."""

    chat_id: int
    message_id: int
    text: str  # as Telegram shows it: HTML entities parsed away
    raw_text: str  # the text parameter as sent
    parse_mode: str | None
    reply_markup: JSON | None
    link_preview_options: JSON | None
    message_thread_id: int | None
    sent_at: float  # server.clock() (default time.monotonic()) when accepted
    params: JSON  # every parameter of the call, decoded
    entities: list[JSON] = field(default_factory=list)
    edits: int = 0
    deleted: bool = False
    silent: bool = False  # sent with disable_notification
    photo: str | None = None  # sendPhoto: the photo given (its URL); ``text`` is the caption


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One Bot API request the server answered (or dropped)."""

    method: str  # canonical name, e.g. "sendMessage"; as sent if unknown
    params: JSON
    at: float  # server.clock() when answered
    status: int  # HTTP status answered; 0 when the connection was dropped
    client: str = ""  # NAME when the request came as /as/NAME/bot<token>/… (see below)


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """An answerCallbackQuery call."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    params: JSON


@dataclass(frozen=True, slots=True)
class InlineAnswer:
    """An answerInlineQuery call Telegram accepted."""

    inline_query_id: str
    results: list[JSON]
    next_offset: str
    cache_time: int
    is_personal: bool
    params: JSON


_INLINE_RESULT_TYPES = frozenset(
    {
        "article",
        "photo",
        "gif",
        "mpeg4_gif",
        "video",
        "audio",
        "voice",
        "document",
        "location",
        "venue",
        "contact",
        "game",
    }
)
MAX_INLINE_RESULTS = 50
MAX_INLINE_ID = 64  # bytes of a result's id, and of next_offset


@dataclass(slots=True)
class _Fault:
    error_code: int
    description: str
    parameters: JSON | None
    drop: bool
    times: int
    method: str  # lower-case method name, or "*"


@dataclass(slots=True)
class _Member:
    status: str
    rights: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Chat:
    id: int
    type: str  # private, group, supergroup, channel
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    is_forum: bool = False
    members: dict[int, _Member] = field(default_factory=dict)
    blocked: bool = False
    migrated_to: int | None = None
    next_message_id: int = 1
    messages: dict[int, JSON] = field(default_factory=dict)  # every message by id

    def short(self) -> JSON:
        return chat_json(
            self.id,
            self.type,
            title=self.title,
            username=self.username,
            first_name=self.first_name,
            is_forum=self.is_forum,
        )


def _check_markup(markup: Any) -> None:
    """Refuse an inline keyboard as Telegram does: too many buttons, bad data, empty labels."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return
    buttons = [button for row in markup["inline_keyboard"] for button in row]
    if len(buttons) > MAX_BUTTONS:
        raise _bad("reply markup is too long")
    for button in buttons:
        if not str(button.get("text", "")).strip():
            raise _bad("BUTTON_TEXT_EMPTY")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
            raise _bad("BUTTON_DATA_INVALID")
        url = button.get("url")
        if url is not None and not re.match(r"(?:https?|tg)://\S+$", str(url)):
            raise _bad("BUTTON_URL_INVALID")
        kinds = [k for k in ("callback_data", "url", "switch_inline_query") if k in button]
        if len(kinds) != 1:
            raise _bad("can't parse inline keyboard button: exactly one of the optional fields")


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


class FakeTelegram:
    """A fake Bot API server with a world of users and chats; see the module docstring."""

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        flood: bool = False,
        bot_username: str = "TeaserTestBot",
        bot_name: str = "Teaser Test Bot",
        privacy_mode: bool = True,
        delay: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
        inline_mode: bool = False,
    ) -> None:
        self.token = token
        self.inline_mode = inline_mode  # /setinline in @BotFather: inline queries reach the bot
        self.clock = clock  # flood windows and timestamps; tests may swap in a frozen clock
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_username = bot_username
        self.bot_user = bot_user_json(self.bot_id, bot_name, bot_username)
        self.privacy_mode = privacy_mode
        self.host = host
        self.port = port
        self._flood = flood
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._async_waiters: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}
        self._waiter_ids = itertools.count(1)
        # world
        self._users: dict[int, JSON] = {}
        self._deactivated: set[int] = set()
        self._chats: dict[int, _Chat] = {}
        # records
        self._sent: dict[int, list[SentMessage]] = {}
        self._sent_order: list[SentMessage] = []
        self._calls: list[ApiCall] = []
        self._callback_answers: list[CallbackAnswer] = []
        self._open_callbacks: set[str] = set()
        self._callback_ids = itertools.count(1)
        self._inline_answers: list[InlineAnswer] = []
        self._open_inline: set[str] = set()
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._profile: dict[str, dict[str, str]] = {}
        self._count_429 = 0
        # updates
        self._updates: deque[tuple[int, str, JSON]] = deque()
        self._next_update_id = 1
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0
        self._webhook: JSON = {"url": ""}
        # faults and pacing
        self._chat_faults: dict[int | str, list[_Fault]] = {}
        self._any_faults: list[_Fault] = []
        self._delay_all = delay
        self._delays: dict[str, float] = {}
        self._flood_all: deque[float] = deque()
        self._flood_chat: dict[int, deque[float]] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self._refused_photos: set[str] = set()  # photo URLs Telegram cannot fetch
        # server machinery
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._start_error: BaseException | None = None
        self._conn_tasks: set[asyncio.Task[None]] = set()
        self._update_event: asyncio.Event | None = None
        self._answering: asyncio.Event | None = None  # cleared while the server "hangs"
        self._held: list[str] = []  # methods of the requests held unanswered meanwhile
        self._methods: dict[str, tuple[str, Callable[[JSON], Any]]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._api_get_me,
                "logOut": self._api_true,
                "close": self._api_true,
                "deleteWebhook": self._api_delete_webhook,
                "setWebhook": self._api_set_webhook,
                "getWebhookInfo": self._api_get_webhook_info,
                "sendMessage": self._api_send_message,
                "sendPhoto": self._api_send_photo,
                "editMessageText": self._api_edit_message_text,
                "editMessageReplyMarkup": self._api_edit_message_reply_markup,
                "deleteMessage": self._api_delete_message,
                "sendChatAction": self._api_send_chat_action,
                "answerCallbackQuery": self._api_answer_callback_query,
                "answerInlineQuery": self._api_answer_inline_query,
                "setMyCommands": self._api_set_my_commands,
                "getMyCommands": self._api_get_my_commands,
                "setMyDescription": self._api_set_my_description,
                "getMyDescription": self._api_get_my_description,
                "setMyShortDescription": self._api_set_my_short_description,
                "getMyShortDescription": self._api_get_my_short_description,
                "deleteMyCommands": self._api_delete_my_commands,
                "getChat": self._api_get_chat,
                "getChatMember": self._api_get_chat_member,
                "getChatAdministrators": self._api_get_chat_administrators,
                "getChatMemberCount": self._api_get_chat_member_count,
                "getFile": self._api_get_file,
                "getUpdates": self._api_true,  # handled asynchronously in _answer_bot
            }.items()
        }

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """PTB's `base_url`: "http://127.0.0.1:PORT/bot" (PTB appends the token)."""
        return f"{self.root_url}/bot"

    @property
    def root_url(self) -> str:
        """The server root, "http://127.0.0.1:PORT" (the bot's TELEGRAM_API_BASE_URL)."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        """Bind (port 0 picks a free port), start the loop thread, and return self."""
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="fake-telegram", daemon=True
        )
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Telegram server did not start")
        if self._start_error is not None:
            raise self._start_error
        return self

    def stop(self) -> None:
        """Close every connection, stop the loop and join its thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self, ready: threading.Event) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(
                asyncio.start_server(self._serve_connection, self.host, self.port, backlog=1024)
            )
        except OSError as exc:
            self._start_error = exc
            ready.set()
            loop.close()
            return
        self._update_event = asyncio.Event()
        self._answering = asyncio.Event()
        self._answering.set()
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown())
            loop.close()

    async def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        tasks = list(self._conn_tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._server.wait_closed()

    def _in_loop_thread(self) -> bool:
        return self._thread is not None and threading.current_thread() is self._thread

    # ------------------------------------------------------------------ HTTP layer

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._conn_tasks.add(task)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head[:-4].split(b"\r\n")
                parts = lines[0].decode("latin-1").split(" ")
                if len(parts) != 3:
                    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    return
                verb, target, version = parts
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    name, _, value = line.partition(b":")
                    headers[name.strip().lower().decode("latin-1")] = value.strip().decode(
                        "latin-1"
                    )
                try:
                    if "chunked" in headers.get("transfer-encoding", "").lower():
                        body = await self._read_chunked(reader)
                    else:
                        length = int(headers.get("content-length") or 0)
                        body = await reader.readexactly(length) if length else b""
                except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                    return
                connection = headers.get("connection", "").lower()
                keep_alive = (
                    connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
                )
                answer = await self._dispatch(verb, target, headers, body, reader.at_eof)
                if answer is None:  # injected network failure: drop without answering
                    writer.transport.abort()
                    return
                status, payload = answer
                head_out = (
                    f"HTTP/1.1 {status} {_STATUS_PHRASES.get(status, 'Unknown')}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                    f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
                )
                writer.write(head_out.encode("latin-1") + payload)
                await writer.drain()
                if not keep_alive:
                    return
        except ConnectionError:
            return
        except asyncio.CancelledError:  # the server stops: end quietly (asyncio would log it)
            return
        finally:
            self._conn_tasks.discard(task)
            writer.close()

    @staticmethod
    async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
        chunks: list[bytes] = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)

    async def _dispatch(
        self,
        verb: str,
        target: str,
        headers: dict[str, str],
        body: bytes,
        client_gone: Callable[[], bool],
    ) -> tuple[int, bytes] | None:
        url = urlsplit(target)
        path = url.path
        client = re.match(r"/as/([A-Za-z0-9_-]+)(/bot.*)", path)
        if client is not None:
            _CLIENT.set(client[1])
            path = client[2]
        if path.startswith("/_control/"):
            return await self._answer_control(path.removeprefix("/_control/"), verb, body)
        if path.startswith("/file/bot"):
            token, _, file_path = path.removeprefix("/file/bot").partition("/")
            return self._download(token, file_path)
        if path.startswith("/bot"):
            token, _, method = path[4:].partition("/")
            return await self._answer_bot(token, method, url.query, headers, body, client_gone)
        return 404, _dumps({"ok": False, "error_code": 404, "description": "Not Found"})

    # ------------------------------------------------------------------ Bot API requests

    async def _answer_bot(
        self,
        token: str,
        method: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        client_gone: Callable[[], bool],
    ) -> tuple[int, bytes] | None:
        entry = self._methods.get(method.lower())
        name = entry[0] if entry else method
        params: JSON = {}
        await self._until_answering(name)
        if client_gone():  # its client gave up while the server hung: never processed
            self._log_call(name, params, 0)
            return None
        try:
            params = _parse_params(query, headers.get("content-type", ""), body)
            delay = self._delays.get(name.lower(), self._delay_all)
            if delay > 0:
                await asyncio.sleep(delay)
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if entry is None:
                raise ApiError(404, "Not Found")
            fault = self._take_fault(name, params)
            if fault is not None:
                if fault.drop:
                    self._log_call(name, params, 0)
                    return None
                raise ApiError(fault.error_code, fault.description, fault.parameters)
            if name == "getUpdates":
                try:
                    result = await self._get_updates(params)
                except ApiError:
                    if not client_gone():
                        raise
                    result = None
                if client_gone():  # the poller hung up (e.g. PTB stopping): answer nobody
                    self._log_call(name, params, 0)
                    return None
            else:
                with self._lock:
                    result = entry[1](params)
        except ApiError as err:
            self._log_call(name, params, err.error_code)
            return err.error_code, _dumps(err.payload())
        await self._until_answering(name)  # a long poll under way when the server began to hang
        self._log_call(name, params, 200)
        return 200, _dumps({"ok": True, "result": result})

    async def _until_answering(self, method: str) -> None:
        """Hold a request while the server hangs (see :meth:`hang`)."""
        answering = self._answering
        assert answering is not None
        if answering.is_set():
            return
        with self._changed:
            self._held.append(method)
            self._notify()
        try:
            await answering.wait()
        finally:
            with self._changed:
                self._held.remove(method)

    def _log_call(self, method: str, params: JSON, status: int) -> None:
        with self._changed:
            self._calls.append(ApiCall(method, params, self.clock(), status, _CLIENT.get()))
            if status == 429:
                self._count_429 += 1
            self._notify()

    def _notify(self) -> None:
        """Wake blocking and async waiters; call with the lock held."""
        self._changed.notify_all()
        for loop, event in self._async_waiters.values():
            with contextlib.suppress(RuntimeError):  # that loop is closed
                loop.call_soon_threadsafe(event.set)

    def _take_fault(self, method: str, params: JSON) -> _Fault | None:
        with self._lock:
            queues: list[list[_Fault]] = []
            chat_id = params.get("chat_id")
            if chat_id is not None:
                resolved = self._resolve_chat_id(chat_id)
                queues.extend(
                    self._chat_faults[key]
                    for key in dict.fromkeys([chat_id, resolved])
                    if key is not None and key in self._chat_faults
                )
            queues.append(self._any_faults)
            for faults in queues:
                for fault in faults:
                    if fault.method in ("*", method.lower()):
                        fault.times -= 1
                        if fault.times <= 0:
                            faults.remove(fault)
                        return fault
            return None

    # --- methods (called with the lock held)

    def _api_true(self, params: JSON) -> bool:
        return True

    def _api_get_me(self, params: JSON) -> JSON:
        return {**self.bot_user, "supports_inline_queries": self.inline_mode}

    def _api_delete_webhook(self, params: JSON) -> bool:
        self._webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_set_webhook(self, params: JSON) -> bool:
        url = str(params.get("url", ""))
        self._webhook = {"url": url}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_get_webhook_info(self, params: JSON) -> JSON:
        return {
            "url": self._webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_send_chat_action(self, params: JSON) -> bool:
        self._chat_for_bot(params.get("chat_id"))
        return True

    def _api_send_message(self, params: JSON) -> JSON:
        chat = self._chat_for_bot(params.get("chat_id"))
        self._check_can_send(chat)
        raw_text, parse_mode, plain, entities = self._format_text(params)
        _check_markup(params.get("reply_markup"))
        reply = params.get("reply_parameters") or (
            {"message_id": params["reply_to_message_id"]}
            if "reply_to_message_id" in params
            else None
        )
        if isinstance(reply, dict) and reply.get("message_id") not in chat.messages:
            allow = reply.get("allow_sending_without_reply") or params.get(
                "allow_sending_without_reply"
            )
            if not allow:
                raise _bad("message to be replied not found")
        now = self.clock()
        if self._flood:
            self._check_flood(chat, bool(params.get("allow_paid_broadcast")), now)
        message_id = chat.next_message_id
        chat.next_message_id += 1
        thread_id = params.get("message_thread_id")
        message = self._message_json(chat, message_id, plain, entities, from_bot=True)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        preview = params.get("link_preview_options")
        if isinstance(preview, dict):
            message["link_preview_options"] = preview
        if thread_id is not None and chat.is_forum:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        chat.messages[message_id] = message
        record = SentMessage(
            chat_id=chat.id,
            message_id=message_id,
            text=plain,
            raw_text=raw_text,
            parse_mode=parse_mode,
            reply_markup=markup if isinstance(markup, dict) else None,
            link_preview_options=preview if isinstance(preview, dict) else None,
            message_thread_id=thread_id,
            sent_at=now,
            params=params,
            entities=entities,
            silent=bool(params.get("disable_notification", False)),
        )
        self._sent.setdefault(chat.id, []).append(record)
        self._sent_order.append(record)
        return message

    def _api_send_photo(self, params: JSON) -> JSON:
        chat = self._chat_for_bot(params.get("chat_id"))
        self._check_can_send(chat)
        photo = params.get("photo")
        if not isinstance(photo, str) or not photo.strip():
            raise _bad("there is no photo in the request")
        known = photo in self._files or re.match(r"https?://[^\s/]+\S*$", photo) is not None
        if not known or photo in self._refused_photos:
            raise _bad("wrong file identifier/HTTP URL specified")
        member = chat.members.get(self.bot_id)
        if member is not None and not member.rights.get("can_send_photos", True):
            raise _bad("not enough rights to send photos to the chat")
        raw_caption, parse_mode, plain, entities = "", None, "", []
        if params.get("caption") is not None:
            raw_caption, parse_mode, plain, entities = self._format_text(
                params, field="caption", limit=MAX_CAPTION_LENGTH
            )
        _check_markup(params.get("reply_markup"))
        now = self.clock()
        if self._flood:
            self._check_flood(chat, bool(params.get("allow_paid_broadcast")), now)
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message = self._message_json(chat, message_id, None, [], from_bot=True)
        size = {"file_id": f"photo-{chat.id}-{message_id}", "width": 800, "height": 600}
        message["photo"] = [{**size, "file_unique_id": size["file_id"], "file_size": 1000}]
        if plain:
            message["caption"] = plain
        if entities:
            message["caption_entities"] = entities
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        chat.messages[message_id] = message
        record = SentMessage(
            chat_id=chat.id,
            message_id=message_id,
            text=plain,
            raw_text=raw_caption,
            parse_mode=parse_mode,
            reply_markup=markup if isinstance(markup, dict) else None,
            link_preview_options=None,
            message_thread_id=params.get("message_thread_id"),
            sent_at=now,
            params=params,
            entities=entities,
            silent=bool(params.get("disable_notification", False)),
            photo=photo,
        )
        self._sent.setdefault(chat.id, []).append(record)
        self._sent_order.append(record)
        return message

    def refuse_photo(self, url: str) -> None:
        """Answer sendPhoto with this URL as Telegram answers an image it cannot fetch (400
        "wrong file identifier/HTTP URL specified")."""
        with self._lock:
            self._refused_photos.add(url)

    def _format_text(
        self, params: JSON, *, field: str = "text", limit: int = MAX_TEXT_LENGTH
    ) -> tuple[str, str | None, str, list[JSON]]:
        raw = params.get(field)
        raw_text = "" if raw is None else str(raw)
        parse_mode = params.get("parse_mode") or None
        entities: list[JSON] = []
        plain = raw_text
        if parse_mode is not None:
            mode = str(parse_mode).lower()
            if mode == "html":
                try:
                    plain, entities = parse_html(raw_text)
                except EntityParseError as exc:
                    raise _bad(f"can't parse entities: {exc}") from None
            elif mode not in ("markdown", "markdownv2"):
                raise _bad("unsupported parse_mode")
        elif isinstance(params.get("entities"), list):
            entities = list(params["entities"])
        if field == "caption":
            if utf16_len(plain) > limit:
                raise _bad("message caption is too long")
            return raw_text, parse_mode, plain, entities
        if not plain.strip():
            raise _bad("message text is empty")
        if utf16_len(plain) > limit:
            raise _bad("message is too long")
        return raw_text, parse_mode, plain, entities

    def _check_flood(self, chat: _Chat, paid: bool, now: float) -> None:
        overall = self._flood_all
        while overall and overall[0] <= now - 1.0:
            overall.popleft()
        per_chat = self._flood_chat.setdefault(chat.id, deque())
        window, chat_limit = (1.0, 1) if chat.type == "private" else (60.0, 20)
        while per_chat and per_chat[0] <= now - window:
            per_chat.popleft()
        limit = 1000 if paid else 30
        waits = []
        if len(overall) >= limit:
            waits.append(overall[len(overall) - limit] + 1.0 - now)
        if len(per_chat) >= chat_limit:
            waits.append(per_chat[len(per_chat) - chat_limit] + window - now)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        overall.append(now)
        per_chat.append(now)

    def _bot_message(self, params: JSON) -> tuple[_Chat, JSON, SentMessage | None]:
        chat = self._chat_for_bot(params.get("chat_id"))
        message_id = params.get("message_id")
        message = chat.messages.get(message_id) if isinstance(message_id, int) else None
        return chat, message or {}, self._find_sent(chat.id, message_id)

    def _find_sent(self, chat_id: int, message_id: Any) -> SentMessage | None:
        for record in reversed(self._sent.get(chat_id, [])):
            if record.message_id == message_id and not record.deleted:
                return record
        return None

    def _api_edit_message_text(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        chat, message, record = self._bot_message(params)
        if record is None:
            raise _bad("message to edit not found")
        raw_text, parse_mode, plain, entities = self._format_text(params)
        markup = params.get("reply_markup")
        markup = markup if isinstance(markup, dict) else None
        _check_markup(markup)
        if plain == record.text and entities == record.entities and markup == record.reply_markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        record.text, record.raw_text, record.parse_mode = plain, raw_text, parse_mode
        record.entities, record.reply_markup, record.edits = entities, markup, record.edits + 1
        message = dict(message, text=plain, edit_date=int(time.time()))
        message.pop("entities", None)
        message.pop("reply_markup", None)
        if entities:
            message["entities"] = entities
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        chat.messages[record.message_id] = message
        return message

    def _api_edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        chat, message, record = self._bot_message(params)
        if record is None:
            raise _bad("message to edit not found")
        markup = params.get("reply_markup")
        markup = markup if isinstance(markup, dict) else None
        _check_markup(markup)
        if markup == record.reply_markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        record.reply_markup, record.edits = markup, record.edits + 1
        message = dict(message, edit_date=int(time.time()))
        message.pop("reply_markup", None)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        chat.messages[record.message_id] = message
        return message

    def _api_delete_message(self, params: JSON) -> bool:
        chat, _message, record = self._bot_message(params)
        message_id = params.get("message_id")
        if message_id not in chat.messages:
            raise _bad("message to delete not found")
        if chat.type != "private":
            member = chat.members.get(self.bot_id, _Member("left"))
            own = record is not None
            may = member.status == "administrator" and member.rights.get(
                "can_delete_messages", True
            )
            if not may and not (own and chat.type != "channel"):
                raise _bad("message can't be deleted")
        del chat.messages[message_id]
        if record is not None:
            record.deleted = True
        return True

    def _api_answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER:
            raise _bad("MESSAGE_TOO_LONG")
        self._open_callbacks.discard(query_id)
        self._callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                text=None if text is None else str(text),
                show_alert=bool(params.get("show_alert", False)),
                url=params.get("url"),
                params=params,
            )
        )
        return True

    def _api_answer_inline_query(self, params: JSON) -> bool:
        """answerInlineQuery, refused as Telegram refuses it: an unknown or answered query, more
        than 50 results, a result without its required fields, an id or offset too long."""
        query_id = str(params.get("inline_query_id", ""))
        if query_id not in self._open_inline:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        results = params.get("results")
        if not isinstance(results, list):
            raise _bad('field "results" must be an Array')
        if len(results) > MAX_INLINE_RESULTS:
            raise _bad("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            self._check_inline_result(result, seen)
        next_offset = str(params.get("next_offset") or "")
        if len(next_offset.encode()) > MAX_INLINE_ID:
            raise _bad("NEXT_OFFSET_INVALID")
        self._open_inline.discard(query_id)
        self._inline_answers.append(
            InlineAnswer(
                inline_query_id=query_id,
                results=results,
                next_offset=next_offset,
                cache_time=int(params.get("cache_time", 300)),
                is_personal=bool(params.get("is_personal", False)),
                params=params,
            )
        )
        return True

    def _check_inline_result(self, result: Any, seen: set[str]) -> None:
        if not isinstance(result, dict) or result.get("type") not in _INLINE_RESULT_TYPES:
            raise _bad("RESULT_TYPE_INVALID")
        result_id = str(result.get("id", ""))
        if not 1 <= len(result_id.encode()) <= MAX_INLINE_ID:
            raise _bad("RESULT_ID_INVALID")
        if result_id in seen:
            raise _bad("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        _check_markup(result.get("reply_markup"))
        if result["type"] != "article":
            return
        if not str(result.get("title", "")).strip():
            raise _bad("RESULT_TITLE_EMPTY")
        content = result.get("input_message_content")
        if not isinstance(content, dict) or "message_text" not in content:
            raise _bad("input_message_content of an article must have message_text")
        self._format_text({"text": content["message_text"], **content})

    @staticmethod
    def _scope_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _api_set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad('parameter "commands" is required')
        if len(commands) > 100:
            raise _bad("too many commands specified")
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse BotCommand")
            if not _COMMAND_NAME_RE.fullmatch(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(params)
        if commands:
            self._commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        else:
            self._commands.pop(key, None)
        return True

    def _set_profile_text(self, field: str, params: JSON, limit: int) -> bool:
        text = str(params.get(field) or "")
        if len(text) > limit:  # Telegram counts these in characters
            raise _bad(f"{field.upper()}_INVALID")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("LANG_CODE_INVALID")
        texts = self._profile.setdefault(field, {})
        if text:
            texts[language] = text
        else:
            texts.pop(language, None)
        return True

    def _api_set_my_description(self, params: JSON) -> bool:
        return self._set_profile_text("description", params, 512)

    def _api_get_my_description(self, params: JSON) -> JSON:
        return {"description": self.profile_text("description", params.get("language_code"))}

    def _api_set_my_short_description(self, params: JSON) -> bool:
        return self._set_profile_text("short_description", params, 120)

    def _api_get_my_short_description(self, params: JSON) -> JSON:
        return {
            "short_description": self.profile_text("short_description", params.get("language_code"))
        }

    def profile_text(self, field: str, language: Any = None) -> str:
        """The bot's description or short_description a user with this language sees (the
        language's own, else the default one), as Telegram shows it."""
        with self._lock:
            texts = self._profile.get(field, {})
            return texts.get(str(language or ""), texts.get("", ""))

    def _api_get_my_commands(self, params: JSON) -> list[JSON]:
        return list(self._commands.get(self._scope_key(params), []))

    def _api_delete_my_commands(self, params: JSON) -> bool:
        self._commands.pop(self._scope_key(params), None)
        return True

    def _api_get_chat(self, params: JSON) -> JSON:
        chat = self._chat_for_bot(params.get("chat_id"))
        self._check_bot_present(chat)
        return chat_full_info_json(chat.short())

    def _api_get_chat_member(self, params: JSON) -> JSON:
        chat = self._chat_for_bot(params.get("chat_id"))
        self._check_bot_present(chat)
        user_id = params.get("user_id")
        if not isinstance(user_id, int) or self._user(user_id) is None:
            raise _bad("user not found")
        return self._member_json(chat, user_id)

    def _api_get_chat_administrators(self, params: JSON) -> list[JSON]:
        chat = self._chat_for_bot(params.get("chat_id"))
        self._check_bot_present(chat)
        if chat.type == "private":
            raise _bad("there are no administrators in the private chat")
        return [
            self._member_json(chat, user_id)
            for user_id, member in chat.members.items()
            if member.status in ("creator", "administrator")
        ]

    def _api_get_file(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id"))
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        file_path, content = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": file_path,
        }

    def _download(self, token: str, file_path: str) -> tuple[int, bytes]:
        """GET /file/bot<token>/<file_path>: the bytes of a file a user sent."""
        with self._lock:
            found = [c for p, c in self._files.values() if p == file_path]
        if token != self.token or not found:
            return 404, _dumps({"ok": False, "error_code": 404, "description": "Not Found"})
        return 200, found[0]

    def _api_get_chat_member_count(self, params: JSON) -> int:
        chat = self._chat_for_bot(params.get("chat_id"))
        self._check_bot_present(chat)
        if chat.type == "private":
            return 2
        return sum(
            1
            for member in chat.members.values()
            if member.status in ("creator", "administrator", "member")
            or (member.status == "restricted" and member.rights.get("is_member", True))
        )

    async def _get_updates(self, params: JSON) -> list[JSON]:
        loop = asyncio.get_running_loop()
        timeout = max(0.0, float(params.get("timeout") or 0))
        limit = min(100, max(1, int(params.get("limit") or 100)))
        deadline = loop.time() + timeout
        with self._lock:
            if self._webhook["url"]:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._poll_generation += 1
            generation = self._poll_generation
            self._wake_pollers()  # an older long poll ends with 409, as on Telegram
            allowed = params.get("allowed_updates")
            if isinstance(allowed, list):
                self._allowed_updates = (
                    frozenset(map(str, allowed)) if allowed else DEFAULT_ALLOWED_UPDATES
                )
            offset = params.get("offset")
            if isinstance(offset, int) and offset != 0:
                self._confirm(offset)
        while True:
            with self._lock:
                if self._poll_generation != generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                batch = [
                    {"update_id": update_id, kind: payload}
                    for update_id, kind, payload in self._updates
                    if kind in self._allowed_updates
                ][:limit]
                event = self._update_event
            remaining = deadline - loop.time()
            hanging = self._answering is not None and not self._answering.is_set()
            if batch or remaining <= 0 or hanging:  # hanging: held in _answer_bot
                return batch
            assert event is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        else:
            while self._updates and self._updates[0][0] < offset:
                self._updates.popleft()

    def _wake_pollers(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        def wake() -> None:
            event = self._update_event
            self._update_event = asyncio.Event()
            if event is not None:
                event.set()

        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(wake)

    # --- world lookups (lock held)

    def _user(self, user_id: int) -> JSON | None:
        if user_id == self.bot_id:
            return self.bot_user
        return self._users.get(user_id)

    def _resolve_chat_id(self, chat_id: Any) -> int | None:
        if isinstance(chat_id, int):
            return chat_id
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            for chat in self._chats.values():
                if chat.username and chat.username.lower() == name and chat.type != "private":
                    return chat.id
        return None

    def _chat_for_bot(self, chat_id: Any) -> _Chat:
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        resolved = self._resolve_chat_id(chat_id)
        chat = self._chats.get(resolved) if resolved is not None else None
        if chat is None:
            if resolved is not None and resolved in self._users and resolved > 0:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise _bad("chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        return chat

    def _check_bot_present(self, chat: _Chat) -> None:
        if chat.type == "private":
            return
        status = chat.members.get(self.bot_id, _Member("left")).status
        kind = "group" if chat.type == "group" else chat.type
        if status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        if status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")

    def _check_can_send(self, chat: _Chat) -> None:
        if chat.type == "private":
            if chat.id in self._deactivated:
                raise ApiError(403, "Forbidden: user is deactivated")
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            return
        self._check_bot_present(chat)
        member = chat.members[self.bot_id]
        if chat.type == "channel":
            can_post = member.status == "administrator" and member.rights.get(
                "can_post_messages", True
            )
            if not can_post:
                raise _bad("need administrator rights in the channel chat")
        elif member.status == "restricted" and not member.rights.get("can_send_messages", True):
            raise _bad("not enough rights to send text messages to the chat")

    def _member_json(self, chat: _Chat, user_id: int) -> JSON:
        user = self._user(user_id) or user_json(user_id, f"User {user_id}")
        if chat.type == "private":
            status = "kicked" if user_id == self.bot_id and chat.blocked else "member"
            return chat_member_json(user, status, chat_type="private")
        member = chat.members.get(user_id, _Member("left"))
        return chat_member_json(user, member.status, member.rights, chat_type=chat.type)

    def _message_json(
        self,
        chat: _Chat,
        message_id: int,
        text: str | None,
        entities: list[JSON],
        *,
        from_bot: bool = False,
        from_user: JSON | None = None,
    ) -> JSON:
        message: JSON = {"message_id": message_id}
        if chat.type == "channel":
            message["sender_chat"] = chat.short()
        elif from_bot:
            message["from"] = dict(self.bot_user)
        elif from_user is not None:
            message["from"] = from_user
        message["chat"] = chat.short()
        message["date"] = int(time.time())
        if text is not None:
            message["text"] = text
        if entities:
            message["entities"] = entities
        return message

    def _queue_update(self, kind: str, payload: JSON) -> JSON:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append((update_id, kind, payload))
        self._wake_pollers()
        return {"update_id": update_id, kind: payload}

    # ------------------------------------------------------------------ world model (public)

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        *,
        language_code: str | None = "en",
    ) -> JSON:
        """Add (or replace) a user; return the User object."""
        user = user_json(user_id, first_name, username, language_code=language_code)
        with self._lock:
            self._users[user_id] = user
        return user

    def _ensure_user(self, user_id: int) -> JSON:
        user = self._user(user_id)
        if user is None:
            user = user_json(user_id, f"User{user_id}", language_code="en")
            self._users[user_id] = user
        return user

    def add_private_chat(self, user_id: int) -> JSON:
        """Open the private chat of a user with the bot (chat id = user id); return the Chat."""
        with self._lock:
            user = self._ensure_user(user_id)
            chat = self._chats.get(user_id)
            if chat is None:
                chat = _Chat(
                    user_id, "private", username=user.get("username"), first_name=user["first_name"]
                )
                self._chats[user_id] = chat
            return chat.short()

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        supergroup: bool = True,
        forum: bool = False,
        creator: int | None = None,
        admins: Iterable[int] = (),
        members: Iterable[int] = (),
        bot_status: str = "member",
        bot_rights: dict[str, Any] | None = None,
        username: str | None = None,
    ) -> JSON:
        """Add a group or supergroup with its people and the bot's status; return the Chat."""
        kind = "supergroup" if supergroup or forum else "group"
        with self._lock:
            chat = _Chat(chat_id, kind, title=title, username=username, is_forum=forum)
            self._populate(chat, creator, admins, members)
            chat.members[self.bot_id] = _Member(bot_status, dict(bot_rights or {}))
            self._chats[chat_id] = chat
            return chat.short()

    def add_channel(
        self,
        chat_id: int,
        title: str,
        username: str | None = None,
        *,
        creator: int | None = None,
        admins: Iterable[int] = (),
        bot_status: str = "administrator",
        bot_can_post: bool = True,
        subscribers: Iterable[int] = (),
    ) -> JSON:
        """Add a channel; by default the bot is an administrator that can post; return the Chat."""
        with self._lock:
            chat = _Chat(chat_id, "channel", title=title, username=username)
            self._populate(chat, creator, admins, subscribers)
            rights = {"can_post_messages": bot_can_post} if bot_status == "administrator" else {}
            chat.members[self.bot_id] = _Member(bot_status, rights)
            self._chats[chat_id] = chat
            return chat.short()

    def _populate(
        self, chat: _Chat, creator: int | None, admins: Iterable[int], members: Iterable[int]
    ) -> None:
        if creator is not None:
            self._ensure_user(creator)
            chat.members[creator] = _Member("creator")
        for user_id in admins:
            self._ensure_user(user_id)
            chat.members[user_id] = _Member("administrator")
        for user_id in members:
            self._ensure_user(user_id)
            chat.members[user_id] = _Member("member")

    def _chat(self, chat_id: int | str) -> _Chat:
        resolved = self._resolve_chat_id(chat_id)
        chat = self._chats.get(resolved) if resolved is not None else None
        if chat is None:
            raise KeyError(f"no chat {chat_id!r}; add it first")
        return chat

    def set_member(self, chat_id: int, user_id: int, status: str, **rights: Any) -> JSON:
        """Set a user's (or the bot's: user_id=bot_id) status and rights; return the ChatMember."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self._lock:
            chat = self._chat(chat_id)
            if user_id != self.bot_id:
                self._ensure_user(user_id)
            chat.members[user_id] = _Member(status, rights)
            return self._member_json(chat, user_id)

    def block_bot(self, user_id: int, *, send_update: bool = True) -> JSON | None:
        """The user blocks the bot; sendMessage to them gets 403 from now on."""
        return self._set_blocked(user_id, blocked=True, send_update=send_update)

    def unblock_bot(self, user_id: int, *, send_update: bool = True) -> JSON | None:
        """The user unblocks (restarts) the bot."""
        return self._set_blocked(user_id, blocked=False, send_update=send_update)

    def _set_blocked(self, user_id: int, *, blocked: bool, send_update: bool) -> JSON | None:
        with self._lock:
            self.add_private_chat(user_id)
            chat = self._chats[user_id]
            chat.blocked = blocked
            if not send_update:
                return None
            old, new = ("member", "kicked") if blocked else ("kicked", "member")
            return self._private_membership_update(chat, old, new)

    def _private_membership_update(self, chat: _Chat, old: str, new: str) -> JSON:
        return self._queue_update(
            "my_chat_member",
            {
                "chat": chat.short(),
                "from": self._ensure_user(chat.id),
                "date": int(time.time()),
                "old_chat_member": chat_member_json(self.bot_user, old, chat_type="private"),
                "new_chat_member": chat_member_json(self.bot_user, new, chat_type="private"),
            },
        )

    def deactivate_user(self, user_id: int) -> None:
        """The user deletes their account; sendMessage to them gets 403."""
        with self._lock:
            self._deactivated.add(user_id)

    def migrate_group(self, old_id: int, new_id: int) -> JSON:
        """Upgrade a group to a supergroup (world only); return the new Chat."""
        with self._lock:
            old = self._chat(old_id)
            new = _Chat(new_id, "supergroup", title=old.title, username=old.username)
            new.members = {uid: _Member(m.status, dict(m.rights)) for uid, m in old.members.items()}
            old.migrated_to = new_id
            self._chats[new_id] = new
            return new.short()

    # ------------------------------------------------------------------ updates (public)

    def send_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        message_thread_id: int | None = None,
        sender_chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        forward_from_channel_id: int | None = None,
    ) -> JSON | None:
        """A user writes `text` in a chat, or forwards a post of a channel (with
        ``forward_from_channel_id``); queue and return the update (None: bot can't see it)."""
        with self._lock:
            user = self._ensure_user(user_id)
            if chat_id == user_id and chat_id not in self._chats:
                self.add_private_chat(user_id)
            chat = self._chat(chat_id)
            if chat.type == "private" and chat.blocked:
                self.unblock_bot(user_id)
            entities = message_entities(text)
            message = self._message_json(chat, chat.next_message_id, text, entities, from_user=user)
            chat.next_message_id += 1
            if sender_chat_id is not None:
                sender = self._chat(sender_chat_id)
                message["from"] = dict(GROUP_ANONYMOUS_BOT if sender.id == chat.id else CHANNEL_BOT)
                message["sender_chat"] = sender.short()
            if forward_from_channel_id is not None:
                origin = self._chat(forward_from_channel_id)
                message["forward_origin"] = {
                    "type": "channel",
                    "chat": origin.short(),
                    "message_id": max(1, origin.next_message_id - 1),
                    "date": int(time.time()) - 60,
                }
                message.pop("entities", None)
                entities = []
            if message_thread_id is not None:
                message["message_thread_id"] = message_thread_id
                if chat.is_forum:
                    message["is_topic_message"] = True
            replied = None
            if reply_to_message_id is not None:
                replied = chat.messages.get(reply_to_message_id)
                if replied is not None:
                    message["reply_to_message"] = copy.deepcopy(replied)
            chat.messages[message["message_id"]] = message
            if not self._bot_receives(chat, text, entities, replied):
                return None
            return self._queue_update("message", message)

    def edit_message(self, chat_id: int, message_id: int, text: str) -> JSON | None:
        """A user edits a message he sent (or a channel its post); queue and return the
        edited_message (edited_channel_post) update, None when the bot can't see it."""
        with self._lock:
            chat = self._chat(chat_id)
            old = chat.messages.get(message_id)
            if old is None:
                raise KeyError(f"no message {message_id} in chat {chat_id}")
            entities = message_entities(text)
            message = dict(copy.deepcopy(old), text=text, edit_date=int(time.time()))
            message.pop("entities", None)
            if entities:
                message["entities"] = entities
            chat.messages[message_id] = message
            if chat.type == "channel":
                return self._queue_update("edited_channel_post", message)
            if not self._bot_receives(chat, text, entities, message.get("reply_to_message")):
                return None
            return self._queue_update("edited_message", message)

    def send_document(
        self,
        chat_id: int,
        user_id: int,
        file_name: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "application/octet-stream",
    ) -> JSON | None:
        """A user sends a file (with an optional caption) in a chat; queue and return the update
        (None: the bot cannot see it). The bot fetches it with getFile and /file/bot<token>/…"""
        with self._lock:
            user = self._ensure_user(user_id)
            if chat_id == user_id and chat_id not in self._chats:
                self.add_private_chat(user_id)
            chat = self._chat(chat_id)
            file_id = f"doc{len(self._files) + 1}"
            self._files[file_id] = (f"documents/{file_id}_{file_name}", content)
            message = self._message_json(chat, chat.next_message_id, None, [], from_user=user)
            chat.next_message_id += 1
            message["document"] = {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            entities = command_entities(caption or "")
            if caption is not None:
                message["caption"] = caption
                if entities:
                    message["caption_entities"] = entities
            chat.messages[message["message_id"]] = message
            if not self._bot_receives(chat, caption or "", entities, None):
                return None
            return self._queue_update("message", message)

    def _bot_receives(
        self, chat: _Chat, text: str, entities: list[JSON], replied: JSON | None
    ) -> bool:
        if chat.type == "private":
            return True
        member = chat.members.get(self.bot_id, _Member("left"))
        if member.status in ("left", "kicked"):
            return False
        first = entities[0] if entities and entities[0]["offset"] == 0 else None
        command = first if first is not None and first["type"] == "bot_command" else None
        if command is not None:
            name = text[: command["length"]]
            if "@" in name and name.split("@", 1)[1].lower() != self.bot_username.lower():
                return not self.privacy_mode
            return True
        if not self.privacy_mode or member.status == "administrator":
            return True
        return replied is not None and replied.get("from", {}).get("id") == self.bot_id

    def channel_post(self, chat_id: int, text: str) -> JSON | None:
        """A post appears in a channel; queue the channel_post update if the bot is an admin."""
        with self._lock:
            chat = self._chat(chat_id)
            entities = message_entities(text)
            message = self._message_json(chat, chat.next_message_id, text, entities)
            chat.next_message_id += 1
            chat.messages[message["message_id"]] = message
            if chat.members.get(self.bot_id, _Member("left")).status != "administrator":
                return None
            return self._queue_update("channel_post", message)

    def press_button(self, chat_id: int, user_id: int, message_id: int, data: str) -> JSON:
        """A user presses an inline button of a bot message; queue and return the callback_query."""
        with self._lock:
            chat = self._chat(chat_id)
            message = chat.messages.get(message_id)
            if message is None:
                raise KeyError(f"no message {message_id} in chat {chat_id}")
            query_id = f"{self.bot_id}{next(self._callback_ids):08d}"
            self._open_callbacks.add(query_id)
            return self._queue_update(
                "callback_query",
                {
                    "id": query_id,
                    "from": self._ensure_user(user_id),
                    "message": copy.deepcopy(message),
                    "chat_instance": str(abs(chat.id) * 7919 % 10**12),
                    "data": data,
                },
            )

    def inline_query(
        self, user_id: int, query: str, offset: str = "", chat_type: str | None = "sender"
    ) -> JSON:
        """A user types ``@bot query`` in a chat (``chat_type``: sender, private, group,
        supergroup, channel; None when Telegram cannot tell); queue and return the inline_query.

        Only with inline mode on (@BotFather /setinline), as with real Telegram.
        """
        if not self.inline_mode:
            raise AssertionError("inline mode is off: Telegram sends this bot no inline queries")
        if len(query) > 256:
            raise ValueError("an inline query holds at most 256 characters")
        with self._lock:
            query_id = f"{self.bot_id}{next(self._callback_ids):08d}"
            self._open_inline.add(query_id)
            payload: JSON = {
                "id": query_id,
                "from": self._ensure_user(user_id),
                "query": query,
                "offset": offset,
            }
            if chat_type is not None:
                payload["chat_type"] = chat_type
            return self._queue_update("inline_query", payload)

    @property
    def inline_answers(self) -> list[InlineAnswer]:
        """Every accepted answerInlineQuery call, in order."""
        with self._lock:
            return list(self._inline_answers)

    def bot_membership_changed(
        self,
        chat_id: int,
        by_user_id: int,
        old_status: str | None = None,
        new_status: str = "member",
        **rights: Any,
    ) -> JSON:
        """Someone changes the bot's status in a chat; update the world, queue my_chat_member."""
        if new_status not in MEMBER_STATUSES:
            raise ValueError(f"unknown status {new_status!r}")
        with self._lock:
            chat = self._chat(chat_id)
            previous = chat.members.get(self.bot_id, _Member("left"))
            old = _Member(old_status, {}) if old_status is not None else previous
            if new_status == "administrator" and chat.type == "channel":
                rights.setdefault("can_post_messages", True)
            chat.members[self.bot_id] = _Member(new_status, dict(rights))
            return self._queue_update(
                "my_chat_member",
                {
                    "chat": chat.short(),
                    "from": self._ensure_user(by_user_id),
                    "date": int(time.time()),
                    "old_chat_member": chat_member_json(
                        self.bot_user, old.status, old.rights, chat_type=chat.type
                    ),
                    "new_chat_member": chat_member_json(
                        self.bot_user, new_status, rights, chat_type=chat.type
                    ),
                },
            )

    def group_migrated(
        self, old_id: int, new_id: int, *, by_user_id: int | None = None
    ) -> list[JSON]:
        """Upgrade a group to a supergroup and queue both service messages; return the updates."""
        with self._lock:
            old = self._chat(old_id)
            if by_user_id is None:
                by_user_id = next(
                    (u for u, m in old.members.items() if m.status == "creator"), None
                )
            user = self._ensure_user(by_user_id) if by_user_id is not None else None
            self.migrate_group(old_id, new_id)
            new = self._chats[new_id]
            first = self._message_json(old, old.next_message_id, None, [], from_user=user)
            old.next_message_id += 1
            first["migrate_to_chat_id"] = new_id
            second = self._message_json(new, new.next_message_id, None, [], from_user=user)
            new.next_message_id += 1
            second["sender_chat"] = new.short()
            second["migrate_from_chat_id"] = old_id
            return [self._queue_update("message", first), self._queue_update("message", second)]

    def push_update(self, kind: str, payload: JSON) -> JSON:
        """Queue any update object as given (`kind` is its field name, e.g. "chat_member")."""
        with self._lock:
            return self._queue_update(kind, payload)

    @property
    def held_calls(self) -> list[str]:
        """The methods of the Bot API requests held unanswered while the server hangs."""
        with self._lock:
            return list(self._held)

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        with self._lock:
            return [{"update_id": i, kind: payload} for i, kind, payload in self._updates]

    # ------------------------------------------------------------------ inspection (public)

    def chat_message(self, chat_id: int, message_id: int) -> JSON | None:
        """Any message still in a chat (the bot's or a person's); None once deleted."""
        with self._lock:
            message = self._chat(chat_id).messages.get(message_id)
            return copy.deepcopy(message) if message is not None else None

    def messages(self, chat_id: int | str) -> list[SentMessage]:
        """Copies of the messages the bot sent to a chat, oldest first."""
        with self._lock:
            resolved = self._resolve_chat_id(chat_id)
            return [dataclasses.replace(m) for m in self._sent.get(resolved or 0, [])]

    def all_messages(self) -> list[SentMessage]:
        """Copies of every message the bot sent, in order."""
        with self._lock:
            return [dataclasses.replace(m) for m in self._sent_order]

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """The log of Bot API calls, optionally only those of one method."""
        with self._lock:
            if method is None:
                return list(self._calls)
            return [c for c in self._calls if c.method.lower() == method.lower()]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Every answerCallbackQuery call, in order."""
        with self._lock:
            return list(self._callback_answers)

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """The command list set for a scope (default scope when None) and language."""
        with self._lock:
            return self._api_get_my_commands({"scope": scope, "language_code": language_code})

    def commands_by_scope(self) -> dict[tuple[str, str], list[JSON]]:
        """Every command list, keyed by (scope as sorted JSON, language code)."""
        with self._lock:
            return {k: list(v) for k, v in self._commands.items()}

    @property
    def count_429(self) -> int:
        """How many 429 answers were sent (flood limits and injected ones)."""
        with self._lock:
            return self._count_429

    def clear_log(self) -> None:
        """Forget the call log, the recorded messages and the 429 count (not the world)."""
        with self._lock:
            self._calls.clear()
            self._sent.clear()
            self._sent_order.clear()
            self._callback_answers.clear()
            self._inline_answers.clear()
            self._count_429 = 0

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Block until `predicate()` (checked after every call) is true; False on timeout."""
        if self._in_loop_thread():
            raise RuntimeError("wait_until would block the server's own loop")
        with self._changed:
            return self._changed.wait_for(predicate, deadline(timeout))

    async def async_wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 10.0,  # noqa: ASYNC109  (mirrors wait_until; a deadline, not a cancel)
    ) -> bool:
        """Await until `predicate()` is true without blocking the calling loop; False on timeout."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        until = loop.time() + deadline(timeout)
        with self._lock:
            key = next(self._waiter_ids)
            self._async_waiters[key] = (loop, event)
        try:
            while True:
                event.clear()
                with self._lock:
                    if predicate():
                        return True
                remaining = until - loop.time()
                if remaining <= 0:
                    return False
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
        finally:
            with self._lock:
                del self._async_waiters[key]

    def _sent_count(self, chat_id: int | str) -> int:
        with self._lock:
            return len(self._sent.get(self._resolve_chat_id(chat_id) or 0, ()))

    def _count_failure(self, chat_id: int | str, count: int, timeout: float) -> AssertionError:
        seen = self.messages(chat_id)
        texts = [m.text[:120] for m in seen]
        return AssertionError(
            f"expected at least {count} message(s) to chat {chat_id} within {timeout}s, "
            f"saw {len(seen)}: {texts}"
        )

    def wait_for_messages(
        self, chat_id: int | str, count: int, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Block until the bot sent at least `count` messages to the chat; AssertionError if not."""
        if not self.wait_until(lambda: self._sent_count(chat_id) >= count, timeout):
            raise self._count_failure(chat_id, count, deadline(timeout))
        return self.messages(chat_id)

    async def async_wait_for_messages(
        self,
        chat_id: int | str,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109  (mirrors wait_for_messages)
    ) -> list[SentMessage]:
        """Like wait_for_messages, awaiting without blocking the calling event loop."""
        if not await self.async_wait_until(lambda: self._sent_count(chat_id) >= count, timeout):
            raise self._count_failure(chat_id, count, deadline(timeout))
        return self.messages(chat_id)

    # ------------------------------------------------------------------ faults (public)

    @staticmethod
    def _fault(
        error_code: int,
        description: str | None,
        retry_after: int | None,
        migrate_to_chat_id: int | None,
        times: int,
        drop: bool,
        method: str,
    ) -> _Fault:
        parameters: JSON = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after or 1}",
                403: "Forbidden: bot was blocked by the user",
                400: "Bad Request: chat not found",
                500: "Internal Server Error",
                502: "Bad Gateway",
                503: "Service Unavailable",
                504: "Gateway Timeout",
            }.get(error_code, _STATUS_PHRASES.get(error_code, "Error"))
            if migrate_to_chat_id is not None:
                description = "Bad Request: group chat was upgraded to a supergroup chat"
        if error_code == 429 and "retry_after" not in parameters:
            parameters["retry_after"] = 1
        return _Fault(error_code, description, parameters or None, drop, times, method.lower())

    def fail_next(
        self,
        chat_id: int | str,
        error_code: int = 400,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
        drop: bool = False,
        method: str = "sendMessage",
    ) -> None:
        """Make the next `times` calls of `method` ("*" = any) to this chat fail like Telegram.

        `error_code` 5xx answers that HTTP status; `drop=True` closes the connection unanswered.
        """
        fault = self._fault(
            error_code, description, retry_after, migrate_to_chat_id, times, drop, method
        )
        with self._lock:
            self._chat_faults.setdefault(chat_id, []).append(fault)

    def fail_next_any(
        self,
        error_code: int = 400,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
        drop: bool = False,
        method: str = "sendMessage",
    ) -> None:
        """Make the next `times` calls of `method` ("*" = any) to any chat fail."""
        fault = self._fault(
            error_code, description, retry_after, migrate_to_chat_id, times, drop, method
        )
        with self._lock:
            self._any_faults.append(fault)

    def clear_faults(self) -> None:
        """Forget every fault still waiting to be injected (an outage ends)."""
        with self._lock:
            self._chat_faults.clear()
            self._any_faults.clear()

    def set_delay(self, seconds: float, method: str | None = None) -> None:
        """Delay every answer (or only those of one method) by `seconds`."""
        with self._lock:
            if method is None:
                self._delay_all = seconds
            else:
                self._delays[method.lower()] = seconds

    def hang(self, on: bool = True) -> None:
        """Stop answering Bot API calls (``on``), or answer again: while the server hangs, it
        accepts connections and reads requests but answers none, a long poll under way
        included; each is processed and answered once it stops hanging (if its client waits)."""
        loop, answering = self._loop, self._answering
        assert loop is not None
        assert answering is not None
        loop.call_soon_threadsafe(answering.clear if on else answering.set)
        self._wake_pollers()  # a long poll under way is held from now on
        if self._in_loop_thread():
            return
        done = threading.Event()
        loop.call_soon_threadsafe(done.set)
        done.wait(5)

    @property
    def flood(self) -> bool:
        """Whether Telegram's flood limits are enforced."""
        return self._flood

    @flood.setter
    def flood(self, on: bool) -> None:
        self.set_flood(on)

    def set_flood(self, on: bool) -> None:
        """Turn flood-limit enforcement on or off (windows restart empty)."""
        with self._lock:
            self._flood = on
            self._flood_all.clear()
            self._flood_chat.clear()

    # ------------------------------------------------------------------ HTTP control

    async def _answer_control(self, action: str, verb: str, body: bytes) -> tuple[int, bytes]:
        if action == "health":
            return 200, _dumps({"ok": True, "result": {"port": self.port}})
        try:
            kwargs = json.loads(body) if body.strip() else {}
            if not isinstance(kwargs, dict):
                raise TypeError("the body must be a JSON object of keyword arguments")
            if action in _CONTROL_PROPERTIES:
                result = getattr(self, action)
            elif action == "wait_for_messages":
                result = await self.async_wait_for_messages(**kwargs)
            elif action in _CONTROL_ACTIONS:
                result = getattr(self, action)(**kwargs)
            else:
                return 404, _dumps({"ok": False, "description": f"unknown action {action!r}"})
        except (AssertionError, KeyError, TypeError, ValueError) as exc:
            return 400, _dumps({"ok": False, "description": f"{type(exc).__name__}: {exc}"})
        return 200, _dumps({"ok": True, "result": _jsonable(result)})


# ---------------------------------------------------------------------- request parsing


def _parse_params(query: str, content_type: str, body: bytes) -> JSON:
    raw: JSON = dict(parse_qsl(query, keep_blank_values=True)) if query else {}
    if body:
        ctype = content_type.split(";", 1)[0].strip().lower()
        if ctype == "multipart/form-data":
            raw.update(_parse_multipart(content_type, body))
        elif ctype == "application/json":
            try:
                obj = json.loads(body)
            except ValueError:
                raise _bad("can't parse JSON request body") from None
            if not isinstance(obj, dict):
                raise _bad("the JSON request body must be an object")
            raw.update(obj)
        else:
            raw.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return {key: _decode_value(key, value) for key, value in raw.items()}


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        if key in _JSON_FIELDS:
            return json.loads(value)
        if key in _INT_FIELDS:
            return int(value)
        if key in _FLOAT_FIELDS:
            return float(value)
    except ValueError:
        raise _bad(f'can\'t parse parameter "{key}"') from None
    if key in _BOOL_FIELDS:
        return value.strip().lower() in ("true", "1")
    if key in ("chat_id", "from_chat_id") and _INT_RE.fullmatch(value):
        return int(value)
    return value


def _parse_multipart(content_type: str, body: bytes) -> JSON:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise _bad("multipart body without boundary")
    delimiter = b"--" + match.group(1).encode("latin-1")
    fields: JSON = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.strip(b"\r\n").partition(b"\r\n\r\n")
        head_text = head.decode("utf-8", "replace")
        name = re.search(r'\bname="([^"]*)"', head_text)
        if not name:
            continue
        filename = re.search(r'\bfilename="([^"]*)"', head_text)
        if filename:
            fields[name.group(1)] = {"filename": filename.group(1), "size": len(content)}
        else:
            fields[name.group(1)] = content.decode("utf-8", "replace")
    return fields


# ---------------------------------------------------------------------- standalone


def main(argv: list[str] | None = None) -> int:
    """Run the server until SIGINT/SIGTERM; print the listening line once ready."""
    parser = argparse.ArgumentParser(description="A fake Telegram Bot API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123:ABC")
    parser.add_argument("--username", default="TeaserTestBot")
    parser.add_argument("--flood", action="store_true", help="enforce Telegram's flood limits")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before every answer")
    parser.add_argument("--no-privacy", action="store_true", help="bot sees all group messages")
    args = parser.parse_args(argv)
    server = FakeTelegram(
        args.token,
        flood=args.flood,
        bot_username=args.username,
        privacy_mode=not args.no_privacy,
        delay=args.delay,
        host=args.host,
        port=args.port,
    )
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    with server:
        print(f"fake-telegram listening on {server.root_url} token={server.token}", flush=True)
        while not stopping.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
