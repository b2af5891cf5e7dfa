"""The outbox: one row per article and chat, the single source of truth for delivery."""

from __future__ import annotations

from bot.models import Delivery
from bot.store.base import StoreBase
from bot.store.rows import ARTICLE_COLUMNS, CHAT_COLUMNS, OutboxCounts, article_row, chat_row


class OutboxStore(StoreBase):
    """The outbox: one row per article and chat, the single source of truth for delivery."""

    async def due_deliveries(self, now: float, limit: int) -> list[Delivery]:
        """Queued rows whose time has come, oldest article first within each chat."""
        rows = await self._all(
            f"SELECT o.id, o.attempts, o.created_at, {CHAT_COLUMNS}, {ARTICLE_COLUMNS} "  # noqa: S608
            "FROM outbox o JOIN chats c ON c.id = o.chat_id "
            "JOIN articles a ON a.id = o.article_id JOIN sources s ON s.id = a.source_id "
            "WHERE o.state = 'queued' AND o.next_attempt_at <= ? "
            "ORDER BY a.sort_at, a.id, o.id LIMIT ?",
            (now, limit),
        )
        return [
            Delivery(
                id=r[0],
                attempts=r[1],
                created_at=r[2],
                chat=chat_row(r, 3),
                article=article_row(r, 12),
            )
            for r in rows
        ]

    async def next_delivery_time(self) -> float | None:
        """When the earliest queued row becomes due, or None when nothing is queued."""
        row = await self._one("SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'")
        return float(row[0]) if row and row[0] is not None else None

    async def mark_sent(self, outbox_id: int, message_id: int | None, now: float) -> None:
        """A teaser reached its chat."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, "
                "attempts = attempts + 1, last_error = NULL WHERE id = ?",
                (now, message_id, outbox_id),
            )

    async def mark_retry(self, outbox_id: int, next_attempt_at: float, error: str) -> None:
        """Try this row again later."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
                "WHERE id = ?",
                (next_attempt_at, error, outbox_id),
            )

    async def mark_failed(self, outbox_id: int, error: str) -> None:
        """Give up on this row, keeping the reason."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? "
                "WHERE id = ?",
                (error, outbox_id),
            )

    async def outbox_counts(self) -> OutboxCounts:
        """Outbox rows by state."""
        rows = await self._all("SELECT state, count(*) FROM outbox GROUP BY state")
        counts = {str(r[0]): int(r[1]) for r in rows}
        return OutboxCounts(
            queued=counts.get("queued", 0),
            sent=counts.get("sent", 0),
            failed=counts.get("failed", 0),
            cancelled=counts.get("cancelled", 0),
        )

    async def sent_count(self, chat_id: int) -> int:
        """How many teasers reached a chat."""
        row = await self._one(
            "SELECT count(*) FROM outbox WHERE chat_id = ? AND state = 'sent'", (chat_id,)
        )
        return int(row[0])
