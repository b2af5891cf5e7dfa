"""The SQLite store: schema versions, recording articles, the outbox, chats, the instance lock."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.errors import StoreError
from bot.core.models import (
    Chat,
    ChatKind,
    Classification,
    NewArticle,
    ParsedItem,
    RegionFilter,
    SourceSpec,
)
from bot.core.polling import ArticleIntent, PollIntent, PollSucceeded
from bot.store import Store
from bot.store.schema import LATEST_VERSION
from tests.support.seeding import poll_error, poll_items, poll_ok, record_articles
from tests.support.store_rows import sent_count

NOW = 1_800_000_000.0  # 2027, after every item date below


def item(key: str, *, url: str | None = None, day: int = 1) -> NewArticle:
    parsed = ParsedItem(
        key=key,
        title=f"Title {key}",
        summary=f"Summary {key}",
        url=url or f"https://example.org/{key}",
        published=datetime(2026, 1, day, tzinfo=UTC),
        categories=("Russia",),
    )
    return NewArticle(parsed, Classification(("RU",), ("151",)))


@pytest.fixture
async def store(tmp_path: Path):
    opened = await Store.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


async def source_id(store: Store, url: str = "https://example.org/feed") -> int:
    sources = await store.sources.sync_sources([SourceSpec(name="Example", url=url)])
    return next(s.id for s in sources if s.url == url)


async def subscribed_chat(store: Store, chat_id: int = 42) -> None:
    await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=NOW, title="Reader")
    await store.chats.set_subscribed(chat_id, True, now=NOW)


async def test_fresh_database_is_created_at_latest_version_in_wal_mode(tmp_path: Path) -> None:
    """A new database file gets the latest schema version and WAL journaling."""
    path = tmp_path / "sub" / "bot.sqlite3"
    store = await Store.open(path)
    try:
        assert await store.schema_version() == LATEST_VERSION
    finally:
        await store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    """A database from a newer release is refused, naming both versions."""
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    with pytest.raises(StoreError, match=rf"schema version {LATEST_VERSION + 5}, newer"):
        await Store.open(path)


async def test_a_file_that_cannot_be_opened_leaves_no_database_thread_behind(
    tmp_path: Path,
) -> None:
    """A database that cannot be opened raises its one-line error only after aiosqlite's worker
    thread has ended (left running, it printed a traceback once the bot's loop had closed)."""
    path = tmp_path / "bot.sqlite3"
    path.symlink_to(tmp_path / "gone" / "x")
    before = set(threading.enumerate())
    with pytest.raises(StoreError, match="cannot be opened"):
        await Store.open(path)
    left = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    assert [name for name in left if not name.startswith("asyncio_")] == []  # not the executor


async def test_reopening_keeps_data_and_version(tmp_path: Path) -> None:
    """Closing and reopening a database keeps its rows and does not migrate again."""
    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path)
    await source_id(store)
    await store.close()
    store = await Store.open(path)
    try:
        assert [s.url for s in await store.sources.sources()] == ["https://example.org/feed"]
        assert await store.schema_version() == LATEST_VERSION
    finally:
        await store.close()


async def test_leases_left_by_a_process_that_is_gone_are_freed_when_the_file_is_opened(
    tmp_path: Path,
) -> None:
    """A bot that died holding leases leaves nothing held: the next one polls those sources at once
    (the SQLite file serves one process, so no lease can outlive the process that took it)."""
    path = tmp_path / "bot.sqlite3"
    first = await Store.open(path)
    await source_id(first)
    [claimed] = await first.sources.claim_due_sources(NOW, owner="gone", lease_s=600, limit=5)
    await first.close()  # without giving the lease back
    second = await Store.open(path)
    try:
        assert await second.sources.leases() == {}
        assert [
            s.id
            for s in await second.sources.claim_due_sources(NOW, owner="new", lease_s=60, limit=5)
        ] == [claimed.id]
    finally:
        await second.close()


async def test_second_process_on_the_same_database_is_refused(tmp_path: Path) -> None:
    """Only one bot may hold a database; the second is told another process uses it."""
    path = tmp_path / "bot.sqlite3"
    first = await Store.open(path)
    try:
        with pytest.raises(StoreError, match="another teaserbot process"):
            await Store.open(path)
    finally:
        await first.close()
    second = await Store.open(path)
    await second.close()


async def test_baseline_records_items_without_queuing(store: Store) -> None:
    """The first poll of a source records its items and queues nothing."""
    sid = await source_id(store)
    await subscribed_chat(store)
    result = await record_articles(store, sid, [item("a"), item("b")], now=NOW, baseline=True)
    assert (result.new_articles, result.queued) == (2, 0)
    assert (await store.outbox.outbox_counts()).queued == 0
    source = (await store.sources.sources())[0]
    assert source.baseline_done


async def test_new_items_are_queued_once_per_subscribed_chat(store: Store) -> None:
    """After the baseline, a polled new item is queued for each subscribed chat, and only once."""
    sid = await source_id(store)
    await subscribed_chat(store, 1)
    await subscribed_chat(store, 2)
    await store.chats.upsert_chat(3, ChatKind.PRIVATE, now=NOW)  # known but not subscribed
    await record_articles(store, sid, [item("a")], now=NOW, baseline=True)
    source = await store.sources.source(sid)
    assert source is not None
    first = await poll_items(store, source, [item("a"), item("b")], now=NOW)
    again = await poll_items(store, source, [item("b")], now=NOW)
    assert (first.new_articles, first.queued) == (1, 2)
    assert (again.new_articles, again.queued) == (0, 0)
    due = await store.outbox.due_deliveries(NOW, 10)
    assert sorted(d.chat.id for d in due) == [1, 2]
    assert {d.article.key for d in due} == {"b"}


async def test_same_link_from_two_sources_reaches_a_chat_once(store: Store) -> None:
    """Applying: a chat that got a link from another source meanwhile does not get it again."""
    first = await source_id(store, "https://one.example/feed")
    second = await source_id(store, "https://two.example/feed")
    await subscribed_chat(store)
    shared = "https://news.example/story"
    await record_articles(store, first, [item("x", url=shared)], now=NOW)
    # The second intent was decided before the first was applied: it still names the chat.
    result = await record_articles(store, second, [item("y", url=shared)], now=NOW)
    assert result.new_articles == 1
    assert result.queued == 0


async def test_an_article_recorded_meanwhile_is_not_queued_again(store: Store) -> None:
    """Applying: an article another poll recorded since the facts were read is skipped."""
    sid = await source_id(store)
    await subscribed_chat(store)
    await record_articles(store, sid, [item("a")], now=NOW)
    again = await record_articles(store, sid, [item("a")], now=NOW)
    assert (again.new_articles, again.queued) == (0, 0)
    assert len(await store.outbox.due_deliveries(NOW, 10)) == 1


async def test_only_the_chats_an_intent_names_get_rows(store: Store) -> None:
    """Only the recipients the decision named get outbox rows."""
    sid = await source_id(store)
    await subscribed_chat(store, 1)
    await subscribed_chat(store, 2)

    def only_two(_entry: NewArticle, chats: Sequence[Chat]) -> list[int]:
        return [chat.id for chat in chats if chat.id == 2]

    result = await record_articles(store, sid, [item("a")], now=NOW, route=only_two)
    assert result.queued == 1
    assert [d.chat.id for d in await store.outbox.due_deliveries(NOW, 10)] == [2]


async def test_a_failing_intent_writes_nothing(store: Store) -> None:
    """Articles, their queue and the source's state are one transaction: an error writes none."""
    sid = await source_id(store)
    await subscribed_chat(store)
    article = ArticleIntent(item("a").item, Classification(), recipients=(42, 999))  # no 999
    update = PollSucceeded(next_poll_at=NOW + 60, etag='"v2"', last_modified=None)
    intent = PollIntent(source_id=sid, now=NOW, update=update, articles=(article,))
    with pytest.raises(sqlite3.IntegrityError):
        await store.polls.apply_poll(intent)
    assert await store.articles.article_count() == 0
    source = await store.sources.source(sid)
    assert source is not None
    assert source.etag is None
    retry = await record_articles(store, sid, [item("a")], now=NOW)
    assert retry.queued == 1


async def test_due_deliveries_come_in_publication_order(store: Store) -> None:
    """Queued rows come oldest article first, whatever order they were recorded in."""
    sid = await source_id(store)
    await subscribed_chat(store)
    entries = [item("late", day=9), item("early", day=2), item("middle", day=5)]
    await record_articles(store, sid, entries, now=NOW)
    due = await store.outbox.due_deliveries(NOW, 10)
    assert [d.article.key for d in due] == ["early", "middle", "late"]


async def test_sent_rows_are_not_due_again(store: Store) -> None:
    """A row marked sent is never returned as due again."""
    sid = await source_id(store)
    await subscribed_chat(store)
    await record_articles(store, sid, [item("a")], now=NOW)
    (row,) = await store.outbox.due_deliveries(NOW, 10)
    await store.outbox.record_outcomes(sent=[(row.id, 7, NOW)])
    assert await store.outbox.due_deliveries(NOW + 100, 10) == []
    assert await sent_count(store, 42) == 1


async def test_retry_is_due_only_after_its_time(store: Store) -> None:
    """A row scheduled for retry is due at its next attempt time, not before."""
    sid = await source_id(store)
    await subscribed_chat(store)
    await record_articles(store, sid, [item("a")], now=NOW)
    (row,) = await store.outbox.due_deliveries(NOW, 10)
    await store.outbox.record_outcomes(retries=[(row.id, row.chat.id, NOW + 30, "timed out")])
    assert await store.outbox.due_deliveries(NOW + 29, 10) == []
    (again,) = await store.outbox.due_deliveries(NOW + 30, 10)
    assert again.attempts == 1


async def test_deactivating_a_chat_cancels_its_queue(store: Store) -> None:
    """A chat Telegram refuses is unsubscribed with its reason and its queued rows cancelled."""
    sid = await source_id(store)
    await subscribed_chat(store)
    await record_articles(store, sid, [item("a"), item("b")], now=NOW)
    cancelled = await store.chats.deactivate_chat(42, "Forbidden: bot was blocked by the user", NOW)
    chat = await store.chats.chat(42)
    assert cancelled == 2
    assert chat is not None
    assert not chat.subscribed
    assert chat.deactivated_reason == "Forbidden: bot was blocked by the user"
    assert (await store.outbox.outbox_counts()).cancelled == 2


async def test_migrating_a_chat_moves_settings_and_queue(store: Store) -> None:
    """A group that became a supergroup keeps its filter and queue under the new id."""
    sid = await source_id(store)
    await store.chats.upsert_chat(-1, ChatKind.GROUP, now=NOW)
    await store.chats.set_subscribed(-1, True, now=NOW)
    await store.chats.set_region_filter(-1, RegionFilter(frozenset({"150", "RU"})), NOW)
    await record_articles(store, sid, [item("a")], now=NOW)
    await store.chats.migrate_chat(-1, -100123, NOW)
    moved = await store.chats.chat(-100123)
    assert await store.chats.chat(-1) is None
    assert moved is not None
    assert moved.subscribed
    assert moved.kind is ChatKind.SUPERGROUP
    assert moved.region_filter.ids == {"150", "RU"}
    assert [d.chat.id for d in await store.outbox.due_deliveries(NOW, 10)] == [-100123]


async def test_unsubscribing_cancels_queued_rows(store: Store) -> None:
    """/stop cancels what was still queued for the chat."""
    sid = await source_id(store)
    await subscribed_chat(store)
    await record_articles(store, sid, [item("a")], now=NOW)
    assert await store.chats.set_subscribed(42, False, now=NOW)
    assert await store.outbox.due_deliveries(NOW, 10) == []


async def test_poll_error_then_success_resets_failures(store: Store) -> None:
    """Failures are counted with their reason and cleared by the next success."""
    sid = await source_id(store)
    await poll_error(store, sid, now=NOW, next_poll_at=NOW + 60, error="HTTP 503")
    await poll_error(store, sid, now=NOW, next_poll_at=NOW + 120, error="HTTP 503")
    failing = await store.sources.source(sid)
    assert failing is not None
    assert (failing.failures, failing.last_error) == (2, "HTTP 503")
    assert await store.sources.due_sources(NOW + 60) == []
    await poll_ok(store, sid, now=NOW, next_poll_at=NOW + 300, etag='"v1"', last_modified=None)
    ok = await store.sources.source(sid)
    assert ok is not None
    assert (ok.failures, ok.last_error, ok.etag) == (0, None, '"v1"')


async def test_gone_source_is_disabled(store: Store) -> None:
    """A source answering 410 is disabled and no longer due."""
    sid = await source_id(store)
    await poll_error(store, sid, now=NOW, next_poll_at=NOW, error="HTTP 410", disable=True)
    assert await store.sources.due_sources(NOW + 10**6) == []


async def test_permanent_redirect_survives_config_sync(store: Store) -> None:
    """A source moved by a 301 keeps its new URL when the same configuration is synced again."""
    sid = await source_id(store)
    await poll_ok(
        store,
        sid,
        now=NOW,
        next_poll_at=NOW,
        etag=None,
        last_modified=None,
        new_url="https://new.example/feed",
    )
    sources = await store.sources.sync_sources(
        [SourceSpec(name="Example", url="https://example.org/feed")]
    )
    assert [(s.id, s.url) for s in sources] == [(sid, "https://new.example/feed")]


async def test_sources_dropped_from_config_are_disabled(store: Store) -> None:
    """A configured source that disappears from the configuration is disabled, not deleted."""
    await source_id(store, "https://one.example/feed")
    sources = await store.sources.sync_sources(
        [SourceSpec(name="Two", url="https://two.example/feed")]
    )
    assert {(s.url, s.enabled) for s in sources} == {
        ("https://one.example/feed", False),
        ("https://two.example/feed", True),
    }
