"""Operations on the store: pruning, health, operator sources, outages, stats (PostgreSQL)."""

from __future__ import annotations

from typing import Any

from bot.core.models import Source, SourceSpec
from bot.store.maintenance import (
    ORIGIN_OPERATOR,
    HealthFigures,
    OpsStats,
    PruneResult,
    SourceStatus,
    identity_hash,
)
from bot.store.postgres.base import PgStoreBase, rows_changed
from bot.store.rows import SOURCE_COLUMNS, selectors_to_json, source_row

_PRUNE_CHUNK = 1000
_SOURCE_WIDTH = len(SOURCE_COLUMNS.split(","))
_STATUS_COLUMNS = f"{SOURCE_COLUMNS}, origin, paused, failing_since, outage_notified_at"


class PgMaintenanceStore(PgStoreBase):
    """Pruning, health figures, operator-managed sources and statistics."""

    # ----------------------------------------------------------------- pruning

    async def prune_articles(self, before: float) -> PruneResult:
        """Delete articles first seen before ``before`` (none still queued), keeping their keys.

        The key and URL digests go to ``pruned_keys``, so a story that reappears in its feed is
        still recognised as seen. Their outbox rows (sent, failed, cancelled) go with them.
        """
        removed = kept = 0
        while True:
            async with self.transaction() as db:
                rows = await db.fetch(
                    "SELECT id, source_id, key, url FROM articles WHERE seen_at < $1 "
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.article_id = articles.id "
                    "AND o.state = 'queued') LIMIT $2 FOR UPDATE SKIP LOCKED",
                    float(before),
                    _PRUNE_CHUNK,
                )
                if not rows:
                    return PruneResult(articles=removed, keys_kept=kept)
                identities = [(r[1], identity_hash("k", r[2])) for r in rows]
                identities += [(r[1], identity_hash("u", r[3])) for r in rows if r[3]]
                status = await db.execute(
                    "INSERT INTO pruned_keys (source_id, key_hash) "
                    "SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING",
                    [source for source, _ in identities],
                    [digest for _, digest in identities],
                )
                kept += rows_changed(status)
                await db.execute(
                    "DELETE FROM articles WHERE id = ANY($1::bigint[])", [r[0] for r in rows]
                )
                removed += len(rows)

    async def pruned_key_count(self) -> int:
        """How many identity digests are kept for pruned articles."""
        return int(await self._value("SELECT count(*) FROM pruned_keys"))

    # ------------------------------------------------------------------ health

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

    # ----------------------------------------------------------------- sources

    async def source_statuses(self) -> list[SourceStatus]:
        """Every source with its origin, pause and outage state, by id."""
        rows = await self._all(f"SELECT {_STATUS_COLUMNS} FROM sources ORDER BY id")  # noqa: S608
        return [_status(r) for r in rows]

    async def add_operator_source(self, spec: SourceSpec) -> tuple[Source, bool]:
        """Add a source from an operator command (kept across restarts); (source, created).

        A source with the same URL that exists already is enabled and unpaused instead.
        """
        async with self.transaction() as db:
            created = await db.fetchval(
                "INSERT INTO sources (name, spec_url, url, kind, region, selectors, origin, "
                "enabled) VALUES ($1, $2, $2, $3, $4, $5, $6, true) "
                "ON CONFLICT (spec_url) DO NOTHING RETURNING id",
                spec.name,
                spec.url,
                spec.kind.value,
                spec.region,
                selectors_to_json(spec.selectors),
                ORIGIN_OPERATOR,
            )
            if created is None:
                await db.execute(
                    "UPDATE sources SET enabled = true, paused = false, next_poll_at = 0 "
                    "WHERE spec_url = $1",
                    spec.url,
                )
            row = await db.fetchrow(
                f"SELECT {SOURCE_COLUMNS} FROM sources WHERE spec_url = $1",  # noqa: S608
                spec.url,
            )
        return source_row(row), created is not None

    async def remove_operator_source(self, source_id: int) -> bool:
        """Delete an operator-added source with its articles and queue; False if not one."""
        changed = await self._execute(
            "DELETE FROM sources WHERE id = $1 AND origin = $2", source_id, ORIGIN_OPERATOR
        )
        return changed == 1

    async def set_source_paused(self, source_id: int, paused: bool) -> bool:
        """Pause or resume polling a source; False when there is no such source."""
        changed = await self._execute(
            "UPDATE sources SET paused = $1, next_poll_at = CASE WHEN $1 THEN next_poll_at "
            "ELSE 0 END WHERE id = $2",
            paused,
            source_id,
        )
        return changed == 1

    # ---------------------------------------------------------- outage notices

    async def outages_to_announce(self, failing_since_before: float) -> list[SourceStatus]:
        """Enabled sources failing since before the given time that no notice has covered."""
        rows = await self._all(
            f"SELECT {_STATUS_COLUMNS} FROM sources "  # noqa: S608
            "WHERE enabled AND NOT paused AND failing_since IS NOT NULL "
            "AND failing_since <= $1 AND outage_notified_at IS NULL ORDER BY id",
            float(failing_since_before),
        )
        return [_status(r) for r in rows]

    async def recoveries_to_announce(self) -> list[SourceStatus]:
        """Sources whose outage was announced and that polled successfully since."""
        rows = await self._all(
            f"SELECT {_STATUS_COLUMNS} FROM sources "  # noqa: S608
            "WHERE outage_notified_at IS NOT NULL AND failing_since IS NULL ORDER BY id"
        )
        return [_status(r) for r in rows]

    async def set_outage_notified(self, source_id: int, at: float | None) -> None:
        """Record that an outage notice went out (``at``) or that its recovery did (None)."""
        await self._execute(
            "UPDATE sources SET outage_notified_at = $1 WHERE id = $2",
            None if at is None else float(at),
            source_id,
        )

    # ------------------------------------------------------------------ stats

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


def _status(row: Any) -> SourceStatus:
    extra = row[_SOURCE_WIDTH:]
    return SourceStatus(
        source=source_row(row),
        origin=str(extra[0]),
        paused=bool(extra[1]),
        failing_since=None if extra[2] is None else float(extra[2]),
        outage_notified_at=None if extra[3] is None else float(extra[3]),
    )
