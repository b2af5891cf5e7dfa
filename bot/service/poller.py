"""Polls due sources: fetch → parse (off the event loop) → classify → record and queue.

One source's failure is recorded against that source and never stops the others.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlsplit

from bot.core.errors import ParseError, SourceError
from bot.core.models import (
    Classification,
    HtmlSelectors,
    NewArticle,
    ParsedFeed,
    ParsedItem,
    Source,
    SourceKind,
)
from bot.core.parsing.parse import discover_feed_urls, looks_like_html, parse_document
from bot.core.schedule import next_poll_delay
from bot.net.http import CacheState, Fetcher, FetchFailed, FetchResult
from bot.store import RecordResult, Router, Store
from bot.store.base import storage_fault

log = logging.getLogger("bot.poller")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_T = TypeVar("_T")
MAX_FEED_CANDIDATES = 3  # feeds tried from one home page before giving up
MAX_IDLE = 30.0
"""Seconds between looks at the store when no source is due sooner (sources added meanwhile)."""
STOP_GRACE = 2.0
"""Seconds the polls under way get to finish once the poller is told to stop."""

Classifier = Callable[[ParsedItem, Source], Classification]


def oldest_first(items: Sequence[ParsedItem]) -> list[ParsedItem]:
    """Order a document's items oldest first.

    Feeds list newest first, so undated items keep the reverse of their document order; dated
    items are ordered by date, undated ones placed after the dated ones that precede them.
    """
    reversed_items = list(reversed(items))
    dates = [item.published for item in reversed_items]
    if all(date is not None for date in dates):
        order = sorted(range(len(dates)), key=lambda i: dates[i] or _EPOCH)
        return [reversed_items[i] for i in order]
    return reversed_items


@dataclass(frozen=True, slots=True)
class PollReport:
    """The outcome of polling one source."""

    source: Source
    status: str  # "ok", "not_modified", "error"
    items: int = 0
    new: int = 0
    queued: int = 0
    error: str | None = None
    ms: float = 0.0
    same_body: bool = False  # a 200 whose document had not changed (not parsed again)


def body_digest(body: bytes, kind: SourceKind, selectors: HtmlSelectors | None) -> str:
    """A digest of a document and of how it is read; equal digests parse to equal items."""
    digest = hashlib.blake2b(body, digest_size=16)
    digest.update(f"\0{kind.value}\0{selectors!r}".encode())
    return digest.hexdigest()


async def fetch_document(
    fetcher: Fetcher, source: Source, cache: CacheState
) -> tuple[FetchResult, SourceKind]:
    """Fetch a source's document and say how to read it; a home page leads to its feed.

    For a source of kind AUTO whose URL answers with an HTML page, the feeds the page announces
    are tried in order; the one found comes back with ``permanent_url`` set, so the poller
    remembers it and polls it directly from then on. A page without a feed is read as a listing
    (JSON-LD teasers).
    """
    result = await fetcher.fetch(source.url, cache)
    if source.kind is SourceKind.HTML:
        return result, SourceKind.HTML
    if (
        result.status == 304
        or source.kind is not SourceKind.AUTO
        or not looks_like_html(result.body, result.content_type)
    ):
        return result, SourceKind.FEED
    failures: list[str] = []
    for candidate in discover_feed_urls(result.body, url=result.url)[:MAX_FEED_CANDIDATES]:
        try:
            found = await fetcher.fetch(candidate, CacheState())
        except FetchFailed as exc:
            failures.append(f"{candidate}: {exc.reason}")
            continue
        if looks_like_html(found.body, found.content_type):
            failures.append(f"{candidate}: an HTML page, not a feed")
            continue
        return replace(found, permanent_url=found.url), SourceKind.FEED
    if failures:
        raise ParseError("no usable feed announced on the page (" + "; ".join(failures) + ")")
    return result, SourceKind.AUTO


def read_document(
    result: FetchResult, kind: SourceKind, selectors: HtmlSelectors | None
) -> ParsedFeed:
    """Parse a fetched document (CPU work: the poller runs this off the event loop).

    Kind AUTO here means a home page that announces no feed: its JSON-LD teasers are used, and
    without any the page is refused rather than read as one OpenGraph "teaser" of the site.
    """
    as_kind = SourceKind.FEED if kind is SourceKind.FEED else SourceKind.HTML
    no_feed = ParseError("the page announces no feed and has no JSON-LD teasers")
    try:
        feed = parse_document(
            result.body,
            url=result.url,
            content_type=result.content_type,
            kind=as_kind,
            selectors=selectors if kind is SourceKind.HTML else None,
        )
    except ParseError as exc:
        if kind is SourceKind.AUTO:
            raise no_feed from exc
        raise
    if kind is SourceKind.AUTO and feed.format != "html-jsonld":
        raise no_feed
    return feed


async def fetch_and_parse(
    fetcher: Fetcher, source: Source, cache: CacheState
) -> tuple[FetchResult, ParsedFeed | None]:
    """Fetch a source and parse its document (None on 304); a home page leads to its feed."""
    result, kind = await fetch_document(fetcher, source, cache)
    if result.status == 304:
        return result, None
    feed = await asyncio.to_thread(read_document, result, kind, source.selectors)
    return result, feed


def interleave_hosts(sources: Sequence[Source]) -> list[Source]:
    """Reorder sources round-robin by host (order kept within a host).

    The poller's slots then go to different hosts first, instead of all waiting on one host's
    per-host limit while other hosts idle.
    """
    queues: dict[str, deque[Source]] = {}
    for source in sources:
        host = (urlsplit(source.url).hostname or "").lower()
        queues.setdefault(host, deque()).append(source)
    ordered: list[Source] = []
    while queues:
        for host in list(queues):
            queue = queues[host]
            ordered.append(queue.popleft())
            if not queue:
                del queues[host]
    return ordered


def source_title(feed: ParsedFeed | None) -> str | None:
    """The feed's own name for its teasers' source line (None when it names none)."""
    title = " ".join((feed.title or "").split()) if feed is not None else ""
    return title[:64] or None


def fresh_items(items: Sequence[ParsedItem], known: set[str]) -> list[ParsedItem]:
    """The items not known yet, at most one per canonical URL, in the given order."""
    urls: set[str] = set()
    fresh: list[ParsedItem] = []
    for item in items:
        if item.key in known or (item.url is not None and item.url in urls):
            continue
        if item.url is not None:
            urls.add(item.url)
        fresh.append(item)
    return fresh


class Poller:
    """Polls every due source, at most ``concurrency`` at once.

    Parsing and classifying run in a small thread pool (``parse_workers`` threads), never on the
    event loop; a 200 whose body has the digest stored from the last poll is not parsed again.
    """

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        *,
        interval: float,
        classify: Classifier,
        route: Router,
        on_queued: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.time,
        concurrency: int = 16,
        parse_workers: int = 2,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.interval = interval
        self.classify = classify
        self.route = route
        self.on_queued = on_queued
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._slots = asyncio.Semaphore(concurrency)
        self._pool = ThreadPoolExecutor(max_workers=parse_workers, thread_name_prefix="parse")

    def close(self) -> None:
        """Let the parse threads end once idle."""
        self._pool.shutdown(wait=False)

    async def run(self, stop: asyncio.Event) -> None:
        """Poll each source on its own schedule until ``stop`` is set.

        A source's poll starts when it is due, whatever other polls are doing: a slow or
        hanging source delays only its own next poll, never another source's. On ``stop`` the
        polls under way get :data:`STOP_GRACE` seconds to finish, then are cancelled (their
        transaction rolls back; the source is polled again after a restart).
        """
        running: dict[int, asyncio.Task[PollReport]] = {}
        changed = asyncio.Event()
        failed: list[BaseException] = []

        def finished(task: asyncio.Task[PollReport]) -> None:
            running.pop(int(task.get_name().removeprefix("poll-")), None)
            if not task.cancelled() and task.exception() is not None:
                failed.append(task.exception())  # type: ignore[arg-type]
            changed.set()

        try:
            while not stop.is_set():
                if failed:  # a fault no source causes (the disk is full): the poller stops
                    raise failed[0]
                changed.clear()
                due = await self.store.due_sources(self.clock())
                for source in interleave_hosts([s for s in due if s.id not in running]):
                    task = asyncio.create_task(self._poll_slot(source), name=f"poll-{source.id}")
                    running[source.id] = task
                    task.add_done_callback(finished)
                upcoming = await self.store.next_poll_time(excluding=list(running))
                wait = MAX_IDLE if upcoming is None else max(0.05, upcoming - self.clock())
                await _first_of(stop, changed, seconds=min(wait, MAX_IDLE))
        finally:
            await _finish(list(running.values()), STOP_GRACE)

    async def poll_due(self) -> list[PollReport]:
        """Poll every source that is due now."""
        return await self.poll_many(await self.store.due_sources(self.clock()))

    async def poll_many(self, sources: Sequence[Source]) -> list[PollReport]:
        """Poll the given sources concurrently, spread over their hosts."""
        ordered = interleave_hosts(sources)
        return list(await asyncio.gather(*(self._poll_slot(source) for source in ordered)))

    async def _poll_slot(self, source: Source) -> PollReport:
        async with self._slots:
            started = time.perf_counter()
            try:
                return await self.poll(source)
            except Exception as exc:
                if storage_fault(exc) is not None:
                    raise  # the database's disk, not this source: the bot must stop
                # A bug met by one source's data must not stop the others, nor the bot: it is
                # logged with its traceback and recorded against the source like any failure.
                log.exception("poll source=%s status=error reason=internal error", source.name)
                reason = f"internal error: {type(exc).__name__}: {exc}"[:200]
                return await self._failed(source, SourceError(reason), started, logged=True)

    async def _off_loop(self, func: Callable[..., _T], *args: object) -> _T:
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, functools.partial(func, *args)
        )

    def _classified(self, items: Sequence[ParsedItem], source: Source) -> list[NewArticle]:
        return [NewArticle(item, self.classify(item, source)) for item in items]

    async def poll(self, source: Source) -> PollReport:
        """Poll one source and record the outcome; never raises for the source's own faults."""
        started = time.perf_counter()
        cache = CacheState(etag=source.etag, last_modified=source.last_modified)
        feed: ParsedFeed | None = None
        digest: str | None = None
        try:
            result, kind = await fetch_document(self.fetcher, source, cache)
            if result.status != 304:
                digest = body_digest(result.body, kind, source.selectors)
                if digest != source.body_hash or not source.baseline_done:
                    feed = await self._off_loop(read_document, result, kind, source.selectors)
        except SourceError as exc:
            return await self._failed(source, exc, started)
        now = self.clock()
        delay = next_poll_delay(
            interval=self.interval, failures=0, max_age=result.max_age, rng=self.rng
        )
        recorded = RecordResult(0, 0)
        items = 0
        if feed is not None:
            items = len(feed.items)
            ordered = oldest_first(feed.items)
            fresh = fresh_items(ordered, await self.store.known_items(source.id, ordered))
            entries = await self._off_loop(self._classified, fresh, source) if fresh else []
            if entries or not source.baseline_done:
                recorded = await self.store.record_articles(
                    source.id, entries, now=now, baseline=not source.baseline_done, route=self.route
                )
        await self.store.record_poll_ok(
            source.id,
            now=now,
            next_poll_at=now + delay,
            etag=result.cache.etag,
            last_modified=result.cache.last_modified,
            new_url=result.permanent_url,
            body_hash=digest,
            feed_title=source_title(feed),
        )
        if recorded.queued:
            self.on_queued()
        report = PollReport(
            source=source,
            status="ok" if feed is not None else "not_modified",
            items=items,
            new=recorded.new_articles,
            queued=recorded.queued,
            ms=(time.perf_counter() - started) * 1000,
            same_body=digest is not None and feed is None,
        )
        log.info(
            "poll source=%s status=%s items=%d new=%d queued=%d baseline=%s ms=%.0f%s%s",
            source.name,
            report.status,
            report.items,
            report.new,
            report.queued,
            feed is not None and not source.baseline_done,
            report.ms,
            " same_body=True" if report.same_body else "",
            f" moved_to={result.permanent_url}" if result.permanent_url else "",
        )
        return report

    async def _failed(
        self, source: Source, exc: SourceError, started: float, *, logged: bool = False
    ) -> PollReport:
        now = self.clock()
        failures = source.failures + 1
        retry_after = exc.retry_after if isinstance(exc, FetchFailed) else None
        gone = isinstance(exc, FetchFailed) and exc.gone
        reason = exc.reason if isinstance(exc, FetchFailed) else str(exc)
        delay = next_poll_delay(
            interval=self.interval, failures=failures, retry_after=retry_after, rng=self.rng
        )
        await self.store.record_poll_error(
            source.id, now=now, next_poll_at=now + delay, error=reason, disable=gone
        )
        ms = (time.perf_counter() - started) * 1000
        if not logged:
            log.warning(
                "poll source=%s status=error failures=%d reason=%r next_in_s=%.0f%s ms=%.0f",
                source.name,
                failures,
                reason,
                delay,
                " disabled=410" if gone else "",
                ms,
            )
        return PollReport(source=source, status="error", error=reason, ms=ms)


async def _first_of(stop: asyncio.Event, changed: asyncio.Event, *, seconds: float) -> None:
    """Wait until either event is set, or ``seconds`` pass."""
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(changed.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def _finish(tasks: Sequence[asyncio.Task[PollReport]], grace: float) -> None:
    """Give the polls under way ``grace`` seconds, then cancel the rest and wait for them."""
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result
