"""Schema migrations: old databases are upgraded on open; a failed or killed one changes nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.schema import LATEST_VERSION, MIGRATIONS
from tests.support.deadlines import deadline

REPO = Path(__file__).resolve().parents[1]
NOW = 1_800_000_000.0


def version_1_database(path: Path) -> None:
    """A database as the first release left it, with a source, an article, a chat and a sent row."""
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0])
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO sources (id, name, spec_url, url, baseline_done) "
            "VALUES (1, 'Old', 'https://old.example/feed', 'https://old.example/feed', 1)"
        )
        db.execute(
            "INSERT INTO articles (id, source_id, key, url, title, summary, seen_at, sort_at) "
            "VALUES (1, 1, 'k1', 'https://old.example/1', 'Old story', 'Text', ?, ?)",
            (NOW, NOW),
        )
        db.execute(
            "INSERT INTO chats (id, kind, subscribed, created_at, updated_at) "
            "VALUES (42, 'private', 1, ?, ?)",
            (NOW, NOW),
        )
        db.execute(
            "INSERT INTO outbox (article_id, chat_id, state, next_attempt_at, created_at, sent_at) "
            "VALUES (1, 42, 'sent', ?, ?, ?)",
            (NOW, NOW, NOW),
        )
    db.close()


def schema(path: Path) -> tuple[int, list[tuple[str, str]]]:
    """The user_version and every table's and index's SQL."""
    with sqlite3.connect(path) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        objects = db.execute(
            "SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    db.close()
    return version, objects


async def test_version_1_database_is_migrated_on_open_keeping_its_data(tmp_path: Path) -> None:
    """Opening a first-release database brings it to the latest version with its rows intact."""
    path = tmp_path / "bot.sqlite3"
    version_1_database(path)

    store = await Store.open(path)
    try:
        assert await store.schema_version() == LATEST_VERSION
        [status] = await store.sources.source_statuses()
        assert status.source.name == "Old"
        assert status.paused is False
        assert status.source.baseline_done
        assert await store.articles.article_count() == 1
        assert (await store.outbox.outbox_counts()).sent == 1
        chat = await store.chats.chat(42)
        assert chat is not None
        assert chat.subscribed
    finally:
        await store.close()


async def test_failing_migration_leaves_the_previous_schema_intact(tmp_path: Path) -> None:
    """A migration that fails halfway is rolled back whole: no new table, version unchanged."""
    path = tmp_path / "bot.sqlite3"
    version_1_database(path)
    broken = (
        *MIGRATIONS,
        """
        CREATE TABLE half_done (x INTEGER);
        ALTER TABLE sources ADD COLUMN half_done INTEGER;
        ALTER TABLE no_such_table ADD COLUMN y INTEGER;
        """,
    )

    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        await Store.open(path, migrations=broken)

    version, objects = schema(path)
    assert version == LATEST_VERSION  # the good migrations before it were each committed
    assert "half_done" not in {name for name, _ in objects}
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(sources)")}
    db.close()
    assert "half_done" not in columns
    store = await Store.open(path)  # and the release's own schema still opens
    try:
        assert await store.articles.article_count() == 1
    finally:
        await store.close()


def test_migration_killed_midway_leaves_the_previous_schema_intact(tmp_path: Path) -> None:
    """SIGKILL during a long migration: on the next open the database has its old schema."""
    path = tmp_path / "bot.sqlite3"
    version_1_database(path)
    before = schema(path)
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from bot.store import Store
        slow = (
            "ALTER TABLE sources ADD COLUMN half_done INTEGER;"
            "CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
            "FROM c LIMIT 200000000) SELECT x FROM c"
        )
        print("migrating", flush=True)
        asyncio.run(Store.open(Path({str(path)!r}), migrations=({MIGRATIONS[0]!r}, slow)))
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "migrating"
        time.sleep(1.0)  # well inside the slow statement, which takes about a minute
        assert proc.poll() is None
        proc.kill()
        proc.wait(deadline(10))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(deadline(10))
        if proc.stdout is not None:
            proc.stdout.close()

    assert schema(path) == before


async def test_sources_gain_lease_columns_and_the_due_index_the_shared_statements_use(
    tmp_path: Path,
) -> None:
    """Migrating a database from before leases keeps its sources, adds the lease columns, and
    the claim's due-sources lookup reads the partial index instead of scanning every source."""
    path = tmp_path / "bot.sqlite3"
    [at] = [i for i, text in enumerate(MIGRATIONS) if "lease_owner" in text]
    with sqlite3.connect(path) as db:
        for text in MIGRATIONS[:at]:
            db.executescript(text)
        db.execute(f"PRAGMA user_version = {at}")
        db.execute(
            "INSERT INTO sources (id, name, spec_url, url) "
            "VALUES (1, 'Old', 'https://old.example/feed', 'https://old.example/feed')"
        )
    db.close()
    store = await Store.open(path)
    try:
        [claimed] = await store.sources.claim_due_sources(NOW, owner="a", lease_s=60, limit=5)
        assert claimed.id == 1
        assert await store.sources.leases() == {1: ("a", NOW + 60)}
    finally:
        await store.close()
    with sqlite3.connect(path) as db:
        plan = db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM sources WHERE enabled AND NOT paused "
            "AND next_poll_at <= ? ORDER BY next_poll_at, id LIMIT 5",
            (NOW,),
        ).fetchall()
    db.close()
    assert any("USING INDEX sources_due" in str(row[-1]) for row in plan), plan


async def test_postgresql_search_migrations_keep_every_vector_and_add_the_id_ranges(
    postgres_url: str,
) -> None:
    """PostgreSQL's migrations 6-7 (a faster fold and indexing) leave every stored article's
    search vector as it was, index new ones the same way, turn the GIN pending list off and add
    the BRIN index of ids the search's slices use."""
    from bot.core.models import SourceSpec  # noqa: PLC0415 - PostgreSQL-only imports
    from bot.store.postgres import PostgresStore  # noqa: PLC0415
    from bot.store.postgres.schema import MIGRATIONS as PG_MIGRATIONS  # noqa: PLC0415
    from tests.support.store_rows import add_article, sql  # noqa: PLC0415

    texts = [
        ("ascii", "Miners Strike Again", "Copper output falls", "CL", "en"),
        ("accents", "Grève à Saint-Étienne", "Ça continue, déjà", "FR", "fr"),
        ("cyrillic", "Ёлки в Москве", "Йод и ёж", "", "ru"),
        ("mixed", "Café au lait", "plain words only", "", None),
    ]
    old = await PostgresStore.open(postgres_url, migrations=PG_MIGRATIONS[:5])
    try:
        [source] = await old.sources.sync_sources(
            [SourceSpec(name="N", url="https://news.example/f")]
        )
        for key, title, summary, countries, language in texts:
            article = await add_article(old, source.id, key, countries=countries)
            await sql(
                old,
                "UPDATE articles SET title = ?, summary = ?, language = ? WHERE id = ?",
                title,
                summary,
                language,
                article,
            )
        before = await sql(old, "SELECT string_agg(search::text, '|' ORDER BY id) FROM articles")
    finally:
        await old.close()
    new = await PostgresStore.open(postgres_url)
    try:
        after = await sql(new, "SELECT string_agg(search::text, '|' ORDER BY id) FROM articles")
        assert after == before
        await sql(new, "UPDATE articles SET title = title || ''")  # the trigger indexes again
        again = await sql(new, "SELECT string_agg(search::text, '|' ORDER BY id) FROM articles")
        assert again == before
        gin = await sql(
            new, "SELECT reloptions::text FROM pg_class WHERE relname = 'articles_search'"
        )
        assert gin == "{fastupdate=off}"
        method = await sql(
            new,
            "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
            "WHERE c.relname = 'articles_id_ranges'",
        )
        assert method == "brin"
    finally:
        await new.close()
