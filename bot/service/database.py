"""The configured database: PostgreSQL when DATABASE_URL is set, else the SQLite file.

The running bot opens it with :func:`open_for_running` (SQLite's instance lock, waited for while
another process holds it; an unreachable PostgreSQL retried like an unreachable Telegram).
One-off commands (`sources`, `reclassify`, `healthcheck`, `backup`) use :func:`open_configured`
beside a running bot: without the instance lock and without retries (a command fails at once
with one line that never holds the password).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from bot.config import Settings
from bot.core.errors import InstanceLockedError, StoreError
from bot.core.models import Source, SourceSpec
from bot.store import Store, StoreVerbs, storage_fault

log = logging.getLogger("bot")

CONNECT_TIMEOUT = 10.0
LOCK_RETRY = 1.0
"""Seconds between tries of the SQLite instance lock while another process holds it."""


def database_name(settings: Settings) -> str:
    """The database, for messages and log lines: ``postgresql://user@host:port/db`` (never the
    password) or the SQLite file."""
    if settings.database_url:
        from bot.store.postgres import describe  # noqa: PLC0415 - asyncpg only when configured

        return "postgresql://" + describe(settings.database_url)
    return str(settings.database_path)


async def open_for_running(settings: Settings, stop: asyncio.Event) -> StoreVerbs | None:
    """The store for ``run``; None when ``stop`` came first.

    An unreachable PostgreSQL is retried with backoff (one line per try), like an unreachable
    Telegram; a refused login or a missing database raises its one-line ``StoreError``.
    """
    url = settings.database_url
    if not url:
        return await _open_sqlite(settings.database_path, stop)
    from bot.store.postgres import PostgresStore, open_with_retry  # noqa: PLC0415

    return await open_with_retry(lambda: PostgresStore.open(url), stop)


async def sync_for_running(
    settings: Settings, store: StoreVerbs, specs: Sequence[SourceSpec]
) -> list[Source]:
    """The start's first writes (the configured sources); a damaged database or a full disk
    met here is one :class:`StoreError` line naming the fault, not a traceback."""
    try:
        return await store.sources.sync_sources(specs)
    except (sqlite3.Error, OSError) as exc:
        fault = storage_fault(exc)
        if fault is None:
            raise
        raise StoreError(
            f"cannot use the database {database_name(settings)}: {fault}; free space on its "
            "disk, or restore it from a backup (python -m bot backup makes one)"
        ) from None


async def _open_sqlite(path: Path, stop: asyncio.Event) -> StoreVerbs | None:
    """The SQLite store, once no other bot process uses the file (a rolling deploy starts the
    new process before the old one stops: it waits, one line, and starts when the old one has
    stopped); None when ``stop`` comes first."""
    waiting = False
    while True:
        try:
            return await Store.open(path)
        except InstanceLockedError:
            if not waiting:
                log.warning(
                    "another teaserbot process is using %s: this one waits and starts once it "
                    "has stopped (two bots on one database would send duplicates)",
                    path,
                )
                waiting = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), LOCK_RETRY)
        if stop.is_set():
            return None


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
