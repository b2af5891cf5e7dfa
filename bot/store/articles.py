"""Articles: what a source already has, the latest ones, their places, and pruning."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from bot.core.models import Article, Classification
from bot.core.progress import ProgressHook, no_progress
from bot.store.base import StoreBase
from bot.store.rows import (
    ARTICLE_COLUMNS,
    PruneResult,
    article_row,
    identity_hash,
)

_PRUNE_CHUNK = 1000


_CHUNK = 400  # items per lookup, well under SQLite's limit on bound parameters

Classifier = Callable[[str, str, Sequence[str], str | None, str | None], Classification]
"""(title, summary, categories, source's default region, language) -> where the story happens."""


class ArticlesStore(StoreBase):
    """Articles: what a source already has, the latest ones, their places."""

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

    async def reclassify(
        self, classify: Classifier, *, batch: int = 500, progress: ProgressHook = no_progress
    ) -> tuple[int, int]:
        """Run ``classify`` over every stored article and store what changed: (seen, changed).

        Each article is read in its own language (its own, else its source's), as when it came.
        """
        total = await self.article_count()
        progress(0, total)
        seen = changed = 0
        last_id = 0
        while True:
            rows = await self._all(
                "SELECT a.id, a.title, a.summary, a.categories, s.region, a.countries, a.regions, "
                "coalesce(a.language, s.language) "
                "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id > ? "
                "ORDER BY a.id LIMIT ?",
                (last_id, batch),
            )
            if not rows:
                return seen, changed
            updates: list[tuple[str, str, int]] = []
            for row in rows:
                found = classify(row[1], row[2], tuple(json.loads(row[3])), row[4], row[7])
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
            progress(seen, max(total, seen))

    async def prune_articles(self, before: float) -> PruneResult:
        """Delete articles first seen before ``before`` (none still queued), keeping their keys.

        The key and URL digests go to ``pruned_keys``, so a story that reappears in its feed is
        still recognised as seen. Their outbox rows (sent, failed, cancelled) go with them.
        """
        removed = kept = 0
        while True:
            async with self.transaction() as db:
                rows = await self._all(
                    "SELECT id, source_id, key, url FROM articles WHERE seen_at < ? "
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.article_id = articles.id "
                    "AND o.state = 'queued') LIMIT ?",
                    (before, _PRUNE_CHUNK),
                )
                if not rows:
                    return PruneResult(articles=removed, keys_kept=kept)
                identities = [(r[1], identity_hash("k", r[2])) for r in rows]
                identities += [(r[1], identity_hash("u", r[3])) for r in rows if r[3]]
                before_count = db.total_changes
                await db.executemany(
                    "INSERT OR IGNORE INTO pruned_keys (source_id, key_hash) VALUES (?, ?)",
                    identities,
                )
                kept += db.total_changes - before_count
                await db.executemany("DELETE FROM articles WHERE id = ?", [(r[0],) for r in rows])
                removed += len(rows)

    async def pruned_key_count(self) -> int:
        """How many identity digests are kept for pruned articles."""
        row = await self._one("SELECT count(*) FROM pruned_keys")
        return int(row[0])
