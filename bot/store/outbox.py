"""The outbox: one row per article and chat, the single source of truth for delivery.

Both backends (see :mod:`bot.store.sql`). On PostgreSQL a trigger (its schema's migration 3)
notifies the leader when rows are queued (:mod:`bot.store.postgres.leader`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.core.delivery_plan import OrderKey
from bot.core.models import ChatKind, Delivery
from bot.store.rows import (
    ARTICLE_COLUMNS,
    CHAT_COLUMNS,
    OutboxCounts,
    article_row,
    chat_row,
)
from bot.store.sql import Verbs

_DELIVERY_COLUMNS = (
    "o.id AS outbox_id, o.attempts AS outbox_attempts, o.created_at AS outbox_created_at, "
    f"{CHAT_COLUMNS}, {ARTICLE_COLUMNS}, a.sort_at AS article_sort_at"
)
_DELIVERY_JOINS = (
    "FROM outbox o JOIN chats c ON c.id = o.chat_id "
    "JOIN articles a ON a.id = o.article_id JOIN sources s ON s.id = a.source_id "
)


def _delivery(r: Any) -> Delivery:
    return Delivery(
        id=r["outbox_id"],
        attempts=r["outbox_attempts"],
        created_at=r["outbox_created_at"],
        chat=chat_row(r),
        article=article_row(r),
        sort_at=r["article_sort_at"],
    )


class OutboxStore(Verbs):
    """The outbox: one row per article and chat, the single source of truth for delivery."""

    async def due_deliveries(
        self, now: float, limit: int, *, after: OrderKey | None = None
    ) -> list[Delivery]:
        """Queued rows whose time has come, in publication order (so per chat too).

        With ``after``, only rows past that place in the order (to read on where a batch ended).
        """
        where = "WHERE o.state = 'queued' AND o.next_attempt_at <= ? "
        params: list[Any] = [float(now)]
        if after is not None:
            where += (
                "AND (a.sort_at, a.id, o.id) > "
                "(CAST(? AS double precision), CAST(? AS bigint), CAST(? AS bigint)) "
            )
            params += [float(after[0]), after[1], after[2]]
        rows = await self._sql.all(
            f"SELECT {_DELIVERY_COLUMNS} {_DELIVERY_JOINS}{where}"
            "ORDER BY a.sort_at, a.id, o.id LIMIT ?",
            *params,
            limit,
        )
        return [_delivery(r) for r in rows]

    async def due_for_chats(
        self, chat_ids: Iterable[int], now: float, per_chat: int
    ) -> list[Delivery]:
        """The first ``per_chat`` due rows of each chat, each chat's in publication order."""
        rows = await self._sql.all(
            f"SELECT {_DELIVERY_COLUMNS} FROM ("  # noqa: S608
            "SELECT o.id AS oid, row_number() OVER (PARTITION BY o.chat_id "
            "ORDER BY a.sort_at, a.id, o.id) AS n FROM outbox o "
            "JOIN articles a ON a.id = o.article_id "
            "WHERE o.state = 'queued' AND o.next_attempt_at <= ? "
            f"AND {self._dialect.any_of('o.chat_id')}"
            ") q JOIN outbox o ON o.id = q.oid "
            "JOIN chats c ON c.id = o.chat_id JOIN articles a ON a.id = o.article_id "
            "JOIN sources s ON s.id = a.source_id "
            "WHERE q.n <= ? ORDER BY o.chat_id, a.sort_at, a.id, o.id",
            float(now),
            self._dialect.array(dict.fromkeys(chat_ids)),
            per_chat,
        )
        return [_delivery(r) for r in rows]

    async def backlogs(self, now: float, at_least: int) -> list[tuple[int, ChatKind, int]]:
        """(chat id, kind, due rows) for every chat with at least ``at_least`` rows due."""
        rows = await self._sql.all(
            "SELECT o.chat_id, c.kind, count(*) FROM outbox o JOIN chats c ON c.id = o.chat_id "
            "WHERE o.state = 'queued' AND o.next_attempt_at <= ? "
            "GROUP BY o.chat_id, c.kind HAVING count(*) >= ?",
            float(now),
            at_least,
        )
        return [(int(r[0]), ChatKind(r[1]), int(r[2])) for r in rows]

    async def record_outcomes(
        self,
        *,
        sent: Sequence[tuple[int, int | None, float]] = (),
        retries: Sequence[tuple[int, int, float, str]] = (),
        failed: Sequence[tuple[int, str]] = (),
    ) -> None:
        """Apply many send outcomes in one transaction.

        ``sent``: (row, message id, time); ``retries``: (row, chat, next attempt, error), which
        also holds back the chat's later rows so its order survives a restart; ``failed``:
        (row, reason).
        """
        async with self._sql.transaction() as db:
            if sent:
                await db.executemany(
                    "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, "
                    "attempts = attempts + 1, last_error = NULL WHERE id = ?",
                    [(float(at), message_id, row_id) for row_id, message_id, at in sent],
                )
            if retries:
                await db.executemany(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, "
                    "last_error = ? WHERE id = ?",
                    [(float(at), error, row_id) for row_id, _, at, error in retries],
                )
                await db.executemany(
                    "UPDATE outbox SET next_attempt_at = ? WHERE chat_id = ? "
                    "AND state = 'queued' AND next_attempt_at < ?",
                    [(float(at), chat_id, float(at)) for _, chat_id, at, _ in retries],
                )
            if failed:
                await db.executemany(
                    "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? "
                    "WHERE id = ?",
                    [(reason, row_id) for row_id, reason in failed],
                )

    async def next_delivery_time(self) -> float | None:
        """When the earliest queued row becomes due, or None when nothing is queued."""
        value = await self._sql.value(
            "SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'"
        )
        return float(value) if value is not None else None

    async def outbox_counts(self) -> OutboxCounts:
        """Outbox rows by state (tests and benches; not a verb of the protocol)."""
        rows = await self._sql.all("SELECT state, count(*) FROM outbox GROUP BY state")
        counts = {str(r[0]): int(r[1]) for r in rows}
        return OutboxCounts(
            queued=counts.get("queued", 0),
            sent=counts.get("sent", 0),
            failed=counts.get("failed", 0),
            cancelled=counts.get("cancelled", 0),
        )
