"""The store's chat-side verbs: greeting once, the bot's rights, channels, migration, reclassify."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core import regions
from bot.core.models import ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
from bot.store import Store
from tests.support.seeding import record_articles

NOW = 1_700_000_000.0


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A fresh store in a temporary directory."""
    opened = await Store.open(tmp_path / "bot.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


async def test_mark_greeted_is_true_only_once(store: Store) -> None:
    """A group is greeted once, however often the bot is re-added."""
    await store.chats.upsert_chat(-1, ChatKind.GROUP, now=NOW, title="G")
    assert await store.chats.mark_greeted(-1, NOW)
    assert not await store.chats.mark_greeted(-1, NOW)


async def test_channels_are_those_the_bot_may_post_in(store: Store) -> None:
    """channels() lists channels with the right to post, by title, and not groups."""
    await store.chats.upsert_chat(-3, ChatKind.CHANNEL, now=NOW, title="beta")
    await store.chats.upsert_chat(-2, ChatKind.CHANNEL, now=NOW, title="Alpha")
    await store.chats.upsert_chat(-1, ChatKind.SUPERGROUP, now=NOW, title="Group")
    assert [c.id for c in await store.chats.channels()] == [-2, -3]
    await store.chats.set_bot_rights(-2, can_post=False, added_by=7, now=NOW)
    assert [c.id for c in await store.chats.channels()] == [-3]
    assert await store.chats.added_by(-2) == 7
    await store.chats.set_bot_rights(-2, can_post=True, added_by=None, now=NOW)
    assert await store.chats.added_by(-2) == 7
    assert [c.id for c in await store.chats.chats([-3, -2, -99])] == [-3, -2]


async def test_migrating_an_unknown_or_already_moved_group_is_harmless(store: Store) -> None:
    """Both migration messages may arrive: the second finds nothing to move."""
    await store.chats.upsert_chat(-5, ChatKind.GROUP, now=NOW)
    await store.chats.set_subscribed(-5, True, now=NOW)
    assert await store.chats.migrate_chat(-5, -1005, NOW)
    assert not await store.chats.migrate_chat(-5, -1005, NOW)
    moved = await store.chats.chat(-1005)
    assert moved is not None
    assert moved.subscribed


async def test_reclassify_updates_only_what_changed(store: Store, tmp_path: Path) -> None:
    """reclassify re-runs the classifier over every article and counts the changed ones."""
    [source] = await store.sources.sync_sources([SourceSpec("S", "https://s.example/feed")])
    items = [
        ParsedItem(f"k{i}", title, "", None, datetime(2021, 2, 1, tzinfo=UTC))
        for i, title in enumerate(["Protests in Russia", "Coup in Myanmar", "Happy New Year"])
    ]
    stale = [NewArticle(item, Classification()) for item in items]
    await record_articles(store, source.id, stale, now=NOW, baseline=True, route=lambda *_: [])
    assert await store.articles.reclassify(regions.classify) == (3, 2)
    assert await store.articles.reclassify(regions.classify) == (3, 0)
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        rows = db.execute("SELECT countries FROM articles ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["RU", "MM", ""]


async def test_recent_places_reads_countries_and_regions(store: Store) -> None:
    """recent_places returns each recent article's countries and region ids."""
    [source] = await store.sources.sync_sources([SourceSpec("S", "https://s.example/feed")])
    item = ParsedItem("k", "Russia", "", None, None)
    found = Classification(("RU",), ("151", "150"))
    await record_articles(
        store, source.id, [NewArticle(item, found)], now=NOW, baseline=True, route=lambda *_: []
    )
    assert await store.articles.recent_places(NOW - 1) == [(("RU",), ("151", "150"))]
    assert await store.articles.recent_places(NOW + 1) == []
