"""What applying a poll does its own way on SQLite (its :class:`.polls.PollWrites`).

One process writes a SQLite file, one transaction at a time: applying a poll needs no lock of
its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import aiosqlite

from bot.core.polling import PollIntent
from bot.store.polls import INSERT_ARTICLE, Values
from bot.store.sql import Session


class SqlitePollWrites:
    """The SQLite store's part of applying a poll, on its one connection."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def lock_for_apply(self, db: Session, intent: PollIntent) -> None:
        """Nothing to lock: the transaction is the file's only writer."""

    async def lock_links(self, db: Session, urls: Sequence[str]) -> None:
        """Nothing to lock: the transaction is the file's only writer."""

    async def insert_articles(self, db: Session, rows: Iterable[Values]) -> int:
        """One executemany on the transaction's own connection, counting the new rows.

        ``rows`` stays a generator: aiosqlite hands it to its worker thread, so the rows of a
        big first poll are built there as sqlite consumes them, not on the event loop.
        """
        cur = await self._db.executemany(INSERT_ARTICLE, rows)
        return max(cur.rowcount, 0)
