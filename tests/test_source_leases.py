"""Source leases on PostgreSQL: several processes share polling, none polls a source twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.core.models import SourceSpec
from bot.store.postgres import PostgresStore
from tests.support.store_rows import NOW, sql

LEASE = 60.0


@pytest.fixture
async def stores(postgres_url: str) -> AsyncIterator[list[PostgresStore]]:
    """Four processes' stores on one database holding ten due sources."""
    opened = [await PostgresStore.open(postgres_url) for _ in range(4)]
    await opened[0].sources.sync_sources(
        [SourceSpec(name=f"S{n}", url=f"https://s{n}.example/feed") for n in range(10)]
    )
    try:
        yield opened
    finally:
        for store in opened:
            await store.close()


async def test_claims_made_at_once_never_overlap(stores: list[PostgresStore]) -> None:
    """Four processes claiming together get disjoint sources that cover every due one."""
    claims = await asyncio.gather(
        *(
            store.sources.claim_due_sources(NOW, owner=f"p{n}", lease_s=LEASE, limit=3)
            for n, store in enumerate(stores)
        )
    )
    ids = [source.id for claim in claims for source in claim]
    assert len(ids) == len(set(ids)) == 10
    leases = await stores[0].sources.leases()
    for n, claim in enumerate(claims):
        assert all(leases[s.id] == (f"p{n}", NOW + LEASE) for s in claim)


async def test_a_leased_source_is_not_claimed_again_until_its_lease_runs_out(
    stores: list[PostgresStore],
) -> None:
    """Held sources are skipped; once the lease has run out (a dead process) another takes them."""
    first = await stores[0].sources.claim_due_sources(NOW, owner="dead", lease_s=LEASE, limit=10)
    assert len(first) == 10
    assert (
        await stores[1].sources.claim_due_sources(NOW + 1, owner="live", lease_s=LEASE, limit=10)
        == []
    )
    later = await stores[1].sources.claim_due_sources(
        NOW + LEASE, owner="live", lease_s=LEASE, limit=4
    )
    assert [s.id for s in later] == [s.id for s in first[:4]]  # most overdue first


async def test_claims_take_only_due_enabled_unpaused_sources(stores: list[PostgresStore]) -> None:
    """A source not due yet, paused or disabled is never claimed."""
    sources = await stores[0].sources.sources()
    await sql(stores[0], "UPDATE sources SET next_poll_at = ? WHERE id = ?", NOW + 5, sources[0].id)
    await stores[0].sources.set_source_paused(sources[1].id, True)
    await sql(stores[0], "UPDATE sources SET enabled = false WHERE id = ?", sources[2].id)
    claimed = await stores[0].sources.claim_due_sources(NOW, owner="p", lease_s=LEASE, limit=100)
    assert [s.id for s in claimed] == [s.id for s in sources[3:]]


async def test_released_and_renewed_leases(stores: list[PostgresStore]) -> None:
    """Only the owner renews or releases its leases; a released source is free at once."""
    claimed = await stores[0].sources.claim_due_sources(NOW, owner="a", lease_s=LEASE, limit=2)
    ids = [s.id for s in claimed]
    assert await stores[1].sources.renew_leases(ids, owner="b", until=NOW + 999) == []
    assert await stores[0].sources.renew_leases(ids, owner="a", until=NOW + 999) == ids
    assert await stores[1].sources.release_sources(ids, owner="b") == 0
    assert await stores[0].sources.release_sources(ids[:1], owner="a") == 1
    again = await stores[1].sources.claim_due_sources(NOW, owner="b", lease_s=LEASE, limit=100)
    assert ids[0] in [s.id for s in again]
    assert ids[1] not in [s.id for s in again]
    assert (await stores[1].sources.leases())[ids[1]] == ("a", NOW + 999)


async def test_the_next_claim_time_waits_for_leases_held_by_others(
    stores: list[PostgresStore],
) -> None:
    """While others hold every due source, the next claim is when the first lease runs out."""
    assert await stores[0].sources.next_claim_time() == 0.0
    await stores[0].sources.claim_due_sources(NOW, owner="a", lease_s=LEASE, limit=10)
    assert await stores[1].sources.next_claim_time() == NOW + LEASE
    sources = await stores[0].sources.sources()
    await sql(stores[0], "UPDATE sources SET next_poll_at = ? WHERE id = ?", NOW + 5, sources[0].id)
    await stores[0].sources.release_sources([sources[0].id], owner="a")
    assert await stores[1].sources.next_claim_time() == NOW + 5
    for source in sources:
        await stores[0].sources.set_source_paused(source.id, True)
    assert await stores[1].sources.next_claim_time() is None
