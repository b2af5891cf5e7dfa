"""Deciding one poll: what a fetch means for a source, given what the store already knows.

Pure, in the manner of lemon24/reader's ``Decider``: :func:`decide_poll` takes the source's
state, the fetch outcome, a :class:`PollKnowledge` read from the store beforehand, and ``now``,
and returns a :class:`PollIntent` (the new articles with their places and recipients, the
source's next state, notices) that the store applies in one transaction. Nothing here reads a
clock, the network or the database.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from bot.core.arrival import arrivals
from bot.core.models import Chat, Classification, ParsedFeed, ParsedItem, Source
from bot.core.routing import Router, classify_item, recipients, story_of, topics_of_item
from bot.core.schedule import next_poll_delay
from bot.core.websub import HubLink

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Classifier = Callable[[ParsedItem, Source], Classification]
"""(item, its source) -> where the story happens."""
TopicClassifier = Callable[[ParsedItem, Source], tuple[str, ...]]
"""(item, its source) -> what the story is about (topic ids)."""


# ---------------------------------------------------------------- what comes in


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetch that succeeded: a document to read, or one unchanged since the last poll."""

    feed: ParsedFeed | None  # None: 304, or a 200 whose body had the stored digest
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # where the source moved for good (or its discovered feed)
    max_age: float | None = None  # Cache-Control max-age
    body_hash: str | None = None  # the document's digest (None on 304)
    hub: HubLink | None = None  # the WebSub hub the document names (bot/core/websub.py)


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A fetch or parse that failed, with the one-line reason kept for the operators."""

    reason: str
    retry_after: float | None = None
    gone: bool = False  # 410: the source is disabled


FetchOutcome = Fetched | FetchFailure


@dataclass(frozen=True, slots=True)
class PollKnowledge:
    """What the store knows that the decision needs, read before deciding.

    ``known``: keys of the document's items the source has already (by key or by URL);
    ``pruned``: keys of items stored once and pruned since (their digests outlived the rows);
    ``chats``: the subscribed chats, by id (read only when something may be sent): all of them,
    or the first slice of a fan-out (:mod:`bot.core.fanout`) when ``more_after`` is set;
    ``more_after``: the last chat of that slice, after which more subscribed chats may follow
    (None: ``chats`` holds them all);
    ``have_url``: for a fresh item's URL, the chats that have an article with it queued or sent.
    """

    known: frozenset[str] = frozenset()
    pruned: frozenset[str] = frozenset()
    chats: tuple[Chat, ...] = ()
    have_url: Mapping[str, frozenset[int]] = field(default_factory=dict)
    more_after: int | None = None


@dataclass(frozen=True, slots=True)
class PollRules:
    """How polls are decided: the interval, the classifiers, the jitter's randomness and the
    router (the chats' filters indexed once and kept current from poll to poll)."""

    interval: float
    classify: Classifier = classify_item
    rng: random.Random = field(default_factory=random.Random)
    topics: TopicClassifier = topics_of_item
    router: Router = field(default_factory=Router, compare=False)


# ---------------------------------------------------------------- what goes out


class PollNotice(StrEnum):
    """Things worth saying about a poll beyond its counts."""

    BASELINE = "baseline"  # the first document: recorded, nothing sent
    SAME_BODY = "same_body"  # a 200 with the document of the last poll: not parsed again
    MOVED = "moved"  # the source moved for good (or its feed was found): polled there now
    DISABLED = "disabled"  # 410 Gone: the source is not polled again


@dataclass(frozen=True, slots=True)
class ArticleIntent:
    """A new article: the item, where it happens, what it is about, the chats it is queued for.

    ``continue_after``: the chats routed here were a fan-out's first slice; the store records
    a cursor after this chat id, and the rest are routed in later slices (None: no more).
    """

    item: ParsedItem
    classification: Classification
    recipients: tuple[int, ...] = ()
    language: str | None = None  # what it is written in: the source's language, else the feed's
    topics: tuple[str, ...] = ()  # topic ids, in the taxonomy's order (bot.core.topics)
    continue_after: int | None = None


@dataclass(frozen=True, slots=True)
class PollSucceeded:
    """The source's next state after a poll that succeeded (None fields keep what is stored)."""

    next_poll_at: float
    etag: str | None
    last_modified: str | None
    moved_to: str | None = None
    body_hash: str | None = None
    feed_title: str | None = None


@dataclass(frozen=True, slots=True)
class PollFailed:
    """The source's next state after a poll that failed."""

    next_poll_at: float
    error: str
    failures: int
    failing_since: float
    disable: bool = False


SourceUpdate = PollSucceeded | PollFailed


@dataclass(frozen=True, slots=True)
class PollIntent:
    """Everything one poll changes, applied by the store in one transaction.

    ``baseline``: the source's first document; its articles are recorded, none is queued, and
    the source is marked as baselined. ``update`` None leaves the source's state as it is.
    ``due_at``: the chats whose rows wait (a digest schedule, quiet hours that hold), with when
    they are due (:func:`bot.core.arrival.arrivals`); every other recipient's rows are due now.
    """

    source_id: int
    now: float
    update: SourceUpdate | None
    articles: tuple[ArticleIntent, ...] = ()
    baseline: bool = False
    items: int = 0  # items in the document read (0 when none was)
    notices: tuple[PollNotice, ...] = ()
    due_at: Mapping[int, float] = field(default_factory=dict)


# ---------------------------------------------------------------- deciding


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


def fresh_items(items: Sequence[ParsedItem], known: frozenset[str] | set[str]) -> list[ParsedItem]:
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


def source_title(feed: ParsedFeed | None) -> str | None:
    """The feed's own name for its teasers' source line (None when it names none)."""
    title = " ".join((feed.title or "").split()) if feed is not None else ""
    return title[:64] or None


def new_articles(
    source: Source, feed: ParsedFeed, known: PollKnowledge, rules: PollRules
) -> tuple[ArticleIntent, ...]:
    """The document's items that are new for the source, oldest first, with their recipients.

    Known items (by key or URL), repeats of a URL within the document and items pruned since
    they were first seen are not new. A baseline (first document) goes to nobody; otherwise a
    chat gets an item its whole filter lets through (regions, topics, keywords, sites), unless
    it already has the same link from another source. When the chats known are a fan-out's
    first slice, each article continues after it.
    """
    fresh = fresh_items(oldest_first(feed.items), known.known)
    articles: list[ArticleIntent] = []
    for item in fresh:
        if item.key in known.pruned:
            continue
        found = rules.classify(item, source)
        about = rules.topics(item, source)
        chats: tuple[int, ...] = ()
        after: int | None = None
        if source.baseline_done and known.chats:
            have = known.have_url.get(item.url, frozenset()) if item.url else frozenset()
            story = story_of(item, source, found, about)
            chats = recipients(story, known.chats, have_url=have, router=rules.router)
            after = known.more_after
        language = source.language or item.language
        articles.append(ArticleIntent(item, found, chats, language, about, after))
    return tuple(articles)


def decide_poll(
    source: Source, outcome: FetchOutcome, known: PollKnowledge, now: float, rules: PollRules
) -> PollIntent:
    """Everything one poll of ``source`` changes, given its fetch outcome and the store's facts."""
    if isinstance(outcome, FetchFailure):
        return _failed(source, outcome, now, rules)
    delay = next_poll_delay(
        interval=rules.interval, failures=0, max_age=outcome.max_age, rng=rules.rng
    )
    feed = outcome.feed
    baseline = feed is not None and not source.baseline_done
    notices = [PollNotice.BASELINE] if baseline else []
    if outcome.body_hash is not None and feed is None:
        notices.append(PollNotice.SAME_BODY)
    if outcome.moved_to:
        notices.append(PollNotice.MOVED)
    articles = new_articles(source, feed, known, rules) if feed is not None else ()
    return PollIntent(
        source_id=source.id,
        now=now,
        update=PollSucceeded(
            next_poll_at=now + delay,
            etag=outcome.etag,
            last_modified=outcome.last_modified,
            moved_to=outcome.moved_to,
            body_hash=outcome.body_hash,
            feed_title=source_title(feed),
        ),
        articles=articles,
        baseline=baseline,
        items=len(feed.items) if feed is not None else 0,
        notices=tuple(notices),
        due_at=arrivals(known.chats, now) if any(a.recipients for a in articles) else {},
    )


def _failed(source: Source, failure: FetchFailure, now: float, rules: PollRules) -> PollIntent:
    """One more failure: backed off (Retry-After a floor), the reason kept, 410 disables."""
    failures = source.failures + 1
    delay = next_poll_delay(
        interval=rules.interval,
        failures=failures,
        retry_after=failure.retry_after,
        rng=rules.rng,
    )
    update = PollFailed(
        next_poll_at=now + delay,
        error=failure.reason,
        failures=failures,
        failing_since=source.failing_since if source.failing_since is not None else now,
        disable=failure.gone,
    )
    notices = (PollNotice.DISABLED,) if failure.gone else ()
    return PollIntent(source_id=source.id, now=now, update=update, notices=notices)
