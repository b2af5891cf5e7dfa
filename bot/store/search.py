"""Full-text search over stored articles (SQLite: the FTS5 table ``article_search``).

A query with words reads the newest :data:`~bot.core.search.CANDIDATES` matches (FTS5 walks its
rowids backwards, no sorting) and ranks only those: by the words found in the title, each
weighing its inverse document frequency (as bm25 weighs it), newer first among equals.

FTS5's own ``bm25()`` is not used: before ranking a single row it counts every row of the whole
table that holds each word of the query, so a word in most articles cost 30-130 ms at a million
articles whatever the number of candidates (docs/performance.md, "Search").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

from bot.core.models import Article
from bot.core.search import CANDIDATES, SearchQuery, fts5_match, fts5_string
from bot.store.rows import ARTICLE_COLUMNS, article_row
from bot.store.sql import Database, Row, Verbs

SAMPLE = 5000
"""The newest articles in which each word's share is counted, for its weight."""

_CANDIDATES = (
    "SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT ?"
)

# The candidates (at or after the oldest of them) whose title holds one word.
_IN_TITLE = "SELECT rowid FROM article_search WHERE article_search MATCH ? AND rowid >= ?"

# How many of the newest SAMPLE articles hold one word (FTS5 seeks to the first of them).
_SHARE = "SELECT count(*) FROM article_search WHERE article_search MATCH ? AND rowid > ?"

_NEWEST = "SELECT coalesce(max(id), 0) FROM articles"

_ARTICLES = (
    f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
    "WHERE a.id IN ({marks})"
)

# Places alone: the newest stories there, nothing to rank.
_PLACED = (
    f"SELECT {ARTICLE_COLUMNS} FROM ("  # noqa: S608
    "SELECT rowid AS id FROM article_search WHERE article_search MATCH ? "
    "ORDER BY rowid DESC LIMIT ? OFFSET ?) m "
    "JOIN articles a ON a.id = m.id JOIN sources s ON s.id = a.source_id ORDER BY m.id DESC"
)

_LATEST = (
    f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
    "ORDER BY a.sort_at DESC, a.id DESC LIMIT ? OFFSET ?"
)


class Matches(Protocol):
    """How a backend finds one page of a query's matches (it has words or places)."""

    async def matches(self, query: SearchQuery, limit: int, offset: int) -> list[Row]:
        """The article rows of one page of ``query``'s matches."""
        ...


class SearchStore(Verbs):
    """Finding stored articles by words and places: what both backends share (the latest for an
    empty query, the page limit); each backend finds its matches its own way (its
    :class:`Matches`)."""

    def __init__(self, sql: Database, matches: Matches) -> None:
        super().__init__(sql)
        self._matches = matches

    async def search_articles(
        self, query: SearchQuery, limit: int, offset: int = 0
    ) -> list[Article]:
        """The best matches of ``query`` from the ``offset``-th on (an empty query: the latest).

        Among equal matches, and for places alone, the article stored later comes first (a poll
        stores a feed's items oldest first, so that is the newer story).

        Words must all appear; a story must be in one of the query's places. Pages reach the
        newest :data:`~bot.core.search.CANDIDATES` matches.
        """
        if query.is_empty:
            rows = await self._sql.all(_LATEST, limit, offset)
        elif offset >= CANDIDATES:
            return []
        else:
            rows = await self._matches.matches(query, limit, offset)
        return [article_row(r) for r in rows]


class SqliteMatches(Verbs):
    """Finding a query's matches on SQLite: FTS5."""

    async def matches(self, query: SearchQuery, limit: int, offset: int) -> list[Row]:
        """Places alone: the newest there; words: one page of the ranked candidates."""
        if not query.words:
            return await self._sql.all(_PLACED, fts5_match(query), limit, offset)
        page = await self._ranked_page(query, limit, offset)
        found = {r["article_id"]: r for r in await self._rows_of(page)}
        return [found[i] for i in page if i in found]

    async def _ranked_page(self, query: SearchQuery, limit: int, offset: int) -> list[int]:
        """The ids of one page of the ranked candidates."""
        match = fts5_match(query)
        candidates = [r[0] for r in await self._sql.all(_CANDIDATES, match, CANDIDATES)]
        if not candidates:
            return []
        oldest = candidates[-1]
        weights = await self._weights(query.words)
        score = dict.fromkeys(candidates, 0.0)
        for word, weight in zip(query.words, weights, strict=True):
            in_title = f"({match}) AND title : {fts5_string(word)}"
            for (rowid,) in await self._sql.all(_IN_TITLE, in_title, oldest):
                if rowid in score:
                    score[rowid] += weight
        ranked = sorted(candidates, key=lambda i: (-score[i], -i))
        return ranked[offset : offset + limit]

    async def _weights(self, words: Sequence[str]) -> list[float]:
        """Each word's weight: bm25's inverse document frequency, from its share of the newest
        :data:`SAMPLE` articles (one word alone needs none: every candidate holds it)."""
        if len(words) == 1:
            return [1.0]
        newest = int(await self._sql.value(_NEWEST))
        since = max(newest - SAMPLE, 0)
        size = newest - since
        weights = []
        for word in words:
            held = int(await self._sql.value(_SHARE, fts5_string(word), since))
            weights.append(max(math.log((size - held + 0.5) / (held + 0.5)), 1e-6))
        return weights

    async def _rows_of(self, ids: Sequence[int]) -> list[Any]:
        """The article rows (with their source's name) of these ids, in no order."""
        if not ids:
            return []
        return await self._sql.all(_ARTICLES.format(marks=", ".join("?" * len(ids))), *ids)
