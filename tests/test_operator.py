"""Operator commands: only ADMIN_USER_IDS may use them; added sources are checked and persist.

The real PTB application runs in-process against the fake Bot API server; updates made by the
fake server's world are handed to ``Application.process_update``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.config import load_settings
from bot.core import texts
from bot.core.models import ChatKind, RegionFilter, SourceSpec
from bot.net.http import Fetcher
from bot.service.importing import SourceAdder
from bot.service.reader import SourceReader
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.deps import Deps
from bot.telegram.handlers import install
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

OPERATOR = 501
STRANGER = 502
CONFIGURED = SourceSpec(name="Configured", url="https://configured.example/feed")
ITEMS = [
    {"title": f"Story {n}", "link": f"https://news.example/{n}", "guid": f"g{n}"} for n in (3, 2, 1)
]


class Bot:
    """The application with the real handlers and operator commands, driven update by update."""

    def __init__(self, telegram: FakeTelegram, app: Application, store: Store) -> None:  # type: ignore[type-arg]
        self.tg = telegram
        self.app = app
        self.store = store
        self.errors: list[BaseException] = []

    async def say(self, user_id: int, text: str) -> str:
        """The user sends ``text`` in their private chat; returns the bot's last reply text."""
        before = len(self.tg.messages(user_id))
        update = self.tg.send_message(user_id, user_id, text)
        assert update is not None
        await self.app.process_update(Update.de_json(update, self.app.bot))
        replies = self.tg.messages(user_id)
        assert len(replies) > before, f"no reply to {text!r}"
        return replies[-1].text

    async def send_file(
        self, user_id: int, name: str, content: bytes, caption: str | None
    ) -> list[str]:
        """The user sends a file in their private chat; returns every reply it got."""
        before = len(self.tg.messages(user_id))
        update = self.tg.send_document(user_id, user_id, name, content, caption=caption)
        assert update is not None
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return [m.text for m in self.tg.messages(user_id)[before:]]


@asynccontextmanager
async def running(telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[Bot]:
    settings = load_settings(
        {
            "BOT_TOKEN": telegram.token,
            "TELEGRAM_API_BASE_URL": telegram.root_url,
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
            "ADMIN_USER_IDS": str(OPERATOR),
        },
        cwd=tmp_path,
    )
    store = await Store.open(settings.database_path)
    await store.sources.sync_sources([CONFIGURED])
    app = build_application(settings)
    async with Fetcher(allow_private=True, user_agent="teaserbot-test", read_timeout=5) as fetcher:
        sources = SourceAdder(store, SourceReader(fetcher))
        install(app, Deps(store, operators=settings.admin_user_ids, sources=sources))
        bot = Bot(telegram, app, store)

        async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert context.error is not None
            bot.errors.append(context.error)

        app.add_error_handler(record)
        await app.initialize()
        try:
            yield bot
        finally:
            await app.shutdown()
            await store.close()
    assert not bot.errors, f"handlers raised: {bot.errors!r}"


@pytest.fixture
def people(telegram: FakeTelegram) -> FakeTelegram:
    telegram.add_user(OPERATOR, "Olga")
    telegram.add_private_chat(OPERATOR)
    telegram.add_user(STRANGER, "Sam")
    telegram.add_private_chat(STRANGER)
    return telegram


@pytest.mark.parametrize(
    "command",
    [
        "/sources",
        "/addsource https://evil.example/feed",
        "/removesource 1",
        "/pausesource 1",
        "/resumesource 1",
        "/stats",
    ],
)
async def test_operator_commands_are_refused_to_everyone_else(
    people: FakeTelegram, feeds: FeedServer, tmp_path: Path, command: str
) -> None:
    """A user not in ADMIN_USER_IDS gets a refusal and changes nothing."""
    async with running(people, tmp_path) as bot:
        assert await bot.say(STRANGER, command) == texts.OPERATORS_ONLY
        [status] = await bot.store.sources.source_statuses()
        assert status.source.enabled
        assert not status.paused
        assert people.calls("sendMessage")[-1].params["chat_id"] == STRANGER


async def test_addsource_fetches_previews_and_keeps_the_source_across_restarts(
    people: FakeTelegram, feeds: FeedServer, tmp_path: Path
) -> None:
    """/addsource reads the feed once, shows its latest items, and the source outlives a restart."""
    feeds.set("/news.xml", rss(ITEMS, title="Example News"))
    async with running(people, tmp_path) as bot:
        reply = await bot.say(OPERATOR, f"/addsource {feeds.url('/news.xml')}")
        assert "Added source #2 Example News" in reply
        assert "3 items" in reply
        assert "• Story 3\n• Story 2\n• Story 1" in reply
        assert len(feeds.requests("/news.xml")) == 1

    async with running(people, tmp_path) as bot:  # restart: the config lists only CONFIGURED
        statuses = {s.source.id: s for s in await bot.store.sources.source_statuses()}
        assert statuses[2].origin == "operator"
        assert statuses[2].source.enabled
        assert [s.id for s in await bot.store.sources.due_sources(now=10**10)] == [1, 2]
        listing = await bot.say(OPERATOR, "/sources")
        assert "Sources (2)" in listing
        assert "#2 Example News (127.0.0.1) · new · added by an operator" in listing


async def test_addsource_reports_an_unreadable_url_and_adds_nothing(
    people: FakeTelegram, feeds: FeedServer, tmp_path: Path
) -> None:
    """A URL that answers 404 or is not a feed is refused with the reason; no source is added."""
    feeds.set("/missing", b"nope", status=404, content_type="text/plain")
    async with running(people, tmp_path) as bot:
        reply = await bot.say(OPERATOR, f"/addsource {feeds.url('/missing')}")
        assert reply.startswith("I could not read")
        assert "Nothing was added" in reply
        assert (await bot.say(OPERATOR, "/addsource ftp://x")).startswith("That is not a web")
        usage = await bot.say(OPERATOR, "/addsource")
        assert usage == f"{texts.ADDSOURCE_USAGE}\n\n{texts.ADDSOURCE_OPML_HINT}"
        assert len(await bot.store.sources.source_statuses()) == 1


async def test_pause_resume_and_remove(
    people: FakeTelegram, feeds: FeedServer, tmp_path: Path
) -> None:
    """Paused sources are not polled; operator sources can be removed, configured ones cannot."""
    feeds.set("/news.xml", rss(ITEMS, title="Example News"))
    async with running(people, tmp_path) as bot:
        await bot.say(OPERATOR, f"/addsource {feeds.url('/news.xml')} My Feed")
        assert "Paused source #1" in await bot.say(OPERATOR, "/pausesource 1")
        assert [s.id for s in await bot.store.sources.due_sources(now=10**10)] == [2]
        assert "paused" in await bot.say(OPERATOR, "/sources")
        assert "Resumed source #1" in await bot.say(OPERATOR, "/resumesource 1")
        assert [s.id for s in await bot.store.sources.due_sources(now=10**10)] == [1, 2]

        assert "comes from the sources file" in await bot.say(OPERATOR, "/removesource 1")
        assert "Removed source #2 My Feed" in await bot.say(OPERATOR, "/removesource 2")
        assert [s.source.id for s in await bot.store.sources.source_statuses()] == [1]
        assert await bot.say(OPERATOR, "/removesource 9") == "There is no source #9."
        assert await bot.say(OPERATOR, "/pausesource x") == texts.SOURCE_ID_USAGE.format(
            command="pausesource"
        )


async def test_stats_counts_chats_regions_messages_today_and_queue(
    people: FakeTelegram, tmp_path: Path
) -> None:
    """/stats shows subscribed chats by kind, subscriptions by region, and the queue."""
    async with running(people, tmp_path) as bot:
        store = bot.store
        for chat_id, kind in ((1, ChatKind.PRIVATE), (2, ChatKind.PRIVATE), (-3, ChatKind.GROUP)):
            await store.chats.upsert_chat(chat_id, kind, now=1.0)
            await store.chats.set_subscribed(chat_id, True, now=1.0)
        await store.chats.set_region_filter(2, RegionFilter(frozenset({"150", "RU"})), 1.0)
        reply = await bot.say(OPERATOR, "/stats")
        assert "Chats subscribed: 3 (group 1, private 2)" in reply
        assert "Subscriptions by region: everything 2, " in reply
        assert "Europe 1" in reply
        assert "Russia 1" in reply
        assert "Messages sent today (UTC): 0" in reply
        assert "Queue: 0" in reply


async def test_stats_asked_in_a_group_is_answered_in_the_operators_private_chat(
    people: FakeTelegram, tmp_path: Path
) -> None:
    """/stats typed in a group: the figures go to the operator privately, the group gets a note."""
    group = -100777
    people.add_group(group, "Readers", admins=[OPERATOR], members=[STRANGER])
    async with running(people, tmp_path) as bot:
        update = people.send_message(group, OPERATOR, "/stats")
        assert update is not None
        await bot.app.process_update(Update.de_json(update, bot.app.bot))
        [private] = people.messages(OPERATOR)
        assert "Chats subscribed" in private.text
        [note] = people.messages(group)
        assert note.text == texts.OPERATOR_ANSWERED_PRIVATELY
        assert "Chats subscribed" not in note.text


async def test_operator_who_blocked_the_bot_is_told_to_open_a_chat_not_answered_in_the_group(
    people: FakeTelegram, tmp_path: Path
) -> None:
    """An operator the bot cannot write to privately asks /sources in a group: no list there."""
    group = -100778
    people.add_group(group, "Readers", admins=[OPERATOR])
    people.block_bot(OPERATOR, send_update=False)
    async with running(people, tmp_path) as bot:
        update = people.send_message(group, OPERATOR, "/sources")
        assert update is not None
        await bot.app.process_update(Update.de_json(update, bot.app.bot))
        [note] = people.messages(group)
        assert note.text == texts.OPERATOR_START_PRIVATE
        assert people.messages(OPERATOR) == []


def opml(*outlines: tuple[str, str]) -> bytes:
    """An OPML file listing (name, address) outlines."""
    body = "".join(f'<outline text="{name}" xmlUrl="{url}"/>' for name, url in outlines)
    return f'<opml version="2.0"><head/><body>{body}</body></opml>'.encode()


async def test_an_opml_file_captioned_addsource_adds_its_feeds(
    people: FakeTelegram, feeds: FeedServer, tmp_path: Path
) -> None:
    """An operator's .opml file with the caption /addsource: each feed is checked and added as
    /addsource does, one already held is skipped unfetched, and the answer lists each one."""
    feeds.set("/news.xml", rss(ITEMS, title="Example News"))
    feeds.set("/broken", b"nope", status=404, content_type="text/plain")
    content = opml(
        ("", feeds.url("/news.xml")),
        ("Configured again", CONFIGURED.url),
        ("Broken", feeds.url("/broken")),
    )
    async with running(people, tmp_path) as bot:
        [reading, done] = await bot.send_file(OPERATOR, "mine.opml", content, "/addsource")
        assert reading == "Reading mine.opml, feeds listed: 3. I will tell you when it is done."
        lines = done.splitlines()
        assert lines[0] == "Done with mine.opml. Added: 1. Already there: 1. Could not add: 1."
        assert lines[2] == "✅ #2 Example News added"
        assert lines[3] == "▫️ #1 Configured was already there"
        assert lines[4].startswith(f"⚠️ {feeds.url('/broken')}: ")
        assert [s.source.name for s in await bot.store.sources.source_statuses()] == [
            "Configured",
            "Example News",
        ]
        assert len(feeds.requests("/news.xml")) == 1

        [bad] = await bot.send_file(OPERATOR, "x.opml", b"<html>", "/addsource")
        assert bad.startswith("I could not read x.opml as a list of feeds: not an OPML file")
        assert await bot.send_file(OPERATOR, "y.opml", content, None) != []  # no caption: help
        assert len(await bot.store.sources.source_statuses()) == 2


async def test_an_opml_file_from_anyone_else_is_refused(
    people: FakeTelegram, feeds: FeedServer, tmp_path: Path
) -> None:
    """A user not in ADMIN_USER_IDS who sends an .opml file as /addsource is refused."""
    feeds.set("/news.xml", rss(ITEMS, title="Example News"))
    async with running(people, tmp_path) as bot:
        replies = await bot.send_file(
            STRANGER, "mine.opml", opml(("", feeds.url("/news.xml"))), "/addsource"
        )
        assert replies == [texts.OPERATORS_ONLY]
        assert feeds.requests("/news.xml") == []
        assert len(await bot.store.sources.source_statuses()) == 1
