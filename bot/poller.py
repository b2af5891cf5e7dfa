"""Polls due sources: fetch → parse (off the event loop) → classify → record and queue.

One source's failure is recorded against that source and never stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.errors import ParseError, SourceError
from bot.models import (
    Classification,
    NewArticle,
    ParsedFeed,
    ParsedItem,
    Source,
    SourceKind,
)
from bot.sources.http import CacheState, Fetcher, FetchFailed, FetchResult
from bot.sources.parse import discover_feed_urls, looks_like_html, parse_document
from bot.sources.schedule import next_poll_delay
from bot.store import RecordResult, Router, Store

log = logging.getLogger("bot.poller")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

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


async def fetch_and_parse(
    fetcher: Fetcher, source: Source, cache: CacheState
) -> tuple[FetchResult, ParsedFeed | None]:
    """Fetch a source and parse its document (None on 304); a home page leads to its feed."""
    result = await fetcher.fetch(source.url, cache)
    if result.status == 304:
        return result, None
    if source.kind is SourceKind.AUTO and looks_like_html(result.body, result.content_type):
        candidates = discover_feed_urls(result.body, url=result.url)
        if not candidates:
            raise ParseError("no feed announced on the page")
        result = await fetcher.fetch(candidates[0], CacheState())
        result = FetchResult(
            status=result.status,
            url=result.url,
            body=result.body,
            content_type=result.content_type,
            cache=result.cache,
            permanent_url=result.url,
            max_age=result.max_age,
            elapsed_ms=result.elapsed_ms,
        )
    feed = await asyncio.to_thread(
        parse_document,
        result.body,
        url=result.url,
        content_type=result.content_type,
        kind=SourceKind.HTML if source.kind is SourceKind.HTML else SourceKind.FEED,
        selectors=source.selectors,
    )
    return result, feed


class Poller:
    """Polls every due source, at most ``concurrency`` at once."""

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

    async def run(self, stop: asyncio.Event) -> None:
        """Poll due sources until ``stop`` is set."""
        while not stop.is_set():
            await self.poll_due()
            upcoming = await self.store.next_poll_time()
            wait = 30.0 if upcoming is None else max(0.05, upcoming - self.clock())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(wait, 30.0))

    async def poll_due(self) -> list[PollReport]:
        """Poll every source that is due now."""
        due = await self.store.due_sources(self.clock())
        return list(await asyncio.gather(*(self._poll_slot(source) for source in due)))

    async def _poll_slot(self, source: Source) -> PollReport:
        async with self._slots:
            return await self.poll(source)

    async def poll(self, source: Source) -> PollReport:
        """Poll one source and record the outcome; never raises for the source's own faults."""
        started = time.perf_counter()
        cache = CacheState(etag=source.etag, last_modified=source.last_modified)
        try:
            result, feed = await fetch_and_parse(self.fetcher, source, cache)
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
            entries = [
                NewArticle(item, self.classify(item, source)) for item in oldest_first(feed.items)
            ]
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
        )
        if recorded.queued:
            self.on_queued()
        report = PollReport(
            source=source,
            status="not_modified" if feed is None else "ok",
            items=items,
            new=recorded.new_articles,
            queued=recorded.queued,
            ms=(time.perf_counter() - started) * 1000,
        )
        log.info(
            "poll source=%s status=%s items=%d new=%d queued=%d baseline=%s ms=%.0f%s",
            source.name,
            report.status,
            report.items,
            report.new,
            report.queued,
            feed is not None and not source.baseline_done,
            report.ms,
            f" moved_to={result.permanent_url}" if result.permanent_url else "",
        )
        return report

    async def _failed(self, source: Source, exc: SourceError, started: float) -> PollReport:
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
