"""Sources: their polling state, leases on due ones, the operator-added ones, pausing, outages.

Both backends (see :mod:`bot.store.sql`). Leases let several processes share polling on
PostgreSQL, and no source is polled twice at once: a process claims due sources (claims made at
the same moment never overlap: PostgreSQL skips the rows another claim has locked, SQLite runs
one statement at a time) and holds each for ``lease_s`` seconds. A lease that runs out, because
its process died or hung, leaves the source free for the others. Times are the callers' ``now``
(their clocks should agree to well under a lease; NTP does).

The poller (:class:`bot.service.poller.Poller`) claims in small batches, renews the leases of
the polls it still runs, and gives back on stop what it did not poll. ``apply_poll`` ends a
lease in the statement that writes the poll's result (:data:`LEASE_ENDS`). A SQLite file serves
one process: it clears leftover leases when it is opened alone (:func:`free_leases`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.core.models import Source, SourceSpec
from bot.store.rows import (
    ORIGIN_OPERATOR,
    SOURCE_COLUMNS,
    SourceStatus,
    selectors_to_json,
    source_row,
    status_row,
)
from bot.store.sql import Session, Verbs

LEASE_ENDS: Final = "lease_owner = NULL, lease_until = NULL"
"""The assignments that end a source's lease: a poll's update of its source's state sets them
in the same statement (the new ``next_poll_at`` says when the source is due again)."""

_ENABLED = "enabled AND NOT paused"  # the terms of the sources_due index, as written there


async def free_leases(db: Session) -> None:
    """End every lease: for a store that alone uses its database, whose earlier process ended
    without giving back what it held."""
    await db.execute(f"UPDATE sources SET {LEASE_ENDS} WHERE lease_owner IS NOT NULL")  # noqa: S608


class SourcesStore(Verbs):
    """Sources, their polling state and their leases."""

    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[Source]:
        """Make the configured sources present and enabled; disable configured ones now absent."""
        async with self._sql.transaction() as db:
            await db.executemany(
                "INSERT INTO sources (name, spec_url, url, kind, region, selectors, origin, "
                "enabled, language) VALUES (?, ?, ?, ?, ?, ?, 'config', true, ?) "
                "ON CONFLICT (spec_url) DO UPDATE SET name = excluded.name, "
                "kind = excluded.kind, region = excluded.region, "
                "selectors = excluded.selectors, enabled = true, language = excluded.language",
                [
                    (
                        spec.name,
                        spec.url,
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
                "UPDATE sources SET enabled = false WHERE origin = 'config' "  # noqa: S608
                f"AND NOT ({self._dialect.any_of('spec_url')})",
                self._dialect.array(spec.url for spec in specs),
            )
        return await self.sources()

    async def sources(self) -> list[Source]:
        """Every source, enabled or not, by id."""
        rows = await self._sql.all(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id")  # noqa: S608
        return [source_row(r) for r in rows]

    async def followed_sites(self) -> list[tuple[str, str]]:
        """(name for people, URL) of every enabled source: the feed's own title when known."""
        rows = await self._sql.all(
            "SELECT coalesce(feed_title, name), coalesce(spec_url, url) FROM sources "  # noqa: S608
            f"WHERE {_ENABLED} ORDER BY lower(coalesce(feed_title, name)), id"
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    async def source(self, source_id: int) -> Source | None:
        """One source by id."""
        row = await self._sql.one(
            f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?",  # noqa: S608
            source_id,
        )
        return source_row(row) if row else None

    async def due_sources(self, now: float) -> list[Source]:
        """Enabled sources whose next poll time has come, most overdue first."""
        rows = await self._sql.all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            f"WHERE {_ENABLED} AND next_poll_at <= ? ORDER BY next_poll_at, id",
            float(now),
        )
        return [source_row(r) for r in rows]

    # ---------------------------------------------------------------- leases

    async def claim_due_sources(
        self, now: float, *, owner: str, lease_s: float, limit: int
    ) -> list[Source]:
        """Lease up to ``limit`` due sources no one else holds to ``owner``; most overdue first."""
        async with self._sql.transaction() as db:
            rows = await db.all(
                "UPDATE sources SET lease_owner = ?, lease_until = ? WHERE id IN ("  # noqa: S608
                f"SELECT id FROM sources WHERE {_ENABLED} AND next_poll_at <= ? "
                "AND (lease_until IS NULL OR lease_until <= ?) "
                f"ORDER BY next_poll_at, id LIMIT ?{self._dialect.skip_locked}) "
                f"RETURNING {SOURCE_COLUMNS}",
                owner,
                float(now + lease_s),
                float(now),
                float(now),
                limit,
            )
        return sorted((source_row(r) for r in rows), key=lambda s: (s.next_poll_at, s.id))

    async def renew_leases(
        self, source_ids: Sequence[int], *, owner: str, until: float
    ) -> list[int]:
        """Extend ``owner``'s leases on these sources; the ids it still held (and now renewed)."""
        async with self._sql.transaction() as db:
            rows = await db.all(
                "UPDATE sources SET lease_until = ? "  # noqa: S608
                f"WHERE {self._dialect.any_of('id')} AND lease_owner = ? RETURNING id",
                float(until),
                self._dialect.array(source_ids),
                owner,
            )
        return sorted(int(r[0]) for r in rows)

    async def release_sources(self, source_ids: Sequence[int], *, owner: str) -> int:
        """Give back ``owner``'s leases on these sources; how many it held."""
        return await self._sql.execute(
            f"UPDATE sources SET {LEASE_ENDS} "  # noqa: S608
            f"WHERE {self._dialect.any_of('id')} AND lease_owner = ?",
            self._dialect.array(source_ids),
            owner,
        )

    async def leases(self) -> dict[int, tuple[str, float]]:
        """Every lease held: source id -> (owner, until)."""
        rows = await self._sql.all(
            "SELECT id, lease_owner, lease_until FROM sources WHERE lease_owner IS NOT NULL "
            "ORDER BY id"
        )
        return {int(r[0]): (str(r[1]), float(r[2])) for r in rows}

    async def next_claim_time(self) -> float | None:
        """When the next enabled source can be claimed: it is due and no lease holds it; or None.

        What a process sleeps until when others hold the due sources (the earliest
        ``next_poll_at`` would name a time already past and keep it busy).
        """
        value = await self._sql.value(
            f"SELECT min({self._dialect.greatest}(next_poll_at, "  # noqa: S608
            f"coalesce(lease_until, next_poll_at))) FROM sources WHERE {_ENABLED}"
        )
        return float(value) if value is not None else None

    # ---------------------------------------------------------------- operations

    async def source_statuses(self) -> list[SourceStatus]:
        """Every source with its origin, pause and outage state, by id."""
        rows = await self._sql.all(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id")  # noqa: S608
        return [status_row(r) for r in rows]

    async def add_operator_source(self, spec: SourceSpec) -> tuple[Source, bool]:
        """Add a source from an operator command (kept across restarts); (source, created).

        A source with the same URL that exists already is enabled and unpaused instead.
        """
        async with self._sql.transaction() as db:
            created = await db.value(
                "INSERT INTO sources (name, spec_url, url, kind, region, selectors, origin, "
                "enabled) VALUES (?, ?, ?, ?, ?, ?, ?, true) "
                "ON CONFLICT (spec_url) DO NOTHING RETURNING id",
                spec.name,
                spec.url,
                spec.url,
                spec.kind.value,
                spec.region,
                selectors_to_json(spec.selectors),
                ORIGIN_OPERATOR,
            )
            if created is None:
                await db.execute(
                    "UPDATE sources SET enabled = true, paused = false, next_poll_at = 0 "
                    "WHERE spec_url = ?",
                    spec.url,
                )
            row = await db.one(
                f"SELECT {SOURCE_COLUMNS} FROM sources WHERE spec_url = ?",  # noqa: S608
                spec.url,
            )
        return source_row(row), created is not None

    async def remove_operator_source(self, source_id: int) -> bool:
        """Delete an operator-added source with its articles and queue; False if not one."""
        changed = await self._sql.execute(
            "DELETE FROM sources WHERE id = ? AND origin = ?", source_id, ORIGIN_OPERATOR
        )
        return changed == 1

    async def set_source_paused(self, source_id: int, paused: bool) -> bool:
        """Pause or resume polling a source; False when there is no such source."""
        changed = await self._sql.execute(
            "UPDATE sources SET paused = ?, next_poll_at = CASE WHEN ? THEN next_poll_at "
            "ELSE 0 END WHERE id = ?",
            paused,
            paused,
            source_id,
        )
        return changed == 1

    async def make_source_due(self, source_id: int, now: float) -> bool:
        """A ping: an enabled, unpaused source is due at ``now`` (unless due sooner); False when
        there is no such source."""
        changed = await self._sql.execute(
            f"UPDATE sources SET next_poll_at = {self._dialect.least}(next_poll_at, ?) "  # noqa: S608
            f"WHERE id = ? AND {_ENABLED}",
            float(now),
            source_id,
        )
        return changed == 1

    async def outages_to_announce(self, failing_since_before: float) -> list[SourceStatus]:
        """Enabled sources failing since before the given time that no notice has covered."""
        rows = await self._sql.all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            f"WHERE {_ENABLED} AND failing_since IS NOT NULL "
            "AND failing_since <= ? AND outage_notified_at IS NULL ORDER BY id",
            float(failing_since_before),
        )
        return [status_row(r) for r in rows]

    async def recoveries_to_announce(self) -> list[SourceStatus]:
        """Sources whose outage was announced and that polled successfully since."""
        rows = await self._sql.all(
            f"SELECT {SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE outage_notified_at IS NOT NULL AND failing_since IS NULL ORDER BY id"
        )
        return [status_row(r) for r in rows]

    async def set_outage_notified(self, source_id: int, at: float | None) -> None:
        """Record that an outage notice went out (``at``) or that its recovery did (None)."""
        await self._sql.execute(
            "UPDATE sources SET outage_notified_at = ? WHERE id = ?",
            None if at is None else float(at),
            source_id,
        )
