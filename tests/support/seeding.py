"""Putting articles and poll outcomes into a real store the way a poll does: an intent, applied.

For tests and benchmarks that need stored articles, queued rows or a source's failure state
without running a feed server (on either backend): each helper builds a :class:`PollIntent` and
hands it to ``store.polls.apply_poll``, the one way polls write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bot.core.arrival import arrivals
from bot.core.models import Chat, NewArticle, ParsedFeed, Source
from bot.core.polling import (
    ArticleIntent,
    Fetched,
    PollFailed,
    PollIntent,
    PollRules,
    PollSucceeded,
    decide_poll,
)
from bot.core.routing import recipients
from bot.store import AppliedPoll
from bot.store.protocol import StoreVerbs

Router = Callable[[NewArticle, Sequence[Chat]], Iterable[int]]
"""Given a new article and the subscribed chats, the ids of the chats that should receive it."""


def everyone(_entry: NewArticle, chats: Sequence[Chat]) -> list[int]:
    """Every subscribed chat, whatever its region filter."""
    return [chat.id for chat in chats]


def by_region(entry: NewArticle, chats: Sequence[Chat]) -> tuple[int, ...]:
    """The chats whose region filter lets the article through (the bot's own routing)."""
    return recipients(entry.classification, chats)


async def record_articles(
    store: StoreVerbs,
    source_id: int,
    articles: Sequence[NewArticle],
    *,
    now: float,
    baseline: bool = False,
    route: Router = everyone,
) -> AppliedPoll:
    """Record articles for a source and queue each for the chats ``route`` picks.

    With ``baseline`` nothing is queued and the source is marked as baselined. The source's
    polling state is left as it is.
    """
    chats = [] if baseline else await store.polls.subscribed_chats()
    intents = tuple(
        ArticleIntent(entry.item, entry.classification, tuple(route(entry, chats)))
        for entry in articles
    )
    intent = PollIntent(
        source_id=source_id,
        now=now,
        update=None,
        articles=intents,
        baseline=baseline,
        due_at=arrivals(chats, now),  # as decide_poll: chats with a schedule wait for it
    )
    return await store.polls.apply_poll(intent)


async def poll_items(
    store: StoreVerbs, source: Source, articles: Sequence[NewArticle], *, now: float
) -> AppliedPoll:
    """A poll of ``source`` that read these items, decided and applied as the poller does."""
    feed = ParsedFeed(format="rss2.0", title=None, link=None, items=tuple(e.item for e in articles))
    places = {entry.item.key: entry.classification for entry in articles}
    rules = PollRules(interval=60, classify=lambda item, _source: places[item.key])
    known = await store.polls.poll_knowledge(source, feed.items)
    return await store.polls.apply_poll(decide_poll(source, Fetched(feed=feed), known, now, rules))


async def poll_ok(
    store: StoreVerbs,
    source_id: int,
    *,
    now: float,
    next_poll_at: float,
    etag: str | None = None,
    last_modified: str | None = None,
    new_url: str | None = None,
    body_hash: str | None = None,
    feed_title: str | None = None,
) -> None:
    """A poll of the source succeeded (200 or 304) at ``now``."""
    update = PollSucceeded(
        next_poll_at=next_poll_at,
        etag=etag,
        last_modified=last_modified,
        moved_to=new_url,
        body_hash=body_hash,
        feed_title=feed_title,
    )
    await store.polls.apply_poll(PollIntent(source_id=source_id, now=now, update=update))


async def poll_error(
    store: StoreVerbs,
    source_id: int,
    *,
    now: float,
    next_poll_at: float,
    error: str,
    disable: bool = False,
) -> None:
    """A poll of the source failed at ``now``: one more failure, the reason kept."""
    source = await store.sources.source(source_id)
    assert source is not None
    update = PollFailed(
        next_poll_at=next_poll_at,
        error=error,
        failures=source.failures + 1,
        failing_since=source.failing_since if source.failing_since is not None else now,
        disable=disable,
    )
    await store.polls.apply_poll(PollIntent(source_id=source_id, now=now, update=update))
