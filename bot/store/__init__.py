"""The SQLite store: the only package with SQL. Every statement is parameterised.

The database runs in WAL mode; the schema is versioned with ``PRAGMA user_version`` and migrated on
open. One process at a time: :meth:`Store.open` takes an exclusive lock file beside the database.
"""

from __future__ import annotations

from bot.core.regions.filters import filter_from_text, filter_to_text
from bot.store.articles import ArticlesStore
from bot.store.backup import backup_database, is_backup_folder
from bot.store.base import storage_fault
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
from bot.store.search import SearchStore
from bot.store.sources import SourcesStore
from bot.store.stats import StatsStore


class Store(
    SourcesStore,
    SqlitePollWrites,
    PollsStore,
    ArticlesStore,
    ChatsStore,
    OutboxStore,
    StatsStore,
    SearchStore,
):
    """Async access to the bot's database; create with :meth:`Store.open`."""


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
