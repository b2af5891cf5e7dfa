"""Statistics and health figures: read-only queries over every table (both backends)."""

from __future__ import annotations

from bot.core.usage import UsageStats, day_starts, hour_starts
from bot.store.rows import (
    HealthFigures,
    OpsStats,
    usage_stats,
)
from bot.store.sql import Verbs


class StatsStore(Verbs):
    """Read-only figures for /stats, /healthz and the gauges."""

    async def health_figures(self, now: float) -> HealthFigures:
        """The most overdue source and the oldest due outbox row, as of ``now``."""
        row = await self._sql.one(
            "SELECT name, next_poll_at FROM sources WHERE enabled AND NOT paused "
            "ORDER BY next_poll_at LIMIT 1"
        )
        overdue_source = None
        poll_overdue = 0.0
        if row is not None and float(row[1]) < now:
            overdue_source, poll_overdue = str(row[0]), now - float(row[1])
        out = await self._sql.one(
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
        """When a teaser was last marked sent (a full scan: for the health check's rare path)."""
        value = await self._sql.value("SELECT max(sent_at) FROM outbox WHERE state = 'sent'")
        return float(value) if value is not None else None

    async def ops_stats(self, since: float) -> OpsStats:
        """Subscribed chats by kind and region filter, teasers sent since a time, queue depth."""
        kinds = await self._sql.all(
            "SELECT kind, count(*) FROM chats WHERE subscribed GROUP BY kind ORDER BY kind"
        )
        filters = await self._sql.all("SELECT region_filter FROM chats WHERE subscribed")
        by_region: dict[str, int] = {}
        for (text,) in filters:
            for region in str(text).split() or [""]:
                by_region[region] = by_region.get(region, 0) + 1
        counts = await self._sql.one(
            "SELECT (SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at >= ?), "
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

    async def usage_stats(self, now: float) -> UsageStats:
        """Counts for `python -m bot stats` and /stats: chats, filters, articles per source per
        day, deliveries and failures per hour (a failed row counted at its last due time)."""
        hour0, day0 = float(hour_starts(now)[0]), float(day_starts(now)[0])
        whole = self._dialect.whole
        chats = await self._sql.all(
            "SELECT kind, coalesce(language, ''), count(*) FROM chats WHERE subscribed "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
        )
        filters = await self._sql.all(
            "SELECT region_filter, count(*) FROM chats WHERE subscribed "
            "GROUP BY region_filter ORDER BY 2 DESC, 1"
        )
        names = await self._sql.all("SELECT id, name FROM sources WHERE enabled ORDER BY name")
        articles = await self._sql.all(
            f"SELECT source_id, {whole('(seen_at - ?) / 86400')}, count(*) FROM articles "  # noqa: S608
            "WHERE seen_at >= ? GROUP BY 1, 2",
            day0,
            day0,
        )
        sent = await self._sql.all(
            f"SELECT {whole('(sent_at - ?) / 3600')}, count(*) FROM outbox "  # noqa: S608
            "WHERE state = 'sent' AND sent_at >= ? GROUP BY 1",
            hour0,
            hour0,
        )
        failed = await self._sql.all(
            f"SELECT {whole('(next_attempt_at - ?) / 3600')}, count(*) FROM outbox "  # noqa: S608
            "WHERE state = 'failed' AND next_attempt_at >= ? GROUP BY 1",
            hour0,
            hour0,
        )
        figures = await self.health_figures(now)
        return usage_stats(
            now,
            chats,
            filters,
            names,
            articles,
            sent,
            failed,
            figures.queued,
            figures.oldest_due_age_s,
        )
