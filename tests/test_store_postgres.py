"""The PostgreSQL store's own promises: schema versioning, migrations and connection errors."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.core.errors import StoreError
from bot.store import Store
from bot.store.postgres import DatabaseUnreachableError, PostgresStore, open_with_retry
from bot.store.postgres.schema import LATEST_VERSION, MIGRATIONS, PG_ONLY_COLUMNS, TABLES
from tests.support.postgres import PostgresServer, free_port


async def test_a_new_database_gets_the_latest_schema(postgres_url: str) -> None:
    """Opening an empty database creates every table at the latest schema version."""
    store = await PostgresStore.open(postgres_url)
    try:
        assert await store.schema_version() == LATEST_VERSION
    finally:
        await store.close()
    again = await PostgresStore.open(postgres_url)
    try:
        assert await again.schema_version() == LATEST_VERSION
    finally:
        await again.close()


async def test_processes_starting_together_migrate_once(postgres_url: str) -> None:
    """Several processes opening an empty database at once all succeed, migrating it once."""
    stores = await asyncio.gather(*(PostgresStore.open(postgres_url) for _ in range(4)))
    try:
        assert [await s.schema_version() for s in stores] == [LATEST_VERSION] * 4
    finally:
        for store in stores:
            await store.close()


def test_the_schema_has_the_same_tables_and_columns_as_sqlite(
    postgres_server: PostgresServer, postgres_url: str, tmp_path: Path
) -> None:
    """Both backends keep the same columns in every table (a migration added to one only fails)."""

    async def open_both() -> None:
        await (await Store.open(tmp_path / "bot.sqlite3")).close()
        await (await PostgresStore.open(postgres_url)).close()

    asyncio.run(open_both())
    database = postgres_url.rsplit("/", 1)[1]
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        for table in TABLES:
            lite = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            pg = set(
                postgres_server.psql(
                    "SELECT column_name FROM information_schema.columns "
                    f"WHERE table_name = '{table}'",
                    database,
                ).split()
            )
            assert pg - PG_ONLY_COLUMNS.get(table, frozenset()) == lite, table


async def test_a_newer_schema_is_refused_with_a_clear_message(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    """A database written by a newer release is refused, naming both versions, not the password."""
    await (await PostgresStore.open(postgres_url)).close()
    database = postgres_url.rsplit("/", 1)[1]
    postgres_server.psql(f"UPDATE schema_version SET version = {LATEST_VERSION + 5}", database)
    with pytest.raises(StoreError, match=r"schema version \d+, newer than this release") as caught:
        await PostgresStore.open(postgres_url)
    message = str(caught.value)
    assert f"({LATEST_VERSION})" in message
    assert "DATABASE_URL" in message
    assert postgres_server.password not in message


async def test_a_failing_migration_leaves_the_previous_schema(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    """A migration that fails half-way changes nothing: version and tables stay as they were."""
    await (await PostgresStore.open(postgres_url)).close()
    broken = (*MIGRATIONS, "CREATE TABLE half_done (id integer); SELECT 1 / 0;")
    with pytest.raises(Exception, match="division by zero"):
        await PostgresStore.open(postgres_url, migrations=broken)
    store = await PostgresStore.open(postgres_url)
    try:
        assert await store.schema_version() == LATEST_VERSION
    finally:
        await store.close()
    database = postgres_url.rsplit("/", 1)[1]
    assert postgres_server.psql("SELECT to_regclass('half_done') IS NULL", database) == "t"


async def test_a_wrong_password_is_one_clear_line_without_the_password(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    """A refused login names the server and DATABASE_URL, never the password, in one line."""
    database = postgres_url.rsplit("/", 1)[1]
    wrong = postgres_server.url(database, password="not-the-Password-42")
    with pytest.raises(StoreError) as caught:
        await PostgresStore.open(wrong)
    message = str(caught.value)
    assert not isinstance(caught.value, DatabaseUnreachableError)
    assert "refused the login" in message
    assert "DATABASE_URL" in message
    assert f"127.0.0.1:{postgres_server.port}/{database}" in message
    assert "not-the-Password-42" not in message
    assert "\n" not in message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


async def test_a_missing_database_says_so(postgres_server: PostgresServer) -> None:
    """A database that does not exist is named, with how to fix it."""
    with pytest.raises(StoreError, match=r'database "nowhere" does not exist.*createdb'):
        await PostgresStore.open(postgres_server.url("nowhere"))


async def test_an_unreachable_server_is_reported_as_unreachable() -> None:
    """Nothing listening on the port: a DatabaseUnreachableError naming where, in one line."""
    port = free_port()
    url = f"postgresql://bot:s3cret-pw@127.0.0.1:{port}/news"
    with pytest.raises(DatabaseUnreachableError) as caught:
        await PostgresStore.open(url, connect_timeout=2)
    message = str(caught.value)
    assert f"cannot reach PostgreSQL at bot@127.0.0.1:{port}/news" in message
    assert "s3cret-pw" not in message
    assert "\n" not in message


async def test_start_up_retries_until_the_server_answers(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """While the server cannot be reached start-up waits and retries, logging one line a try."""
    dead = f"postgresql://bot:pw@127.0.0.1:{free_port()}/news"
    urls = iter([dead, dead, postgres_url])

    async def opener() -> PostgresStore:
        return await PostgresStore.open(next(urls), connect_timeout=2)

    caplog.set_level(logging.WARNING, logger="bot.store")
    store = await open_with_retry(opener, asyncio.Event(), first_delay=0.01, max_delay=0.02)
    assert store is not None
    try:
        assert await store.schema_version() == LATEST_VERSION
    finally:
        await store.close()
    retries = [r.getMessage() for r in caplog.records if r.name == "bot.store"]
    assert len(retries) == 2
    assert all("cannot reach PostgreSQL" in line and "retrying in" in line for line in retries)
    assert all(r.exc_info is None for r in caplog.records)


async def test_start_up_stops_waiting_when_asked(caplog: pytest.LogCaptureFixture) -> None:
    """A stop request during the retries ends them: nothing is opened."""
    dead = f"postgresql://bot:pw@127.0.0.1:{free_port()}/news"
    stop = asyncio.Event()
    attempts = 0

    async def opener() -> PostgresStore:
        nonlocal attempts
        attempts += 1
        if attempts == 2:
            stop.set()
        return await PostgresStore.open(dead, connect_timeout=2)

    assert await open_with_retry(opener, stop, first_delay=0.01) is None
    assert attempts == 2


async def test_a_refused_login_is_not_retried(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    """Waiting does not fix a wrong password: start-up raises it at once."""
    database = postgres_url.rsplit("/", 1)[1]
    attempts = 0

    async def opener() -> PostgresStore:
        nonlocal attempts
        attempts += 1
        return await PostgresStore.open(postgres_server.url(database, password="wrong"))

    with pytest.raises(StoreError, match="refused the login"):
        await open_with_retry(opener, asyncio.Event(), first_delay=0.01)
    assert attempts == 1
