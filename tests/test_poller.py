"""The poller against a local feed server and a real database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from bot.core.models import (
    Chat,
    ChatKind,
    Classification,
    NewArticle,
    ParsedItem,
    Source,
    SourceSpec,
)
from bot.net.http import Fetcher
from bot.service.poller import Poller
from bot.store import Store
from tests.support.feed_server import FeedServer, rss


def no_region(_item: ParsedItem, _source: Source) -> Classification:
    return Classification()


def everyone(_entry: NewArticle, chats: Sequence[Chat]) -> list[int]:
    return [chat.id for chat in chats]


def story(n: int, day: int | None = None) -> dict[str, str]:
    entry = {
        "title": f"Story {n}",
        "link": f"https://news.example/{n}",
        "guid": f"https://news.example/?p={n}",
        "description": f"Summary of story {n}.",
    }
    if day is not None:
        entry["pubDate"] = f"{day:02d} Feb 2021 10:00:00 +0000"
    return entry


class Clock:
    """A settable clock for the poller's schedule."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    await opened.chats.upsert_chat(7, ChatKind.PRIVATE, now=time.time())
    await opened.chats.set_subscribed(7, True, now=time.time())
    yield opened
    await opened.close()


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(
        allow_private=True, user_agent="teaserbot-test", total_timeout=2.0, max_bytes=200_000
    ) as f:
        yield f


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_poller(store: Store, fetcher: Fetcher, clock: Clock) -> Poller:
    return Poller(store, fetcher, interval=60, classify=no_region, clock=clock)


async def add_source(store: Store, url: str, name: str = "Example") -> Source:
    sources = await store.sources.sync_sources([SourceSpec(name=name, url=url)])
    return next(s for s in sources if s.url == url)


async def test_first_poll_is_a_baseline_and_later_items_are_queued(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """The first poll records without sending; items added later are queued, oldest first."""
    feeds.set("/f.xml", rss([story(1, 1)]))
    source = await add_source(store, feeds.url("/f.xml"))
    poller = make_poller(store, fetcher, clock)
    first = await poller.poll(source)
    assert (first.status, first.new, first.queued) == ("ok", 1, 0)

    feeds.set("/f.xml", rss([story(4, 4), story(3, 3), story(2, 2), story(1, 1)]))
    source = await store.sources.source(source.id)
    assert source is not None
    second = await poller.poll(source)
    assert (second.new, second.queued) == (3, 3)
    due = await store.outbox.due_deliveries(clock.now + 1, 10)
    assert [d.article.title for d in due] == ["Story 2", "Story 3", "Story 4"]


async def test_undated_items_are_queued_in_reverse_document_order(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """Without dates, a feed's items (newest first) are queued oldest first."""
    feeds.set("/f.xml", rss([story(1)]))
    source = await add_source(store, feeds.url("/f.xml"))
    poller = make_poller(store, fetcher, clock)
    await poller.poll(source)
    feeds.set("/f.xml", rss([story(3), story(2), story(1)]))
    refreshed = await store.sources.source(source.id)
    assert refreshed is not None
    await poller.poll(refreshed)
    due = await store.outbox.due_deliveries(clock.now + 1, 10)
    assert [d.article.title for d in due] == ["Story 2", "Story 3"]


async def test_not_modified_uses_stored_validators(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """The second poll sends the stored ETag and a 304 records success without parsing."""
    feeds.set("/f.xml", rss([story(1)]), etag='"v1"')
    source = await add_source(store, feeds.url("/f.xml"))
    poller = make_poller(store, fetcher, clock)
    await poller.poll(source)
    refreshed = await store.sources.source(source.id)
    assert refreshed is not None
    assert refreshed.etag == '"v1"'
    report = await poller.poll(refreshed)
    assert report.status == "not_modified"
    assert feeds.requests("/f.xml")[-1].headers.get("if-none-match") == '"v1"'


async def test_failures_back_off_and_recover(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A failing source is retried later and later; the first success clears its error."""
    feeds.set("/f.xml", "oops", status=503, content_type="text/plain")
    source = await add_source(store, feeds.url("/f.xml"))
    poller = make_poller(store, fetcher, clock)
    delays = []
    for _ in range(4):
        current = await store.sources.source(source.id)
        assert current is not None
        report = await poller.poll(current)
        assert report.status == "error"
        after = await store.sources.source(source.id)
        assert after is not None
        delays.append(after.next_poll_at - clock.now)
    failing = await store.sources.source(source.id)
    assert failing is not None
    assert failing.failures == 4
    assert failing.last_error is not None
    assert "503" in failing.last_error
    assert delays[-1] > delays[0]
    assert delays[-1] >= 60 * 2**3 / 2

    feeds.set("/f.xml", rss([story(1)]))
    report = await poller.poll(failing)
    healed = await store.sources.source(source.id)
    assert report.status == "ok"
    assert healed is not None
    assert (healed.failures, healed.last_error) == (0, None)
    assert healed.next_poll_at - clock.now == pytest.approx(60)


async def test_retry_after_is_honoured(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A 429 with Retry-After schedules the next poll no earlier than asked."""
    feeds.set("/f.xml", "slow down", status=429, headers={"Retry-After": "3600"})
    source = await add_source(store, feeds.url("/f.xml"))
    await make_poller(store, fetcher, clock).poll(source)
    after = await store.sources.source(source.id)
    assert after is not None
    assert after.next_poll_at - clock.now >= 3600


async def test_oversized_feed_is_an_error(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A response over the size cap is refused and recorded as the source's error."""
    feeds.set("/f.xml", size=5_000_000)
    source = await add_source(store, feeds.url("/f.xml"))
    report = await make_poller(store, fetcher, clock).poll(source)
    assert report.status == "error"
    assert report.error is not None
    assert "larger" in report.error


async def test_slow_server_is_cut_off(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A server trickling its feed is abandoned at the fetch deadline."""
    feeds.set("/f.xml", rss([story(n) for n in range(50)]), trickle=200)
    source = await add_source(store, feeds.url("/f.xml"))
    started = time.monotonic()
    report = await make_poller(store, fetcher, clock).poll(source)
    assert report.status == "error"
    assert time.monotonic() - started < 5


async def test_permanent_redirect_moves_the_source(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """After a 301 the source is polled at its new URL."""
    feeds.redirect("/old.xml", "/new.xml", status=301)
    feeds.set("/new.xml", rss([story(1)]))
    source = await add_source(store, feeds.url("/old.xml"))
    report = await make_poller(store, fetcher, clock).poll(source)
    moved = await store.sources.source(source.id)
    assert report.status == "ok"
    assert moved is not None
    assert moved.url == feeds.url("/new.xml")


async def test_gone_source_is_disabled(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A 410 Gone disables the source with its reason."""
    feeds.set("/f.xml", "gone", status=410, content_type="text/plain")
    source = await add_source(store, feeds.url("/f.xml"))
    await make_poller(store, fetcher, clock).poll(source)
    gone = await store.sources.source(source.id)
    assert gone is not None
    assert not gone.enabled
    assert await store.sources.due_sources(clock.now + 10**7) == []


async def test_broken_source_does_not_stop_a_healthy_one(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """One source serving garbage fails alone; the other is polled and recorded."""
    feeds.set(
        "/bad.xml", "<html><body><p>Under maintenance</p></body></html>", content_type="text/html"
    )
    feeds.set("/good.xml", rss([story(1)]))
    await store.sources.sync_sources(
        [
            SourceSpec(name="Bad", url=feeds.url("/bad.xml")),
            SourceSpec(name="Good", url=feeds.url("/good.xml")),
        ]
    )
    reports = await make_poller(store, fetcher, clock).poll_due()
    by_name = {r.source.name: r for r in reports}
    assert by_name["Good"].status == "ok"
    assert by_name["Good"].new == 1
    assert by_name["Bad"].status == "error"
    bad = next(s for s in await store.sources.sources() if s.name == "Bad")
    assert bad.last_error is not None
    assert "HTML" in bad.last_error
    assert await store.articles.article_count() == 1


async def test_a_ping_during_a_poll_has_the_source_polled_again_at_once(
    feeds: FeedServer, store: Store, fetcher: Fetcher, clock: Clock
) -> None:
    """A source pinged while its poll runs is due again right after, not an interval later."""
    feeds.set("/feed.xml", rss([story(1)]))
    [source] = await store.sources.sync_sources(
        [SourceSpec(name="News", url=feeds.url("/feed.xml"))]
    )
    poller = make_poller(store, fetcher, clock)
    await poller.poll_many([source])  # the baseline
    feeds.set("/feed.xml", rss([story(1)]), delay=0.5)
    source = await store.sources.source(source.id) or source
    polling = asyncio.create_task(poller.poll_many([source]))
    while not feeds.requests("/feed.xml")[1:]:  # noqa: ASYNC110 - a thread; the 2nd poll began
        await asyncio.sleep(0.01)
    assert await store.sources.make_source_due(source.id, clock())
    poller.wake(source.id)
    [report] = await polling
    assert report.next_poll_at == clock.now
    assert [s.id for s in await store.sources.due_sources(clock.now)] == [source.id]
    [plain] = await poller.poll_many(
        await store.sources.due_sources(clock.now)
    )  # no ping this time
    assert plain.next_poll_at is not None
    assert plain.next_poll_at > clock.now + 30
