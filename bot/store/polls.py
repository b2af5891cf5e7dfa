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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.core.polling import (
    ArticleIntent,
    PollFailed,
    PollIntent,
    PollSucceeded,
    SourceUpdate,
)
from bot.store.fanouts import CURSOR, FanOutsStore, LinkLocks
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
    fanning_out: int = 0  # articles whose audience is queued in slices from here on


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


class PollWrites(LinkLocks, Protocol):
    """What applying a poll does its own way on a backend (and the link locks of a fan-out's
    later slices: :class:`~bot.store.fanouts.LinkLocks`)."""

    async def lock_for_apply(self, db: Session, intent: PollIntent) -> None:
        """Take the locks applying ``intent`` needs before it writes."""
        ...

    async def insert_articles(self, db: Session, rows: Iterable[Values]) -> int:
        """Insert many rows of ``INSERT_ARTICLE`` at once; how many were new."""
        ...


class PollsStore(FanOutsStore):
    """The two steps of a poll on the store's side: read the facts, apply the intent."""

    _writes: PollWrites

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
        if not any(e.recipients or e.continue_after is not None for e in intent.articles):
            # Nothing to queue (a first poll, say): one bulk write, not a round trip per item.
            if not intent.articles:
                return AppliedPoll(0, 0)
            rows = (article_values(d, source_id, entry, now) for entry in intent.articles)
            return AppliedPoll(new_articles=await self._writes.insert_articles(db, rows), queued=0)
        new = queued = fanning = 0
        for entry in intent.articles:
            article_id = await db.value(
                f"{INSERT_ARTICLE} RETURNING id", *article_values(d, source_id, entry, now)
            )
            if article_id is None:
                continue
            new += 1
            if entry.recipients:
                url = _maybe(d, entry.item.url)
                queued += await self._queue(
                    db, article_id, entry.recipients, url, now, intent.due_at
                )
            if entry.continue_after is not None:  # the rest of the audience, in slices
                await db.execute(CURSOR, article_id, entry.continue_after, now)
                fanning += 1
        return AppliedPoll(new_articles=new, queued=queued, fanning_out=fanning)
