"""Statistics and health figures: read-only queries over every table (PostgreSQL)."""

from __future__ import annotations

from bot.store.postgres.base import PgStoreBase
from bot.store.rows import (
    HealthFigures,
    OpsStats,
)


class PgStatsStore(PgStoreBase):
    """Read-only figures for /stats, /healthz and the gauges."""

    async def health_figures(self, now: float) -> HealthFigures:
        """The most overdue source and the oldest due outbox row, as of ``now``."""
        row = await self._one(
            "SELECT name, next_poll_at FROM sources WHERE enabled AND NOT paused "
            "ORDER BY next_poll_at LIMIT 1"
        )
        overdue_source = None
        poll_overdue = 0.0
        if row is not None and float(row[1]) < now:
            overdue_source, poll_overdue = str(row[0]), now - float(row[1])
        out = await self._one(
            "SELECT count(*), min(next_attempt_at) FROM outbox WHERE state = 'queued'"
        )
        assert out is not None
        oldest = float(out[1]) if out[1] is not None else None
        return HealthFigures(
            overdue_source=overdue_source,
            poll_overdue_s=poll_overdue,
            queued=int(out[0]),
            oldest_due_age_s=max(0.0, now - oldest) if oldest is not None else 0.0,
        )

    async def last_sent_at(self) -> float | None:
        """When a teaser was last marked sent."""
        value = await self._value("SELECT max(sent_at) FROM outbox WHERE state = 'sent'")
        return float(value) if value is not None else None

    async def ops_stats(self, since: float) -> OpsStats:
        """Subscribed chats by kind and region filter, teasers sent since a time, queue depth."""
        kinds = await self._all(
            "SELECT kind, count(*) FROM chats WHERE subscribed GROUP BY kind ORDER BY kind"
        )
        filters = await self._all("SELECT region_filter FROM chats WHERE subscribed")
        by_region: dict[str, int] = {}
        for (text,) in filters:
            for region in str(text).split() or [""]:
                by_region[region] = by_region.get(region, 0) + 1
        counts = await self._one(
            "SELECT (SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at >= $1), "
            "(SELECT count(*) FROM outbox WHERE state = 'queued'), "
            "(SELECT count(*) FROM articles), (SELECT count(*) FROM sources WHERE enabled)",
            float(since),
        )
        assert counts is not None
        return OpsStats(
            chats_by_kind={str(r[0]): int(r[1]) for r in kinds},
            subscriptions_by_region=dict(sorted(by_region.items(), key=lambda kv: -kv[1])),
            sent_since=int(counts[0]),
            queued=int(counts[1]),
            articles=int(counts[2]),
            sources=int(counts[3]),
        )
