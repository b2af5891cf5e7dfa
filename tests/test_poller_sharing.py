"""Pollers share polling through source leases: each due source is polled by one, once a cycle.

Real stores (two PostgreSQL stores are two connection pools, as two processes would hold), a
local feed server that counts the requests on each feed path, and the poller's own run loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack

import pytest

from bot.core.models import Classification, ParsedItem, Source, SourceSpec
from bot.net.http import Fetcher
from bot.service.metrics import MeteredPoller
from bot.store.postgres import PostgresStore
from bot.store.protocol import StoreVerbs
from tests.support.feed_server import FeedServer, rss
from tests.support.store_rows import sql

INTERVAL = 3600  # one cycle per test run: after its poll a source is not due again soon


def no_region(_item: ParsedItem, _source: Source) -> Classification:
    return Classification()


def feed_path(n: int) -> str:
    return f"/feed{n}.xml"


def serve_feeds(feeds: FeedServer, count: int, *, delay: float = 0.0) -> list[SourceSpec]:
    """``count`` feeds with an ETag (a second poll is a 304); their source specs."""
    for n in range(count):
        body = rss([{"title": f"Story {n}", "link": f"https://news.example/{n}", "guid": str(n)}])
        feeds.set(feed_path(n), body, etag=f'"v{n}"', delay=delay)
    return [SourceSpec(name=f"Feed {n}", url=feeds.url(feed_path(n))) for n in range(count)]


def requests_per_feed(feeds: FeedServer, count: int) -> list[int]:
    return [len(feeds.requests(feed_path(n))) for n in range(count)]


@pytest.fixture
def store(backend_store: StoreVerbs) -> StoreVerbs:
    """A fresh store on each backend (tests/conftest.py)."""
    return backend_store


@pytest.fixture
async def pg_stores(postgres_url: str) -> AsyncIterator[list[PostgresStore]]:
    """Three stores on one PostgreSQL database, as three processes would have."""
    opened = [await PostgresStore.open(postgres_url) for _ in range(3)]
    try:
        yield opened
    finally:
        for each in opened:
            await each.close()


async def polling(
    stores: Sequence[StoreVerbs],
    until: Callable[[], Awaitable[bool]],
    *,
    concurrency: int = 2,
    interval: float = INTERVAL,
    lease_s: float = 60.0,
    stop_grace: float = 2.0,
) -> list[list[int]]:
    """Run one poller per store until ``until()`` holds, then stop them; ids each one polled."""
    polled: list[list[int]] = [[] for _ in stores]
    stop = asyncio.Event()
    async with AsyncExitStack() as stack:
        tasks = []
        for n, each in enumerate(stores):
            fetcher = await stack.enter_async_context(
                Fetcher(allow_private=True, user_agent="teaserbot-test", total_timeout=10.0)
            )
            poller = MeteredPoller(
                each,
                fetcher,
                interval=interval,
                classify=no_region,
                concurrency=concurrency,
                owner=f"poller-{n}",
                lease_s=lease_s,
                stop_grace=stop_grace,
            )
            poller.observer = lambda report, ids=polled[n]: ids.append(report.source.id)
            stack.callback(poller.close)
            tasks.append(asyncio.create_task(poller.run(stop)))
        try:
            async with asyncio.timeout(30):
                while not await until():  # noqa: ASYNC110 - the condition is in the database
                    await asyncio.sleep(0.05)
        finally:
            stop.set()
            await asyncio.gather(*tasks)
    return polled


def all_polled_since(store: StoreVerbs, since: float) -> Callable[[], Awaitable[bool]]:
    """Whether every enabled source has been polled at or after ``since``."""

    async def check() -> bool:
        sources = [s for s in await store.sources.sources() if s.enabled]
        return all(s.last_polled_at is not None and s.last_polled_at >= since for s in sources)

    return check


async def test_a_poller_polls_every_due_source_once(store: StoreVerbs, feeds: FeedServer) -> None:
    """One poller's run loop polls each due source once, and holds no lease afterwards."""
    await store.sources.sync_sources(serve_feeds(feeds, 150))
    [polled] = await polling([store], all_polled_since(store, 0.0), concurrency=16)
    assert requests_per_feed(feeds, 150) == [1] * 150
    assert sorted(polled) == [s.id for s in await store.sources.sources()]
    assert await store.sources.leases() == {}


async def test_a_source_due_later_is_polled_when_it_is_due(
    store: StoreVerbs, feeds: FeedServer
) -> None:
    """The poller sleeps until the next source is due, then polls it (once)."""
    await store.sources.sync_sources(serve_feeds(feeds, 2))
    later = (await store.sources.sources())[1]
    due_at = time.time() + 1.0
    await sql(store, "UPDATE sources SET next_poll_at = ? WHERE id = ?", due_at, later.id)
    started = time.monotonic()
    await polling([store], all_polled_since(store, 0.0))
    assert requests_per_feed(feeds, 2) == [1, 1]
    [request] = feeds.requests(feed_path(1))
    assert request.at >= started + 0.9


async def test_a_source_is_polled_again_once_its_interval_has_passed(
    store: StoreVerbs, feeds: FeedServer
) -> None:
    """After its poll a source is due again after the interval, and the poller is there on time."""
    await store.sources.sync_sources(serve_feeds(feeds, 1))

    async def polled_three_times() -> bool:
        return len(feeds.requests()) >= 3

    await polling([store], polled_three_times, interval=1.0)
    times = [r.at for r in feeds.requests()]
    assert times[2] - times[0] < 6  # two intervals of about a second (jittered), not MAX_IDLE


async def test_two_pollers_poll_every_due_source_exactly_once_per_cycle(
    pg_stores: list[PostgresStore], feeds: FeedServer
) -> None:
    """Two processes on one database share each cycle: every feed fetched once, by one of them."""
    first, second = pg_stores[:2]
    await first.sources.sync_sources(serve_feeds(feeds, 40))
    for cycle in (1, 2):
        started = time.time()
        await sql(first, "UPDATE sources SET next_poll_at = 0")
        polled = await polling([first, second], all_polled_since(first, started))
        assert requests_per_feed(feeds, 40) == [cycle] * 40
        assert polled[0], "both processes got a share"
        assert polled[1], "both processes got a share"
        assert sorted(polled[0] + polled[1]) == [s.id for s in await first.sources.sources()]
        assert await first.sources.leases() == {}
    conditional = [r for r in feeds.requests() if r.headers.get("if-none-match")]
    assert len(conditional) == 40  # the second cycle asked each feed with its ETag


async def test_a_dead_processs_sources_are_polled_by_another_once_its_lease_runs_out(
    pg_stores: list[PostgresStore], feeds: FeedServer
) -> None:
    """Sources claimed by a process that never polls them are polled by another after the lease."""
    dead, live = pg_stores[:2]
    await dead.sources.sync_sources(serve_feeds(feeds, 6))
    claimed_at = time.time()
    claimed = await dead.sources.claim_due_sources(claimed_at, owner="dead", lease_s=1.5, limit=10)
    assert len(claimed) == 6
    asked_at = time.monotonic()
    [polled] = await polling([live], all_polled_since(live, 0.0))
    assert requests_per_feed(feeds, 6) == [1] * 6
    assert sorted(polled) == sorted(s.id for s in claimed)
    assert min(r.at for r in feeds.requests()) >= asked_at + 1.0  # not before the lease ran out
    assert await live.sources.leases() == {}


async def test_a_poll_longer_than_its_lease_keeps_its_source(
    pg_stores: list[PostgresStore], feeds: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The poller renews the lease of a slow poll: no other process claims the source meanwhile."""
    poller_store, other = pg_stores[:2]
    await poller_store.sources.sync_sources(serve_feeds(feeds, 1, delay=2.0))
    claims: list[list[Source]] = []

    async def others_claim_then_check() -> bool:
        if feeds.requests():
            claims.append(
                await other.sources.claim_due_sources(time.time(), owner="o", lease_s=60, limit=5)
            )
        return await all_polled_since(poller_store, 0.0)()

    with caplog.at_level(logging.WARNING, logger="bot.poller"):
        await polling([poller_store], others_claim_then_check, lease_s=0.6)
    assert "lease ran out" not in caplog.text  # the poll's own result ended its lease
    assert len(claims) > 10  # tried for the whole poll, well past the 0.6 s lease
    assert all(claim == [] for claim in claims)
    assert requests_per_feed(feeds, 1) == [1]


async def test_a_lease_taken_by_another_process_during_a_poll_is_logged(
    store: StoreVerbs, feeds: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """When a slow poll's lease ran out and another process took the source, a warning says so."""
    await store.sources.sync_sources(serve_feeds(feeds, 1, delay=1.5))
    stolen: list[Source] = []

    async def steal_then_check() -> bool:
        if feeds.requests() and not stolen:  # a process whose clock is an hour ahead
            ahead = time.time() + 3600
            stolen.extend(
                await store.sources.claim_due_sources(ahead, owner="thief", lease_s=60, limit=1)
            )
        return await all_polled_since(store, 0.0)()

    with caplog.at_level(logging.WARNING, logger="bot.poller"):
        await polling([store], steal_then_check, lease_s=0.6)
    assert len(stolen) == 1
    assert f"source_id={stolen[0].id} lease ran out and thief took it" in caplog.text


async def test_a_stopped_poller_gives_back_the_sources_it_had_not_polled(
    store: StoreVerbs, feeds: FeedServer
) -> None:
    """On stop, the polls cut short leave no lease behind: another process may take them at once."""
    await store.sources.sync_sources(serve_feeds(feeds, 4, delay=5.0))

    async def first_request_arrived() -> bool:
        return bool(feeds.requests())

    await polling([store], first_request_arrived, concurrency=1, stop_grace=0.1)
    assert await store.sources.leases() == {}
    taken = await store.sources.claim_due_sources(time.time(), owner="next", lease_s=60, limit=10)
    assert len(taken) == 4


async def test_a_poller_claims_in_batches_leaving_the_rest_to_others(
    pg_stores: list[PostgresStore], feeds: FeedServer
) -> None:
    """A poller holds at most twice its concurrency in leases, however many sources are due."""
    poller_store, watcher = pg_stores[:2]
    await poller_store.sources.sync_sources(serve_feeds(feeds, 16, delay=0.2))
    held: list[int] = []

    async def watch() -> bool:
        held.append(len(await watcher.sources.leases()))
        return await all_polled_since(watcher, 0.0)()

    await polling([poller_store], watch, concurrency=2)
    assert max(held) <= 4
    assert max(held) >= 2
    assert requests_per_feed(feeds, 16) == [1] * 16
