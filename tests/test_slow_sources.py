"""Slow sources (headers, then a byte every 5 s) never starve healthy ones.

The local feed server drips the answers; the per-host limits count host and port.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from bot.net.http import Fetcher
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.stories import seed_chats, story

DRIP = 0.2  # bytes per second: one every 5 s
READER = 9101
INTERVAL = 4.0


def drip(server: FeedServer, path: str) -> None:
    """``path`` answers its headers at once, then one byte of its body every 5 s."""
    server.set(path, rss([story(n) for n in range(20)]), trickle=DRIP)


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(user_agent="test", total_timeout=40, allow_private=True) as client:
        yield client


async def test_slow_answers_of_a_host_do_not_hold_up_its_healthy_feed(
    feeds: FeedServer, fetcher: Fetcher
) -> None:
    """Six dripping feeds on the healthy feed's own host: the healthy one is still fetched
    within seconds (before: only after the slow ones' 40-s timeout)."""
    for n in range(6):
        drip(feeds, f"/drip{n}.xml")
    feeds.set("/feed.xml", rss([story(1)]))
    slow = [asyncio.create_task(fetcher.fetch(feeds.url(f"/drip{n}.xml"))) for n in range(6)]
    try:
        await asyncio.sleep(0.5)  # the slow fetches take the host's turns first
        started = time.monotonic()
        result = await asyncio.wait_for(fetcher.fetch(feeds.url("/feed.xml")), 30)
        took = time.monotonic() - started
    finally:
        for task in slow:
            task.cancel()
        await asyncio.gather(*slow, return_exceptions=True)
    assert result.status == 200
    assert took < 10, took
    assert len(feeds.requests("/drip0.xml")) == 1


async def test_the_per_host_limit_counts_host_and_port(fetcher: Fetcher) -> None:
    """Two servers on one address are two hosts: two slow answers on one do not make the other
    wait for a turn (at most two at once per host and port)."""
    with FeedServer() as first, FeedServer() as second:
        for server in (first, second):
            server.set("/feed.xml", rss([story(1)]), delay=3.0)
        urls = [first.url(f"/feed.xml?n={n}") for n in range(2)]
        urls += [second.url(f"/feed.xml?n={n}") for n in range(2)]
        await asyncio.gather(*(fetcher.fetch(url) for url in urls))
        arrivals = [r.at for s in (first, second) for r in s.requests("/feed.xml")]
        assert first.max_concurrency == 2
        assert second.max_concurrency == 2
    assert max(arrivals) - min(arrivals) < 0.9  # all four at once, none waited for a turn


@pytest.fixture
def drip_hosts() -> Iterator[list[FeedServer]]:
    """Twenty feed servers (twenty hosts), each dripping its feed."""
    with ExitStack() as stack:
        servers = [stack.enter_context(FeedServer()) for _ in range(20)]
        for server in servers:
            drip(server, "/feed.xml")
        yield servers


async def test_a_healthy_story_arrives_within_its_interval_while_twenty_sources_drip(
    telegram: FakeTelegram,
    feeds: FeedServer,
    drip_hosts: list[FeedServer],
    bot_env: dict[str, str],
    tmp_path: Path,
) -> None:
    """Twenty dripping sources on twenty hosts beside a healthy one: the healthy source's first
    poll comes at once, and each new story reaches the reader within the poll interval + 2 s."""
    await seed_chats(Path(bot_env["DATABASE_PATH"]), telegram, [READER])
    feeds.set("/feed.xml", rss([story(0)], title="Healthy News"))
    entries = [
        f'[[source]]\nname = "Drip {n}"\nurl = "{s.url("/feed.xml")}"\n'
        for n, s in enumerate(drip_hosts)
    ]
    entries.append(f'[[source]]\nname = "Healthy"\nurl = "{feeds.url("/feed.xml")}"\n')
    sources = tmp_path / "sources.toml"
    sources.write_text("\n".join(entries), encoding="utf-8")
    env = {**bot_env, "SOURCES_FILE": str(sources), "POLL_INTERVAL_SECONDS": str(INTERVAL)}
    env.pop("FEED_URLS")
    latencies = []
    with BotProcess(env, cwd=tmp_path) as bot:
        started = time.monotonic()
        bot.wait_for(r"poll source=Healthy\b.* status=ok .*baseline=True", timeout=30)
        first_poll = time.monotonic() - started
        assert all(len(s.requests("/feed.xml")) == 1 for s in drip_hosts)  # all dripping now
        for n in (1, 2, 3):
            published = time.monotonic()
            feeds.set("/feed.xml", rss([story(m) for m in range(n, -1, -1)], title="Healthy News"))
            await telegram.async_wait_for_messages(READER, n, timeout=60)
            latencies.append(time.monotonic() - published)
            await asyncio.sleep(INTERVAL * 1.7)  # the next story, at another point of the cycle
        assert bot.terminate() == 0
    print(f"first poll after {first_poll:.1f} s; story latencies {latencies}")
    assert max(latencies) <= INTERVAL + 2, latencies
    assert first_poll < 20, first_poll  # not behind the dripping sources' timeouts (60 s)
