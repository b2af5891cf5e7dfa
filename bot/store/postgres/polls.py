"""Polls: reading what a poll's decision needs, and applying the decision in one transaction.

The same verbs and results as the SQLite :class:`bot.store.polls.PollsStore`. Several processes
may apply polls at once here, so ``apply_poll`` adds what SQLite's single writer gives for free:
the source's row is locked first (two polls of one source apply one after the other, and the
second skips what the first recorded), then one transaction-scoped advisory lock per link that is
queued (two sources sharing a link queue it for a chat once: the second waits, then its link guard
sees the first one's rows). Locks are always taken in that order, links sorted, so two polls never
wait on each other in a circle. The source's new state ends the lease its poller held on it
(:mod:`.leases`) in the same statement: the new ``next_poll_at`` says when it is due again.

PostgreSQL's text cannot hold NUL, which a hostile feed can put in a key or link (SQLite stores
it): feed text (and the texts of a source's state) is stored and looked up without it
(``_text``), so such an item is recorded once, known on the next poll, and never fails its
source's every poll.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.polling import (
    ArticleIntent,
    PollFailed,
    PollIntent,
    PollSucceeded,
    SourceUpdate,
)
from bot.store.knowledge import KnowledgeReads
from bot.store.polls import AppliedPoll
from bot.store.postgres.base import PgStoreBase, rows_changed
from bot.store.rows import identity_hash, ts

if TYPE_CHECKING:
    from bot.store.postgres.base import Connection

# The first key of the advisory locks on links (a key space of their own: two int4 keys never
# meet the single bigint keys of the migration and leader locks).
_LINK_LOCKS = 0x74656173  # "teas"

_ARTICLE_COLUMNS = (
    "source_id, key, url, title, summary, published_at, seen_at, sort_at, categories, image, "
    "countries, regions, language"
)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({_ARTICLE_COLUMNS}) "  # noqa: S608
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
    "ON CONFLICT (source_id, key) DO NOTHING RETURNING id"
)
# Many articles with nothing to queue (a first poll, say): one statement, one round trip.
_INSERT_ARTICLES = (
    f"INSERT INTO articles ({_ARTICLE_COLUMNS}) "  # noqa: S608
    "SELECT $1::bigint, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], "
    "$6::double precision[], $7::double precision[], $8::double precision[], $9::text[], "
    "$10::text[], $11::text[], $12::text[], $13::text[]) "
    "ON CONFLICT (source_id, key) DO NOTHING"
)
# The link guard: a recipient that has this link queued or sent (from any source) is skipped.
_QUEUE = (
    "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
    "SELECT $1::bigint, r.chat_id, $3::double precision, $3 "
    "FROM unnest($2::bigint[]) AS r (chat_id) "
    "WHERE $4::text IS NULL OR NOT EXISTS ("
    "SELECT 1 FROM articles a JOIN outbox o ON o.article_id = a.id "
    "WHERE o.chat_id = r.chat_id AND a.url = $4 AND o.state IN ('queued', 'sent')) "
    "ON CONFLICT (article_id, chat_id) DO NOTHING"
)
_SUCCEEDED = (
    "UPDATE sources SET etag = $1, last_modified = $2, failures = 0, last_error = NULL, "
    "failing_since = NULL, last_success_at = $3, last_polled_at = $4, next_poll_at = $5, "
    "url = coalesce($6, url), body_hash = coalesce($7, body_hash), "
    "feed_title = coalesce($8, feed_title), lease_owner = NULL, lease_until = NULL WHERE id = $9"
)
_FAILED = (
    "UPDATE sources SET failures = $1, last_error = $2, last_error_at = $3, failing_since = $4, "
    "last_polled_at = $5, next_poll_at = $6, enabled = CASE WHEN $7 THEN false ELSE enabled END, "
    "lease_owner = NULL, lease_until = NULL WHERE id = $8"
)


def _text(value: str) -> str:
    """Feed text as PostgreSQL can store it: without NUL characters."""
    return value.replace("\x00", "")


def _maybe(value: str | None) -> str | None:
    """``_text`` of an optional value."""
    return None if value is None else _text(value)


def _article_values(source_id: int, entry: ArticleIntent, now: float) -> tuple[object, ...]:
    """The row of one new article for ``_INSERT_ARTICLE``."""
    item = entry.item
    published = ts(item.published)
    return (
        source_id,
        _text(item.key),
        _maybe(item.url),
        _text(item.title),
        _text(item.summary),
        published,
        now,
        min(published, now) if published is not None else now,
        json.dumps(list(item.categories)),  # NUL comes out escaped as \\u0000
        _maybe(item.image),
        " ".join(entry.classification.countries),
        " ".join(entry.classification.regions),
        _maybe(entry.language),
    )


def _article_columns(source_id: int, entries: Sequence[ArticleIntent], now: float) -> list[object]:
    """The parameters of ``_INSERT_ARTICLES``: the source, then one array per other column."""
    rows = [_article_values(source_id, entry, now)[1:] for entry in entries]
    return [source_id, *(list(column) for column in zip(*rows, strict=True))]


def _update_values(source_id: int, update: SourceUpdate, now: float) -> tuple[str, list[object]]:
    """The statement and parameters that store a source's next state."""
    match update:
        case PollSucceeded():
            return _SUCCEEDED, [
                _maybe(update.etag),
                _maybe(update.last_modified),
                now,
                now,
                float(update.next_poll_at),
                _maybe(update.moved_to),
                update.body_hash,
                _maybe(update.feed_title),
                source_id,
            ]
        case PollFailed():
            return _FAILED, [
                update.failures,
                _text(update.error),
                now,
                float(update.failing_since),
                now,
                float(update.next_poll_at),
                update.disable,
                source_id,
            ]


def _link_keys(intent: PollIntent) -> list[int]:
    """The advisory lock keys of the links this intent may queue, sorted (the locking order)."""
    urls = {
        _text(entry.item.url) for entry in intent.articles if entry.recipients and entry.item.url
    }
    return sorted({identity_hash("u", url) >> 32 for url in urls})


class PgPollsStore(PgStoreBase, KnowledgeReads):
    """The two steps of a poll on the store's side: read the facts, apply the intent."""

    async def apply_poll(self, intent: PollIntent) -> AppliedPoll:
        """Apply one poll's intent in a single transaction: articles, their queue, the source.

        An article another poll recorded since the facts were read is skipped with its
        recipients; so is a recipient that meanwhile got the same link from another source.
        """
        now = float(intent.now)
        if not intent.articles and not intent.baseline:
            if intent.update is not None:
                sql, values = _update_values(intent.source_id, intent.update, now)
                await self._execute(sql, *values)  # one statement: atomic on its own
            return AppliedPoll(0, 0)
        async with self.transaction() as db:
            await db.execute(
                "SELECT 1 FROM sources WHERE id = $1 FOR NO KEY UPDATE", intent.source_id
            )
            applied = await _record(db, intent, now)
            if intent.baseline:
                await db.execute(
                    "UPDATE sources SET baseline_done = true WHERE id = $1", intent.source_id
                )
            if intent.update is not None:
                sql, values = _update_values(intent.source_id, intent.update, now)
                await db.execute(sql, *values)
        return applied


async def _record(db: Connection, intent: PollIntent, now: float) -> AppliedPoll:
    """Insert the new articles and queue each one that was inserted for its recipients."""
    source_id = intent.source_id
    if not any(entry.recipients for entry in intent.articles):
        if not intent.articles:
            return AppliedPoll(0, 0)
        status = await db.execute(
            _INSERT_ARTICLES, *_article_columns(source_id, intent.articles, now)
        )
        return AppliedPoll(new_articles=rows_changed(status), queued=0)
    await db.execute(
        "SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::integer[]) AS k",
        _LINK_LOCKS,
        _link_keys(intent),
    )
    new = queued = 0
    for entry in intent.articles:
        article_id = await db.fetchval(_INSERT_ARTICLE, *_article_values(source_id, entry, now))
        if article_id is None:
            continue
        new += 1
        if entry.recipients:
            status = await db.execute(
                _QUEUE, article_id, list(entry.recipients), now, _maybe(entry.item.url)
            )
            queued += rows_changed(status)
    return AppliedPoll(new_articles=new, queued=queued)
