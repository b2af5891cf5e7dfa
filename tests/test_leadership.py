"""The leader hears of rows other processes queue (NOTIFY on the outbox channel); a lost
connection is told in one line."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import asyncpg
import pytest

from bot.core.errors import DatabaseUnreachableError
from bot.core.models import ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
from bot.store.postgres import OUTBOX_CHANNEL, LeaderLock, PostgresStore, connection_fault
from tests.support.postgres import PostgresServer
from tests.support.seeding import record_articles
from tests.support.store_rows import sql


def story(n: int) -> NewArticle:
    """A new article numbered ``n``."""
    item = ParsedItem(
        key=f"k{n}",
        title=f"Story {n}",
        summary="A summary.",
        url=f"https://news.example/{n}",
        published=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return NewArticle(item, Classification(("GB",), ("154",)))


async def test_the_leader_is_told_when_another_process_queues_rows(postgres_url: str) -> None:
    """Rows queued through another connection wake the leader's listener; a baseline does not."""
    lock = LeaderLock(postgres_url)
    store = await PostgresStore.open(postgres_url)
    heard = asyncio.Event()
    try:
        assert await lock.try_acquire()
        await lock.listen(OUTBOX_CHANNEL, heard.set)
        (source,) = await store.sources.sync_sources(
            [SourceSpec("News", "https://news.example/feed")]
        )
        now = time.time()
        await record_articles(store, source.id, [story(1)], now=now, baseline=True)
        await store.chats.upsert_chat(7, ChatKind.PRIVATE, now=now)
        await store.chats.set_subscribed(7, True, now=now)
        await asyncio.sleep(0.5)
        assert not heard.is_set()  # nothing was queued yet
        applied = await record_articles(store, source.id, [story(2)], now=now)
        assert applied.queued == 1
        await asyncio.wait_for(heard.wait(), 5)
    finally:
        await store.close()
        await lock.release()


async def test_a_connection_ended_mid_statement_is_named_in_one_line(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    """A statement whose session the server ends raises DatabaseUnreachableError, naming the
    lost connection in one line (the database marked down, then up again by the store's next
    statement, which runs on a new connection); a plain SQL error is not such a fault."""
    store = await PostgresStore.open(postgres_url)
    database = postgres_url.rsplit("/", 1)[1]
    try:
        sleeping = asyncio.create_task(sql(store, "SELECT pg_sleep(10)"))
        await asyncio.sleep(0.5)
        postgres_server.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query LIKE 'SELECT pg_sleep%'",
            database,
        )
        with pytest.raises(DatabaseUnreachableError) as raised:
            await sleeping
        assert "the connection to PostgreSQL was lost" in str(raised.value)
        assert connection_fault(raised.value.__cause__ or raised.value) is not None
        assert store.reachability.down
        assert await sql(store, "SELECT 1") == 1
        assert not store.reachability.down
        with pytest.raises(asyncpg.PostgresError) as bad:
            await sql(store, "SELECT no_such_column FROM chats")
        assert connection_fault(bad.value) is None
    finally:
        await store.close()
