"""Sources and their polling state."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.core.models import Source, SourceSpec
from bot.store.base import StoreBase
from bot.store.rows import SOURCE_COLUMNS, selectors_to_json, source_row


class SourcesStore(StoreBase):
    """Sources and their polling state."""

    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[Source]:
        """Make the configured sources present and enabled; disable configured ones now absent."""
        async with self.transaction() as db:
            for spec in specs:
                await db.execute(
                    "INSERT INTO sources (name, spec_url, url, kind, region, selectors, origin, "
                    "enabled, language) VALUES (?, ?, ?, ?, ?, ?, 'config', 1, ?) "
                    "ON CONFLICT (spec_url) DO UPDATE SET name = excluded.name, "
                    "kind = excluded.kind, region = excluded.region, "
                    "selectors = excluded.selectors, enabled = 1, language = excluded.language",
                    (
                        spec.name,
                        spec.url,
                        spec.url,
                        spec.kind.value,
                        spec.region,
                        selectors_to_json(spec.selectors),
                        spec.language,
                    ),
                )
            urls = [spec.url for spec in specs]
            placeholders = ",".join("?" * len(urls)) or "NULL"
            await db.execute(
                f"UPDATE sources SET enabled = 0 WHERE origin = 'config' "  # noqa: S608
                f"AND spec_url NOT IN ({placeholders})",
                urls,
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
            "WHERE enabled = 1 AND paused = 0 ORDER BY lower(coalesce(feed_title, name)), id"
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    async def source(self, source_id: int) -> Source | None:
        """One source by id."""
        row = await self._one(
            f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?",  # noqa: S608
            (source_id,),
        )
        return source_row(row) if row else None

    async def due_sources(self, now: float) -> list[Source]:
        """Enabled sources whose next poll time has come, most overdue first."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE enabled = 1 AND paused = 0 AND next_poll_at <= ? ORDER BY next_poll_at, id",
            (now,),
        )
        return [source_row(r) for r in rows]

    async def next_poll_time(self, excluding: Collection[int] = ()) -> float | None:
        """When the next enabled source is due (leaving out ``excluding``), or None."""
        skip = ",".join("?" * len(excluding))
        row = await self._one(
            "SELECT min(next_poll_at) FROM sources WHERE enabled = 1 AND paused = 0"  # noqa: S608
            + (f" AND id NOT IN ({skip})" if excluding else ""),
            tuple(excluding),
        )
        return float(row[0]) if row and row[0] is not None else None
