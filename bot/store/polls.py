"""Applying a poll's decision in one transaction (both backends: see :mod:`bot.store.sql`).

What a backend does its own way is its :class:`PollWrites`, given to :class:`PollsStore`
(:mod:`.poll_writes`, :mod:`.postgres.poll_writes`): ``lock_for_apply`` (nothing on SQLite, whose
writer is alone; row and link locks on PostgreSQL), ``insert_articles`` (many articles with
nothing to queue, one bulk write). The statement that writes the poll's result also ends the
poller's lease on the source (:data:`.sources.LEASE_ENDS`, the same columns on both backends).

Feed text and a source's state are stored as the backend can hold them (``Dialect.text``:
PostgreSQL's text cannot hold NUL), so a hostile item is recorded once and known on the next poll.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.core.polling import (
    ArticleIntent,
    PollFailed,
    PollIntent,
    PollSucceeded,
    SourceUpdate,
)
from bot.store.knowledge import KnowledgeReads
from bot.store.rows import ts
from bot.store.sources import LEASE_ENDS
from bot.store.sql import Database, Dialect, Session

NEW_ARTICLE_COLUMNS = (
    "source_id, key, url, title, summary, published_at, seen_at, sort_at, categories, image, "
    "countries, regions, language, topics"
)
INSERT_ARTICLE = (
    f"INSERT INTO articles ({NEW_ARTICLE_COLUMNS}) "  # noqa: S608
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, key) DO NOTHING"
)
# The link guard is the decision's fence against a poll of another source that committed the
# same link after this poll's facts were read: a race may drop a send, never double one.
# CROSS JOIN keeps articles (by URL index) outermost on SQLite: joining from the chat's outbox
# rows instead would scan its whole history per insert. One statement per article, set-based:
# the recipients go in as one list parameter, so the cost per chat is the database's own.
_QUEUE = (
    "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
    "SELECT CAST(? AS bigint), r.value, CAST(? AS double precision), CAST(? AS double precision) "
    "FROM {recipients} WHERE CAST(? AS text) IS NULL OR NOT EXISTS ("
    "SELECT 1 FROM articles a CROSS JOIN outbox o WHERE o.article_id = a.id "
    "AND o.chat_id = r.value AND a.url = ? AND o.state IN ('queued', 'sent')) "
    "ON CONFLICT (article_id, chat_id) DO NOTHING"
)
_SUCCEEDED = (
    "UPDATE sources SET etag = ?, last_modified = ?, failures = 0, last_error = NULL, "  # noqa: S608
    "failing_since = NULL, last_success_at = ?, last_polled_at = ?, next_poll_at = ?, "
    "url = coalesce(?, url), body_hash = coalesce(?, body_hash), "
    f"feed_title = coalesce(?, feed_title), {LEASE_ENDS} WHERE id = ?"
)
_FAILED = (
    "UPDATE sources SET failures = ?, last_error = ?, last_error_at = ?, failing_since = ?, "  # noqa: S608
    "last_polled_at = ?, next_poll_at = ?, enabled = CASE WHEN ? THEN false ELSE enabled END, "
    f"{LEASE_ENDS} WHERE id = ?"
)

Values = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class AppliedPoll:
    """What applying a poll's intent wrote."""

    new_articles: int
    queued: int


def _maybe(d: Dialect, value: str | None) -> str | None:
    """``Dialect.text`` of an optional value."""
    return None if value is None else d.text(value)


def article_values(d: Dialect, source_id: int, entry: ArticleIntent, now: float) -> Values:
    """The row of one new article for ``INSERT_ARTICLE`` (its columns: ``NEW_ARTICLE_COLUMNS``)."""
    item = entry.item
    published = ts(item.published)
    return (
        source_id,
        d.text(item.key),
        _maybe(d, item.url),
        d.text(item.title),
        d.text(item.summary),
        published,
        now,
        min(published, now) if published is not None else now,
        json.dumps(list(item.categories)),  # NUL comes out escaped as \\u0000
        _maybe(d, item.image),
        " ".join(entry.classification.countries),
        " ".join(entry.classification.regions),
        _maybe(d, entry.language),
        " ".join(entry.topics),
    )


def _update_values(
    d: Dialect, source_id: int, update: SourceUpdate, now: float
) -> tuple[str, Values]:
    """The statement and parameters that store a source's next state (ending its lease)."""
    match update:
        case PollSucceeded():
            return _SUCCEEDED, (
                _maybe(d, update.etag),
                _maybe(d, update.last_modified),
                now,
                now,
                float(update.next_poll_at),
                _maybe(d, update.moved_to),
                update.body_hash,
                _maybe(d, update.feed_title),
                source_id,
            )
        case PollFailed():
            return _FAILED, (
                update.failures,
                d.text(update.error),
                now,
                float(update.failing_since),
                now,
                float(update.next_poll_at),
                update.disable,
                source_id,
            )


class PollWrites(Protocol):
    """What applying a poll does its own way on a backend."""

    async def lock_for_apply(self, db: Session, intent: PollIntent) -> None:
        """Take the locks applying ``intent`` needs before it writes."""
        ...

    async def insert_articles(self, db: Session, rows: Iterable[Values]) -> int:
        """Insert many rows of ``INSERT_ARTICLE`` at once; how many were new."""
        ...


class PollsStore(KnowledgeReads):
    """The two steps of a poll on the store's side: read the facts, apply the intent."""

    def __init__(self, sql: Database, writes: PollWrites) -> None:
        super().__init__(sql)
        self._writes = writes

    async def _write_state(self, db: Session, intent: PollIntent, now: float) -> None:
        """Store the source's next state and end the poll's lease on it."""
        if intent.update is None:
            return
        sql, values = _update_values(self._dialect, intent.source_id, intent.update, now)
        await db.execute(sql, *values)

    async def apply_poll(self, intent: PollIntent) -> AppliedPoll:
        """Apply one poll's intent in a single transaction: articles, their queue, the source.

        An article another poll recorded since the facts were read is skipped with its
        recipients; so is a recipient that meanwhile got the same link from another source.
        The source's new state (its next poll time) ends the poll's lease on it.
        """
        now = float(intent.now)
        if not intent.articles and not intent.baseline:
            # One statement is atomic on its own: no BEGIN/COMMIT round trips.
            await self._write_state(self._sql, intent, now)
            return AppliedPoll(0, 0)
        async with self._sql.transaction() as db:
            await self._writes.lock_for_apply(db, intent)
            applied = await self._record(db, intent, now)
            if intent.baseline:
                await db.execute(
                    "UPDATE sources SET baseline_done = true WHERE id = ?", intent.source_id
                )
            await self._write_state(db, intent, now)
        return applied

    async def _record(self, db: Session, intent: PollIntent, now: float) -> AppliedPoll:
        """Insert the new articles and queue each one that was inserted for its recipients."""
        d, source_id = self._dialect, intent.source_id
        if not any(entry.recipients for entry in intent.articles):
            # Nothing to queue (a first poll, say): one bulk write, not a round trip per item.
            if not intent.articles:
                return AppliedPoll(0, 0)
            rows = (article_values(d, source_id, entry, now) for entry in intent.articles)
            return AppliedPoll(new_articles=await self._writes.insert_articles(db, rows), queued=0)
        queue = _QUEUE.format(recipients=d.each("r", "bigint"))
        due_at = intent.due_at
        new = queued = 0
        for entry in intent.articles:
            article_id = await db.value(
                f"{INSERT_ARTICLE} RETURNING id", *article_values(d, source_id, entry, now)
            )
            if article_id is None:
                continue
            new += 1
            if entry.recipients:
                url = _maybe(d, entry.item.url)
                for at, chats in _by_due(entry.recipients, due_at, now):
                    queued += await db.execute(queue, article_id, at, now, d.array(chats), url, url)
        return AppliedPoll(new_articles=new, queued=queued)


def _by_due(
    recipients: tuple[int, ...], due_at: Mapping[int, float], now: float
) -> list[tuple[float, tuple[int, ...]]]:
    """The recipients grouped by when their rows are due (most are due ``now``: one group)."""
    if not due_at:
        return [(now, recipients)]
    groups: dict[float, list[int]] = {}
    for chat_id in recipients:
        groups.setdefault(due_at.get(chat_id, now), []).append(chat_id)
    return [(at, tuple(chats)) for at, chats in groups.items()]
