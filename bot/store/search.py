"""Full-text search over stored articles (SQLite: the FTS5 table ``article_search``)."""

from __future__ import annotations

from bot.core.models import Article
from bot.core.search import CANDIDATES, SearchQuery, fts5_match
from bot.store.base import StoreBase
from bot.store.rows import ARTICLE_COLUMNS, article_row

# The newest CANDIDATES matches (FTS5 walks its rowids backwards without sorting), ranked by
# bm25 (titles weigh most), newer first among equals; only the page is joined to its articles.
_SEARCH = (
    f"SELECT {ARTICLE_COLUMNS} FROM ("  # noqa: S608
    "SELECT id, rank FROM (SELECT rowid AS id, rank FROM article_search "
    "WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT ?) "
    "ORDER BY rank, id DESC LIMIT ? OFFSET ?) m "
    "JOIN articles a ON a.id = m.id JOIN sources s ON s.id = a.source_id "
    "ORDER BY m.rank, m.id DESC"
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


class SearchStore(StoreBase):
    """Finding stored articles by words and places."""

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
            rows = await self._all(_LATEST, (limit, offset))
        elif offset >= CANDIDATES:
            return []
        elif not query.words:
            rows = await self._all(_PLACED, (fts5_match(query), limit, offset))
        else:
            rows = await self._all(_SEARCH, (fts5_match(query), CANDIDATES, limit, offset))
        return [article_row(r) for r in rows]
