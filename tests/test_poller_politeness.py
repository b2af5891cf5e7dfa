"""The poller's manners: caching hints, backoff, per-host limits, discovery and HTML listings."""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.core.models import ChatKind, HtmlSelectors, SourceKind, SourceSpec
from bot.net.http import Fetcher
from bot.service.poller import Poller
from bot.store import Store
from tests.support.feed_server import FeedServer, rss
from tests.test_poller import Clock, add_source, make_poller, no_region, story

HOME = """<!doctype html><html><head><title>Example News</title>
<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
<link rel="alternate" type="application/rss+xml" title="Example News" href="{feed}">
</head><body><h1>Example News</h1></body></html>"""

LISTING = """<!doctype html><html><head><title>Listing</title></head><body>
<ul class="news">{items}</ul></body></html>"""
LISTING_ITEM = """<li class="teaser"><h2><a href="/story/{n}?utm_source=home">Story {n}</a></h2>
<p class="lede">Summary of story {n}.</p><time datetime="2021-02-{n:02d}T10:00:00Z"></time></li>"""
SELECTORS = HtmlSelectors(item="li.teaser", title="h2", link="h2 a", summary="p.lede", date="time")

JSONLD_PAGE = """<!doctype html><html><head><title>Front page</title>
<meta property="og:title" content="Front page">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@graph": [{items}]}}
</script>
</head><body></body></html>"""
JSONLD_ITEM = (
    '{{"@type": "NewsArticle", "headline": "Story {n}", "url": "/news/{n}", '
    '"description": "Summary of story {n}.", "datePublished": "2021-02-{n:02d}T10:00:00Z"}}'
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    await opened.chats.upsert_chat(7, ChatKind.PRIVATE, now=time.time())
    await opened.chats.set_subscribed(7, True, now=time.time())
    yield opened
    await opened.close()


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(allow_private=True, user_agent="teaserbot-test", total_timeout=3.0) as f:
        yield f


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def other_host() -> Iterator[FeedServer]:
    """A second feed server on another loopback address (another host for politeness)."""
    with FeedServer(host="127.0.0.2") as server:
        yield server


async def refreshed(store: Store, source_id: int) -> object:
    source = await store.sources.source(source_id)
    assert source is not None
    return source


async def test_cache_control_max_age_defers_the_next_poll(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A feed fresh for two hours (max-age) is not polled again before then."""
    feeds.set("/f.xml", rss([story(1)]), headers={"Cache-Control": "public, max-age=7200"})
    source = await add_source(store, feeds.url("/f.xml"))
    await make_poller(store, fetcher, clock).poll(source)
    after = await store.sources.source(source.id)
    assert after is not None
    assert after.next_poll_at - clock.now == pytest.approx(7200)
    assert await store.sources.due_sources(clock.now + 3600) == []


async def test_503_with_retry_after_is_honoured(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A 503 asking to retry in two hours is not retried sooner, whatever the backoff says."""
    feeds.set("/f.xml", "maintenance", status=503, headers={"Retry-After": "7200"})
    source = await add_source(store, feeds.url("/f.xml"))
    report = await make_poller(store, fetcher, clock).poll(source)
    after = await store.sources.source(source.id)
    assert report.error == "HTTP 503"
    assert after is not None
    assert after.next_poll_at - clock.now >= 7200


async def test_backoff_is_jittered_across_sources(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """Sources failing together are retried at spread-out times within [interval/2, interval]."""
    feeds.set("/down.xml", "down", status=500, content_type="text/plain")
    await store.sources.sync_sources(
        [SourceSpec(name=f"S{n}", url=feeds.url(f"/down.xml?s={n}")) for n in range(6)]
    )
    poller = Poller(
        store,
        fetcher,
        interval=60,
        classify=no_region,
        clock=clock,
        rng=random.Random(3),
    )
    await poller.poll_due()
    delays = [s.next_poll_at - clock.now for s in await store.sources.sources()]
    assert all(30 <= d <= 60 for d in delays)
    assert len({round(d, 3) for d in delays}) == len(delays)


async def test_per_host_limit_holds_with_many_sources_on_one_host(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """Eight slow feeds on one host are fetched at most two at a time."""
    feeds.set("/slow.xml", rss([story(1)]), delay=0.1)
    await store.sources.sync_sources(
        [SourceSpec(name=f"S{n}", url=feeds.url(f"/slow.xml?s={n}")) for n in range(8)]
    )
    reports = await make_poller(store, fetcher, clock).poll_due()
    assert [r.status for r in reports] == ["ok"] * 8
    assert feeds.max_concurrency == 2


async def test_a_busy_host_does_not_hold_up_another(
    store: Store,
    fetcher: Fetcher,
    feeds: FeedServer,
    other_host: FeedServer,
    clock: Clock,
) -> None:
    """With few slots, a source on a second host is polled before a busy host's backlog."""
    feeds.set("/slow.xml", rss([story(1)]), delay=0.2)
    other_host.set("/f.xml", rss([story(1)]))
    specs = [SourceSpec(name=f"A{n}", url=feeds.url(f"/slow.xml?s={n}")) for n in range(6)]
    specs.append(SourceSpec(name="B", url=other_host.url("/f.xml")))
    await store.sources.sync_sources(specs)
    poller = Poller(store, fetcher, interval=60, classify=no_region, clock=clock, concurrency=2)
    await poller.poll_due()
    (other,) = other_host.requests("/f.xml")
    busy = sorted(r.at for r in feeds.requests("/slow.xml"))
    assert other.at < busy[2]


async def test_auto_source_on_a_home_page_uses_and_remembers_its_feed(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A home page's announced feed is polled (not its comments feed) and then polled directly."""
    feeds.set("/", HOME.format(feed="/feed.xml"), content_type="text/html; charset=utf-8")
    feeds.set("/feed.xml", rss([story(1, 1)]), etag='"v1"')
    feeds.set("/comments/feed/", rss([story(99, 1)]))
    (source,) = await store.sources.sync_sources(
        [SourceSpec(name="Home", url=feeds.url("/"), kind=SourceKind.AUTO)]
    )
    poller = make_poller(store, fetcher, clock)
    first = await poller.poll(source)
    assert (first.status, first.new) == ("ok", 1)
    moved = await store.sources.source(source.id)
    assert moved is not None
    assert moved.url == feeds.url("/feed.xml")
    assert feeds.requests("/comments/feed/") == []

    feeds.set("/feed.xml", rss([story(2, 2), story(1, 1)]), etag='"v2"')
    second = await poller.poll(moved)
    assert (second.status, second.queued) == ("ok", 1)
    assert len(feeds.requests("/")) == 1
    assert [r.headers.get("if-none-match") for r in feeds.requests("/feed.xml")] == [None, '"v1"']
    assert (
        await store.sources.sync_sources([SourceSpec("Home", feeds.url("/"), SourceKind.AUTO)])
    )[0].url == feeds.url("/feed.xml")  # a restart keeps the discovered feed


async def test_auto_source_on_a_silent_wordpress_site_tries_feed_path(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A WordPress home page without a feed link is read through its /feed/ path."""
    page = '<html><head><link rel="stylesheet" href="/wp-content/themes/x.css"></head></html>'
    feeds.set("/", page, content_type="text/html")
    feeds.set("/feed/", rss([story(1, 1)]))
    (source,) = await store.sources.sync_sources(
        [SourceSpec("WP", feeds.url("/"), SourceKind.AUTO)]
    )
    report = await make_poller(store, fetcher, clock).poll(source)
    assert (report.status, report.new) == ("ok", 1)
    moved = await store.sources.source(source.id)
    assert moved is not None
    assert moved.url == feeds.url("/feed/")


async def test_auto_source_without_a_feed_reads_json_ld_teasers(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A home page announcing no feed is read through its JSON-LD articles."""
    items = ", ".join(JSONLD_ITEM.format(n=n) for n in (2, 1))
    feeds.set("/", JSONLD_PAGE.format(items=items), content_type="text/html")
    (source,) = await store.sources.sync_sources(
        [SourceSpec("LD", feeds.url("/"), SourceKind.AUTO)]
    )
    report = await make_poller(store, fetcher, clock).poll(source)
    assert (report.status, report.new) == ("ok", 2)


async def test_auto_source_with_neither_feed_nor_teasers_fails_with_a_reason(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A home page with only OpenGraph tags, or nothing, is an error naming the missing feed."""
    feeds.set("/og", JSONLD_PAGE.format(items=""), content_type="text/html")
    feeds.set("/bare", "<html><body><p>Hello</p></body></html>", content_type="text/html")
    await store.sources.sync_sources(
        [
            SourceSpec("OG", feeds.url("/og"), SourceKind.AUTO),
            SourceSpec("Bare", feeds.url("/bare"), SourceKind.AUTO),
        ]
    )
    reports = await make_poller(store, fetcher, clock).poll_due()
    assert [(r.status, r.error) for r in reports] == [
        ("error", "the page announces no feed and has no JSON-LD teasers")
    ] * 2


async def test_html_listing_with_selectors_through_the_poller(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A listing page read with CSS selectors: baseline, then new teasers queued oldest first."""
    page = feeds.url("/news")
    feeds.set("/news", LISTING.format(items=LISTING_ITEM.format(n=1)), content_type="text/html")
    (source,) = await store.sources.sync_sources(
        [SourceSpec("Listing", page, SourceKind.HTML, selectors=SELECTORS)]
    )
    poller = make_poller(store, fetcher, clock)
    assert (await poller.poll(source)).new == 1
    items = "".join(LISTING_ITEM.format(n=n) for n in (3, 2, 1))
    feeds.set("/news", LISTING.format(items=items), content_type="text/html")
    current = await store.sources.source(source.id)
    assert current is not None
    report = await poller.poll(current)
    assert (report.status, report.new, report.queued) == ("ok", 2, 2)
    due = await store.outbox.due_deliveries(clock.now + 1, 10)
    assert [(d.article.title, d.article.url) for d in due] == [
        ("Story 2", feeds.url("/story/2")),
        ("Story 3", feeds.url("/story/3")),
    ]
    assert due[0].article.summary == "Summary of story 2."


async def test_html_listing_with_json_ld_through_the_poller(
    store: Store, fetcher: Fetcher, feeds: FeedServer, clock: Clock
) -> None:
    """A listing page without selectors is read from its JSON-LD; new articles are queued."""
    feeds.set("/front", JSONLD_PAGE.format(items=JSONLD_ITEM.format(n=1)), content_type="text/html")
    (source,) = await store.sources.sync_sources(
        [SourceSpec("LD", feeds.url("/front"), SourceKind.HTML)]
    )
    poller = make_poller(store, fetcher, clock)
    await poller.poll(source)
    items = ", ".join(JSONLD_ITEM.format(n=n) for n in (2, 1))
    feeds.set("/front", JSONLD_PAGE.format(items=items), content_type="text/html")
    current = await store.sources.source(source.id)
    assert current is not None
    report = await poller.poll(current)
    assert (report.new, report.queued) == (1, 1)
    (due,) = await store.outbox.due_deliveries(clock.now + 1, 10)
    assert due.article.url == feeds.url("/news/2")
