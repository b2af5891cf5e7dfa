"""Articles, and queuing new ones for their chats in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.models import Article, Chat, NewArticle
from bot.store.base import StoreBase
from bot.store.rows import (
    ARTICLE_COLUMNS,
    CHAT_COLUMNS,
    RecordResult,
    Router,
    article_row,
    chat_row,
    ts,
)


class ArticlesStore(StoreBase):
    """Articles, and queuing new ones for their chats in the same transaction."""

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
                published = ts(item.published)
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
                        f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.subscribed = 1"  # noqa: S608
                    )
                    chats = [chat_row(r) for r in rows]
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
            f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
            "ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
            (scan or limit,),
        )
        return [article_row(r) for r in rows]

    async def article_count(self) -> int:
        """How many articles are stored."""
        row = await self._one("SELECT count(*) FROM articles")
        return int(row[0])
