"""Full-text search over stored articles (PostgreSQL: ``articles.search``, a GIN index)."""

from __future__ import annotations

from bot.core.models import Article
from bot.core.search import CANDIDATES, SearchQuery, tsquery_places
from bot.store.postgres.base import PgStoreBase
from bot.store.rows import ARTICLE_COLUMNS, article_row

# Every word (folded like the index) as written, or every word stemmed in the searcher's language.
_WORDS = (
    "(plainto_tsquery('simple', teaserbot_fold($4)) "
    "|| plainto_tsquery(teaserbot_config($5), teaserbot_fold($4)))"
)
_PLACES = "$6::tsquery"  # one of the places: "'~cl' | '~ar'" (tokens are letters and digits)

# The newest CANDIDATES matches, ranked by ts_rank (titles weigh most), newer first among
# equals; ts_rank reads only those, and only the page is joined to its articles.
_SEARCH = (
    f"SELECT {ARTICLE_COLUMNS} FROM ("  # noqa: S608
    "SELECT id, ts_rank(search, q) AS r FROM ("
    "SELECT id, search, q FROM articles, ({query}) AS w(q) "
    "WHERE search @@ q ORDER BY id DESC LIMIT $1) c "
    "ORDER BY r DESC, id DESC LIMIT $2 OFFSET $3) m "
    "JOIN articles a ON a.id = m.id JOIN sources s ON s.id = a.source_id "
    "ORDER BY m.r DESC, m.id DESC"
)

# Places alone: the newest stories there, nothing to rank.
_PLACED = (
    f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
    "WHERE a.search @@ $1::tsquery ORDER BY a.id DESC LIMIT $2 OFFSET $3"
)

_LATEST = (
    f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
    "ORDER BY a.sort_at DESC, a.id DESC LIMIT $1 OFFSET $2"
)


class PgSearchStore(PgStoreBase):
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
            rows = await self._all(_LATEST, limit, offset)
        elif offset >= CANDIDATES:
            return []
        elif not query.words:
            rows = await self._all(_PLACED, tsquery_places(query), limit, offset)
        else:
            sql, params = _search(query, limit, offset)
            rows = await self._all(sql, *params)
        return [article_row(r) for r in rows]


def _search(query: SearchQuery, limit: int, offset: int) -> tuple[str, list[object]]:
    """The statement and its parameters for a query with words (and perhaps places)."""
    places = tsquery_places(query)
    sql = _SEARCH.format(query=f"SELECT {_WORDS}" + (f" && {_PLACES}" if places else ""))
    params: list[object] = [CANDIDATES, limit, offset, " ".join(query.words), query.language]
    return sql, [*params, places] if places else params
