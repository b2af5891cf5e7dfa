"""The configured database for one-off commands (`sources`, `reclassify`, `healthcheck`).

PostgreSQL when DATABASE_URL is set, else the SQLite file DATABASE_PATH, opened beside a running
bot: without SQLite's instance lock, and without start-up's retries (a command fails at once with
one line that never holds the password).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from bot.store import Store, StoreVerbs

CONNECT_TIMEOUT = 10.0


def database_name(settings: Settings) -> str:
    """The database a command reads, for messages: ``user@host:port/db`` or the SQLite file."""
    if settings.database_url:
        from bot.store.postgres import describe  # noqa: PLC0415 - asyncpg only when configured

        return describe(settings.database_url)
    return str(settings.database_path)


async def open_configured(
    settings: Settings, *, connect_timeout: float = CONNECT_TIMEOUT
) -> StoreVerbs:
    """Open (creating or migrating) the configured database; StoreError when it cannot."""
    if settings.database_url:
        from bot.store.postgres import PostgresStore  # noqa: PLC0415

        return await PostgresStore.open(settings.database_url, connect_timeout=connect_timeout)
    return await Store.open(settings.database_path, exclusive=False)


@asynccontextmanager
async def configured_store(
    settings: Settings, *, connect_timeout: float = CONNECT_TIMEOUT
) -> AsyncIterator[StoreVerbs]:
    """The configured database, closed after the block."""
    store = await open_configured(settings, connect_timeout=connect_timeout)
    try:
        yield store
    finally:
        await store.close()
