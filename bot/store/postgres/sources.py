"""Sources: syncing the configured ones and listing them (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.core.models import Source, SourceSpec
from bot.store.postgres.base import PgStoreBase
from bot.store.rows import SOURCE_COLUMNS, selectors_to_json, source_row


class PgSourcesStore(PgStoreBase):
    """Sources: syncing the configured ones and listing them."""

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
