"""`python -m bot copy-store --to postgresql://…`: moving a SQLite deployment to PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.models import ChatKind, RegionFilter, SourceSpec
from bot.store import Store
from bot.store.postgres import PostgresStore
from bot.store.postgres.copy import copy_store
from tests.support.deadlines import deadline
from tests.support.postgres import PostgresServer
from tests.support.store_rows import NOW, add_article, pruned_key_count, queue, sql

REPO = Path(__file__).resolve().parents[1]


async def seeded(path: Path) -> None:
    """A SQLite database with a bit of everything: sources, articles, chats, outbox, keys."""
    store = await Store.open(path)
    try:
        [news, ops] = await store.sources.sync_sources(
            [SourceSpec(name="News", url="https://news.example/feed", region="Chile")]
        ) + [
            (
                await store.sources.add_operator_source(
                    SourceSpec(name="Ops", url="https://o.example/")
                )
            )[0]
        ]
        await sql(
            store, "UPDATE sources SET failing_since = ?, paused = 1 WHERE id = ?", NOW, ops.id
        )
        for chat_id, kind in ((1, ChatKind.PRIVATE), (-100, ChatKind.CHANNEL)):
            await store.chats.upsert_chat(chat_id, kind, now=NOW, title=f"chat {chat_id}")
            await store.chats.set_subscribed(chat_id, True, now=NOW)
        await store.chats.set_region_filter(1, RegionFilter(frozenset({"europe"})), NOW)
        await store.chats.set_silent(-100, True, NOW)
        old = await add_article(store, news.id, "old", seen_at=NOW - 10_000)
        for n in range(5):
            article = await add_article(store, news.id, f"a{n}", sort_at=NOW + n)
            await queue(store, article, 1)
            await queue(store, article, -100)
        sent = await queue(store, old, 1)
        await store.outbox.record_outcomes(sent=[(sent, 77, NOW)], failed=[(sent + 1, "x")])
        await store.articles.prune_articles(NOW - 5_000)
    finally:
        await store.close()


async def snapshot(store: Store | PostgresStore) -> tuple[object, ...]:
    """What the bot reads back through the shared verbs."""
    return (
        await store.sources.sources(),
        await store.sources.source_statuses(),
        await store.chats.chats([1, -100]),
        await store.outbox.due_deliveries(NOW + 100, 100),
        await store.outbox.outbox_counts(),
        await pruned_key_count(store),
        await store.articles.latest_articles(50),
        await store.stats.ops_stats(0),
    )


async def test_every_table_is_copied_and_reads_back_the_same(
    tmp_path: Path, postgres_url: str
) -> None:
    """After the copy every verb reads the same from PostgreSQL as from SQLite; ids go on."""
    path = tmp_path / "bot.sqlite3"
    await seeded(path)
    result = await copy_store(path, postgres_url)
    assert result.rows == {
        "sources": 2,
        "articles": 5,
        "chats": 2,
        "outbox": 10,
        "pruned_keys": 2,
        "fanouts": 0,
    }
    lite = await Store.open(path)
    pg = await PostgresStore.open(postgres_url)
    try:
        assert await snapshot(pg) == await snapshot(lite)
        added, created = await pg.sources.add_operator_source(
            SourceSpec(name="N", url="https://n.example")
        )
        assert created
        assert added.id == max(s.id for s in await lite.sources.sources()) + 1
    finally:
        await lite.close()
        await pg.close()


async def test_a_database_that_holds_data_is_not_overwritten(
    tmp_path: Path, postgres_url: str
) -> None:
    """A second copy into the same database is refused and changes nothing."""
    path = tmp_path / "bot.sqlite3"
    await seeded(path)
    await copy_store(path, postgres_url)
    with pytest.raises(Exception, match=r"already holds data \(2 sources, 5 articles"):
        await copy_store(path, postgres_url)
    pg = await PostgresStore.open(postgres_url)
    try:
        assert (await pg.outbox.outbox_counts()).queued == 10
    finally:
        await pg.close()


async def test_a_running_bot_or_a_missing_file_stops_the_copy(
    tmp_path: Path, postgres_url: str
) -> None:
    """The copy needs the bot stopped (its lock) and an existing file (none is made)."""
    path = tmp_path / "bot.sqlite3"
    with pytest.raises(Exception, match="no SQLite database at"):
        await copy_store(path, postgres_url)
    assert not path.exists()
    running = await Store.open(path)
    try:
        with pytest.raises(Exception, match="another teaserbot process"):
            await copy_store(path, postgres_url)
    finally:
        await running.close()


def cli(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot`` with ``args`` in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )


def test_the_command_copies_and_reports_the_counts(
    tmp_path: Path, postgres_server: PostgresServer, postgres_url: str
) -> None:
    """`copy-store --to` copies DATABASE_PATH and prints the verified counts, no password."""
    path = tmp_path / "bot.sqlite3"
    asyncio.run(seeded(path))
    done = cli(tmp_path, "copy-store", "--to", postgres_url, DATABASE_PATH=str(path))
    assert done.returncode == 0, done.stderr
    assert "sources=2, articles=5, chats=2, outbox=10, pruned_keys=2" in done.stdout
    assert "verified" in done.stdout
    assert postgres_server.password not in done.stdout + done.stderr


def test_the_command_reports_a_refused_login_in_one_line(
    tmp_path: Path, postgres_server: PostgresServer, postgres_url: str
) -> None:
    """A wrong password ends the command with one line and status 1, the password hidden."""
    path = tmp_path / "bot.sqlite3"
    asyncio.run(seeded(path))
    database = postgres_url.rsplit("/", 1)[1]
    wrong = postgres_server.url(database, password="Wr0ng-pass")
    done = cli(tmp_path, "copy-store", "--to", wrong, DATABASE_PATH=str(path))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "refused the login" in done.stderr
    assert "Wr0ng-pass" not in done.stderr
    assert "Traceback" not in done.stderr


def test_the_command_refuses_a_url_that_is_not_postgresql(tmp_path: Path) -> None:
    """--to must be a postgresql:// URL: a configuration problem, status 2."""
    done = cli(tmp_path, "copy-store", "--to", "mysql://u:Secret9@db/x")
    assert done.returncode == 2
    assert "must start with postgresql://" in done.stderr
    assert "Secret9" not in done.stderr
