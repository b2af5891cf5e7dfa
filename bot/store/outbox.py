"""The outbox: one row per article and chat, the single source of truth for delivery.

Both backends (see :mod:`bot.store.sql`). On PostgreSQL a trigger (its schema's migration 3)
notifies the leader when rows are queued (:mod:`bot.store.postgres.leader`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.core.arrival import settings_arrival
from bot.core.chat_settings import ChatSettings
from bot.core.delivery_plan import OrderKey
from bot.core.models import ChatKind, Delivery
from bot.store.rows import (
    ARTICLE_COLUMNS,
    CHAT_COLUMNS,
    OutboxCounts,
    article_row,
    chat_row,
)
from bot.store.sql import Session, Verbs

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


_RETIME = "UPDATE outbox SET next_attempt_at = ? WHERE chat_id = ? AND state = 'queued'"


async def retime(db: Session, chat_id: int, settings: ChatSettings, now: float) -> int:
    """Make the chat's queued rows due when its settings say (in the caller's transaction)."""
    return await db.execute(_RETIME, float(settings_arrival(settings, now)), chat_id)


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

    async def retime_queued(self, chat_id: int, settings: ChatSettings, now: float) -> int:
        """The chat changed its schedule or quiet hours: its queued rows become due as its
        ``settings`` say at ``now`` (instant: now; a schedule: its next digest time; quiet
        hours that hold: their end). Returns how many rows were retimed.

        :meth:`~bot.store.chats.ChatsStore.change_settings` does this itself whenever the
        schedule or the quiet hours change."""
        return await retime(self._sql, chat_id, settings, now)

    async def hold_chat(self, chat_id: int, until: float) -> int:
        """Hold the chat's queued rows until ``until`` (quiet hours that hold teasers): rows due
        earlier become due then; none is counted as an attempt."""
        return await self._sql.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE chat_id = ? AND state = 'queued' "
            "AND next_attempt_at < ?",
            float(until),
            chat_id,
            float(until),
        )

    async def hold_rows(self, rows: Sequence[tuple[int, float]]) -> None:
        """Make each (row, time) queued row due at that time (a row read as due before the
        digest it belongs to); none is counted as an attempt."""
        if not rows:
            return
        async with self._sql.transaction() as db:
            await db.executemany(
                "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND state = 'queued'",
                [(float(at), row_id) for row_id, at in rows],
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
