"""One way to read a URL: fetch → parse (and clean) → classify → render.

The poller, ``python -m bot preview`` and ``/addsource`` all read sources through
:class:`SourceReader`, so a preview shows exactly the teasers a chat receives.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.core.errors import ParseError, SourceError
from bot.core.models import (
    Article,
    Classification,
    HtmlSelectors,
    ParsedFeed,
    ParsedItem,
    Source,
    SourceKind,
)
from bot.core.parsing.parse import discover_feed_urls, looks_like_html, parse_document
from bot.core.polling import Classifier, Fetched, FetchFailure, source_title
from bot.core.render import teaser
from bot.core.routing import classify_item, hashtags, topics_of_item
from bot.core.websub import discover_hub
from bot.net.http import CacheState, Fetcher, FetchFailed, FetchResult

MAX_FEED_CANDIDATES = 3  # feeds tried from one home page before giving up

OffLoop = Callable[..., Awaitable[Any]]
"""Runs ``func(*args)`` away from the event loop (a thread) and returns its result."""


def body_digest(body: bytes, kind: SourceKind, selectors: HtmlSelectors | None) -> str:
    """A digest of a document and of how it is read; equal digests parse to equal items."""
    digest = hashlib.blake2b(body, digest_size=16)
    digest.update(f"\0{kind.value}\0{selectors!r}".encode())
    return digest.hexdigest()


def failure_of(exc: SourceError) -> FetchFailure:
    """A source's fetch or parse error as the record the poll's decision takes."""
    if isinstance(exc, FetchFailed):
        return FetchFailure(exc.reason, retry_after=exc.retry_after, gone=exc.gone)
    return FetchFailure(str(exc))


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
    """Parse a fetched document (CPU work: run it off the event loop).

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


@dataclass(frozen=True, slots=True)
class Teaser:
    """One item as a chat receives it: the article and its HTML."""

    article: Article
    html: str


def article_of(
    item: ParsedItem,
    found: Classification,
    *,
    source_name: str,
    seen_at: datetime,
    number: int = 0,
    topics: tuple[str, ...] = (),
    language: str | None = None,
) -> Article:
    """The article a chat receives for an item (as the store gives it back to delivery)."""
    return Article(
        id=number,
        source_id=0,
        source_name=source_name,
        key=item.key,
        title=item.title,
        summary=item.summary,
        url=item.url,
        published=item.published,
        seen_at=seen_at,
        categories=item.categories,
        image=item.image,
        countries=found.countries,
        regions=found.regions,
        topics=topics,
        language=language or item.language,
    )


def render(article: Article) -> str:
    """A teaser's HTML, with its place and topic hashtags, exactly as delivery sends it."""
    return teaser(article, tags=hashtags(article))


class SourceReader:
    """Fetches, parses, classifies and renders sources; one instance per fetcher.

    ``off_loop`` runs parsing away from the event loop (default: :func:`asyncio.to_thread`).
    """

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        classify: Classifier = classify_item,
        off_loop: OffLoop = asyncio.to_thread,
    ) -> None:
        self.fetcher = fetcher
        self.classify = classify
        self.off_loop = off_loop

    async def read(self, source: Source) -> Fetched:
        """Fetch ``source`` with its stored validators and parse what changed.

        A 304, or a 200 whose body has the digest stored from the last poll (of a baselined
        source), comes back without a feed. Raises :class:`SourceError` for the source's faults.
        """
        cache = CacheState(etag=source.etag, last_modified=source.last_modified)
        result, kind = await fetch_document(self.fetcher, source, cache)
        feed: ParsedFeed | None = None
        digest: str | None = None
        if result.status != 304:
            digest = body_digest(result.body, kind, source.selectors)
            if digest != source.body_hash or not source.baseline_done:
                feed = await self.off_loop(read_document, result, kind, source.selectors)
        hub = None
        if result.status != 304 and kind is SourceKind.FEED:
            hub = discover_hub(result.body, result.links, result.url)
        return Fetched(
            feed=feed,
            etag=result.cache.etag,
            last_modified=result.cache.last_modified,
            moved_to=result.permanent_url,
            max_age=result.max_age,
            body_hash=digest,
            hub=hub,
        )

    async def read_pushed(self, source: Source, body: bytes, content_type: str | None) -> Fetched:
        """A document a WebSub hub pushed for ``source``, read as if a poll had fetched it
        (its validators kept: the next poll still asks the site what changed)."""
        result = FetchResult(
            status=200,
            url=source.url,
            body=body,
            content_type=content_type,
            cache=CacheState(etag=source.etag, last_modified=source.last_modified),
            permanent_url=None,
            max_age=None,
            elapsed_ms=0.0,
        )
        feed = await self.off_loop(read_document, result, SourceKind.FEED, None)
        return Fetched(
            feed=feed,
            etag=source.etag,
            last_modified=source.last_modified,
            body_hash=source.body_hash,
        )

    async def read_new(self, source: Source) -> tuple[Fetched, ParsedFeed]:
        """Read a source that was never read (no validators, no digest): a document always."""
        fetched = await self.read(replace(source, etag=None, last_modified=None, body_hash=None))
        if fetched.feed is None:  # pragma: no cover - no validators were sent
            raise SourceError("the server answered 304 to an unconditional request")
        return fetched, fetched.feed

    def teasers(
        self, feed: ParsedFeed, source: Source, *, source_name: str, seen_at: datetime
    ) -> list[Teaser]:
        """Every item of a document, classified and rendered as a chat receives it."""
        return teasers(
            feed, source, classify=self.classify, source_name=source_name, seen_at=seen_at
        )


def teasers(
    feed: ParsedFeed,
    source: Source,
    *,
    classify: Classifier = classify_item,
    source_name: str,
    seen_at: datetime,
) -> list[Teaser]:
    """Every item of a document, classified (places and topics, as the poller does) and
    rendered as a chat receives it."""
    out: list[Teaser] = []
    for number, item in enumerate(feed.items, start=1):
        found = classify(item, source)
        article = article_of(
            item,
            found,
            source_name=source_name,
            seen_at=seen_at,
            number=number,
            topics=topics_of_item(item, source),
            language=source.language,
        )
        out.append(Teaser(article, render(article)))
    return out


def teaser_source_name(feed: ParsedFeed, fallback: str) -> str:
    """The source line under a document's teasers: the feed's own title, else ``fallback``."""
    return source_title(feed) or fallback
