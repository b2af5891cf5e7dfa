"""Operations on the store: pruning with kept identity keys, health, operator sources, stats."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from bot.core.models import Source, SourceSpec
from bot.store.base import StoreBase
from bot.store.rows import SOURCE_COLUMNS, selectors_to_json, source_row

_PRUNE_CHUNK = 1000
ORIGIN_OPERATOR = "operator"


def identity_hash(kind: str, value: str) -> int:
    """A signed 64-bit digest of an item's key (``kind`` "k") or URL ("u"), kept after pruning."""
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What one pruning pass removed."""

    articles: int
    keys_kept: int


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A source with the state the operator commands show."""

    source: Source
    origin: str
    paused: bool
    failing_since: float | None
    outage_notified_at: float | None


@dataclass(frozen=True, slots=True)
class HealthFigures:
    """What /healthz and the gauges read from the database."""

    overdue_source: str | None  # the most overdue enabled, unpaused source
    poll_overdue_s: float  # how long past its due time it is (0 when none is due)
    queued: int
    oldest_due_age_s: float  # how long the oldest due outbox row has waited (0 when none)


@dataclass(frozen=True, slots=True)
class OpsStats:
    """The figures /stats shows."""

    chats_by_kind: dict[str, int]
    subscriptions_by_region: dict[str, int]  # "" means the whole world
    sent_since: int
    queued: int
    articles: int
    sources: int


class MaintenanceStore(StoreBase):
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
                rows = await self._all(
                    "SELECT id, source_id, key, url FROM articles WHERE seen_at < ? "
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.article_id = articles.id "
                    "AND o.state = 'queued') LIMIT ?",
                    (before, _PRUNE_CHUNK),
                )
                if not rows:
                    return PruneResult(articles=removed, keys_kept=kept)
                identities = [(r[1], identity_hash("k", r[2])) for r in rows]
                identities += [(r[1], identity_hash("u", r[3])) for r in rows if r[3]]
                before_count = db.total_changes
                await db.executemany(
                    "INSERT OR IGNORE INTO pruned_keys (source_id, key_hash) VALUES (?, ?)",
                    identities,
                )
                kept += db.total_changes - before_count
                await db.executemany("DELETE FROM articles WHERE id = ?", [(r[0],) for r in rows])
                removed += len(rows)

    async def pruned_key_count(self) -> int:
        """How many identity digests are kept for pruned articles."""
        row = await self._one("SELECT count(*) FROM pruned_keys")
        return int(row[0])

    # ------------------------------------------------------------------ health

    async def health_figures(self, now: float) -> HealthFigures:
        """The most overdue source and the oldest due outbox row, as of ``now``."""
        row = await self._one(
            "SELECT name, next_poll_at FROM sources WHERE enabled = 1 AND paused = 0 "
            "ORDER BY next_poll_at LIMIT 1"
        )
        overdue_source = None
        poll_overdue = 0.0
        if row is not None and float(row[1]) < now:
            overdue_source, poll_overdue = str(row[0]), now - float(row[1])
        out = await self._one(
            "SELECT count(*), min(next_attempt_at) FROM outbox WHERE state = 'queued'"
        )
        queued = int(out[0])
        oldest = float(out[1]) if out[1] is not None else None
        return HealthFigures(
            overdue_source=overdue_source,
            poll_overdue_s=poll_overdue,
            queued=queued,
            oldest_due_age_s=max(0.0, now - oldest) if oldest is not None else 0.0,
        )

    async def last_sent_at(self) -> float | None:
        """When a teaser was last marked sent (a full scan: for the health check's rare path)."""
        row = await self._one("SELECT max(sent_at) FROM outbox WHERE state = 'sent'")
        return float(row[0]) if row and row[0] is not None else None

    # ----------------------------------------------------------------- sources

    async def source_statuses(self) -> list[SourceStatus]:
        """Every source with its origin, pause and outage state, by id."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id"  # noqa: S608
        )
        return [_status(r) for r in rows]

    async def add_operator_source(self, spec: SourceSpec) -> tuple[Source, bool]:
        """Add a source from an operator command (kept across restarts); (source, created).

        A source with the same URL that exists already is enabled and unpaused instead.
        """
        async with self.transaction() as db:
            cur = await db.execute(
                "INSERT OR IGNORE INTO sources (name, spec_url, url, kind, region, selectors, "
                "origin, enabled) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                (
                    spec.name,
                    spec.url,
                    spec.url,
                    spec.kind.value,
                    spec.region,
                    selectors_to_json(spec.selectors),
                    ORIGIN_OPERATOR,
                ),
            )
            created = cur.rowcount == 1
            if not created:
                await db.execute(
                    "UPDATE sources SET enabled = 1, paused = 0, next_poll_at = 0 "
                    "WHERE spec_url = ?",
                    (spec.url,),
                )
            row = await self._one(
                f"SELECT {SOURCE_COLUMNS} FROM sources WHERE spec_url = ?",  # noqa: S608
                (spec.url,),
            )
        return source_row(row), created

    async def remove_operator_source(self, source_id: int) -> bool:
        """Delete an operator-added source with its articles and queue; False if not one."""
        async with self.transaction() as db:
            cur = await db.execute(
                "DELETE FROM sources WHERE id = ? AND origin = ?", (source_id, ORIGIN_OPERATOR)
            )
            return cur.rowcount == 1

    async def set_source_paused(self, source_id: int, paused: bool) -> bool:
        """Pause or resume polling a source; False when there is no such source."""
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE sources SET paused = ?, next_poll_at = CASE WHEN ? THEN next_poll_at "
                "ELSE 0 END WHERE id = ?",
                (paused, paused, source_id),
            )
            return cur.rowcount == 1

    # ---------------------------------------------------------- outage notices

    async def outages_to_announce(self, failing_since_before: float) -> list[SourceStatus]:
        """Enabled sources failing since before the given time that no notice has covered."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE enabled = 1 AND paused = 0 AND failing_since IS NOT NULL "
            "AND failing_since <= ? AND outage_notified_at IS NULL ORDER BY id",
            (failing_since_before,),
        )
        return [_status(r) for r in rows]

    async def recoveries_to_announce(self) -> list[SourceStatus]:
        """Sources whose outage was announced and that polled successfully since."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE outage_notified_at IS NOT NULL AND failing_since IS NULL "
            "ORDER BY id"
        )
        return [_status(r) for r in rows]

    async def set_outage_notified(self, source_id: int, at: float | None) -> None:
        """Record that an outage notice went out (``at``) or that its recovery did (None)."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE sources SET outage_notified_at = ? WHERE id = ?", (at, source_id)
            )

    # ------------------------------------------------------------------ stats

    async def ops_stats(self, since: float) -> OpsStats:
        """Subscribed chats by kind and region filter, teasers sent since a time, queue depth."""
        kinds = await self._all(
            "SELECT kind, count(*) FROM chats WHERE subscribed = 1 GROUP BY kind ORDER BY kind"
        )
        filters = await self._all("SELECT region_filter FROM chats WHERE subscribed = 1")
        by_region: dict[str, int] = {}
        for (text,) in filters:
            for region in str(text).split() or [""]:
                by_region[region] = by_region.get(region, 0) + 1
        sent = await self._one(
            "SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at >= ?", (since,)
        )
        queued = await self._one("SELECT count(*) FROM outbox WHERE state = 'queued'")
        articles = await self._one("SELECT count(*) FROM articles")
        sources = await self._one("SELECT count(*) FROM sources WHERE enabled = 1")
        return OpsStats(
            chats_by_kind={str(r[0]): int(r[1]) for r in kinds},
            subscriptions_by_region=dict(sorted(by_region.items(), key=lambda kv: -kv[1])),
            sent_since=int(sent[0]),
            queued=int(queued[0]),
            articles=int(articles[0]),
            sources=int(sources[0]),
        )


def _status(row: Any) -> SourceStatus:
    source = source_row(row)
    return SourceStatus(
        source=source,
        origin=source.origin,
        paused=source.paused,
        failing_since=source.failing_since,
        outage_notified_at=source.outage_notified_at,
    )
