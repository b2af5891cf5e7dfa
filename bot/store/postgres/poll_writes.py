"""What applying a poll does its own way on PostgreSQL (its
:class:`bot.store.polls.PollWrites`).

Several processes may apply polls at once here, so ``apply_poll`` adds what SQLite's single
writer gives for free: the source's row is locked first (two polls of one source apply one after
the other, and the second skips what the first recorded), then one transaction-scoped advisory
lock per link that is queued (two sources sharing a link queue it for a chat once: the second
waits, then its link guard sees the first one's rows). Locks are always taken in that order,
links sorted, so two polls never wait on each other in a circle. A fan-out's later slices
(:mod:`bot.store.fanouts`) take their link's lock after their cursor's row lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.polling import PollIntent
from bot.store.polls import NEW_ARTICLE_COLUMNS, Values
from bot.store.rows import identity_hash
from bot.store.sql import POSTGRES, Session

# The first key of the advisory locks on links (a key space of their own: two int4 keys never
# meet the single bigint keys of the migration and leader locks).
_LINK_LOCKS = 0x74656173  # "teas"

# Many articles with nothing to queue (a first poll, say): one statement, one round trip.
_INSERT_ARTICLES = (
    f"INSERT INTO articles ({NEW_ARTICLE_COLUMNS}) "  # noqa: S608
    "SELECT ?::bigint, * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], "
    "?::double precision[], ?::double precision[], ?::double precision[], ?::text[], "
    "?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
    "ON CONFLICT (source_id, key) DO NOTHING"
)


class PgPollWrites:
    """The PostgreSQL store's part of applying a poll: its locks and its bulk insert."""

    async def lock_for_apply(self, db: Session, intent: PollIntent) -> None:
        """Lock the source's row, then the links this intent may queue (sorted)."""
        await db.execute("SELECT 1 FROM sources WHERE id = ? FOR NO KEY UPDATE", intent.source_id)
        urls = [
            POSTGRES.text(entry.item.url)
            for entry in intent.articles
            if entry.recipients and entry.item.url
        ]
        await self.lock_links(db, urls)

    async def lock_links(self, db: Session, urls: Sequence[str]) -> None:
        """One transaction-scoped advisory lock per link (as stored), in sorted key order."""
        if not urls:
            return
        await db.execute(
            "SELECT pg_advisory_xact_lock(?, k) FROM unnest(?::integer[]) AS k",
            _LINK_LOCKS,
            sorted({identity_hash("u", url) >> 32 for url in urls}),
        )

    async def insert_articles(self, db: Session, rows: Iterable[Values]) -> int:
        """One ``unnest`` insert: the source, then one array per other column."""
        table = list(rows)
        columns = list(zip(*table, strict=True))
        return await db.execute(_INSERT_ARTICLES, table[0][0], *(list(c) for c in columns[1:]))
