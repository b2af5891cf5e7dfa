"""The conversation fuzzed (issue 15): absurd commands and buttons, through the real handlers.

Every command (with and without ``@bot``) in every kind of chat (private, group, supergroup,
forum topic, channel post), with arbitrary arguments, and arbitrary button data (random bytes,
data naming other chats), is handed to the real handlers talking to the fake Bot API. After
each step: nothing reached the error handler or logged a traceback, every reply and button
answer was accepted by the fake (which refuses what Telegram refuses: too long, bad HTML, bad
keyboards), long input is not echoed whole, a press is answered once, a private message gets a
reply, and the database changed only in chats the sender may change.

CI runs a bounded, derandomized number of examples (the same every run). A longer run:
``FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest -q tests/test_fuzz_conversation.py``
(random seeds then; ``FUZZ_SEED=n`` repeats one).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from bot.core.models import NewArticle, ParsedItem, SourceSpec
from bot.core.routing import classify_item
from bot.net.http import Fetcher
from bot.telegram.views import ALL_ACTIONS
from tests.support import seeding
from tests.support.chat_harness import Harness, harness
from tests.support.fake_telegram import ApiCall, FakeTelegram
from tests.support.tg_objects import JSON, chat_json, command_entities, user_json

LONG_RUN = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)
CI_EXAMPLES = 1000
FUZZ_SEED = os.environ.get("FUZZ_SEED")

OWNER, ADMIN, MEMBER, STRANGER, OPERATOR = 9001, 9002, 9003, 9004, 9005
USERS = (OWNER, ADMIN, MEMBER, STRANGER, OPERATOR)
GROUP, SUPER, FORUM = -9100, -1009200, -1009300
CHANNEL, MUTE, OTHER, ABSENT = -1009400, -1009500, -1009600, -1009700
TOPIC = 77
GROUPS = (GROUP, SUPER, FORUM)
CHANNELS = (CHANNEL, MUTE, OTHER)
# Who administers what (the bot can post everywhere except MUTE; it is not in ABSENT).
ADMINS: dict[int, frozenset[int]] = {
    GROUP: frozenset({OWNER, ADMIN}),
    SUPER: frozenset({OWNER, ADMIN}),
    FORUM: frozenset({OWNER, ADMIN}),
    CHANNEL: frozenset({OWNER, ADMIN}),
    OTHER: frozenset({STRANGER}),
}

COMMANDS = (
    "start",
    "stop",
    "help",
    "about",
    "latest",
    "schedule",
    "quiet",
    "format",
    "region",
    "regions",
    "topic",
    "keywords",
    "sites",
    "settings",
    "channels",
    "language",
    "sources",
    "addsource",
    "removesource",
    "pausesource",
    "resumesource",
    "stats",
    "regoin",
    "nosuchcommand",
)
CHAT_REFS = (
    "@fuzzchan",
    "@mutechan",
    "@otherchan",
    "@absentchan",
    "@fuzzsuper",
    "@nosuchchat",
    "@",
    str(GROUP),
    str(SUPER),
    str(FORUM),
    str(CHANNEL),
    str(MUTE),
    str(OTHER),
    str(ABSENT),
    str(OWNER),
    "-1000",
    "-100" + "9" * 30,
)
WORDS = (
    "europe",
    "asia",
    "all",
    "everything",
    "none",
    "add",
    "remove",
    "ru",
    "+africa",
    "-asia",
    "latin america",
    "Россия",
    "中国",
    "العربية",
    "हिन्दी",
    "🇺🇦🔥",
    "es",
    "Deutsch",
    "daily 07:30",
    "every 3 h",
    "22:00-07:00 hold",
    "signature",
    "photo on",
    "https://news.example/feed",
    "http://",
    "#1",
    "1",
    "<b>",
    "</a>",
    "<a href='javascript:x'>x</a>",
    "&amp;",
    "&#0;",
    "<script>alert(1)</script>",
    "\x00\x01\x1b[31m",
    "\u202e\u2066\u200fevil\u2069",
    "\ufeff\u200b",
    "²",
    "٣",
)
_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=30,
)


def _long(parts: tuple[str, int]) -> str:
    piece, size = parts
    return (piece * (size // max(1, len(piece)) + 1))[:size]


WORD = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(CHAT_REFS),
    _TEXT,
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=1, max_value=6000).map(lambda n: "-" + "1" * n),
    st.tuples(
        st.sampled_from(["a", "europe ", "Ж", "🔥", "<b>", "&", "@x", "9"]), st.just(10_000)
    ).map(_long),
    st.tuples(_TEXT.filter(bool), st.integers(min_value=100, max_value=10_000)).map(_long),
)
ARGS = st.lists(WORD, max_size=4).map(" ".join)


@st.composite
def command_texts(draw: st.DrawFn) -> str:
    """A command, addressed to the bot or not (or to another bot), with arguments."""
    name = draw(st.sampled_from(COMMANDS))
    address = draw(st.sampled_from(["", "", "@TeaserTestBot", "@teasertestbot", "@OtherBot"]))
    args = draw(ARGS)
    return f"/{name}{address}" + (f" {args}" if args else "")


SENDERS = (*USERS, "anonymous", "forged-anonymous", "linked-channel", "no-sender")
PLACES = ("private", GROUP, SUPER, FORUM, "topic")
POSTS = (CHANNEL, MUTE, OTHER, "absent", "no-sender", "other-sender")


BUTTON_ARGS = (
    *("root", "150", "142", "RU", "none", "eu", "settings", "channels", "es", "xx"),
    *("labour", "war", "topics", "keywords", "sites", "+strike", "-war", "1"),
)


@st.composite
def button_data(draw: st.DrawFn) -> str:
    """Callback data: ours with any chat and arguments, or anything at all (up to 64 bytes)."""
    kind = draw(st.integers(min_value=0, max_value=3))
    if kind == 0:
        return draw(st.binary(min_size=1, max_size=64)).decode("latin-1")
    if kind == 1:
        return draw(st.text(min_size=1, max_size=64))
    action = draw(st.sampled_from([*sorted(ALL_ACTIONS), "zz", ""]))
    chat = draw(
        st.one_of(
            st.sampled_from([*USERS, *GROUPS, *CHANNELS, ABSENT, 0, -1]).map(str),
            st.integers(min_value=-(10**20), max_value=10**20).map(str),
            _TEXT,
        )
    )
    args = draw(
        st.lists(
            st.one_of(
                st.sampled_from(BUTTON_ARGS),
                _TEXT,
            ),
            max_size=3,
        )
    )
    return "|".join([action, chat, *args]).encode()[:64].decode("utf-8", "ignore") or "x"


STEP = st.one_of(
    st.tuples(
        st.just("message"), st.sampled_from(PLACES), st.sampled_from(SENDERS), command_texts()
    ),
    st.tuples(st.just("post"), st.sampled_from(POSTS), st.none(), command_texts()),
    st.tuples(
        st.just("press"),
        st.sampled_from((*PLACES[:4], CHANNEL)),
        st.sampled_from(USERS),
        button_data(),
    ),
)


# ---------------------------------------------------------------- the world


def _world(telegram: FakeTelegram) -> None:
    for user in USERS:
        telegram.add_user(user, f"User {user}", language_code="en")
        telegram.add_private_chat(user)
    people: dict[str, Any] = {"creator": OWNER, "admins": [ADMIN], "members": [MEMBER, OPERATOR]}
    telegram.add_group(GROUP, "Basic <group>", supergroup=False, bot_status="left", **people)
    telegram.add_group(SUPER, "Super & group", username="fuzzsuper", bot_status="left", **people)
    telegram.add_group(FORUM, "Forum", forum=True, bot_status="left", **people)
    for chat, title, username in (
        (CHANNEL, "Fuzz channel", "fuzzchan"),
        (MUTE, "Mute", "mutechan"),
    ):
        telegram.add_channel(
            chat, title, username, creator=OWNER, admins=[ADMIN], bot_status="left"
        )
    telegram.add_channel(OTHER, "Stranger's", "otherchan", creator=STRANGER, bot_status="left")
    telegram.add_channel(ABSENT, "Absent", "absentchan", creator=OWNER, bot_status="left")


async def _set_up(h: Harness) -> None:
    """The bot joins its chats, and each chat has a bot message with buttons to press."""
    for group in GROUPS:
        await h.membership(group, OWNER, "member")
    await h.membership(CHANNEL, OWNER, "administrator", can_post_messages=True)
    await h.membership(MUTE, OWNER, "administrator", can_post_messages=False)
    await h.membership(OTHER, STRANGER, "administrator", can_post_messages=True)
    for user in USERS:
        await h.send(user, user, "/settings")
    for group in GROUPS:
        await h.send(group, OWNER, "/settings")
    await h.send(FORUM, OWNER, "/settings", message_thread_id=TOPIC)
    await h.post(CHANNEL, "/settings")
    await _articles(h)
    assert not h.errors


async def _articles(h: Harness) -> None:
    [source] = await h.store.sources.sync_sources(
        [SourceSpec("Fuzz News", "https://news.example/feed")]
    )
    entries = []
    for number, title in enumerate(("Strike in Russia", "Flood in India", "<b>Bold</b> & co")):
        item = ParsedItem(
            key=f"k{number}",
            title=title,
            summary="What happened " * 40,
            url=f"https://news.example/{number}",
            published=datetime.now(UTC),
        )
        entries.append(NewArticle(item, classify_item(item, source)))
    await seeding.record_articles(
        h.store, source.id, entries, now=time.time(), route=seeding.by_region
    )


def _feed_transport() -> httpx.MockTransport:
    """The network edge for /addsource: every URL answers a tiny RSS feed (nothing leaves)."""
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T &lt;x&gt;</title>'
        b"<item><title>One</title><link>https://news.example/1</link></item></channel></rss>"
    )

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/rss+xml"})

    return httpx.MockTransport(answer)


# ---------------------------------------------------------------- one step and its checks


@dataclass
class Expect:
    """What a step may change, and whom it must answer."""

    chats: frozenset[int] = frozenset()
    sources: bool = False
    answer_chat: int | None = None  # a private chat that must get a reply
    press: bool = False  # exactly one answerCallbackQuery
    typed: str = ""
    notes: list[str] = field(default_factory=list)


def _may_change(user: int) -> frozenset[int]:
    """Chats a person may configure from their private chat (or with buttons)."""
    return frozenset({user} | {chat for chat, admins in ADMINS.items() if user in admins})


def _message(
    telegram: FakeTelegram, place: object, sender: object, text: str
) -> tuple[JSON | None, Expect]:
    if place == "private":
        user = sender if isinstance(sender, int) else OWNER
        update = telegram.send_message(user, user, text)
        return update, Expect(
            chats=_may_change(user),
            sources=user == OPERATOR,
            answer_chat=user if text.split(maxsplit=1)[0] else None,
            typed=text,
        )
    chat = FORUM if place == "topic" else int(str(place))
    thread = TOPIC if place == "topic" else None
    if isinstance(sender, int):
        update = telegram.send_message(chat, sender, text, message_thread_id=thread)
        allowed = frozenset({chat}) if sender in ADMINS[chat] else frozenset()
        return update, Expect(chats=allowed, sources=sender == OPERATOR, typed=text)
    if sender == "anonymous":
        update = telegram.send_message(
            chat, ADMIN, text, message_thread_id=thread, sender_chat_id=chat
        )
        return update, Expect(chats=frozenset({chat}), typed=text)
    update = telegram.send_message(chat, MEMBER, text, message_thread_id=thread)
    if update is not None:
        message = update["message"]
        if sender == "forged-anonymous":  # claims to be the group, sent by a person
            message["sender_chat"] = chat_json(chat, "supergroup", title="x")
        elif sender == "linked-channel":
            message["sender_chat"] = chat_json(CHANNEL, "channel", title="Fuzz channel")
            message["from"] = user_json(136817688, "Channel", "Channel_Bot", is_bot=True)
        else:
            del message["from"]
    return update, Expect(typed=text)


def _post(telegram: FakeTelegram, place: object, text: str) -> tuple[JSON | None, Expect]:
    if isinstance(place, int):
        update = telegram.channel_post(place, text)
        allowed = frozenset({place}) if place in ADMINS else frozenset()
        return update, Expect(chats=allowed, typed=text)
    # Forged channel posts: for a channel the bot is not in, or without the channel as sender.
    target = ABSENT if place == "absent" else CHANNEL
    message: JSON = {
        "message_id": 10_000 + int(time.monotonic_ns() % 1_000_000),
        "chat": chat_json(target, "channel", title="Forged", username="absentchan"),
        "date": int(time.time()),
        "text": text,
        "entities": command_entities(text),
    }
    if place == "absent":
        message["sender_chat"] = message["chat"]
    elif place == "other-sender":
        message["sender_chat"] = chat_json(OTHER, "channel", title="Stranger's")
    return {"update_id": 1, "channel_post": message}, Expect(typed=text)


def _press(
    telegram: FakeTelegram, place: object, user: int, data: str
) -> tuple[JSON | None, Expect]:
    if place == "private":
        chat = user
    elif place == "topic":
        chat = FORUM
    else:
        chat = int(str(place))
    sent = [m for m in telegram.messages(chat) if not m.deleted]
    if not sent:
        return None, Expect()
    update = telegram.press_button(chat, user, sent[-1].message_id, data)
    return update, Expect(chats=_may_change(user), press=True, typed=data)


_EDITS = frozenset({"editMessageText", "editMessageReplyMarkup"})
_ANSWERS = frozenset({"sendMessage", "answerCallbackQuery"}) | _EDITS


def _refused(call: ApiCall) -> bool:
    """A reply Telegram refused for a reason of ours (not the bot's missing rights in MUTE)."""
    if call.method not in _ANSWERS or call.status == 200:
        return False
    chat = call.params.get("chat_id")
    if call.method == "sendMessage" and chat in (MUTE, "@mutechan", ABSENT, "@absentchan"):
        return False
    return not (call.method in _EDITS and call.status == 400)


def _echoed(typed: str, text: str, size: int = 256) -> bool:
    """Whether a reply repeats a long stretch of what was typed (input echoed unshortened)."""
    step = size // 2
    return (
        any(typed[i : i + size] in text for i in range(0, max(0, len(typed) - size) + 1, step))
        and len(typed) >= size
    )


def _snapshot(db: sqlite3.Connection) -> dict[str, dict[object, tuple[object, ...]]]:
    """Every row of the tables a conversation could touch, by key (the connection holds no
    transaction between reads, so each snapshot sees everything committed)."""
    return {
        "chats": {row[0]: row for row in db.execute("SELECT * FROM chats")},
        "sources": {row[0]: row for row in db.execute("SELECT * FROM sources")},
        "outbox": {row[0]: row for row in db.execute("SELECT * FROM outbox")},
        "articles": {row[0]: row for row in db.execute("SELECT * FROM articles")},
    }


def _changed(
    before: dict[Any, tuple[object, ...]], after: dict[Any, tuple[object, ...]]
) -> set[Any]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def _line(record: logging.LogRecord) -> str:
    error = record.exc_info[1] if record.exc_info else None
    return f"{record.getMessage()[:300]} {error!r}"[:600]


class _Records(logging.Handler):
    """Log records at ERROR or with a traceback: none may appear."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.bad: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.bad.append(record)


@dataclass
class Fuzzer:
    """The running world and the checks made after every step."""

    telegram: FakeTelegram
    h: Harness
    database: sqlite3.Connection  # read-only, for the snapshots
    records: _Records
    steps: int = 0

    async def run(self, step: tuple[str, object, object, str]) -> None:
        kind, place, who, text = step
        if kind == "message":
            update, expect = _message(self.telegram, place, who, text)
        elif kind == "post":
            update, expect = _post(self.telegram, place, text)
        else:
            assert isinstance(who, int)
            update, expect = _press(self.telegram, place, who, text)
        if update is None:  # the bot would not receive it (another bot's command)
            return
        self.steps += 1
        self.h.errors.clear()
        self.records.bad.clear()
        calls, answers = len(self.telegram.calls()), len(self.telegram.callback_answers)
        before = _snapshot(self.database)
        await self.h.process(update)
        after = _snapshot(self.database)
        self._check(step, expect, self.telegram.calls()[calls:], answers)
        chats = _changed(before["chats"], after["chats"])
        assert chats <= expect.chats, f"{step!r} changed chats {chats - expect.chats}"
        sources = _changed(before["sources"], after["sources"])
        assert expect.sources or not sources, f"{step!r} changed sources {sources}"
        assert before["articles"] == after["articles"], f"{step!r} changed articles"
        outbox = {
            (before["outbox"].get(key) or after["outbox"][key])[2]
            for key in _changed(before["outbox"], after["outbox"])
        }
        assert outbox <= expect.chats, f"{step!r} changed the queue of {outbox}"

    def _check(self, step: object, expect: Expect, calls: list[ApiCall], answers: int) -> None:
        errors, self.h.errors[:] = list(self.h.errors), []
        assert not errors, f"{step!r} reached the error handler: {errors!r}"
        bad, self.records.bad[:] = list(self.records.bad), []
        assert not bad, f"{step!r} logged {[_line(r) for r in bad]}"
        refused = [(c.method, c.status, c.params.get("chat_id")) for c in calls if _refused(c)]
        assert not refused, f"{step!r}: Telegram refused {refused}"
        for call in calls:
            if call.method in _ANSWERS and call.status == 200:
                text = str(call.params.get("text") or "")
                assert not _echoed(expect.typed, text), f"{step!r} echoed the input whole"
        if expect.press:
            pressed = len(self.telegram.callback_answers) - answers
            assert pressed == 1, f"{step!r}: the press was answered {pressed} times"
        if expect.answer_chat is not None:
            replied = [
                c
                for c in calls
                if c.method == "sendMessage"
                and c.status == 200
                and c.params.get("chat_id") == expect.answer_chat
            ]
            assert replied, f"{step!r}: no reply in the private chat"


@pytest.fixture
def fuzz_world(
    telegram: FakeTelegram, tmp_path: Path
) -> Iterator[tuple[Fuzzer, asyncio.AbstractEventLoop]]:
    """The world set up once, run on one event loop for every example."""
    _world(telegram)
    loop = asyncio.new_event_loop()
    records = _Records()
    logging.getLogger().addHandler(records)
    fetcher = Fetcher(user_agent="fuzz", allow_private=True, transport=_feed_transport())
    context = harness(
        telegram, tmp_path, operators=[OPERATOR], fetcher=fetcher, channel_cleanup_after=0
    )
    try:
        h = loop.run_until_complete(context.__aenter__())
        loop.run_until_complete(_set_up(h))
        records.bad.clear()
        snapshots = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
        try:
            yield Fuzzer(telegram, h, snapshots, records), loop
        finally:
            snapshots.close()
        loop.run_until_complete(context.__aexit__(None, None, None))
    finally:
        loop.run_until_complete(fetcher.aclose())
        logging.getLogger().removeHandler(records)
        loop.close()


NASTY_ARGS = (
    "",
    "europe",
    "x" * 10_000,
    "9" * 5_000,
    "-" + "1" * 5_000,
    "-99999999999999999999",
    "@fuzzchan europe",
    "@mutechan",
    f"{OTHER} asia",
    "@" + "a" * 10_000,
    "Россия 中国 🇺🇦 <b>&amp;</b>",
    "\x00\u202e\u2066 <script>",
    "add ru",
    "all",
)


def test_every_command_in_every_chat(fuzz_world: tuple[Fuzzer, asyncio.AbstractEventLoop]) -> None:
    """Every command, with and without @bot, from every kind of sender in every kind of chat
    and as every kind of channel post, each with one of the nastiest arguments: all checks hold."""
    fuzzer, loop = fuzz_world
    steps: list[tuple[str, object, object, str]] = []
    for name in COMMANDS:
        for address in ("", "@TeaserTestBot"):
            command = f"/{name}{address}"
            steps += [("message", place, who, command) for place in PLACES for who in SENDERS]
            steps += [("post", place, None, command) for place in POSTS]
    failures = []
    for number, (kind, place, who, command) in enumerate(steps):
        args = NASTY_ARGS[number % len(NASTY_ARGS)]
        step = (kind, place, who, f"{command} {args}".strip())
        try:
            loop.run_until_complete(fuzzer.run(step))
        except AssertionError as exc:
            failures.append(str(exc)[:300])
    assert not failures, f"{len(failures)} steps failed, e.g. {failures[:10]}"
    assert fuzzer.steps > len(steps) // 2


@pytest.mark.timeout(0 if LONG_RUN else 300)
def test_fuzzed_conversation(fuzz_world: tuple[Fuzzer, asyncio.AbstractEventLoop]) -> None:
    """No command, argument or button data reaches the error handler, breaks Telegram's limits,
    echoes long input whole, or changes a chat the sender may not change."""
    fuzzer, loop = fuzz_world

    @settings(
        max_examples=LONG_RUN or CI_EXAMPLES,
        derandomize=not LONG_RUN,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(st.lists(STEP, min_size=1, max_size=3))
    def conversation(steps: list[tuple[str, object, object, str]]) -> None:
        for step in steps:
            loop.run_until_complete(fuzzer.run(step))

    if FUZZ_SEED is not None:
        conversation = seed(int(FUZZ_SEED))(conversation)
    conversation()
    assert fuzzer.steps > (LONG_RUN or CI_EXAMPLES) // 2
