"""Sources: syncing, listing, the operator-added ones, pausing, outage notices (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.core.models import Source, SourceSpec
from bot.store.postgres.base import PgStoreBase
from bot.store.rows import (
    ORIGIN_OPERATOR,
    SOURCE_COLUMNS,
    SourceStatus,
    selectors_to_json,
    source_row,
    status_row,
)


class PgSourcesStore(PgStoreBase):
    """Sources: syncing, listing, operator-added sources, pausing and outage notices."""

    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[Source]:
        """Make the configured sources present and enabled; disable configured ones now absent."""
        async with self.transaction() as db:
            await db.executemany(
                "INSERT INTO sources (name, spec_url, url, kind, region, selectors, origin, "
                "enabled, language) VALUES ($1, $2, $2, $3, $4, $5, 'config', true, $6) "
                "ON CONFLICT (spec_url) DO UPDATE SET name = excluded.name, "
                "kind = excluded.kind, region = excluded.region, "
                "selectors = excluded.selectors, enabled = true, language = excluded.language",
                [
                    (
                        spec.name,
                        spec.url,
                        spec.kind.value,
                        spec.region,
                        selectors_to_json(spec.selectors),
                        spec.language,
                    )
                    for spec in specs
                ],
            )
            await db.execute(
                "UPDATE sources SET enabled = false WHERE origin = 'config' "
                "AND NOT (spec_url = ANY($1::text[]))",
                [spec.url for spec in specs],
            )
        return await self.sources()

    async def sources(self) -> list[Source]:
        """Every source, enabled or not, by id."""
        rows = await self._all(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id")  # noqa: S608
        return [source_row(r) for r in rows]

    async def followed_sites(self) -> list[tuple[str, str]]:
        """(name for people, URL) of every enabled source: the feed's own title when known."""
        rows = await self._all(
            "SELECT coalesce(feed_title, name), coalesce(spec_url, url) FROM sources "
            "WHERE enabled AND NOT paused ORDER BY lower(coalesce(feed_title, name)), id"
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    async def source(self, source_id: int) -> Source | None:
        """One source by id."""
        row = await self._one(
            f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = $1",  # noqa: S608
            source_id,
        )
        return source_row(row) if row else None

    async def due_sources(self, now: float) -> list[Source]:
        """Enabled sources whose next poll time has come, most overdue first."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE enabled AND NOT paused AND next_poll_at <= $1 ORDER BY next_poll_at, id",
            now,
        )
        return [source_row(r) for r in rows]

    async def next_poll_time(self, excluding: Collection[int] = ()) -> float | None:
        """When the next enabled source is due (leaving out ``excluding``), or None."""
        value = await self._value(
            "SELECT min(next_poll_at) FROM sources WHERE enabled AND NOT paused "
            "AND NOT (id = ANY($1::bigint[]))",
            list(excluding),
        )
        return float(value) if value is not None else None

    async def source_statuses(self) -> list[SourceStatus]:
        """Every source with its origin, pause and outage state, by id."""
        rows = await self._all(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id")  # noqa: S608
        return [status_row(r) for r in rows]

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

    async def make_source_due(self, source_id: int, now: float) -> bool:
        """A ping: an enabled, unpaused source is due at ``now`` (unless due sooner); False when
        there is no such source."""
        changed = await self._execute(
            "UPDATE sources SET next_poll_at = LEAST(next_poll_at, $1) "
            "WHERE id = $2 AND enabled AND NOT paused",
            now,
            source_id,
        )
        return changed == 1

    async def outages_to_announce(self, failing_since_before: float) -> list[SourceStatus]:
        """Enabled sources failing since before the given time that no notice has covered."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE enabled AND NOT paused AND failing_since IS NOT NULL "
            "AND failing_since <= $1 AND outage_notified_at IS NULL ORDER BY id",
            float(failing_since_before),
        )
        return [status_row(r) for r in rows]

    async def recoveries_to_announce(self) -> list[SourceStatus]:
        """Sources whose outage was announced and that polled successfully since."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE outage_notified_at IS NOT NULL AND failing_since IS NULL ORDER BY id"
        )
        return [status_row(r) for r in rows]

    async def set_outage_notified(self, source_id: int, at: float | None) -> None:
        """Record that an outage notice went out (``at``) or that its recovery did (None)."""
        await self._execute(
            "UPDATE sources SET outage_notified_at = $1 WHERE id = $2",
            None if at is None else float(at),
            source_id,
        )
