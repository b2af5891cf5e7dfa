"""Identity through the poller and a real database: never send an article twice, never miss one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.models import ChatKind, SourceSpec
from bot.net.http import Fetcher
from bot.service.poller import Poller
from bot.store import Store
from tests.support.feed_server import FeedServer, rss
from tests.test_poller import Clock, add_source, make_poller, no_region, story


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    await opened.chats.upsert_chat(7, ChatKind.PRIVATE, now=time.time())
    await opened.chats.set_subscribed(7, True, now=time.time())
    yield opened
    await opened.close()


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(allow_private=True, user_agent="teaserbot-test", total_timeout=2.0) as f:
        yield f


@pytest.fixture
def poller(store: Store, fetcher: Fetcher) -> Poller:
    return make_poller(store, fetcher, Clock())


class Feed:
    """One source on the feed server, polled on demand; collects what got queued."""

    def __init__(self, store: Store, poller: Poller, feeds: FeedServer, path: str) -> None:
        self.store, self.poller, self.feeds, self.path = store, poller, feeds, path
        self.source_id = 0

    async def serve_and_poll(self, items: list[dict[str, Any]]) -> tuple[int, int]:
        """Serve these items and poll once; returns (new articles, queued)."""
        self.feeds.set(self.path, rss(items))
        if not self.source_id:
            self.source_id = (await add_source(self.store, self.feeds.url(self.path))).id
        source = await self.store.sources.source(self.source_id)
        assert source is not None
        report = await self.poller.poll(source)
        assert report.status in {"ok", "not_modified"}, report.error
        return report.new, report.queued

    async def queued_titles(self) -> list[str]:
        due = await self.store.outbox.due_deliveries(time.time() + 10**6, 100)
        return [d.article.title for d in due]


@pytest.fixture
def feed(store: Store, poller: Poller, feeds: FeedServer) -> Feed:
    return Feed(store, poller, feeds, "/f.xml")


async def test_edited_title_and_summary_are_not_sent_again(feed: Feed) -> None:
    """An item whose title and summary change later (same guid) is not queued again."""
    await feed.serve_and_poll([story(2, 2), story(1, 1)])
    edited = story(1, 1) | {"title": "Story 1 (updated)", "description": "Corrected summary."}
    assert await feed.serve_and_poll([story(3, 3), story(2, 2), edited]) == (1, 1)
    assert await feed.queued_titles() == ["Story 3"]


async def test_item_that_drops_out_and_returns_is_not_sent_again(feed: Feed) -> None:
    """An item that leaves the feed and reappears later is recognised, not sent."""
    await feed.serve_and_poll([story(2, 2), story(1, 1)])
    assert await feed.serve_and_poll([story(2, 2)]) == (0, 0)
    assert await feed.serve_and_poll([story(3, 3), story(2, 2), story(1, 1)]) == (1, 1)
    assert await feed.queued_titles() == ["Story 3"]


async def test_duplicate_guids_cause_no_repeats(feed: Feed) -> None:
    """Two items sharing a guid are told apart by link, and stay known when one leaves."""
    a = story(1, 1) | {"guid": "same"}
    b = story(2, 2) | {"guid": "same"}
    await feed.serve_and_poll([b, a])
    assert await feed.serve_and_poll([b, a]) == (0, 0)
    # b leaves: a's guid is now unique and becomes its key; its link still identifies it.
    assert await feed.serve_and_poll([a]) == (0, 0)
    c = story(3, 3) | {"guid": "same"}
    assert await feed.serve_and_poll([c, a]) == (1, 1)
    assert await feed.queued_titles() == ["Story 3"]


async def test_missing_guids_cause_no_repeats(feed: Feed) -> None:
    """Items without guid are keyed by link: reordering or editing them sends nothing."""
    bare = [story(n, n) | {"guid": None} for n in (3, 2, 1)]
    await feed.serve_and_poll(bare)
    edited = [item | {"title": item["title"] + "!"} for item in reversed(bare)]
    assert await feed.serve_and_poll(edited) == (0, 0)


async def test_guids_added_later_cause_no_repeats(feed: Feed) -> None:
    """A feed that starts giving guids to known items (keys change) does not resend them."""
    await feed.serve_and_poll([story(n, n) | {"guid": None} for n in (2, 1)])
    assert await feed.serve_and_poll([story(2, 2), story(1, 1)]) == (0, 0)


async def test_items_without_guid_or_link_are_known_by_title_and_date(feed: Feed) -> None:
    """Items with neither guid nor link are recognised by their title and date."""
    bare = [story(n, n) | {"guid": None, "link": None} for n in (2, 1)]
    await feed.serve_and_poll(bare)
    assert await feed.serve_and_poll(bare) == (0, 0)
    newer = story(3, 3) | {"guid": None, "link": None}
    assert await feed.serve_and_poll([newer, *bare]) == (1, 1)


async def test_many_items_between_polls_are_all_queued_oldest_first(feed: Feed) -> None:
    """Six items arriving between two polls, listed out of order, are all queued by date."""
    await feed.serve_and_poll([story(1, 1)])
    arrived = [story(n, n) for n in (5, 7, 2, 6, 3, 4)]
    assert await feed.serve_and_poll([*arrived, story(1, 1)]) == (6, 6)
    assert await feed.queued_titles() == [f"Story {n}" for n in range(2, 8)]


async def test_same_article_through_two_sources_reaches_a_chat_once(
    store: Store, poller: Poller, feeds: FeedServer
) -> None:
    """The same canonical link in two sources is queued once per chat (tracking ignored)."""
    feeds.set("/a.xml", rss([story(1, 1)]))
    feeds.set("/b.xml", rss([story(1, 1)]))
    await store.sources.sync_sources(
        [
            SourceSpec(name="A", url=feeds.url("/a.xml")),
            SourceSpec(name="B", url=feeds.url("/b.xml")),
        ]
    )
    await poller.poll_many(await store.sources.sources())
    shared = story(2, 2)
    copy = shared | {"guid": "b-2", "link": shared["link"] + "?utm_source=rss&fbclid=x"}
    feeds.set("/a.xml", rss([shared, story(1, 1)]))
    feeds.set("/b.xml", rss([copy, story(1, 1)]))
    reports = await poller.poll_many(await store.sources.sources())
    assert sorted((r.new, r.queued) for r in reports) == [(1, 0), (1, 1)]
    due = await store.outbox.due_deliveries(time.time() + 10**6, 10)
    assert [(d.chat.id, d.article.url) for d in due] == [(7, "https://news.example/2")]


async def test_unchanged_body_is_not_parsed_again(
    store: Store, fetcher: Fetcher, feeds: FeedServer
) -> None:
    """A 200 with the same document as last time (no validators) skips parsing."""
    parsed: list[str] = []

    def counting(item: Any, source: Any) -> Any:
        parsed.append(item.key)
        return no_region(item, source)

    poller = Poller(store, fetcher, interval=60, classify=counting)
    feeds.set("/f.xml", rss([story(1, 1)]))
    source = await add_source(store, feeds.url("/f.xml"))
    assert (await poller.poll(source)).status == "ok"
    again = await store.sources.source(source.id)
    assert again is not None
    assert again.body_hash is not None
    report = await poller.poll(again)
    assert (report.status, report.same_body, report.items) == ("not_modified", True, 0)
    assert parsed == ["https://news.example/?p=1"]


async def test_changed_body_without_new_items_classifies_nothing(
    store: Store, fetcher: Fetcher, feeds: FeedServer
) -> None:
    """A document that changed only outside its items is parsed, but known items are skipped."""
    classified: list[str] = []

    def counting(item: Any, source: Any) -> Any:
        classified.append(item.key)
        return no_region(item, source)

    poller = Poller(store, fetcher, interval=60, classify=counting)
    feeds.set("/f.xml", rss([story(2, 2), story(1, 1)], description="build 1"))
    source = await add_source(store, feeds.url("/f.xml"))
    await poller.poll(source)
    feeds.set("/f.xml", rss([story(2, 2), story(1, 1)], description="build 2"))
    again = await store.sources.source(source.id)
    assert again is not None
    report = await poller.poll(again)
    assert (report.status, report.items, report.new) == ("ok", 2, 0)
    assert len(classified) == 2


async def test_two_pollers_polling_one_source_at_once_queue_a_new_item_once(
    store: Store, fetcher: Fetcher, feeds: FeedServer
) -> None:
    """Two polls of one source that both decide an item is new still queue it once per chat."""
    first = make_poller(store, fetcher, Clock())
    second = make_poller(store, fetcher, Clock())
    feeds.set("/f.xml", rss([story(1, 1)]))
    source = await add_source(store, feeds.url("/f.xml"))
    await first.poll(source)
    feeds.set("/f.xml", rss([story(3, 3), story(2, 2), story(1, 1)]))
    baselined = await store.sources.source(source.id)
    assert baselined is not None
    reports = await asyncio.gather(first.poll(baselined), second.poll(baselined))
    assert sum(r.queued for r in reports) == 2
    due = await store.outbox.due_deliveries(time.time() + 10**6, 10)
    assert [(d.chat.id, d.article.title) for d in due] == [(7, "Story 2"), (7, "Story 3")]
