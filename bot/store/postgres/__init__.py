"""The PostgreSQL store: the same domain verbs as the SQLite :class:`bot.store.Store`.

Chosen with ``DATABASE_URL=postgresql://…``. Many processes may share one database; each owns a
small connection pool. Every statement is parameterised. The schema is versioned in the
``schema_version`` table and migrated on open, one transaction per migration.

Not here yet (see docs and issue 13): recording polls (``apply_poll``), claiming sources with
leases, and the leader lock.
"""

from __future__ import annotations

from bot.store import Store
from bot.store.postgres.articles import PgArticlesStore
from bot.store.postgres.base import (
    DatabaseUnreachableError,
    PgStoreBase,
    connect_error,
    describe,
    open_with_retry,
)
from bot.store.postgres.chats import PgChatsStore
from bot.store.postgres.maintenance import PgMaintenanceStore
from bot.store.postgres.outbox import PgOutboxStore
from bot.store.postgres.sources import PgSourcesStore
from bot.store.protocol import StoreVerbs


class PostgresStore(
    PgSourcesStore, PgArticlesStore, PgChatsStore, PgOutboxStore, PgMaintenanceStore
):
    """Async access to a PostgreSQL database; create with :meth:`PostgresStore.open`."""


# mypy checks here that both backends offer the same verbs with the same signatures.
_SQLITE: type[StoreVerbs] = Store
_POSTGRES: type[StoreVerbs] = PostgresStore

__all__ = [
    "DatabaseUnreachableError",
    "PgStoreBase",
    "PostgresStore",
    "connect_error",
    "describe",
    "open_with_retry",
]
