"""Sources: their polling state, claiming due ones, the operator-added ones, pausing, outages."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import aiosqlite

from bot.core.models import Source, SourceSpec
from bot.store.base import StoreBase, _InstanceLock
from bot.store.rows import (
    ORIGIN_OPERATOR,
    SOURCE_COLUMNS,
    SourceStatus,
    selectors_to_json,
    source_row,
    status_row,
)


class SourceLeases:
    """Who polls which source until when, for one process: the SQLite store serves only one.

    The same rules as the PostgreSQL store's lease columns (:mod:`bot.store.postgres.leases`),
    kept in memory: they would mean nothing after the process that holds them is gone.
    """

    def __init__(self) -> None:
        self._held: dict[int, tuple[str, float]] = {}

    def held(self, now: float) -> dict[int, tuple[str, float]]:
        """The leases still running at ``now`` (the ones run out are dropped)."""
        self._held = {sid: lease for sid, lease in self._held.items() if lease[1] > now}
        return dict(self._held)

    def grant(self, source_ids: Sequence[int], owner: str, until: float) -> None:
        """Lease these sources to ``owner`` until ``until``."""
        for source_id in source_ids:
            self._held[source_id] = (owner, until)

    def renew(self, source_ids: Sequence[int], owner: str, until: float) -> list[int]:
        """Extend ``owner``'s leases on these sources; the ids it held."""
        mine = sorted({sid for sid in source_ids if self._held.get(sid, ("", 0.0))[0] == owner})
        self.grant(mine, owner, until)
        return mine

    def release(self, source_ids: Sequence[int], owner: str | None = None) -> int:
        """End the leases on these sources (only ``owner``'s, when given); how many ended."""
        ended = 0
        for source_id in source_ids:
            lease = self._held.get(source_id)
            if lease is not None and owner in (None, lease[0]):
                del self._held[source_id]
                ended += 1
        return ended


class SourcesStore(StoreBase):
    """Sources and their polling state."""

    def __init__(self, db: aiosqlite.Connection, lock: _InstanceLock | None) -> None:
        super().__init__(db, lock)
        self._leases = SourceLeases()

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

    async def claim_due_sources(
        self, now: float, *, owner: str, lease_s: float, limit: int
    ) -> list[Source]:
        """Lease up to ``limit`` due sources no one holds to ``owner``; most overdue first."""
        held = self._leases.held(now)
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE enabled = 1 AND paused = 0 AND next_poll_at <= ? "
            "ORDER BY next_poll_at, id LIMIT ?",
            (now, limit + len(held)),
        )
        claimed = [source_row(r) for r in rows if r[0] not in held][:limit]
        self._leases.grant([s.id for s in claimed], owner, now + lease_s)
        return claimed

    async def renew_leases(
        self, source_ids: Sequence[int], *, owner: str, until: float
    ) -> list[int]:
        """Extend ``owner``'s leases on these sources; the ids it still held (and now renewed)."""
        return self._leases.renew(source_ids, owner, until)

    async def release_sources(self, source_ids: Sequence[int], *, owner: str) -> int:
        """Give back ``owner``'s leases on these sources; how many it held."""
        return self._leases.release(source_ids, owner)

    async def leases(self) -> dict[int, tuple[str, float]]:
        """Every lease held: source id -> (owner, until)."""
        return dict(sorted(self._leases.held(float("-inf")).items()))

    async def next_claim_time(self) -> float | None:
        """When the next enabled source can be claimed: it is due and no lease holds it; or None."""
        held = self._leases.held(float("-inf"))
        free = await self.next_poll_time(excluding=held)
        if not held:
            return free
        marks = ",".join("?" * len(held))
        rows = await self._all(
            "SELECT id, next_poll_at FROM sources WHERE enabled = 1 AND paused = 0 "  # noqa: S608
            f"AND id IN ({marks})",
            tuple(held),
        )
        times = [max(float(due), held[int(sid)][1]) for sid, due in rows]
        if free is not None:
            times.append(free)
        return min(times, default=None)

    async def source_statuses(self) -> list[SourceStatus]:
        """Every source with its origin, pause and outage state, by id."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id"  # noqa: S608
        )
        return [status_row(r) for r in rows]

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

    async def make_source_due(self, source_id: int, now: float) -> bool:
        """A ping: an enabled, unpaused source is due at ``now`` (unless due sooner); False when
        there is no such source."""
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE sources SET next_poll_at = min(next_poll_at, ?) "
                "WHERE id = ? AND enabled = 1 AND paused = 0",
                (now, source_id),
            )
            return cur.rowcount == 1

    async def outages_to_announce(self, failing_since_before: float) -> list[SourceStatus]:
        """Enabled sources failing since before the given time that no notice has covered."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE enabled = 1 AND paused = 0 AND failing_since IS NOT NULL "
            "AND failing_since <= ? AND outage_notified_at IS NULL ORDER BY id",
            (failing_since_before,),
        )
        return [status_row(r) for r in rows]

    async def recoveries_to_announce(self) -> list[SourceStatus]:
        """Sources whose outage was announced and that polled successfully since."""
        rows = await self._all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE outage_notified_at IS NOT NULL AND failing_since IS NULL "
            "ORDER BY id"
        )
        return [status_row(r) for r in rows]

    async def set_outage_notified(self, source_id: int, at: float | None) -> None:
        """Record that an outage notice went out (``at``) or that its recovery did (None)."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE sources SET outage_notified_at = ? WHERE id = ?", (at, source_id)
            )
