"""Polls: reading what a poll's decision needs, and applying the decision in one transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.core.models import Chat, ParsedItem
from bot.core.polling import (
    ArticleIntent,
    PollFailed,
    PollIntent,
    PollSucceeded,
    SourceUpdate,
)
from bot.store.articles import ArticlesStore
from bot.store.knowledge import KnowledgeReads, identity_hashes
from bot.store.rows import CHAT_COLUMNS, chat_row, ts
from bot.store.sources import LEASE_ENDS

_CHUNK = 400  # values per lookup, well under SQLite's limit on bound parameters

_INSERT_ARTICLE = (
    "INSERT OR IGNORE INTO articles (source_id, key, url, title, summary, published_at, "
    "seen_at, sort_at, categories, image, countries, regions, language) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# The link guard is the decision's fence against a poll of another source that committed the
# same link after this poll's facts were read: a race may drop a send, never double one.
# CROSS JOIN keeps articles (by URL index) outermost: joining from the chat's outbox rows
# instead would scan its whole history per insert.
# One statement per article, set-based: the recipients go in as one JSON array (json_each), so
# the cost per chat is SQLite's own, not a round trip through the driver's thread per chat.
_QUEUE = (
    "INSERT OR IGNORE INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
    "SELECT ?1, r.value, ?2, ?2 FROM json_each(?3) AS r WHERE ?4 IS NULL OR NOT EXISTS ("
    "SELECT 1 FROM articles a CROSS JOIN outbox o ON o.article_id = a.id "
    "WHERE o.chat_id = r.value AND a.url = ?4 AND o.state IN ('queued', 'sent'))"
)
_SUCCEEDED = (
    "UPDATE sources SET etag = ?, last_modified = ?, failures = 0, last_error = NULL, "  # noqa: S608
    "failing_since = NULL, last_success_at = ?, last_polled_at = ?, next_poll_at = ?, "
    "url = coalesce(?, url), body_hash = coalesce(?, body_hash), "
    f"feed_title = coalesce(?, feed_title), {LEASE_ENDS} WHERE id = ?"
)
_FAILED = (
    "UPDATE sources SET failures = ?, last_error = ?, last_error_at = ?, failing_since = ?, "  # noqa: S608
    "last_polled_at = ?, next_poll_at = ?, enabled = CASE WHEN ? THEN 0 ELSE enabled END, "
    f"{LEASE_ENDS} WHERE id = ?"
)


@dataclass(frozen=True, slots=True)
class AppliedPoll:
    """What applying a poll's intent wrote."""

    new_articles: int
    queued: int


def _article_values(source_id: int, entry: ArticleIntent, now: float) -> tuple[object, ...]:
    """The row of one new article for ``_INSERT_ARTICLE``."""
    item = entry.item
    published = ts(item.published)
    return (
        source_id,
        item.key,
        item.url,
        item.title,
        item.summary,
        published,
        now,
        min(published, now) if published is not None else now,
        json.dumps(list(item.categories)),
        item.image,
        " ".join(entry.classification.countries),
        " ".join(entry.classification.regions),
        entry.language,
    )


def _update_values(
    source_id: int, update: SourceUpdate, now: float
) -> tuple[str, tuple[object, ...]]:
    """The statement and parameters that store a source's next state."""
    match update:
        case PollSucceeded():
            values: tuple[object, ...] = (
                update.etag,
                update.last_modified,
                now,
                now,
                update.next_poll_at,
                update.moved_to,
                update.body_hash,
                update.feed_title,
                source_id,
            )
            return _SUCCEEDED, values
        case PollFailed():
            values = (
                update.failures,
                update.error,
                now,
                update.failing_since,
                now,
                update.next_poll_at,
                update.disable,
                source_id,
            )
            return _FAILED, values


class PollsStore(ArticlesStore, KnowledgeReads):
    """The two steps of a poll on the store's side: read the facts, apply the intent."""

    async def subscribed_chats(self) -> list[Chat]:
        """Every subscribed chat (the candidates for a new article)."""
        rows = await self._all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.subscribed = 1"  # noqa: S608
        )
        return [chat_row(r) for r in rows]

    async def _pruned(self, source_id: int, items: Sequence[ParsedItem]) -> frozenset[str]:
        """The keys of ``items`` whose key or URL digest was kept when the article was pruned."""
        by_hash = identity_hashes(items)
        hashes = list(by_hash)
        pruned: set[str] = set()
        for start in range(0, len(hashes), _CHUNK):
            chunk = hashes[start : start + _CHUNK]
            rows = await self._all(
                "SELECT key_hash FROM pruned_keys WHERE source_id = ? "  # noqa: S608
                f"AND key_hash IN ({','.join('?' * len(chunk))})",
                (source_id, *chunk),
            )
            for (found,) in rows:
                pruned.update(by_hash[found])
        return frozenset(pruned)

    async def _chats_having(self, urls: Sequence[str]) -> dict[str, frozenset[int]]:
        """For each URL, the chats with an article of that link queued or sent."""
        having: dict[str, set[int]] = {}
        for start in range(0, len(urls), _CHUNK):
            chunk = urls[start : start + _CHUNK]
            rows = await self._all(
                "SELECT a.url, o.chat_id FROM articles a CROSS JOIN outbox o "  # noqa: S608
                f"ON o.article_id = a.id WHERE a.url IN ({','.join('?' * len(chunk))}) "
                "AND o.state IN ('queued', 'sent')",
                tuple(chunk),
            )
            for url, chat_id in rows:
                having.setdefault(str(url), set()).add(int(chat_id))
        return {url: frozenset(chats) for url, chats in having.items()}

    async def apply_poll(self, intent: PollIntent) -> AppliedPoll:
        """Apply one poll's intent in a single transaction: articles, their queue, the source.

        An article another poll recorded since the facts were read is skipped with its
        recipients; so is a recipient that meanwhile got the same link from another source.
        The source's new state (its next poll time) ends the poll's lease on it.
        """
        if not intent.articles and not intent.baseline:
            if intent.update is None:
                return AppliedPoll(0, 0)
            sql, values = _update_values(intent.source_id, intent.update, intent.now)
            # One statement is atomic on its own: no BEGIN/COMMIT round trips, only the write
            # lock (so it never lands inside another coroutine's open transaction).
            async with self._write:
                await self._db.execute(sql, values)
            return AppliedPoll(0, 0)
        async with self.transaction() as db:
            applied = await self._record(db, intent)
            if intent.baseline:
                await db.execute(
                    "UPDATE sources SET baseline_done = 1 WHERE id = ?", (intent.source_id,)
                )
            if intent.update is not None:
                await db.execute(*_update_values(intent.source_id, intent.update, intent.now))
        return applied

    async def _record(self, db: aiosqlite.Connection, intent: PollIntent) -> AppliedPoll:
        """Insert the new articles and queue each one that was inserted for its recipients."""
        source_id, now = intent.source_id, intent.now
        if not any(entry.recipients for entry in intent.articles):
            # Nothing to queue (a first poll, say): one executemany instead of a round trip per
            # item. A generator, not a list: aiosqlite hands it to its worker thread, so the rows
            # of a big first poll are built there as sqlite consumes them, not on the event loop.
            cur = await db.executemany(
                _INSERT_ARTICLE, (_article_values(source_id, e, now) for e in intent.articles)
            )
            return AppliedPoll(new_articles=max(cur.rowcount, 0), queued=0)
        new = queued = 0
        for entry in intent.articles:
            cur = await db.execute(_INSERT_ARTICLE, _article_values(source_id, entry, now))
            if cur.rowcount != 1:
                continue
            new += 1
            recipients = json.dumps(list(entry.recipients))
            cur = await db.execute(_QUEUE, (cur.lastrowid, now, recipients, entry.item.url))
            queued += max(cur.rowcount, 0)
        return AppliedPoll(new_articles=new, queued=queued)
