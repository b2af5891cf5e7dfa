"""Articles: the latest ones, their places, reclassifying, and pruning (both backends: see
:mod:`bot.store.sql`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence

from bot.core.chat_filters import ChatFilter
from bot.core.latest import SCAN, latest_passing
from bot.core.models import Article, Classification
from bot.core.progress import ProgressHook, no_progress
from bot.core.topics import topics_of
from bot.store.rows import (
    ARTICLE_COLUMNS,
    PruneResult,
    article_row,
    identity_hash,
)
from bot.store.sql import Verbs

_PRUNE_CHUNK = 1000

Classifier = Callable[[str, str, Sequence[str], str | None, str | None], Classification]
"""(title, summary, categories, source's default region, language) -> where the story happens."""
TopicsOf = Callable[[str, str, Sequence[str], str | None], tuple[str, ...]]
"""(title, summary, categories, language) -> what the story is about (topic ids)."""


class ArticlesStore(Verbs):
    """Articles: the latest ones, their places, reclassifying, pruning."""

    async def latest_articles(
        self,
        limit: int,
        *,
        scan: int | None = None,
        sites: Collection[int] | None = None,
        topics: Collection[str] | None = None,
    ) -> list[Article]:
        """The most recent articles, newest first (``scan`` rows are read when filtering later).

        ``sites``: only articles of these sources; ``topics``: only articles with one of these
        topics (None: no condition).
        """
        d = self._dialect
        where: list[str] = []
        args: list[object] = []
        if sites is not None:
            where.append(d.any_of("a.source_id"))
            args.append(d.array(sorted(sites)))
        if topics:
            where.append(
                f"EXISTS (SELECT 1 FROM {d.each('t', 'text')} "  # noqa: S608
                "WHERE (' ' || a.topics || ' ') LIKE ('% ' || t.value || ' %'))"
            )
            args.append(d.array(sorted(topics)))
        rows = await self._sql.all(
            f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
            f"{'WHERE ' + ' AND '.join(where) if where else ''} "
            "ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
            *args,
            scan or limit,
        )
        return [article_row(r) for r in rows]

    async def latest_passing(self, f: ChatFilter, count: int) -> list[Article]:
        """The ``count`` newest articles that pass a chat's filter (/latest).

        Sites and topics are the database's conditions; places and words are checked here
        (``bot.core.latest``) over a small read first, then larger ones up to ``SCAN`` rows.
        """
        if f.is_everything:
            return await self.latest_articles(count)
        sites, topics = f.sites.ids, f.topics.ids or None
        found: list[Article] = []
        for scan in (max(count * 5, 100), max(count * 25, 500), SCAN):
            recent = await self.latest_articles(count, scan=scan, sites=sites, topics=topics)
            found = latest_passing(f, recent, count)
            if len(found) == count or len(recent) < scan:
                break
        return found

    async def article_count(self) -> int:
        """How many articles are stored (reclassifying's progress; tests read it too)."""
        return int(await self._sql.value("SELECT count(*) FROM articles"))

    async def recent_places(self, since: float) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(countries, regions) of every article seen since a time, for counting by region."""
        rows = await self._sql.all(
            "SELECT countries, regions FROM articles WHERE sort_at >= ?", float(since)
        )
        return [(tuple(str(r[0]).split()), tuple(str(r[1]).split())) for r in rows]

    async def reclassify(
        self,
        classify: Classifier,
        *,
        topics: TopicsOf = topics_of,
        batch: int = 500,
        progress: ProgressHook = no_progress,
    ) -> tuple[int, int]:
        """Run ``classify`` (places) and ``topics`` over every stored article and store what
        changed: (seen, changed).

        Each article is read in its own language (its own, else its source's), as when it came.
        """
        total = await self.article_count()
        progress(0, total)
        seen = changed = 0
        last_id = 0
        while True:
            rows = await self._sql.all(
                "SELECT a.id, a.title, a.summary, a.categories, s.region, a.countries, a.regions, "
                "coalesce(a.language, s.language), a.topics "
                "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id > ? "
                "ORDER BY a.id LIMIT ?",
                last_id,
                batch,
            )
            if not rows:
                return seen, changed
            updates: list[tuple[str, str, str, int]] = []
            for row in rows:
                categories = tuple(json.loads(row[3]))
                found = classify(row[1], row[2], categories, row[4], row[7])
                countries, regions = " ".join(found.countries), " ".join(found.regions)
                about = " ".join(topics(row[1], row[2], categories, row[7]))
                if (countries, regions, about) != (row[5], row[6], row[8]):
                    updates.append((countries, regions, about, row[0]))
            if updates:
                async with self._sql.transaction() as db:
                    await db.executemany(
                        "UPDATE articles SET countries = ?, regions = ?, topics = ? WHERE id = ?",
                        updates,
                    )
            seen += len(rows)
            changed += len(updates)
            last_id = rows[-1][0]
            progress(seen, max(total, seen))

    async def prune_articles(self, before: float) -> PruneResult:
        """Delete articles first seen before ``before`` (none still queued), keeping their keys.

        The key and URL digests go to ``pruned_keys``, so a story that reappears in its feed is
        still recognised as seen. Their outbox rows (sent, failed, cancelled) go with them.
        Pruners in several processes pass over each other's rows (``skip_locked``).
        """
        d = self._dialect
        removed = kept = 0
        while True:
            async with self._sql.transaction() as db:
                rows = await db.all(
                    "SELECT id, source_id, key, url FROM articles WHERE seen_at < ? "  # noqa: S608
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.article_id = articles.id "
                    f"AND o.state = 'queued') LIMIT ?{d.skip_locked}",
                    float(before),
                    _PRUNE_CHUNK,
                )
                if not rows:
                    return PruneResult(articles=removed, keys_kept=kept)
                digests: dict[int, list[int]] = {}  # source -> its articles' key and URL digests
                for _, source_id, key, url in rows:
                    found = digests.setdefault(int(source_id), [])
                    found.append(identity_hash("k", key))
                    if url:
                        found.append(identity_hash("u", url))
                for source_id, hashes in digests.items():
                    # WHERE true: SQLite would read ON CONFLICT as a join's ON without it.
                    kept += await db.execute(
                        "INSERT INTO pruned_keys (source_id, key_hash) "  # noqa: S608
                        f"SELECT CAST(? AS bigint), h.value FROM {d.each('h', 'bigint')} "
                        "WHERE true ON CONFLICT DO NOTHING",
                        source_id,
                        d.array(hashes),
                    )
                await db.execute(
                    f"DELETE FROM articles WHERE {d.any_of('id')}",  # noqa: S608
                    d.array(int(r[0]) for r in rows),
                )
                removed += len(rows)
