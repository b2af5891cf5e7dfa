"""The store's SQL three ways, side by side: today's driver calls, SQLAlchemy Core, our own layer.

Run: .venv/bin/python bench/store_layer.py [--rounds 5] [--chats 20] [--polls 10] [--ways …]
    [--backend both|sqlite|postgres] [--json samples.json] [--quick]
Needs SQLAlchemy (an optional extra, never a dependency of the bot):
    .venv/bin/pip install -e '.[bench]'        (or: pip install 'sqlalchemy[asyncio]>=2')

Issue 29 asks what writing each storage verb once would cost per delivered message and per poll.
Each way runs the same work on its own database (a SQLite file in a temporary directory, or a
database on the bench's own PostgreSQL from tests/support/postgres.py), seeded alike:

- ``raw``: today's calls, copied from bot/store and bot/store/postgres as of issue 29 (aiosqlite
  on one connection with BEGIN IMMEDIATE; asyncpg on a pool of one with ``$n`` statements).
- ``ours``: our thin shared layer, ``bot/store/sql.py``'s Database as the stores make it
  (``SqliteDatabase``, ``PgDatabase``: one/all/value/execute/executemany/transaction, statements
  written once with ``?`` marks, numbered ``$1…`` for PostgreSQL by an lru_cache'd function).
- ``ours-1trip`` (SQLite only, ``--ways``): ``ours`` with a session making one trip to aiosqlite's
  thread per statement (``execute_fetchall``; cursors not closed by a call of their own), where
  bot/store/base.py's SqliteSession makes two (a write) or three (a read).
- ``sa-text``: the same verbs and statements on SQLAlchemy 2 Core async (``text()``, ``?`` marks
  turned into named binds once per statement, rows read as mappings).
- ``sa-sql``: as ``sa-text``, but each statement handed to the driver as it is
  (``exec_driver_sql``, the driver's own marks): SQLAlchemy's engine, pool, transaction and result
  layers without its SQL compiler, the least SQLAlchemy can cost.
- ``sa-core``: the verbs written as Core expressions (select/update/dialect insert with
  on_conflict_do_nothing, ``in_`` lists), built per call as such code is; the two statements that
  differ by backend in any case (the per-chat queue insert: json_each / unnest; the advisory
  locks) stay ``text()``.

The SQLAlchemy engines are set up as a store would use them: a pool of one; reads on an
autocommit connection (PostgreSQL) or without BEGIN (SQLite: the documented aiosqlite recipe,
the driver's own BEGIN off, ``BEGIN IMMEDIATE`` emitted for write transactions only);
the compiled cache on (the default). Every way takes the same locks as today's store and, on
PostgreSQL, its reachability guard around every call.

Work units:

- **poll**: ``poll_knowledge`` + ``apply_poll`` for a feed of 30 items of which 5 are new, to be
  queued for every subscribed chat (``--chats``): known items, pruned digests, subscribed chats,
  chats having the links; then one transaction inserting the 5 articles, queueing each for the
  chats, storing the source's new state (PostgreSQL: the row lock and the link locks first).
- **deliver**: what the Deliverer does per message: read due rows in batches of 50
  (``due_deliveries`` with the cursor), then mark them sent (``record_outcomes(sent=…)``) in one
  transaction per batch (``deliver``), or one transaction per message (``deliver 1/tx``: at
  Telegram's 30 messages per second the writer's 10 ms flush holds about one).

Per round every way runs ``--polls`` polls then drains the outbox they filled, twice (the second
drain one message per transaction); the order of the ways rotates each round. Figures are the
medians over the rounds of process CPU (time.process_time: the event loop and aiosqlite's thread
with SQLite's own work; not PostgreSQL's server) and of wall time, per unit, with each way's
ratio to ``raw`` (the median of the rounds' ratios; for CPU also their range); for PostgreSQL
also the CPU of the server process serving the way's one connection (from /proc, in 10 ms
ticks). Each round checks that every way wrote the same.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import aiosqlite  # noqa: E402
import asyncpg  # noqa: E402

from bot.core.models import ChatKind, Classification, Delivery, ParsedItem, SourceSpec  # noqa: E402
from bot.core.polling import (  # noqa: E402
    ArticleIntent,
    PollIntent,
    PollKnowledge,
    PollSucceeded,
)
from bot.store import Store  # noqa: E402
from bot.store.base import SqliteDatabase, SqliteSession  # noqa: E402
from bot.store.postgres import PostgresStore  # noqa: E402
from bot.store.postgres.base import PgDatabase, unreachable  # noqa: E402
from bot.store.reachability import Reachability  # noqa: E402
from bot.store.rows import ARTICLE_COLUMNS, CHAT_COLUMNS, article_row, chat_row, identity_hash  # noqa: E402
from bot.store.sql import numbered  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

try:
    import sqlalchemy as sa
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
except ImportError:  # pragma: no cover - said plainly in main()
    sa = None  # type: ignore[assignment]

NEW_ITEMS = 5
KNOWN_ITEMS = 25
READ_BATCH = 50  # the Deliverer's smallest batch (DeliveryPlan: max(50, high_water // 2))
FILLER_ARTICLES = 2_000
PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
)
LINK_LOCKS = 0x74656173
BASE_TIME = 1_800_000_000.0


# ------------------------------------------------------------------------------------------------
# The work: feeds, intents, rows


def items_of(poll: int) -> list[ParsedItem]:
    """The new items of poll number ``poll`` (negative numbers: the seeded ones)."""
    return [
        ParsedItem(
            key=f"p{poll}-{j}",
            title=f"Story {poll}.{j} about Brazil and the world",
            summary="A short summary of a story, as a parser leaves it. " * 3,
            url=f"https://news.example/{poll}/{j}",
            published=datetime.fromtimestamp(BASE_TIME + poll * 60 + j, UTC),
            categories=("World", "Politics"),
        )
        for j in range(NEW_ITEMS)
    ]


def feed_of(poll: int) -> list[ParsedItem]:
    """What poll ``poll`` reads: its new items, then the items of the five polls before."""
    items = items_of(poll)
    for earlier in range(poll - 1, poll - 1 - KNOWN_ITEMS // NEW_ITEMS, -1):
        items += items_of(earlier)
    return items


def intent_for(poll: int, knowledge: PollKnowledge, items: Sequence[ParsedItem]) -> PollIntent:
    """What the decider would make of the poll: each new item queued for every chat it read."""
    recipients = tuple(chat.id for chat in knowledge.chats)
    classification = Classification(countries=("BR",), regions=("south-america",))
    articles = tuple(
        ArticleIntent(item, classification, recipients, "en")
        for item in items
        if item.key not in knowledge.known and item.key not in knowledge.pruned
    )
    update = PollSucceeded(
        next_poll_at=BASE_TIME + poll * 60 + 600,
        etag=f'"e{poll}"',
        last_modified=None,
        body_hash=f"h{poll}",
    )
    return PollIntent(source_id=1, now=BASE_TIME + poll * 60, update=update, articles=articles)


def seed_intent(polls: Iterable[int], extra: int = 0) -> PollIntent:
    """Articles stored without queueing anything (the seeded history)."""
    items = [item for poll in polls for item in items_of(poll)]
    items += [
        ParsedItem(f"old-{k}", f"Old story {k}", "Old.", f"https://old.example/{k}", None)
        for k in range(extra)
    ]
    classification = Classification()
    articles = tuple(ArticleIntent(item, classification, (), "en") for item in items)
    return PollIntent(source_id=1, now=BASE_TIME - 3600, update=None, articles=articles)


def delivery(r: Any) -> Delivery:
    """A due row as a Delivery (today's ``_delivery``)."""
    return Delivery(
        id=r["outbox_id"],
        attempts=r["outbox_attempts"],
        created_at=r["outbox_created_at"],
        chat=chat_row(r),
        article=article_row(r),
        sort_at=r["article_sort_at"],
    )


def identity_hashes(items: Sequence[ParsedItem]) -> dict[int, list[str]]:
    by_hash: dict[int, list[str]] = {}
    for item in items:
        by_hash.setdefault(identity_hash("k", item.key), []).append(item.key)
        if item.url:
            by_hash.setdefault(identity_hash("u", item.url), []).append(item.key)
    return by_hash


def _text(value: str) -> str:
    return value.replace("\x00", "")


def _maybe(value: str | None) -> str | None:
    return None if value is None else _text(value)


def article_values(source_id: int, entry: ArticleIntent, now: float, pg: bool) -> list[Any]:
    """An article's 13 column values (PostgreSQL's without NUL), as both stores build them."""
    item = entry.item
    published = item.published.timestamp() if item.published else None
    clean: Callable[[Any], Any] = _maybe if pg else (lambda v: v)
    return [
        source_id,
        clean(item.key),
        clean(item.url),
        clean(item.title),
        clean(item.summary),
        published,
        now,
        min(published, now) if published is not None else now,
        json.dumps(list(item.categories)),
        clean(item.image),
        " ".join(entry.classification.countries),
        " ".join(entry.classification.regions),
        clean(entry.language),
    ]


def link_keys(intent: PollIntent) -> list[int]:
    urls = {
        _text(entry.item.url) for entry in intent.articles if entry.recipients and entry.item.url
    }
    return sorted({identity_hash("u", url) >> 32 for url in urls})


class Knowledge:
    """``poll_knowledge`` from four reads (today's KnowledgeReads)."""

    async def known_items(self, source_id: int, items: Sequence[ParsedItem]) -> set[str]:
        raise NotImplementedError

    async def pruned(self, source_id: int, items: Sequence[ParsedItem]) -> frozenset[str]:
        raise NotImplementedError

    async def subscribed_chats(self) -> list[Any]:
        raise NotImplementedError

    async def chats_having(self, urls: Sequence[str]) -> dict[str, frozenset[int]]:
        raise NotImplementedError

    async def poll_knowledge(self, source_id: int, items: Sequence[ParsedItem]) -> PollKnowledge:
        known = await self.known_items(source_id, items)
        rest = [item for item in items if item.key not in known]
        if not rest:
            return PollKnowledge(known=frozenset(known))
        pruned = await self.pruned(source_id, rest)
        urls = sorted({item.url for item in rest if item.url})
        return PollKnowledge(
            known=frozenset(known),
            pruned=pruned,
            chats=tuple(await self.subscribed_chats()),
            have_url=await self.chats_having(urls),
        )


class Verbs(Knowledge):
    """The verbs each way implements."""

    async def due(self, now: float, limit: int, after: tuple[float, int, int] | None) -> list[Any]:
        raise NotImplementedError

    async def record_sent(self, sent: Sequence[tuple[int, int | None, float]]) -> None:
        raise NotImplementedError

    async def apply_poll(self, intent: PollIntent) -> tuple[int, int]:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def backend_pid(self) -> int | None:
        """PostgreSQL's backend process serving this way's one connection (None: SQLite)."""
        return None


_DELIVERY_COLUMNS = (
    "o.id AS outbox_id, o.attempts AS outbox_attempts, o.created_at AS outbox_created_at, "
    f"{CHAT_COLUMNS}, {ARTICLE_COLUMNS}, a.sort_at AS article_sort_at"
)
_DELIVERY_JOINS = (
    "FROM outbox o JOIN chats c ON c.id = o.chat_id "
    "JOIN articles a ON a.id = o.article_id JOIN sources s ON s.id = a.source_id "
)
_ARTICLE_INSERT_COLUMNS = (
    "source_id, key, url, title, summary, published_at, seen_at, sort_at, categories, image, "
    "countries, regions, language"
)

# ------------------------------------------------------------------------------------------------
# (a) raw: today's calls (bot/store/*.py and bot/store/postgres/*.py, issue 29's starting point)

_SQ_INSERT_ARTICLE = (
    "INSERT OR IGNORE INTO articles (source_id, key, url, title, summary, published_at, "
    "seen_at, sort_at, categories, image, countries, regions, language) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQ_QUEUE = (
    "INSERT OR IGNORE INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
    "SELECT ?1, r.value, ?2, ?2 FROM json_each(?3) AS r WHERE ?4 IS NULL OR NOT EXISTS ("
    "SELECT 1 FROM articles a CROSS JOIN outbox o ON o.article_id = a.id "
    "WHERE o.chat_id = r.value AND a.url = ?4 AND o.state IN ('queued', 'sent'))"
)
_SQ_SUCCEEDED = (
    "UPDATE sources SET etag = ?, last_modified = ?, failures = 0, last_error = NULL, "
    "failing_since = NULL, last_success_at = ?, last_polled_at = ?, next_poll_at = ?, "
    "url = coalesce(?, url), body_hash = coalesce(?, body_hash), "
    "feed_title = coalesce(?, feed_title) WHERE id = ?"
)
_SENT = (
    "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, "
    "attempts = attempts + 1, last_error = NULL WHERE id = ?"
)


def _succeeded_values(intent: PollIntent, pg: bool) -> list[Any]:
    update = intent.update
    assert isinstance(update, PollSucceeded)
    clean: Callable[[Any], Any] = _maybe if pg else (lambda v: v)
    return [
        clean(update.etag),
        clean(update.last_modified),
        intent.now,
        intent.now,
        float(update.next_poll_at),
        clean(update.moved_to),
        update.body_hash,
        clean(update.feed_title),
        intent.source_id,
    ]


class Guard:
    """Today's guard around every PostgreSQL call (PgStoreBase._reaching); nothing on SQLite."""

    def __init__(self, pg: bool) -> None:
        self.pg = pg
        self.reachability = Reachability()

    def reaching(self) -> contextlib.AbstractAsyncContextManager[None]:
        return self._guarded() if self.pg else contextlib.nullcontext()

    @asynccontextmanager
    async def _guarded(self) -> AsyncIterator[None]:
        try:
            yield
        except Exception as exc:
            why = unreachable(exc)
            if why is None:
                raise
            self.reachability.failed(why)
            raise
        self.reachability.answered()


class RawSqlite(Verbs):
    """Today's SQLite store: one aiosqlite connection, sqlite3.Row, BEGIN IMMEDIATE."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> RawSqlite:
        db = await aiosqlite.connect(path, isolation_level=None)
        db.row_factory = aiosqlite.Row
        for pragma in PRAGMAS:
            await db.execute(pragma)
        return cls(db)

    async def close(self) -> None:
        await self._db.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        async with self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def due(self, now: float, limit: int, after: tuple[float, int, int] | None) -> list[Any]:
        where = "WHERE o.state = 'queued' AND o.next_attempt_at <= ? "
        params: tuple[Any, ...] = (now,)
        if after is not None:
            where += "AND (a.sort_at, a.id, o.id) > (?, ?, ?) "
            params += after
        rows = await self._all(
            f"SELECT {_DELIVERY_COLUMNS} {_DELIVERY_JOINS}{where}"
            "ORDER BY a.sort_at, a.id, o.id LIMIT ?",
            (*params, limit),
        )
        return [delivery(r) for r in rows]

    async def record_sent(self, sent: Sequence[tuple[int, int | None, float]]) -> None:
        async with self.transaction() as db:
            await db.executemany(
                _SENT, [(at, message_id, row_id) for row_id, message_id, at in sent]
            )

    async def known_items(self, source_id: int, items: Sequence[ParsedItem]) -> set[str]:
        keys = [item.key for item in items]
        urls = [item.url for item in items if item.url]
        marks = ",".join("?" * len(keys))
        url_marks = ",".join("?" * len(urls)) or "NULL"
        rows = await self._all(
            f"SELECT key, url FROM articles WHERE source_id = ? AND (key IN ({marks}) "
            f"OR url IN ({url_marks}))",
            (source_id, *keys, *urls),
        )
        found_keys = {row[0] for row in rows}
        found_urls = {row[1] for row in rows if row[1]}
        return {item.key for item in items if item.key in found_keys or item.url in found_urls}

    async def pruned(self, source_id: int, items: Sequence[ParsedItem]) -> frozenset[str]:
        by_hash = identity_hashes(items)
        hashes = list(by_hash)
        rows = await self._all(
            "SELECT key_hash FROM pruned_keys WHERE source_id = ? "
            f"AND key_hash IN ({','.join('?' * len(hashes))})",
            (source_id, *hashes),
        )
        return frozenset(key for (found,) in rows for key in by_hash[found])

    async def subscribed_chats(self) -> list[Any]:
        rows = await self._all(f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.subscribed = 1")
        return [chat_row(r) for r in rows]

    async def chats_having(self, urls: Sequence[str]) -> dict[str, frozenset[int]]:
        having: dict[str, set[int]] = {}
        rows = await self._all(
            "SELECT a.url, o.chat_id FROM articles a CROSS JOIN outbox o "
            f"ON o.article_id = a.id WHERE a.url IN ({','.join('?' * len(urls))}) "
            "AND o.state IN ('queued', 'sent')",
            tuple(urls),
        )
        for url, chat_id in rows:
            having.setdefault(str(url), set()).add(int(chat_id))
        return {url: frozenset(chats) for url, chats in having.items()}

    async def apply_poll(self, intent: PollIntent) -> tuple[int, int]:
        async with self.transaction() as db:
            source_id, now = intent.source_id, intent.now
            if not any(entry.recipients for entry in intent.articles):
                cur = await db.executemany(
                    _SQ_INSERT_ARTICLE,
                    (article_values(source_id, e, now, False) for e in intent.articles),
                )
                applied = (max(cur.rowcount, 0), 0)
            else:
                new = queued = 0
                for entry in intent.articles:
                    values = article_values(source_id, entry, now, False)
                    cur = await db.execute(_SQ_INSERT_ARTICLE, values)
                    if cur.rowcount != 1:
                        continue
                    new += 1
                    recipients = json.dumps(list(entry.recipients))
                    cur = await db.execute(
                        _SQ_QUEUE, (cur.lastrowid, now, recipients, entry.item.url)
                    )
                    queued += max(cur.rowcount, 0)
                applied = (new, queued)
            if intent.update is not None:
                await db.execute(_SQ_SUCCEEDED, _succeeded_values(intent, False))
        return applied


_PG_INSERT_ARTICLE = (
    f"INSERT INTO articles ({_ARTICLE_INSERT_COLUMNS}) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
    "ON CONFLICT (source_id, key) DO NOTHING RETURNING id"
)
_PG_INSERT_ARTICLES = (
    f"INSERT INTO articles ({_ARTICLE_INSERT_COLUMNS}) "
    "SELECT $1::bigint, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], "
    "$6::double precision[], $7::double precision[], $8::double precision[], $9::text[], "
    "$10::text[], $11::text[], $12::text[], $13::text[]) "
    "ON CONFLICT (source_id, key) DO NOTHING"
)
_PG_QUEUE = (
    "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
    "SELECT $1::bigint, r.chat_id, $3::double precision, $3 "
    "FROM unnest($2::bigint[]) AS r (chat_id) "
    "WHERE $4::text IS NULL OR NOT EXISTS ("
    "SELECT 1 FROM articles a JOIN outbox o ON o.article_id = a.id "
    "WHERE o.chat_id = r.chat_id AND a.url = $4 AND o.state IN ('queued', 'sent')) "
    "ON CONFLICT (article_id, chat_id) DO NOTHING"
)
_PG_SUCCEEDED = (
    "UPDATE sources SET etag = $1, last_modified = $2, failures = 0, last_error = NULL, "
    "failing_since = NULL, last_success_at = $3, last_polled_at = $4, next_poll_at = $5, "
    "url = coalesce($6, url), body_hash = coalesce($7, body_hash), "
    "feed_title = coalesce($8, feed_title), lease_owner = NULL, lease_until = NULL WHERE id = $9"
)


def rows_changed(status: str) -> int:
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class RawPg(Verbs):
    """Today's PostgreSQL store: an asyncpg pool of one, statements one at a time in order."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._turn = asyncio.Lock()
        self.guard = Guard(pg=True)
        self.reaching = self.guard.reaching

    @classmethod
    async def open(cls, url: str) -> RawPg:
        return cls(await asyncpg.create_pool(url, min_size=1, max_size=1, command_timeout=None))

    async def close(self) -> None:
        await self._pool.close()

    async def backend_pid(self) -> int | None:
        return int(await self._pool.fetchval("SELECT pg_backend_pid()"))

    async def _all(self, sql: str, *params: Any) -> list[Any]:
        async with self._turn, self.reaching():
            return list(await self._pool.fetch(sql, *params))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        async with self._turn, self.reaching(), self._pool.acquire() as conn, conn.transaction():
            yield conn

    async def due(self, now: float, limit: int, after: tuple[float, int, int] | None) -> list[Any]:
        params: list[Any] = [float(now), limit]
        where = "WHERE o.state = 'queued' AND o.next_attempt_at <= $1 "
        if after is not None:
            where += "AND (a.sort_at, a.id, o.id) > ($3::double precision, $4::bigint, $5::bigint) "
            params += [float(after[0]), after[1], after[2]]
        rows = await self._all(
            f"SELECT {_DELIVERY_COLUMNS} {_DELIVERY_JOINS}{where}"
            "ORDER BY a.sort_at, a.id, o.id LIMIT $2",
            *params,
        )
        return [delivery(r) for r in rows]

    async def record_sent(self, sent: Sequence[tuple[int, int | None, float]]) -> None:
        async with self.transaction() as db:
            await db.executemany(
                "UPDATE outbox SET state = 'sent', sent_at = $1, message_id = $2, "
                "attempts = attempts + 1, last_error = NULL WHERE id = $3",
                [(float(at), message_id, row_id) for row_id, message_id, at in sent],
            )

    async def known_items(self, source_id: int, items: Sequence[ParsedItem]) -> set[str]:
        rows = await self._all(
            "SELECT key, url FROM articles WHERE source_id = $1 "
            "AND (key = ANY($2::text[]) OR url = ANY($3::text[]))",
            source_id,
            [_text(item.key) for item in items],
            [_text(item.url) for item in items if item.url],
        )
        found_keys = {row[0] for row in rows}
        found_urls = {row[1] for row in rows if row[1]}
        return {
            item.key
            for item in items
            if _text(item.key) in found_keys or (item.url and _text(item.url) in found_urls)
        }

    async def pruned(self, source_id: int, items: Sequence[ParsedItem]) -> frozenset[str]:
        by_hash = identity_hashes(items)
        rows = await self._all(
            "SELECT key_hash FROM pruned_keys WHERE source_id = $1 "
            "AND key_hash = ANY($2::bigint[])",
            source_id,
            list(by_hash),
        )
        return frozenset(key for (found,) in rows for key in by_hash[found])

    async def subscribed_chats(self) -> list[Any]:
        rows = await self._all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.subscribed ORDER BY c.id"
        )
        return [chat_row(r) for r in rows]

    async def chats_having(self, urls: Sequence[str]) -> dict[str, frozenset[int]]:
        stored: dict[str, list[str]] = {}
        for url in urls:
            stored.setdefault(_text(url), []).append(url)
        rows = await self._all(
            "SELECT a.url, o.chat_id FROM articles a JOIN outbox o ON o.article_id = a.id "
            "WHERE a.url = ANY($1::text[]) AND o.state IN ('queued', 'sent')",
            list(stored),
        )
        having: dict[str, set[int]] = {}
        for url, chat_id in rows:
            for read in stored[str(url)]:
                having.setdefault(read, set()).add(int(chat_id))
        return {url: frozenset(chats) for url, chats in having.items()}

    async def apply_poll(self, intent: PollIntent) -> tuple[int, int]:
        now = float(intent.now)
        async with self.transaction() as db:
            await db.execute(
                "SELECT 1 FROM sources WHERE id = $1 FOR NO KEY UPDATE", intent.source_id
            )
            if not any(entry.recipients for entry in intent.articles):
                rows = [article_values(1, e, now, True)[1:] for e in intent.articles]
                columns = [list(column) for column in zip(*rows, strict=True)]
                status = await db.execute(_PG_INSERT_ARTICLES, intent.source_id, *columns)
                applied = (rows_changed(status), 0)
            else:
                await db.execute(
                    "SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::integer[]) AS k",
                    LINK_LOCKS,
                    link_keys(intent),
                )
                new = queued = 0
                for entry in intent.articles:
                    values = article_values(intent.source_id, entry, now, True)
                    article_id = await db.fetchval(_PG_INSERT_ARTICLE, *values)
                    if article_id is None:
                        continue
                    new += 1
                    status = await db.execute(
                        _PG_QUEUE, article_id, list(entry.recipients), now, _maybe(entry.item.url)
                    )
                    queued += rows_changed(status)
                applied = (new, queued)
            if intent.update is not None:
                await db.execute(_PG_SUCCEEDED, *_succeeded_values(intent, True))
        return applied


# ------------------------------------------------------------------------------------------------
# The shared verbs: each statement once, with ``?`` marks; what differs by backend named here.


@dataclass(frozen=True)
class SqlFor:
    """The statements of the shared verbs for one backend."""

    pg: bool
    after: str
    known: str
    pruned: str
    subscribed: str
    having: str
    queue: str
    succeeded: str


_INSERT_ARTICLE = (
    f"INSERT INTO articles ({_ARTICLE_INSERT_COLUMNS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (source_id, key) DO NOTHING RETURNING id"
)
_SUBSCRIBED = f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.subscribed ORDER BY c.id"
_SUCCEEDED_COLUMNS = (
    "UPDATE sources SET etag = ?, last_modified = ?, failures = 0, last_error = NULL, "
    "failing_since = NULL, last_success_at = ?, last_polled_at = ?, next_poll_at = ?, "
    "url = coalesce(?, url), body_hash = coalesce(?, body_hash), "
    "feed_title = coalesce(?, feed_title)"
)
SQLITE_SQL = SqlFor(
    pg=False,
    after="(?, ?, ?)",
    known=(
        "SELECT key, url FROM articles WHERE source_id = ? AND (key IN ({keys}) OR url IN ({urls}))"
    ),
    pruned="SELECT key_hash FROM pruned_keys WHERE source_id = ? AND key_hash IN ({hashes})",
    subscribed=_SUBSCRIBED,
    having=(
        "SELECT a.url, o.chat_id FROM articles a CROSS JOIN outbox o ON o.article_id = a.id "
        "WHERE a.url IN ({urls}) AND o.state IN ('queued', 'sent')"
    ),
    queue=(
        "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
        "SELECT ?, r.value, ?, ? FROM json_each(?) AS r WHERE ? IS NULL OR NOT EXISTS ("
        "SELECT 1 FROM articles a CROSS JOIN outbox o ON o.article_id = a.id "
        "WHERE o.chat_id = r.value AND a.url = ? AND o.state IN ('queued', 'sent')) "
        "ON CONFLICT (article_id, chat_id) DO NOTHING"
    ),
    succeeded=_SUCCEEDED_COLUMNS + " WHERE id = ?",
)
POSTGRES_SQL = SqlFor(
    pg=True,
    after="(CAST(? AS double precision), CAST(? AS bigint), CAST(? AS bigint))",
    known=(
        "SELECT key, url FROM articles WHERE source_id = ? "
        "AND (key = ANY(CAST(? AS text[])) OR url = ANY(CAST(? AS text[])))"
    ),
    pruned=(
        "SELECT key_hash FROM pruned_keys WHERE source_id = ? "
        "AND key_hash = ANY(CAST(? AS bigint[]))"
    ),
    subscribed=_SUBSCRIBED,
    having=(
        "SELECT a.url, o.chat_id FROM articles a JOIN outbox o ON o.article_id = a.id "
        "WHERE a.url = ANY(CAST(? AS text[])) AND o.state IN ('queued', 'sent')"
    ),
    queue=(
        "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
        "SELECT CAST(? AS bigint), r.chat_id, CAST(? AS double precision), ? "
        "FROM unnest(CAST(? AS bigint[])) AS r (chat_id) "
        "WHERE CAST(? AS text) IS NULL OR NOT EXISTS ("
        "SELECT 1 FROM articles a JOIN outbox o ON o.article_id = a.id "
        "WHERE o.chat_id = r.chat_id AND a.url = ? AND o.state IN ('queued', 'sent')) "
        "ON CONFLICT (article_id, chat_id) DO NOTHING"
    ),
    succeeded=_SUCCEEDED_COLUMNS + ", lease_owner = NULL, lease_until = NULL WHERE id = ?",
)


def marks(count: int) -> str:
    return ",".join("?" * count) or "NULL"


class SharedVerbs(Verbs):
    """The verbs written once over a Database (one/all/value/execute/executemany/transaction)."""

    def __init__(self, db: Any, sql: SqlFor) -> None:
        self.db = db
        self.sql = sql

    async def close(self) -> None:
        await self.db.close()

    async def backend_pid(self) -> int | None:
        return int(await self.db.value("SELECT pg_backend_pid()")) if self.sql.pg else None

    async def due(self, now: float, limit: int, after: tuple[float, int, int] | None) -> list[Any]:
        where = "WHERE o.state = 'queued' AND o.next_attempt_at <= ? "
        params: list[Any] = [float(now)]
        if after is not None:
            where += f"AND (a.sort_at, a.id, o.id) > {self.sql.after} "
            params += [float(after[0]), after[1], after[2]]
        rows = await self.db.all(
            f"SELECT {_DELIVERY_COLUMNS} {_DELIVERY_JOINS}{where}"
            "ORDER BY a.sort_at, a.id, o.id LIMIT ?",
            *params,
            limit,
        )
        return [delivery(r) for r in rows]

    async def record_sent(self, sent: Sequence[tuple[int, int | None, float]]) -> None:
        async with self.db.transaction() as db:
            await db.executemany(_SENT, [(float(at), mid, row_id) for row_id, mid, at in sent])

    async def known_items(self, source_id: int, items: Sequence[ParsedItem]) -> set[str]:
        keys = [_text(item.key) for item in items]
        urls = [_text(item.url) for item in items if item.url]
        if self.sql.pg:
            rows = await self.db.all(self.sql.known, source_id, keys, urls)
        else:
            sql = self.sql.known.format(keys=marks(len(keys)), urls=marks(len(urls)))
            rows = await self.db.all(sql, source_id, *keys, *urls)
        found_keys = {row["key"] for row in rows}
        found_urls = {row["url"] for row in rows if row["url"]}
        return {
            item.key
            for item in items
            if _text(item.key) in found_keys or (item.url and _text(item.url) in found_urls)
        }

    async def pruned(self, source_id: int, items: Sequence[ParsedItem]) -> frozenset[str]:
        by_hash = identity_hashes(items)
        hashes = list(by_hash)
        if self.sql.pg:
            rows = await self.db.all(self.sql.pruned, source_id, hashes)
        else:
            sql = self.sql.pruned.format(hashes=marks(len(hashes)))
            rows = await self.db.all(sql, source_id, *hashes)
        return frozenset(key for row in rows for key in by_hash[row["key_hash"]])

    async def subscribed_chats(self) -> list[Any]:
        return [chat_row(r) for r in await self.db.all(self.sql.subscribed)]

    async def chats_having(self, urls: Sequence[str]) -> dict[str, frozenset[int]]:
        stored: dict[str, list[str]] = {}
        for url in urls:
            stored.setdefault(_text(url), []).append(url)
        if self.sql.pg:
            rows = await self.db.all(self.sql.having, list(stored))
        else:
            rows = await self.db.all(self.sql.having.format(urls=marks(len(stored))), *stored)
        having: dict[str, set[int]] = {}
        for row in rows:
            for read in stored[str(row["url"])]:
                having.setdefault(read, set()).add(int(row["chat_id"]))
        return {url: frozenset(chats) for url, chats in having.items()}

    async def apply_poll(self, intent: PollIntent) -> tuple[int, int]:
        now, pg = float(intent.now), self.sql.pg
        new = queued = 0
        async with self.db.transaction() as db:
            if pg:
                await db.execute(
                    "SELECT 1 FROM sources WHERE id = ? FOR NO KEY UPDATE", intent.source_id
                )
                await db.execute(
                    "SELECT pg_advisory_xact_lock(?, k) FROM unnest(CAST(? AS integer[])) AS k",
                    LINK_LOCKS,
                    link_keys(intent),
                )
            for entry in intent.articles:
                values = article_values(intent.source_id, entry, now, pg)
                article_id = await db.value(_INSERT_ARTICLE, *values)
                if article_id is None:
                    continue
                new += 1
                url = _maybe(entry.item.url) if pg else entry.item.url
                chats = list(entry.recipients) if pg else json.dumps(list(entry.recipients))
                queued += await db.execute(self.sql.queue, article_id, now, now, chats, url, url)
            if intent.update is not None:
                await db.execute(self.sql.succeeded, *_succeeded_values(intent, pg))
        return new, queued


# ------------------------------------------------------------------------------------------------
# (c) our own thin layer: bot/store/sql.py's Database as the stores make it (bot/store/base.py's
# SqliteDatabase, bot/store/postgres/base.py's PgDatabase)


async def ours_sqlite(path: Path) -> SqliteDatabase:
    """The store's SqliteDatabase on a connection configured as the store's."""
    raw = await RawSqlite.open(path)
    database = SqliteDatabase(raw._db, asyncio.Lock())
    database.close = raw.close  # type: ignore[attr-defined]
    return database


class _FewerHops(SqliteSession):
    """A variant of bot/store/base.py's SqliteSession with one trip to aiosqlite's thread per
    statement: rows in one call (``execute_fetchall``), and no separate call closing a cursor
    (SQLite resets a statement once it has run; today's stores leave theirs to the collector).
    The store's session takes two (a write) or three (a read) trips."""

    async def one(self, sql: str, *params: Any) -> Any:
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def all(self, sql: str, *params: Any) -> list[Any]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def value(self, sql: str, *params: Any) -> Any:
        row = await self.one(sql, *params)
        return None if row is None else row[0]

    async def execute(self, sql: str, *params: Any) -> int:
        cursor = await self._conn.execute(sql, params)
        return max(cursor.rowcount, 0)


class FewerHopsDatabase(_FewerHops, SqliteDatabase):
    """SqliteDatabase with :class:`_FewerHops`'s statements, in and outside transactions."""

    async def execute(self, sql: str, *params: Any) -> int:
        async with self._write:
            return await _FewerHops.execute(self, sql, *params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteSession]:
        async with self._write:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _FewerHops(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")


async def ours_fewer_hops(path: Path) -> SqliteDatabase:
    raw = await RawSqlite.open(path)
    database = FewerHopsDatabase(raw._db, asyncio.Lock())
    database.close = raw.close  # type: ignore[attr-defined]
    return database


async def ours_pg(url: str) -> PgDatabase:
    """The store's PgDatabase on a pool of one, with the store's turn and reachability guard."""
    raw = await RawPg.open(url)
    database = PgDatabase(raw._pool, raw._turn, raw.guard.reaching, raw.guard.reachability)
    database.close = raw.close  # type: ignore[attr-defined]
    return database


# ------------------------------------------------------------------------------------------------
# (b) SQLAlchemy 2 Core, async


# A pool of one, like the store's; no rollback when a connection goes back to it (each checkout
# already ends in its own COMMIT or ROLLBACK): one round trip less per statement.
POOL: dict[str, Any] = {"pool_size": 1, "max_overflow": 0, "pool_reset_on_return": None}


def sqlite_engine(path: Path) -> AsyncEngine:
    """aiosqlite under SQLAlchemy as the store needs it (SQLAlchemy's documented recipe): the
    driver's own BEGIN off, BEGIN IMMEDIATE for write transactions, the store's PRAGMAs."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", **POOL)

    @sa.event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @sa.event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Any) -> None:
        if not conn.get_execution_options().get("reads"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def pg_engine(url: str) -> AsyncEngine:
    return create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1), **POOL)


def reader_of(engine: AsyncEngine, pg: bool) -> AsyncEngine:
    """The engine's reads: autocommit (PostgreSQL), or without BEGIN (SQLite)."""
    if pg:
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine.execution_options(reads=True)


@functools.lru_cache(maxsize=1024)
def sa_text(sql: str) -> tuple[Any, tuple[str, ...]]:
    """A ``?`` statement as a text() construct with named binds p1, p2, …, and their names."""
    out: list[str] = []
    names: list[str] = []
    quote: str | None = None
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            names.append(f"p{len(names) + 1}")
            out.append(f":{names[-1]}")
            continue
        out.append(char)
    return sa.text("".join(out)), tuple(names)


def _bind(sql: str, params: Sequence[Any]) -> tuple[Any, dict[str, Any]]:
    statement, names = sa_text(sql)
    return statement, dict(zip(names, params, strict=True))


class _SaSession:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def one(self, sql: str, *params: Any) -> Any:
        result = await self._conn.execute(*_bind(sql, params))
        return result.mappings().first()

    async def all(self, sql: str, *params: Any) -> list[Any]:
        result = await self._conn.execute(*_bind(sql, params))
        return list(result.mappings().all())

    async def value(self, sql: str, *params: Any) -> Any:
        result = await self._conn.execute(*_bind(sql, params))
        return result.scalar()

    async def execute(self, sql: str, *params: Any) -> int:
        result = await self._conn.execute(*_bind(sql, params))
        return max(result.rowcount, 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        statement, names = sa_text(sql)
        await self._conn.execute(statement, [dict(zip(names, r, strict=True)) for r in rows])


class _SaDriverSession(_SaSession):
    """Statements handed to the driver as they are (``exec_driver_sql``: no text() compiling),
    in its own paramstyle (aiosqlite ``?``, asyncpg ``$n``): SQLAlchemy's connection, transaction
    and result layers only."""

    def __init__(self, conn: Any, pg: bool) -> None:
        super().__init__(conn)
        self._native: Callable[[str], str] = numbered if pg else str

    async def one(self, sql: str, *params: Any) -> Any:
        result = await self._conn.exec_driver_sql(self._native(sql), params)
        return result.mappings().first()

    async def all(self, sql: str, *params: Any) -> list[Any]:
        result = await self._conn.exec_driver_sql(self._native(sql), params)
        return list(result.mappings().all())

    async def value(self, sql: str, *params: Any) -> Any:
        return (await self._conn.exec_driver_sql(self._native(sql), params)).scalar()

    async def execute(self, sql: str, *params: Any) -> int:
        result = await self._conn.exec_driver_sql(self._native(sql), params)
        return max(result.rowcount, 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.exec_driver_sql(self._native(sql), [tuple(r) for r in rows])


class SaDatabase:
    """The Database shape on a SQLAlchemy engine: reads on the reader, writes in engine.begin();
    statements as text() (``driver=False``) or handed to the driver as they are."""

    def __init__(self, engine: AsyncEngine, pg: bool, *, driver: bool = False) -> None:
        self._engine = engine
        self._reader = reader_of(engine, pg)
        self._turn = asyncio.Lock()
        self._guard = Guard(pg)
        self._session: Callable[[Any], _SaSession] = (
            functools.partial(_SaDriverSession, pg=pg) if driver else _SaSession
        )

    async def close(self) -> None:
        await self._engine.dispose()

    async def all(self, sql: str, *params: Any) -> list[Any]:
        async with self._turn, self._guard.reaching(), self._reader.connect() as conn:
            return await self._session(conn).all(sql, *params)

    async def value(self, sql: str, *params: Any) -> Any:
        async with self._turn, self._guard.reaching(), self._reader.connect() as conn:
            return await self._session(conn).value(sql, *params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_SaSession]:
        async with self._turn, self._guard.reaching(), self._engine.begin() as conn:
            yield self._session(conn)


class CoreTables:
    """The columns the verbs touch, as Core tables (no DDL: the store's migrations made them)."""

    def __init__(self) -> None:
        md = sa.MetaData()
        col, T, F, I, B = sa.Column, sa.Text, sa.Float, sa.BigInteger, sa.Boolean  # noqa: N806, E741
        self.sources = sa.Table(
            "sources", md, col("id", I, primary_key=True), col("name", T),
            col("feed_title", T), col("url", T), col("etag", T), col("last_modified", T),
            col("failures", sa.Integer), col("last_error", T), col("failing_since", F),
            col("last_success_at", F), col("last_polled_at", F), col("next_poll_at", F),
            col("body_hash", T), col("lease_owner", T), col("lease_until", F),
        )  # fmt: skip
        self.articles = sa.Table(
            "articles", md, col("id", I, primary_key=True), col("source_id", I),
            col("key", T), col("url", T), col("title", T), col("summary", T),
            col("published_at", F), col("seen_at", F), col("sort_at", F),
            col("categories", T), col("image", T), col("countries", T), col("regions", T),
            col("language", T),
        )  # fmt: skip
        self.chats = sa.Table(
            "chats", md, col("id", I, primary_key=True), col("kind", T), col("title", T),
            col("username", T), col("thread_id", I), col("subscribed", B),
            col("region_filter", T), col("link_previews", B), col("deactivated_reason", T),
            col("silent", B), col("language", T), col("share_button", B),
        )  # fmt: skip
        self.outbox = sa.Table(
            "outbox", md, col("id", I, primary_key=True), col("article_id", I),
            col("chat_id", I), col("state", T), col("attempts", sa.Integer),
            col("next_attempt_at", F), col("last_error", T), col("created_at", F),
            col("sent_at", F), col("message_id", I),
        )  # fmt: skip
        self.pruned = sa.Table(
            "pruned_keys", md, col("source_id", I), col("key_hash", I)
        )  # fmt: skip
        c = self.chats.alias("c")
        self.c = c
        self.chat_columns = [
            c.c.id.label("chat_id"), c.c.kind.label("chat_kind"), c.c.title.label("chat_title"),
            c.c.username.label("chat_username"), c.c.thread_id.label("chat_thread_id"),
            c.c.subscribed.label("chat_subscribed"),
            c.c.region_filter.label("chat_region_filter"),
            c.c.link_previews.label("chat_link_previews"),
            c.c.deactivated_reason.label("chat_deactivated_reason"),
            c.c.silent.label("chat_silent"), c.c.language.label("chat_language"),
            c.c.share_button.label("chat_share_button"),
        ]  # fmt: skip


class CoreVerbs(Verbs):
    """The verbs as SQLAlchemy Core expressions, built per call."""

    def __init__(self, engine: AsyncEngine, pg: bool) -> None:
        self._engine = engine
        self._reader = reader_of(engine, pg)
        self._turn = asyncio.Lock()
        self._guard = Guard(pg)
        self.pg = pg
        self.t = CoreTables()
        self._insert = pg_insert if pg else sqlite_insert
        self._queue = sa.text(
            (POSTGRES_SQL if pg else SQLITE_SQL)
            .queue.replace("?", "{}")
            .format(":aid", ":now", ":now2", ":chats", ":url", ":url2")
        )
        self._locks = sa.text(
            "SELECT pg_advisory_xact_lock(:ns, k) FROM unnest(CAST(:keys AS integer[])) AS k"
        )

    async def close(self) -> None:
        await self._engine.dispose()

    async def backend_pid(self) -> int | None:
        if not self.pg:
            return None
        async with self._reader.connect() as conn:
            return int((await conn.exec_driver_sql("SELECT pg_backend_pid()")).scalar_one())

    async def _read(self, statement: Any) -> list[Any]:
        async with self._turn, self._guard.reaching(), self._reader.connect() as conn:
            return list((await conn.execute(statement)).mappings().all())

    async def due(self, now: float, limit: int, after: tuple[float, int, int] | None) -> list[Any]:
        t = self.t
        o, a, s, c = t.outbox.alias("o"), t.articles.alias("a"), t.sources.alias("s"), t.c
        columns = [
            o.c.id.label("outbox_id"), o.c.attempts.label("outbox_attempts"),
            o.c.created_at.label("outbox_created_at"), *t.chat_columns,
            a.c.id.label("article_id"), a.c.source_id.label("article_source_id"),
            sa.func.coalesce(s.c.feed_title, s.c.name).label("article_source_name"),
            a.c.key.label("article_key"), a.c.title.label("article_title"),
            a.c.summary.label("article_summary"), a.c.url.label("article_url"),
            a.c.published_at.label("article_published_at"),
            a.c.seen_at.label("article_seen_at"), a.c.categories.label("article_categories"),
            a.c.image.label("article_image"), a.c.countries.label("article_countries"),
            a.c.regions.label("article_regions"), a.c.sort_at.label("article_sort_at"),
        ]  # fmt: skip
        statement = (
            sa.select(*columns)
            .select_from(
                o.join(c, c.c.id == o.c.chat_id)
                .join(a, a.c.id == o.c.article_id)
                .join(s, s.c.id == a.c.source_id)
            )
            .where(o.c.state == "queued", o.c.next_attempt_at <= float(now))
        )
        if after is not None:
            statement = statement.where(
                sa.tuple_(a.c.sort_at, a.c.id, o.c.id)
                > sa.tuple_(
                    sa.literal(float(after[0]), sa.Float),
                    sa.literal(after[1], sa.BigInteger),
                    sa.literal(after[2], sa.BigInteger),
                )
            )
        statement = statement.order_by(a.c.sort_at, a.c.id, o.c.id).limit(limit)
        return [delivery(r) for r in await self._read(statement)]

    async def record_sent(self, sent: Sequence[tuple[int, int | None, float]]) -> None:
        outbox = self.t.outbox
        statement = (
            sa.update(outbox)
            .where(outbox.c.id == sa.bindparam("b_id"))
            .values(
                state="sent",
                sent_at=sa.bindparam("b_at"),
                message_id=sa.bindparam("b_message"),
                attempts=outbox.c.attempts + 1,
                last_error=None,
            )
        )
        rows = [{"b_id": r, "b_at": float(at), "b_message": m} for r, m, at in sent]
        async with self._turn, self._guard.reaching(), self._engine.begin() as conn:
            await conn.execute(statement, rows)

    async def known_items(self, source_id: int, items: Sequence[ParsedItem]) -> set[str]:
        a = self.t.articles
        keys = [_text(item.key) for item in items]
        urls = [_text(item.url) for item in items if item.url]
        rows = await self._read(
            sa.select(a.c.key, a.c.url).where(
                a.c.source_id == source_id, sa.or_(a.c.key.in_(keys), a.c.url.in_(urls))
            )
        )
        found_keys = {row["key"] for row in rows}
        found_urls = {row["url"] for row in rows if row["url"]}
        return {
            item.key
            for item in items
            if _text(item.key) in found_keys or (item.url and _text(item.url) in found_urls)
        }

    async def pruned(self, source_id: int, items: Sequence[ParsedItem]) -> frozenset[str]:
        p = self.t.pruned
        by_hash = identity_hashes(items)
        rows = await self._read(
            sa.select(p.c.key_hash).where(p.c.source_id == source_id, p.c.key_hash.in_(by_hash))
        )
        return frozenset(key for row in rows for key in by_hash[row["key_hash"]])

    async def subscribed_chats(self) -> list[Any]:
        c = self.t.c
        statement = sa.select(*self.t.chat_columns).where(c.c.subscribed).order_by(c.c.id)
        return [chat_row(r) for r in await self._read(statement)]

    async def chats_having(self, urls: Sequence[str]) -> dict[str, frozenset[int]]:
        a, o = self.t.articles, self.t.outbox
        stored: dict[str, list[str]] = {}
        for url in urls:
            stored.setdefault(_text(url), []).append(url)
        rows = await self._read(
            sa.select(a.c.url, o.c.chat_id)
            .select_from(a.join(o, o.c.article_id == a.c.id))
            .where(a.c.url.in_(list(stored)), o.c.state.in_(("queued", "sent")))
        )
        having: dict[str, set[int]] = {}
        for row in rows:
            for read in stored[str(row["url"])]:
                having.setdefault(read, set()).add(int(row["chat_id"]))
        return {url: frozenset(chats) for url, chats in having.items()}

    async def apply_poll(self, intent: PollIntent) -> tuple[int, int]:
        t, pg, now = self.t, self.pg, float(intent.now)
        names = _ARTICLE_INSERT_COLUMNS.split(", ")
        new = queued = 0
        async with self._turn, self._guard.reaching(), self._engine.begin() as conn:
            if pg:
                await conn.execute(
                    sa.select(sa.literal(1))
                    .select_from(t.sources)
                    .where(t.sources.c.id == intent.source_id)
                    .with_for_update(key_share=True)
                )
                await conn.execute(self._locks, {"ns": LINK_LOCKS, "keys": link_keys(intent)})
            for entry in intent.articles:
                values = dict(
                    zip(names, article_values(intent.source_id, entry, now, pg), strict=True)
                )
                statement = (
                    self._insert(t.articles)
                    .values(**values)
                    .on_conflict_do_nothing(index_elements=["source_id", "key"])
                    .returning(t.articles.c.id)
                )
                article_id = (await conn.execute(statement)).scalar()
                if article_id is None:
                    continue
                new += 1
                url = _maybe(entry.item.url) if pg else entry.item.url
                chats = list(entry.recipients) if pg else json.dumps(list(entry.recipients))
                result = await conn.execute(
                    self._queue,
                    {"aid": article_id, "now": now, "now2": now, "chats": chats, "url": url,
                     "url2": url},
                )  # fmt: skip
                queued += max(result.rowcount, 0)
            if intent.update is not None:
                update = intent.update
                assert isinstance(update, PollSucceeded)
                s = t.sources
                changes: dict[str, Any] = {
                    "etag": _maybe(update.etag) if pg else update.etag,
                    "last_modified": update.last_modified,
                    "failures": 0,
                    "last_error": None,
                    "failing_since": None,
                    "last_success_at": now,
                    "last_polled_at": now,
                    "next_poll_at": float(update.next_poll_at),
                    "url": sa.func.coalesce(sa.literal(update.moved_to, sa.Text), s.c.url),
                    "body_hash": sa.func.coalesce(
                        sa.literal(update.body_hash, sa.Text), s.c.body_hash
                    ),
                    "feed_title": sa.func.coalesce(
                        sa.literal(update.feed_title, sa.Text), s.c.feed_title
                    ),
                }
                if pg:
                    changes |= {"lease_owner": None, "lease_until": None}
                await conn.execute(sa.update(s).where(s.c.id == intent.source_id).values(**changes))
        return new, queued


# ------------------------------------------------------------------------------------------------
# The databases, the ways, the rounds

WAYS = ("raw", "ours", "sa-sql", "sa-text", "sa-core")


async def open_way(way: str, *, path: Path | None = None, url: str | None = None) -> Verbs:
    pg = url is not None
    sql = POSTGRES_SQL if pg else SQLITE_SQL
    if way == "raw":
        return await RawPg.open(url) if url else await RawSqlite.open(path)  # type: ignore[arg-type]
    if way == "ours":
        db = await ours_pg(url) if url else await ours_sqlite(path)  # type: ignore[arg-type]
        return SharedVerbs(db, sql)
    if way == "ours-1trip":  # SQLite only
        return SharedVerbs(await ours_fewer_hops(path), sql)  # type: ignore[arg-type]
    engine = pg_engine(url) if url else sqlite_engine(path)  # type: ignore[arg-type]
    if way in ("sa-text", "sa-sql"):
        return SharedVerbs(SaDatabase(engine, pg, driver=way == "sa-sql"), sql)
    return CoreVerbs(engine, pg)


async def make_database(
    pg_server: PostgresServer | None,
    directory: Path,
    name: str,
    chats: Sequence[int],
    filler: int = FILLER_ARTICLES,
) -> dict[str, Any]:
    """A migrated, seeded database: its path (SQLite) or URL (PostgreSQL)."""
    now = BASE_TIME - 3600
    if pg_server is None:
        path = directory / f"{name}.sqlite"
        store: Any = await Store.open(path, exclusive=False)
        where: dict[str, Any] = {"path": path}
    else:
        url = pg_server.create_database(name.replace("-", "_"))
        store = await PostgresStore.open(url)
        where = {"url": url}
    try:
        await store.sources.sync_sources([SourceSpec("News", "https://news.example/feed")])
        for chat_id in chats:
            await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=now)
    finally:
        await store.close()
    raw = await open_way("raw", **where)
    try:
        await raw.apply_poll(seed_intent(range(-KNOWN_ITEMS // NEW_ITEMS, 0), filler))
        if isinstance(raw, RawSqlite):
            async with raw.transaction() as db:
                await db.execute("UPDATE chats SET subscribed = 1")
                await db.execute("UPDATE sources SET baseline_done = 1 WHERE id = 1")
        else:
            assert isinstance(raw, RawPg)
            async with raw.transaction() as db:
                await db.execute("UPDATE chats SET subscribed = true")
                await db.execute("UPDATE sources SET baseline_done = true WHERE id = 1")
                await db.execute("ANALYZE")
    finally:
        await raw.close()
    return where


@dataclass
class Figures:
    """One way's per-unit samples: (CPU, wall, server CPU) seconds per round."""

    poll: list[tuple[float, float, float]] = field(default_factory=list)
    deliver: list[tuple[float, float, float]] = field(default_factory=list)
    deliver_one: list[tuple[float, float, float]] = field(default_factory=list)
    work: list[tuple[int, ...]] = field(default_factory=list)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int | None) -> float:
    """The CPU seconds PostgreSQL's backend process ``pid`` has used (0 without one)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def meter(pid: int | None) -> tuple[float, float, float]:
    gc.collect()
    return time.process_time(), time.perf_counter(), server_cpu(pid)


def spent(start: tuple[float, float, float], pid: int | None, units: int) -> tuple[float, ...]:
    """CPU, wall and server CPU since ``start``, per unit."""
    end = (time.process_time(), time.perf_counter(), server_cpu(pid))
    return tuple((e - s) / max(units, 1) for s, e in zip(start, end, strict=True))


async def polls(
    verbs: Verbs, first: int, count: int, pid: int | None = None
) -> tuple[tuple[float, ...], tuple[int, int]]:
    start = meter(pid)
    new = queued = 0
    for poll in range(first, first + count):
        items = feed_of(poll)
        knowledge = await verbs.poll_knowledge(1, items)
        applied = await verbs.apply_poll(intent_for(poll, knowledge, items))
        new, queued = new + applied[0], queued + applied[1]
    return spent(start, pid, count), (new, queued)


async def drain(
    verbs: Verbs, per_transaction: int, pid: int | None = None
) -> tuple[tuple[float, ...], int]:
    start = meter(pid)
    now = BASE_TIME + 10**7
    cursor: tuple[float, int, int] | None = None
    delivered = 0
    while True:
        rows = await verbs.due(now, READ_BATCH, cursor)
        if not rows:
            break
        last = rows[-1]
        cursor = (last.sort_at, last.article.id, last.id)
        sent = [(row.id, 1000 + row.id, now) for row in rows]
        for start_at in range(0, len(sent), per_transaction):
            await verbs.record_sent(sent[start_at : start_at + per_transaction])
        delivered += len(rows)
    return spent(start, pid, delivered), delivered


SAY = functools.partial(print, flush=True)


@dataclass(frozen=True)
class Workload:
    """How much each way does per round."""

    rounds: int = 5
    chats: int = 20
    polls: int = 10
    filler: int = FILLER_ARTICLES  # older articles stored before the rounds
    warm: bool = True  # a poll and a drain before the rounds (connections, caches)


async def bench_backend(
    label: str,
    pg_server: PostgresServer | None,
    directory: Path,
    load: Workload,
    ways: Sequence[str] = WAYS,
    say: Callable[[str], None] = SAY,
) -> dict[str, Figures]:
    """Each way's figures on one backend; SystemExit when the ways did not all do the same."""
    chats = [1000 + i for i in range(load.chats)]
    figures = {way: Figures() for way in ways}
    opened: dict[str, Verbs] = {}
    try:
        for way in ways:
            place = await make_database(pg_server, directory, f"{label}-{way}", chats, load.filler)
            opened[way] = await open_way(way, **place)
        for way in ways if load.warm else ():  # connections, statement and compiled caches
            await polls(opened[way], -100, 2)
            await drain(opened[way], READ_BATCH)
        pids = {way: await opened[way].backend_pid() for way in ways}
        first = 0
        for round_ in range(load.rounds):
            order = [*ways[round_ % len(ways) :], *ways[: round_ % len(ways)]]
            work: dict[str, list[int]] = {way: [] for way in ways}
            for phase in (0, 1):
                per_tx = READ_BATCH if phase == 0 else 1
                for way in order:
                    per_poll, (new, queued) = await polls(opened[way], first, load.polls, pids[way])
                    figures[way].poll.append(per_poll)  # type: ignore[arg-type]
                    per_message, delivered = await drain(opened[way], per_tx, pids[way])
                    target = figures[way].deliver if phase == 0 else figures[way].deliver_one
                    target.append(per_message)  # type: ignore[arg-type]
                    work[way] += [new, queued, delivered]
                first += load.polls
            if len({tuple(w) for w in work.values()}) != 1:
                raise SystemExit(f"{label}: the ways did different work: {work}")
            for way in ways:
                figures[way].work.append(tuple(work[way]))
            say(f"  {label} round {round_ + 1}/{load.rounds}: {work[ways[0]]}")
    finally:
        for verbs in opened.values():
            await verbs.close()
    return figures


def table(label: str, figures: dict[str, Figures]) -> list[str]:
    """Medians per unit; each ratio is the median of the way's ratios to ``raw`` round by round,
    the CPU ratio with its range over the rounds. PostgreSQL: its server's CPU too."""
    server = any(s[2] for s in figures["raw"].poll)
    head = (
        f"{'unit':<12} {'way':<10} {'CPU µs':>8} {'x raw':>6} {'(rounds)':>11} "
        f"{'wall µs':>8} {'x raw':>6}" + (f" {'server µs':>9} {'x raw':>6}" if server else "")
    )
    lines = [f"{label:<11} {head}"]
    names = {"poll": "poll", "deliver": "deliver", "deliver_one": "deliver 1/tx"}
    for unit, name in names.items():
        base: list[tuple[float, ...]] = getattr(figures["raw"], unit)
        for way, figure in figures.items():
            samples: list[tuple[float, ...]] = getattr(figure, unit)
            cpu, wall, srv = (statistics.median(s[i] for s in samples) * 1e6 for i in range(3))
            cpu_xs = [s[0] / b[0] for s, b in zip(samples, base, strict=True)]
            wall_x = statistics.median(s[1] / b[1] for s, b in zip(samples, base, strict=True))
            spread = f"{min(cpu_xs):.2f}-{max(cpu_xs):.2f}"
            line = (
                f"{'':<11} {name:<12} {way:<10} {cpu:>8.0f} {statistics.median(cpu_xs):>6.2f} "
                f"{spread:>11} {wall:>8.0f} {wall_x:>6.2f}"
            )
            if server:
                base_srv = statistics.median(b[2] for b in base) * 1e6
                line += f" {srv:>9.0f} {srv / base_srv if base_srv else 0:>6.2f}"
            lines.append(line)
    return lines


async def trips(ways: Sequence[str], directory: Path) -> list[str]:
    """Trips to aiosqlite's thread (its Connection._execute) per poll and per delivered message,
    for each way on SQLite (every statement, cursor, fetch, close, commit and rollback is one)."""
    from aiosqlite import core  # noqa: PLC0415

    counted = [0]
    original = core.Connection._execute

    async def counting(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counted[0] += 1
        return await original(self, fn, *args, **kwargs)

    core.Connection._execute = counting  # type: ignore[method-assign]
    lines = [f"{'SQLite trips':<14} {'per poll':>9} {'per message':>12} {'1/tx':>6}"]
    try:
        for way in ways:
            place = await make_database(None, directory, f"trips-{way}", [1000, 1001, 1002], 0)
            verbs = await open_way(way, **place)
            try:
                await polls(verbs, -100, 2)
                await drain(verbs, READ_BATCH)
                counted[0] = 0
                await polls(verbs, 0, 4)
                per_poll = counted[0] / 4
                counted[0] = 0
                _, delivered = await drain(verbs, READ_BATCH)
                batched = counted[0] / delivered
                await polls(verbs, 4, 4)
                counted[0] = 0
                _, delivered = await drain(verbs, 1)
                single = counted[0] / delivered
            finally:
                await verbs.close()
            lines.append(f"{way:<14} {per_poll:>9.1f} {batched:>12.2f} {single:>6.2f}")
    finally:
        core.Connection._execute = original  # type: ignore[method-assign]
    return lines


async def main_async(args: argparse.Namespace) -> dict[str, dict[str, Figures]]:
    load = Workload(rounds=args.rounds, chats=args.chats, polls=args.polls)
    ways = ["raw", *(way for way in args.ways.split(",") if way != "raw")]
    out: list[str] = []
    samples: dict[str, dict[str, Figures]] = {}
    with tempfile.TemporaryDirectory(prefix="store-layer-") as tmp:
        if args.trips:
            print("\n".join(await trips(ways, Path(tmp))))
            return samples
        if args.backend in ("both", "sqlite"):
            samples["SQLite"] = await bench_backend("sqlite", None, Path(tmp), load, ways)
            out += table("SQLite", samples["SQLite"])
        if args.backend in ("both", "postgres"):
            with PostgresServer.create() as server:
                samples["PostgreSQL"] = await bench_backend(
                    "pg", server, Path(tmp), load, [w for w in ways if w != "ours-1trip"]
                )
                out += table("PostgreSQL", samples["PostgreSQL"])
    import sqlalchemy  # noqa: PLC0415

    print()
    print(
        f"{args.rounds} rounds; per round and way: {args.polls} polls of {NEW_ITEMS} new items "
        f"for {args.chats} chats, twice, each followed by draining the outbox "
        f"({args.polls * NEW_ITEMS * args.chats} messages; batches of {READ_BATCH}, "
        "written per batch / one per transaction)."
    )
    print(
        "Medians per unit. CPU: this process (aiosqlite's thread and SQLite included); "
        "server: PostgreSQL's backend process serving the way's one connection "
        "(/proc, 10 ms ticks summed over the round). "
        f"ours = bot/store/sql.py; SQLAlchemy {sqlalchemy.__version__}, "
        f"aiosqlite {aiosqlite.__version__}, asyncpg {asyncpg.__version__}."
    )
    print("\n".join(out))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--polls", type=int, default=10)
    parser.add_argument("--backend", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument(
        "--ways",
        default=",".join(WAYS),
        help=f"which ways to run, of {', '.join(WAYS)}, ours-1trip (SQLite only); raw always",
    )
    parser.add_argument(
        "--trips", action="store_true", help="count trips to aiosqlite's thread instead of timing"
    )
    parser.add_argument("--json", help="also write every round's samples to this file")
    parser.add_argument("--quick", action="store_true", help="1 round, 10 chats, 3 polls")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.chats, args.polls = 1, 10, 3
    if sa is None:
        raise SystemExit(
            "SQLAlchemy is not installed: .venv/bin/pip install -e '.[bench]' "
            "(or pip install 'sqlalchemy[asyncio]>=2')"
        )
    samples = asyncio.run(main_async(args))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    backend: {way: dataclasses.asdict(figure) for way, figure in ways.items()}
                    for backend, ways in samples.items()
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
