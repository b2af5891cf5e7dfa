"""Source leases: several processes share polling, and no source is polled twice at once.

A process claims due sources with ``FOR UPDATE SKIP LOCKED`` (claims made at the same moment never
overlap) and holds each for ``lease_s`` seconds. A lease that runs out, because its process died
or hung, leaves the source free for the others. Times are the callers' ``now`` (their clocks
should agree to well under a lease; NTP does).

The poller (:class:`bot.service.poller.Poller`) claims in small batches, renews the leases of
the polls it still runs, and gives back on stop what it did not poll. ``apply_poll`` ends a
lease in the statement that writes the poll's result (:mod:`.polls`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.models import Source
from bot.store.postgres.base import PgStoreBase
from bot.store.rows import SOURCE_COLUMNS, source_row

_CLAIMED_COLUMNS = ", ".join(f"s.{c.strip()}" for c in SOURCE_COLUMNS.split(","))


class PgLeasesStore(PgStoreBase):
    """Claiming due sources for one process at a time."""

    async def claim_due_sources(
        self, now: float, *, owner: str, lease_s: float, limit: int
    ) -> list[Source]:
        """Lease up to ``limit`` due sources no one else holds to ``owner``; most overdue first."""
        rows = await self._all(
            "WITH due AS (SELECT id FROM sources WHERE enabled AND NOT paused "  # noqa: S608
            "AND next_poll_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) "
            "ORDER BY next_poll_at LIMIT $4 FOR UPDATE SKIP LOCKED) "
            "UPDATE sources s SET lease_owner = $2, lease_until = $1 + $3 FROM due "
            f"WHERE s.id = due.id RETURNING {_CLAIMED_COLUMNS}",
            float(now),
            owner,
            float(lease_s),
            limit,
        )
        sources = [source_row(r) for r in rows]
        return sorted(sources, key=lambda s: (s.next_poll_at, s.id))

    async def renew_leases(
        self, source_ids: Sequence[int], *, owner: str, until: float
    ) -> list[int]:
        """Extend ``owner``'s leases on these sources; the ids it still held (and now renewed)."""
        rows = await self._all(
            "UPDATE sources SET lease_until = $3 WHERE id = ANY($1::bigint[]) "
            "AND lease_owner = $2 RETURNING id",
            list(source_ids),
            owner,
            float(until),
        )
        return sorted(int(r[0]) for r in rows)

    async def release_sources(self, source_ids: Sequence[int], *, owner: str) -> int:
        """Give back ``owner``'s leases on these sources; how many it held."""
        return await self._execute(
            "UPDATE sources SET lease_owner = NULL, lease_until = NULL "
            "WHERE id = ANY($1::bigint[]) AND lease_owner = $2",
            list(source_ids),
            owner,
        )

    async def leases(self) -> dict[int, tuple[str, float]]:
        """Every lease held: source id -> (owner, until)."""
        rows = await self._all(
            "SELECT id, lease_owner, lease_until FROM sources WHERE lease_owner IS NOT NULL"
        )
        return {int(r[0]): (str(r[1]), float(r[2])) for r in rows}

    async def next_claim_time(self) -> float | None:
        """When the next enabled source can be claimed: it is due and no lease holds it; or None.

        What a process sleeps until when others hold the due sources (``next_poll_time`` would
        name a time already past and keep it busy).
        """
        value = await self._value(
            "SELECT min(greatest(next_poll_at, coalesce(lease_until, next_poll_at))) "
            "FROM sources WHERE enabled AND NOT paused"
        )
        return float(value) if value is not None else None
