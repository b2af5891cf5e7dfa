"""The PostgreSQL store: the same domain verbs as the SQLite :class:`bot.store.Store`.

Chosen with ``DATABASE_URL=postgresql://…``. Many processes may share one database; each runs its
statements one at a time, in order, on one pooled connection (see ``PgStoreBase``). Every statement
is parameterised. The schema is versioned in the
``schema_version`` table and migrated on open, one transaction per migration.

Several processes: sources are claimed with leases (:mod:`bot.store.sources`) and one process leads
(:mod:`.leader`), which is told of newly queued rows on :data:`OUTBOX_CHANNEL`.

The same verb groups as the SQLite store (``store.chats``, …), built on the pool's
:class:`~bot.store.postgres.base.PgDatabase` with PostgreSQL's own poll writes and search.
"""

from __future__ import annotations

import asyncpg

from bot.core.errors import DatabaseUnreachableError
from bot.store import Store
from bot.store.articles import ArticlesStore
from bot.store.chats import ChatsStore
from bot.store.outbox import OutboxStore
from bot.store.polls import PollsStore
from bot.store.postgres.backup import backup_postgres
from bot.store.postgres.base import (
    PgStoreBase,
    connect_error,
    connection_fault,
    describe,
    open_with_retry,
    unreachable,
)
from bot.store.postgres.leader import CHECK_EVERY, LeaderLock
from bot.store.postgres.poll_writes import PgPollWrites
from bot.store.postgres.schema import OUTBOX_CHANNEL
from bot.store.postgres.search import PgMatches
from bot.store.protocol import StoreVerbs
from bot.store.search import SearchStore
from bot.store.sources import SourcesStore
from bot.store.stats import StatsStore


class PostgresStore(PgStoreBase):
    """Async access to a PostgreSQL database; create with :meth:`PostgresStore.open`."""

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        super().__init__(pool, url)
        self.sources = SourcesStore(self._sql)
        self.polls = PollsStore(self._sql, PgPollWrites())
        self.articles = ArticlesStore(self._sql)
        self.search = SearchStore(self._sql, PgMatches(self._sql))
        self.chats = ChatsStore(self._sql)
        self.outbox = OutboxStore(self._sql)
        self.stats = StatsStore(self._sql)


# mypy checks here that both backends offer the same verbs with the same signatures.
_SQLITE: type[StoreVerbs] = Store
_POSTGRES: type[StoreVerbs] = PostgresStore

# Last: the copy command uses PostgresStore from this package.
from bot.store.postgres.copy import copy_store  # noqa: E402

__all__ = [
    "CHECK_EVERY",
    "OUTBOX_CHANNEL",
    "DatabaseUnreachableError",
    "LeaderLock",
    "PgStoreBase",
    "PostgresStore",
    "backup_postgres",
    "connect_error",
    "connection_fault",
    "copy_store",
    "describe",
    "open_with_retry",
    "unreachable",
]
