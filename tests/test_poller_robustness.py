"""Bad sources fail alone, once, with a reason; parsing never blocks the event loop."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.models import ChatKind, Classification, ParsedItem, Source, SourceSpec
from bot.core.parsing.parse import parse_document
from bot.net.http import Fetcher
from bot.service.poller import Poller
from bot.store import Store
from tests.support.feed_server import FeedServer, rss
from tests.test_poller import Clock, add_source, make_poller, no_region, story

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><title>t</title><item><title>&lol4;</title>
<link>https://x.example/1</link></item></channel></rss>"""

BAD = {
    "/500.xml": ("boom", 500, "text/plain"),
    "/empty.xml": ("", 200, "application/rss+xml"),
    "/html.xml": ("<html><body><p>Maintenance</p></body></html>", 200, "text/html"),
    "/garbage.xml": ("\x00\x01 not xml at all", 200, "application/xml"),
}
TRUNCATED = rss([story(2), story(1)])[:-120]


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


async def test_each_failure_is_logged_once_with_source_and_reason(
    store: Store,
    fetcher: Fetcher,
    feeds: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each broken source yields one warning naming it and its reason; readable ones do not."""
    for path, (body, status, ctype) in BAD.items():
        feeds.set(path, body, status=status, content_type=ctype)
    feeds.set("/laughs.xml", LAUGHS)
    feeds.set("/truncated.xml", TRUNCATED)
    feeds.set("/good.xml", rss([story(1)]))
    names = [p.strip("/").removesuffix(".xml") for p in BAD]
    readable = ["good", "laughs", "truncated"]
    specs = [SourceSpec(name=n, url=feeds.url(f"/{n}.xml")) for n in [*names, *readable]]
    specs.append(SourceSpec(name="refused", url="http://127.0.0.1:9/feed.xml"))
    await store.sources.sync_sources(specs)
    poller = make_poller(store, fetcher, Clock())
    with caplog.at_level(logging.INFO):
        reports = await poller.poll_due()
    status = {r.source.name: r.status for r in reports}
    assert status == {name: "ok" if name in readable else "error" for name in status}
    stored = {s.name: s.last_error for s in await store.sources.sources()}
    assert [stored[name] for name in readable] == [None, None, None]
    for name in [*names, "refused"]:
        lines = [r for r in caplog.records if f"source={name} " in r.getMessage()]
        assert len(lines) == 1, (name, [r.getMessage() for r in lines])
        assert lines[0].levelno == logging.WARNING
        reason = stored[name]
        assert reason
        assert repr(reason) in lines[0].getMessage()
    titles = sorted(a.title for a in await store.articles.latest_articles(50))
    assert "lollol" not in " ".join(titles)  # the entity bomb expanded nothing
    assert "Story 2" in titles  # the truncated feed gave the item before the cut
    assert not [r for r in caplog.records if r.exc_info]  # no traceback: nothing escaped


async def test_a_bug_met_by_one_source_does_not_stop_the_others(
    store: Store, fetcher: Fetcher, feeds: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception while handling one source is logged once and stored as its error."""

    def fragile(item: ParsedItem, source: Source) -> Classification:
        if source.name == "cursed":
            raise ZeroDivisionError("division by zero")
        return no_region(item, source)

    feeds.set("/a.xml", rss([story(1)]))
    feeds.set("/b.xml", rss([story(2)]))
    await store.sources.sync_sources(
        [SourceSpec("cursed", feeds.url("/a.xml")), SourceSpec("fine", feeds.url("/b.xml"))]
    )
    poller = Poller(store, fetcher, interval=60, classify=fragile)
    with caplog.at_level(logging.INFO):
        reports = await poller.poll_due()
    assert {r.source.name: r.status for r in reports} == {"cursed": "error", "fine": "ok"}
    cursed = next(s for s in await store.sources.sources() if s.name == "cursed")
    assert cursed.last_error == "internal error: ZeroDivisionError: division by zero"
    assert cursed.failures == 1
    logged = [r for r in caplog.records if "source=cursed " in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None


async def test_parsing_a_big_feed_leaves_the_event_loop_responsive(
    store: Store, fetcher: Fetcher, feeds: FeedServer
) -> None:
    """While an 8,000-item feed is parsed and recorded, the event loop keeps ticking."""
    items = [
        story(n) | {"description": f"<p>Summary of <b>story</b> {n}.</p> " * 5} for n in range(8000)
    ]
    body = rss(items)
    feeds.set("/big.xml", body)
    started = time.perf_counter()
    parse_document(body.encode(), url=feeds.url("/big.xml"))
    parse_time = time.perf_counter() - started  # what the loop would stall for, parsed inline
    (source,) = await store.sources.sync_sources([SourceSpec("big", feeds.url("/big.xml"))])
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    tick = asyncio.create_task(ticker())
    report = await make_poller(store, fetcher, Clock()).poll(source)
    done.set()
    await tick
    assert report.items == 8000
    assert parse_time > 0.1  # big enough that a stall of the loop would show
    # Parsed on the loop, the largest gap would be the whole parse (>= parse_time); half of it
    # leaves room for a garbage-collector pause in a long test session.
    assert max(gaps) < parse_time / 2, (max(gaps), parse_time)


def json_feed(items: list[dict[str, object]]) -> str:
    """A JSON Feed 1.1 document; `\\ud800`-style escapes in values stay as JSON writes them."""
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items})


async def test_a_lone_surrogate_in_a_json_feed_item_skips_only_that_item(
    store: Store, fetcher: Fetcher, feeds: FeedServer
) -> None:
    """A lone surrogate in an item's id, url or image: that item is skipped, the others sent."""
    good = {"id": "g1", "url": "https://j.example/g1", "title": "Good one", "tags": ["x\ud800"]}
    bad = [
        {"id": "b1\ud800", "url": "https://j.example/b1", "title": "Bad id"},
        {"id": "b2", "url": "https://j.example/b2\udc00", "title": "Bad url"},
        {"id": "b3", "url": "https://j.example/b3", "image": "https://j.example/\ud800.png",
         "title": "Bad image"},
    ]  # fmt: skip
    feeds.set("/j.json", json_feed([*bad, good]), content_type="application/feed+json")
    source = await add_source(store, feeds.url("/j.json"))
    clock = Clock()
    poller = make_poller(store, fetcher, clock)
    first = await poller.poll(source)
    assert first.status == "ok", first
    later = {"id": "g2", "url": "https://j.example/g2", "title": "Good two"}
    feeds.set("/j.json", json_feed([*bad, later, good]), content_type="application/feed+json")
    clock.now += 120
    [source] = await store.sources.sources()
    second = await poller.poll(source)
    assert second.status == "ok", second
    titles = sorted(a.title for a in await store.articles.latest_articles(50))
    assert titles == ["Good one", "Good two"]
    assert (await store.outbox.outbox_counts()).queued == 1
