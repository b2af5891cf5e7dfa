"""What applying a poll does its own way on SQLite (the hooks of :class:`.polls.PollsStore`).

One process writes a SQLite file, one transaction at a time: applying a poll needs no lock of
its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.polling import PollIntent
from bot.store.base import StoreBase
from bot.store.polls import INSERT_ARTICLE, Values
from bot.store.sql import Session


class SqlitePollWrites(StoreBase):
    """The SQLite store's hooks for applying a poll."""

    async def _lock_for_apply(self, db: Session, intent: PollIntent) -> None:
        """Nothing to lock: the transaction is the file's only writer."""

    async def _lock_links(self, db: Session, urls: Sequence[str]) -> None:
        """Nothing to lock: the transaction is the file's only writer."""

    async def _insert_articles(self, db: Session, rows: Iterable[Values]) -> int:
        """One executemany on the transaction's own connection, counting the new rows.

        ``rows`` stays a generator: aiosqlite hands it to its worker thread, so the rows of a
        big first poll are built there as sqlite consumes them, not on the event loop.
        """
        cur = await self._db.executemany(INSERT_ARTICLE, rows)
        return max(cur.rowcount, 0)
