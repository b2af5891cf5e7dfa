"""The SQLite store: the only module with SQL. Every statement is parameterised.

The database runs in WAL mode; the schema is versioned with ``PRAGMA user_version`` and migrated on
open. One process at a time: :meth:`Store.open` takes an exclusive lock file beside the database.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import aiosqlite

from bot.errors import StoreError
from bot.models import (
    Article,
    Chat,
    ChatKind,
    Delivery,
    HtmlSelectors,
    NewArticle,
    RegionFilter,
    Source,
    SourceKind,
    SourceSpec,
)
from bot.schema import LATEST_VERSION, MIGRATIONS

Router = Callable[[NewArticle, Sequence[Chat]], Iterable[int]]
"""Given a new article and the subscribed chats, the ids of the chats that should receive it."""


def filter_to_text(region_filter: RegionFilter) -> str:
    """The storage form of a region filter: its ids, sorted, space-separated."""
    return " ".join(sorted(region_filter.ids))


def filter_from_text(text: str) -> RegionFilter:
    """Read a region filter back from its storage form."""
    return RegionFilter(frozenset(text.split()))


def _ts(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _dt(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def _selectors_to_json(selectors: HtmlSelectors | None) -> str | None:
    if selectors is None:
        return None
    fields = {
        "item": selectors.item,
        "title": selectors.title,
        "link": selectors.link,
        "summary": selectors.summary,
        "date": selectors.date,
    }
    return json.dumps(fields, sort_keys=True)


def _selectors_from_json(text: str | None) -> HtmlSelectors | None:
    if not text:
        return None
    data = json.loads(text)
    return HtmlSelectors(
        item=data["item"],
        title=data["title"],
        link=data.get("link"),
        summary=data.get("summary"),
        date=data.get("date"),
    )


_SOURCE_COLUMNS = (
    "id, name, url, kind, region, selectors, enabled, etag, last_modified, baseline_done, "
    "failures, last_error, last_success_at, last_polled_at, next_poll_at"
)
_CHAT_COLUMNS = (
    "c.id, c.kind, c.title, c.username, c.thread_id, c.subscribed, c.region_filter, "
    "c.link_previews, c.deactivated_reason"
)
_ARTICLE_COLUMNS = (
    "a.id, a.source_id, s.name, a.key, a.title, a.summary, a.url, a.published_at, a.seen_at, "
    "a.categories, a.image, a.countries, a.regions"
)


def _source(row: Any) -> Source:
    return Source(
        id=row[0],
        name=row[1],
        url=row[2],
        kind=SourceKind(row[3]),
        region=row[4],
        selectors=_selectors_from_json(row[5]),
        enabled=bool(row[6]),
        etag=row[7],
        last_modified=row[8],
        baseline_done=bool(row[9]),
        failures=row[10],
        last_error=row[11],
        last_success_at=row[12],
        last_polled_at=row[13],
        next_poll_at=row[14],
    )


def _chat(row: Any, offset: int = 0) -> Chat:
    r = row[offset : offset + 9]
    return Chat(
        id=r[0],
        kind=ChatKind(r[1]),
        title=r[2],
        username=r[3],
        thread_id=r[4],
        subscribed=bool(r[5]),
        region_filter=filter_from_text(r[6]),
        link_previews=bool(r[7]),
        deactivated_reason=r[8],
    )


def _article(row: Any, offset: int = 0) -> Article:
    r = row[offset : offset + 13]
    seen_at = _dt(r[8])
    assert seen_at is not None
    return Article(
        id=r[0],
        source_id=r[1],
        source_name=r[2],
        key=r[3],
        title=r[4],
        summary=r[5],
        url=r[6],
        published=_dt(r[7]),
        seen_at=seen_at,
        categories=tuple(json.loads(r[9])),
        image=r[10],
        countries=tuple(r[11].split()),
        regions=tuple(r[12].split()),
    )


@dataclass(frozen=True, slots=True)
class RecordResult:
    """What recording one poll's items did."""

    new_articles: int
    queued: int


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    """Outbox rows by state."""

    queued: int
    sent: int
    failed: int
    cancelled: int


class _InstanceLock:
    """An exclusive advisory lock on ``<database>.lock``, held for the process's lifetime."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreError(
                f"another teaserbot process is already using {self.path.with_suffix('')}; "
                "stop it first (two bots on one database would send duplicates)"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class Store:
    """Async access to the bot's database; create with :meth:`open`."""

    def __init__(self, db: aiosqlite.Connection, lock: _InstanceLock | None) -> None:
        self._db = db
        self._lock = lock
        self._write = asyncio.Lock()  # one transaction at a time on the shared connection

    # ---------------------------------------------------------------- lifecycle

    @classmethod
    async def open(cls, path: Path, *, exclusive: bool = True) -> Self:
        """Open (creating or migrating) the database; with ``exclusive``, lock out other bots."""
        path.parent.mkdir(parents=True, exist_ok=True)
        lock: _InstanceLock | None = None
        if exclusive:
            lock = _InstanceLock(path.with_name(path.name + ".lock"))
            lock.acquire()
        try:
            db = await aiosqlite.connect(path, isolation_level=None)
        except Exception:
            if lock:
                lock.release()
            raise
        store = cls(db, lock)
        try:
            await store._configure()
            await store._migrate(path)
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        """Close the connection and release the instance lock."""
        try:
            await self._db.close()
        finally:
            if self._lock:
                self._lock.release()

    async def _configure(self) -> None:
        await self._db.execute("PRAGMA journal_mode = WAL")
        await self._db.execute("PRAGMA synchronous = NORMAL")
        await self._db.execute("PRAGMA foreign_keys = ON")
        await self._db.execute("PRAGMA busy_timeout = 5000")

    async def schema_version(self) -> int:
        """The database's ``user_version``."""
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        assert row is not None
        return int(row[0])

    async def _migrate(self, path: Path) -> None:
        version = await self.schema_version()
        if version > LATEST_VERSION:
            raise StoreError(
                f"{path} has schema version {version}, newer than this release supports "
                f"({LATEST_VERSION}); upgrade teaserbot or use another DATABASE_PATH"
            )
        for target in range(version + 1, LATEST_VERSION + 1):
            async with self.transaction():
                for statement in MIGRATIONS[target - 1].split(";"):
                    if statement.strip():
                        await self._db.execute(statement)
                await self._db.execute(f"PRAGMA user_version = {int(target)}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run a block as one write transaction (BEGIN IMMEDIATE … COMMIT, or ROLLBACK)."""
        async with self._write:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        async with self._db.execute(sql, params) as cur:
            return await cur.fetchone()

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        async with self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    # ------------------------------------------------------------------ sources

    async def sync_sources(self, specs: Sequence[SourceSpec]) -> list[Source]:
        """Make the configured sources present and enabled; disable configured ones now absent."""
        async with self.transaction() as db:
            for spec in specs:
                await db.execute(
                    "INSERT INTO sources (name, spec_url, url, kind, region, selectors, origin, "
                    "enabled) VALUES (?, ?, ?, ?, ?, ?, 'config', 1) "
                    "ON CONFLICT (spec_url) DO UPDATE SET name = excluded.name, "
                    "kind = excluded.kind, region = excluded.region, "
                    "selectors = excluded.selectors, enabled = 1",
                    (
                        spec.name,
                        spec.url,
                        spec.url,
                        spec.kind.value,
                        spec.region,
                        _selectors_to_json(spec.selectors),
                    ),
                )
            urls = [spec.url for spec in specs]
            placeholders = ",".join("?" * len(urls)) or "NULL"
            await db.execute(
                f"UPDATE sources SET enabled = 0 WHERE origin = 'config' "  # noqa: S608
                f"AND spec_url NOT IN ({placeholders})",
                urls,
            )
        return await self.sources()

    async def sources(self) -> list[Source]:
        """Every source, enabled or not, by id."""
        rows = await self._all(f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY id")  # noqa: S608
        return [_source(r) for r in rows]

    async def source(self, source_id: int) -> Source | None:
        """One source by id."""
        row = await self._one(
            f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?",  # noqa: S608
            (source_id,),
        )
        return _source(row) if row else None

    async def due_sources(self, now: float) -> list[Source]:
        """Enabled sources whose next poll time has come, most overdue first."""
        rows = await self._all(
            f"SELECT {_SOURCE_COLUMNS} FROM sources "  # noqa: S608
            "WHERE enabled = 1 AND next_poll_at <= ? ORDER BY next_poll_at, id",
            (now,),
        )
        return [_source(r) for r in rows]

    async def next_poll_time(self) -> float | None:
        """When the next enabled source is due, or None without sources."""
        row = await self._one("SELECT min(next_poll_at) FROM sources WHERE enabled = 1")
        return float(row[0]) if row and row[0] is not None else None

    async def record_poll_ok(
        self,
        source_id: int,
        *,
        now: float,
        next_poll_at: float,
        etag: str | None,
        last_modified: str | None,
        new_url: str | None = None,
    ) -> None:
        """A poll succeeded (200 or 304): store validators, clear failures, schedule the next."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE sources SET etag = ?, last_modified = ?, failures = 0, last_error = NULL, "
                "failing_since = NULL, last_success_at = ?, last_polled_at = ?, next_poll_at = ? "
                "WHERE id = ?",
                (etag, last_modified, now, now, next_poll_at, source_id),
            )
            if new_url is not None:
                await db.execute("UPDATE sources SET url = ? WHERE id = ?", (new_url, source_id))

    async def record_poll_error(
        self, source_id: int, *, now: float, next_poll_at: float, error: str, disable: bool = False
    ) -> None:
        """A poll failed: count it, keep the reason, schedule the retry (or disable the source)."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE sources SET failures = failures + 1, last_error = ?, last_error_at = ?, "
                "failing_since = coalesce(failing_since, ?), last_polled_at = ?, "
                "next_poll_at = ?, enabled = CASE WHEN ? THEN 0 ELSE enabled END WHERE id = ?",
                (error, now, now, now, next_poll_at, disable, source_id),
            )

    # ----------------------------------------------------------------- articles

    async def record_articles(
        self,
        source_id: int,
        articles: Sequence[NewArticle],
        *,
        now: float,
        baseline: bool,
        route: Router,
    ) -> RecordResult:
        """Record a poll's items; queue each new one for its chats in the same transaction.

        Items already known for the source (by key) are ignored. With ``baseline`` the items are
        recorded without queuing anything and the source is marked as baselined. A chat that
        already has the same URL queued or sent (from another source) is not queued again.
        """
        new = queued = 0
        async with self.transaction() as db:
            chats: list[Chat] | None = None
            for entry in articles:
                item = entry.item
                published = _ts(item.published)
                sort_at = min(published, now) if published is not None else now
                cur = await db.execute(
                    "INSERT OR IGNORE INTO articles (source_id, key, url, title, summary, "
                    "published_at, seen_at, sort_at, categories, image, countries, regions) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        source_id,
                        item.key,
                        item.url,
                        item.title,
                        item.summary,
                        published,
                        now,
                        sort_at,
                        json.dumps(list(item.categories)),
                        item.image,
                        " ".join(entry.classification.countries),
                        " ".join(entry.classification.regions),
                    ),
                )
                if cur.rowcount != 1:
                    continue
                new += 1
                article_id = cur.lastrowid
                if baseline:
                    continue
                if chats is None:
                    rows = await self._all(
                        f"SELECT {_CHAT_COLUMNS} FROM chats c WHERE c.subscribed = 1"  # noqa: S608
                    )
                    chats = [_chat(r) for r in rows]
                for chat_id in route(entry, chats):
                    cur = await db.execute(
                        "INSERT OR IGNORE INTO outbox (article_id, chat_id, next_attempt_at, "
                        "created_at) SELECT ?, ?, ?, ? WHERE ? IS NULL OR NOT EXISTS ("
                        "SELECT 1 FROM outbox o JOIN articles a ON a.id = o.article_id "
                        "WHERE o.chat_id = ? AND a.url = ? AND o.state IN ('queued', 'sent'))",
                        (article_id, chat_id, now, now, item.url, chat_id, item.url),
                    )
                    queued += cur.rowcount
            if baseline:
                await db.execute("UPDATE sources SET baseline_done = 1 WHERE id = ?", (source_id,))
        return RecordResult(new_articles=new, queued=queued)

    async def latest_articles(self, limit: int, *, scan: int | None = None) -> list[Article]:
        """The most recent articles, newest first (``scan`` rows are read when filtering later)."""
        rows = await self._all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
            "ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
            (scan or limit,),
        )
        return [_article(r) for r in rows]

    async def article_count(self) -> int:
        """How many articles are stored."""
        row = await self._one("SELECT count(*) FROM articles")
        return int(row[0])

    # -------------------------------------------------------------------- chats

    async def upsert_chat(
        self,
        chat_id: int,
        kind: ChatKind,
        *,
        now: float,
        title: str | None = None,
        username: str | None = None,
    ) -> Chat:
        """Create the chat or refresh its title and username."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO chats (id, kind, title, username, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                "title = excluded.title, username = excluded.username, "
                "updated_at = excluded.updated_at",
                (chat_id, kind.value, title, username, now, now),
            )
        chat = await self.chat(chat_id)
        assert chat is not None
        return chat

    async def chat(self, chat_id: int) -> Chat | None:
        """One chat by id."""
        row = await self._one(
            f"SELECT {_CHAT_COLUMNS} FROM chats c WHERE c.id = ?",  # noqa: S608
            (chat_id,),
        )
        return _chat(row) if row else None

    async def set_subscribed(
        self, chat_id: int, subscribed: bool, *, now: float, thread_id: int | None = None
    ) -> bool:
        """Subscribe or unsubscribe; returns whether the state changed.

        Unsubscribing cancels what was still queued for the chat.
        """
        async with self.transaction() as db:
            row = await self._one("SELECT subscribed FROM chats WHERE id = ?", (chat_id,))
            if row is None:
                raise StoreError(f"unknown chat {chat_id}")
            changed = bool(row[0]) != subscribed
            await db.execute(
                "UPDATE chats SET subscribed = ?, thread_id = ?, deactivated_reason = NULL, "
                "updated_at = ? WHERE id = ?",
                (subscribed, thread_id, now, chat_id),
            )
            if not subscribed:
                await db.execute(
                    "UPDATE outbox SET state = 'cancelled', last_error = 'unsubscribed' "
                    "WHERE chat_id = ? AND state = 'queued'",
                    (chat_id,),
                )
        return changed

    async def set_region_filter(self, chat_id: int, region_filter: RegionFilter, now: float) -> None:
        """Store a chat's region filter."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET region_filter = ?, updated_at = ? WHERE id = ?",
                (filter_to_text(region_filter), now, chat_id),
            )

    async def set_link_previews(self, chat_id: int, enabled: bool, now: float) -> None:
        """Turn link previews on or off for a chat."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET link_previews = ?, updated_at = ? WHERE id = ?",
                (enabled, now, chat_id),
            )

    async def deactivate_chat(self, chat_id: int, reason: str, now: float) -> int:
        """Unsubscribe a chat Telegram will not deliver to; cancel its queue. Returns rows cancelled."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET subscribed = 0, deactivated_reason = ?, updated_at = ? "
                "WHERE id = ?",
                (reason, now, chat_id),
            )
            cur = await db.execute(
                "UPDATE outbox SET state = 'cancelled', last_error = ? "
                "WHERE chat_id = ? AND state = 'queued'",
                (reason, chat_id),
            )
            return cur.rowcount

    async def migrate_chat(self, old_id: int, new_id: int, now: float) -> None:
        """Move a group's id, settings and queue to its new supergroup id."""
        async with self.transaction() as db:
            exists = await self._one("SELECT 1 FROM chats WHERE id = ?", (new_id,))
            if exists:
                await db.execute(
                    "UPDATE chats SET (subscribed, region_filter, link_previews, thread_id) = "
                    "(SELECT subscribed, region_filter, link_previews, thread_id FROM chats "
                    "WHERE id = ?), kind = 'supergroup', updated_at = ? WHERE id = ?",
                    (old_id, now, new_id),
                )
                await db.execute(
                    "UPDATE OR IGNORE outbox SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
                )
                await db.execute("DELETE FROM outbox WHERE chat_id = ?", (old_id,))
                await db.execute("DELETE FROM chats WHERE id = ?", (old_id,))
            else:
                await db.execute(
                    "UPDATE chats SET id = ?, kind = 'supergroup', updated_at = ? WHERE id = ?",
                    (new_id, now, old_id),
                )

    async def chat_counts(self) -> dict[str, int]:
        """Subscribed chats by kind."""
        rows = await self._all(
            "SELECT kind, count(*) FROM chats WHERE subscribed = 1 GROUP BY kind ORDER BY kind"
        )
        return {str(r[0]): int(r[1]) for r in rows}

    # ------------------------------------------------------------------- outbox

    async def due_deliveries(self, now: float, limit: int) -> list[Delivery]:
        """Queued rows whose time has come, oldest article first within each chat."""
        rows = await self._all(
            f"SELECT o.id, o.attempts, o.created_at, {_CHAT_COLUMNS}, {_ARTICLE_COLUMNS} "  # noqa: S608
            "FROM outbox o JOIN chats c ON c.id = o.chat_id "
            "JOIN articles a ON a.id = o.article_id JOIN sources s ON s.id = a.source_id "
            "WHERE o.state = 'queued' AND o.next_attempt_at <= ? "
            "ORDER BY a.sort_at, a.id, o.id LIMIT ?",
            (now, limit),
        )
        return [
            Delivery(id=r[0], attempts=r[1], created_at=r[2], chat=_chat(r, 3), article=_article(r, 12))
            for r in rows
        ]

    async def next_delivery_time(self) -> float | None:
        """When the earliest queued row becomes due, or None when nothing is queued."""
        row = await self._one("SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'")
        return float(row[0]) if row and row[0] is not None else None

    async def mark_sent(self, outbox_id: int, message_id: int | None, now: float) -> None:
        """A teaser reached its chat."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, "
                "attempts = attempts + 1, last_error = NULL WHERE id = ?",
                (now, message_id, outbox_id),
            )

    async def mark_retry(self, outbox_id: int, next_attempt_at: float, error: str) -> None:
        """Try this row again later."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
                "WHERE id = ?",
                (next_attempt_at, error, outbox_id),
            )

    async def mark_failed(self, outbox_id: int, error: str) -> None:
        """Give up on this row, keeping the reason."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? "
                "WHERE id = ?",
                (error, outbox_id),
            )

    async def outbox_counts(self) -> OutboxCounts:
        """Outbox rows by state."""
        rows = await self._all("SELECT state, count(*) FROM outbox GROUP BY state")
        counts = {str(r[0]): int(r[1]) for r in rows}
        return OutboxCounts(
            queued=counts.get("queued", 0),
            sent=counts.get("sent", 0),
            failed=counts.get("failed", 0),
            cancelled=counts.get("cancelled", 0),
        )

    async def sent_count(self, chat_id: int) -> int:
        """How many teasers reached a chat."""
        row = await self._one(
            "SELECT count(*) FROM outbox WHERE chat_id = ? AND state = 'sent'", (chat_id,)
        )
        return int(row[0])
