"""The SQLite store: the only package with SQL. Every statement is parameterised.

The database runs in WAL mode; the schema is versioned with ``PRAGMA user_version`` and migrated on
open. One process at a time: :meth:`Store.open` takes an exclusive lock file beside the database.

The verbs come in groups, one per table (:mod:`bot.store.protocol`): ``store.sources``,
``store.polls``, ``store.articles``, ``store.search``, ``store.chats``, ``store.outbox``,
``store.stats``; both backends build the same groups on their :class:`~bot.store.sql.Database`.
"""

from __future__ import annotations

import aiosqlite

from bot.core.regions.filters import filter_from_text, filter_to_text
from bot.store.articles import ArticlesStore
from bot.store.backup import backup_database, is_backup_folder
from bot.store.base import StoreBase, _InstanceLock, storage_fault
from bot.store.chats import ChatsStore
from bot.store.fanouts import FanOutProgress
from bot.store.outbox import OutboxStore
from bot.store.poll_writes import SqlitePollWrites
from bot.store.polls import AppliedPoll, PollsStore
from bot.store.protocol import StoreVerbs
from bot.store.rows import (
    CANNOT_POST,
    ORIGIN_OPERATOR,
    HealthFigures,
    OpsStats,
    OutboxCounts,
    PruneResult,
    SourceStatus,
)
from bot.store.search import SearchStore, SqliteMatches
from bot.store.sources import SourcesStore
from bot.store.stats import StatsStore


class Store(StoreBase):
    """Async access to the bot's database; create with :meth:`Store.open`."""

    def __init__(self, db: aiosqlite.Connection, lock: _InstanceLock | None) -> None:
        super().__init__(db, lock)
        self.sources = SourcesStore(self._sql)
        self.polls = PollsStore(self._sql, SqlitePollWrites(db))
        self.articles = ArticlesStore(self._sql)
        self.search = SearchStore(self._sql, SqliteMatches(self._sql))
        self.chats = ChatsStore(self._sql)
        self.outbox = OutboxStore(self._sql)
        self.stats = StatsStore(self._sql)


__all__ = [
    "CANNOT_POST",
    "ORIGIN_OPERATOR",
    "AppliedPoll",
    "FanOutProgress",
    "HealthFigures",
    "OpsStats",
    "OutboxCounts",
    "PruneResult",
    "SourceStatus",
    "Store",
    "StoreVerbs",
    "backup_database",
    "filter_from_text",
    "filter_to_text",
    "is_backup_folder",
    "storage_fault",
]
