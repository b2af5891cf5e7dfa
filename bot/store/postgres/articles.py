"""Reading stored articles: /latest, counts, places, reclassifying (PostgreSQL).

Recording a poll's articles is not here yet: the SQLite store's poll verbs are being replaced by
one ``apply_poll(intent)`` transaction, which this backend will implement once it exists.
"""

from __future__ import annotations

import json

from bot.core.models import Article
from bot.store.articles import Classifier
from bot.store.postgres.base import PgStoreBase
from bot.store.rows import ARTICLE_COLUMNS, article_row


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

    async def reclassify(self, classify: Classifier, *, batch: int = 500) -> tuple[int, int]:
        """Run ``classify`` over every stored article and store what changed: (seen, changed)."""
        seen = changed = 0
        last_id = 0
        while True:
            rows = await self._all(
                "SELECT a.id, a.title, a.summary, a.categories, s.region, a.countries, a.regions "
                "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id > $1 "
                "ORDER BY a.id LIMIT $2",
                last_id,
                batch,
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
                        "UPDATE articles SET countries = $1, regions = $2 WHERE id = $3", updates
                    )
            seen += len(rows)
            changed += len(updates)
            last_id = rows[-1][0]
