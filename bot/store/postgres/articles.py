"""Reading stored articles: /latest, counts, places, reclassifying (PostgreSQL).

Recording a poll's articles is not here yet: the SQLite store's poll verbs are being replaced by
one ``apply_poll(intent)`` transaction, which this backend will implement once it exists.
"""

from __future__ import annotations

import json

from bot.core.models import Article
from bot.core.progress import ProgressHook, no_progress
from bot.store.articles import Classifier
from bot.store.postgres.base import PgStoreBase, rows_changed
from bot.store.rows import (
    ARTICLE_COLUMNS,
    PruneResult,
    article_row,
    identity_hash,
)

_PRUNE_CHUNK = 1000


class PgArticlesStore(PgStoreBase):
    """Reading stored articles."""

    async def latest_articles(self, limit: int, *, scan: int | None = None) -> list[Article]:
        """The most recent articles, newest first (``scan`` rows are read when filtering later)."""
        rows = await self._all(
            f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
            "ORDER BY a.sort_at DESC, a.id DESC LIMIT $1",
            scan or limit,
        )
        return [article_row(r) for r in rows]

    async def article_count(self) -> int:
        """How many articles are stored."""
        return int(await self._value("SELECT count(*) FROM articles"))

    async def recent_places(self, since: float) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(countries, regions) of every article seen since a time, for counting by region."""
        rows = await self._all(
            "SELECT countries, regions FROM articles WHERE sort_at >= $1", float(since)
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
                "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id > $1 "
                "ORDER BY a.id LIMIT $2",
                last_id,
                batch,
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
                        "UPDATE articles SET countries = $1, regions = $2 WHERE id = $3", updates
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
                rows = await db.fetch(
                    "SELECT id, source_id, key, url FROM articles WHERE seen_at < $1 "
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.article_id = articles.id "
                    "AND o.state = 'queued') LIMIT $2 FOR UPDATE SKIP LOCKED",
                    float(before),
                    _PRUNE_CHUNK,
                )
                if not rows:
                    return PruneResult(articles=removed, keys_kept=kept)
                identities = [(r[1], identity_hash("k", r[2])) for r in rows]
                identities += [(r[1], identity_hash("u", r[3])) for r in rows if r[3]]
                status = await db.execute(
                    "INSERT INTO pruned_keys (source_id, key_hash) "
                    "SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING",
                    [source for source, _ in identities],
                    [digest for _, digest in identities],
                )
                kept += rows_changed(status)
                await db.execute(
                    "DELETE FROM articles WHERE id = ANY($1::bigint[])", [r[0] for r in rows]
                )
                removed += len(rows)

    async def pruned_key_count(self) -> int:
        """How many identity digests are kept for pruned articles."""
        return int(await self._value("SELECT count(*) FROM pruned_keys"))
