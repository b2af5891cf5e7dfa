"""Articles, and queuing new ones for their chats in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from bot.core.models import Article, Chat, Classification, NewArticle, ParsedItem
from bot.store.base import StoreBase
from bot.store.maintenance import was_pruned
from bot.store.rows import (
    ARTICLE_COLUMNS,
    CHAT_COLUMNS,
    RecordResult,
    Router,
    article_row,
    chat_row,
    ts,
)

_CHUNK = 400  # items per lookup, well under SQLite's limit on bound parameters

Classifier = Callable[[str, str, Sequence[str], str | None], Classification]
"""(title, summary, categories, source's default region) -> where the story happens."""


_INSERT_ARTICLE = (
    "INSERT OR IGNORE INTO articles (source_id, key, url, title, summary, published_at, "
    "seen_at, sort_at, categories, image, countries, regions) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _article_values(source_id: int, entry: NewArticle, now: float) -> tuple[object, ...]:
    """The row of one item for ``_INSERT_ARTICLE``."""
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
    )


class ArticlesStore(StoreBase):
    """Articles, and queuing new ones for their chats in the same transaction."""

    async def known_items(self, source_id: int, items: Sequence[ParsedItem]) -> set[str]:
        """The keys of ``items`` the source already has, matched by key or by canonical URL.

        Matching the URL too keeps an item whose key changed (its guid became a duplicate, went
        missing or appeared) from counting as new.
        """
        known: set[str] = set()
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            keys = [item.key for item in chunk]
            urls = [item.url for item in chunk if item.url]
            marks = ",".join("?" * len(keys))
            url_marks = ",".join("?" * len(urls)) or "NULL"
            rows = await self._all(
                f"SELECT key, url FROM articles WHERE source_id = ? AND (key IN ({marks}) "  # noqa: S608
                f"OR url IN ({url_marks}))",
                (source_id, *keys, *urls),
            )
            found_keys = {row[0] for row in rows}
            found_urls = {row[1] for row in rows if row[1]}
            known.update(
                item.key for item in chunk if item.key in found_keys or item.url in found_urls
            )
        return known

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
            if baseline:
                # A first poll queues nothing (and nothing of a new source was pruned yet): one
                # executemany instead of a round trip per item.
                # A generator, not a list: aiosqlite hands it to its worker thread, so the rows of a
                # big first poll are built there as sqlite consumes them, not on the event loop.
                cur = await db.executemany(
                    _INSERT_ARTICLE, (_article_values(source_id, entry, now) for entry in articles)
                )
                await db.execute("UPDATE sources SET baseline_done = 1 WHERE id = ?", (source_id,))
                return RecordResult(new_articles=max(cur.rowcount, 0), queued=0)
            chats: list[Chat] | None = None
            for entry in articles:
                item = entry.item
                cur = await db.execute(_INSERT_ARTICLE, _article_values(source_id, entry, now))
                if cur.rowcount != 1:
                    continue
                article_id = cur.lastrowid
                if await was_pruned(db, source_id, item.key, item.url):
                    # seen before and pruned since: still not new (its key outlived the row)
                    await db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
                    continue
                new += 1
                if baseline:
                    continue
                if chats is None:
                    rows = await self._all(
                        f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.subscribed = 1"  # noqa: S608
                    )
                    chats = [chat_row(r) for r in rows]
                for chat_id in route(entry, chats):
                    cur = await db.execute(
                        "INSERT OR IGNORE INTO outbox (article_id, chat_id, next_attempt_at, "
                        "created_at) SELECT ?, ?, ?, ? WHERE ? IS NULL OR NOT EXISTS ("
                        # CROSS JOIN keeps articles (by URL index) outermost: joining from the
                        # chat's outbox rows instead would scan its whole history per insert.
                        "SELECT 1 FROM articles a CROSS JOIN outbox o ON o.article_id = a.id "
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
            f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
            "ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
            (scan or limit,),
        )
        return [article_row(r) for r in rows]

    async def article_count(self) -> int:
        """How many articles are stored."""
        row = await self._one("SELECT count(*) FROM articles")
        return int(row[0])

    async def recent_places(self, since: float) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(countries, regions) of every article seen since a time, for counting by region."""
        rows = await self._all(
            "SELECT countries, regions FROM articles WHERE sort_at >= ?", (since,)
        )
        return [(tuple(str(r[0]).split()), tuple(str(r[1]).split())) for r in rows]

    async def reclassify(self, classify: Classifier, *, batch: int = 500) -> tuple[int, int]:
        """Run ``classify`` over every stored article and store what changed: (seen, changed)."""
        seen = changed = 0
        last_id = 0
        while True:
            rows = await self._all(
                "SELECT a.id, a.title, a.summary, a.categories, s.region, a.countries, a.regions "
                "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id > ? "
                "ORDER BY a.id LIMIT ?",
                (last_id, batch),
            )
            if not rows:
                return seen, changed
            updates: list[tuple[str, str, int]] = []
            for row in rows:
                found = classify(row[1], row[2], tuple(json.loads(row[3])), row[4])
                countries, regions = " ".join(found.countries), " ".join(found.regions)
                if (countries, regions) != (row[5], row[6]):
                    updates.append((countries, regions, row[0]))
            if updates:
                async with self.transaction() as db:
                    await db.executemany(
                        "UPDATE articles SET countries = ?, regions = ? WHERE id = ?", updates
                    )
            seen += len(rows)
            changed += len(updates)
            last_id = rows[-1][0]
