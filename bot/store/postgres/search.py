"""Full-text search over stored articles (PostgreSQL: ``articles.search``, a GIN index).

A query with words is turned into its ``tsquery`` once (every word as written or stemmed in the
searcher's language, and one of the places), then its newest
:data:`~bot.core.search.CANDIDATES` matches are read slice by slice from the newest articles
back: the first slice is small; the share of it that matched sizes the next, so a word in most
articles reads about as many rows as it needs and a rare word is read from the GIN index in one
go. Each slice is planned with its values (a custom plan), so PostgreSQL picks the primary key
(many matches) or the GIN index (few) itself. Only the candidates are ranked (``ts_rank``,
titles weigh most), newer first among equals, and only the page is read whole. Places alone
read their newest page the same way, nothing to rank.

Before (docs/performance.md, "Search"): one statement whose tsquery, built in a sub-select, was
computed again for every row it was tested on, and whose plan could not see the words: a word
in 0.1-1 % of a million articles took 130-340 ms.
"""

from __future__ import annotations

from typing import Any

from bot.core.search import CANDIDATES, SearchQuery, tsquery_places
from bot.store.rows import ARTICLE_COLUMNS
from bot.store.sql import Row, Session, Verbs

FIRST_SLICE = 1024
"""Newest articles the first slice reads (through the primary key, testing each row)."""

INDEX_SCAN_ROWS = 8192
"""A slice of more ids than this is read through bitmaps (the GIN index's matches and, when
PostgreSQL thinks it pays, the primary key's range): testing every row of a large slice one by
one cost up to 0.7 s at a million articles where the planner misjudged a word's share."""

# Every word (folded like the index) as written, or every word stemmed in the searcher's
# language; the places as "'~cl' | '~ar'" (tokens are letters and digits). The newest id too.
_WORDS = (
    "(plainto_tsquery('simple', teaserbot_fold(?)) "
    "|| plainto_tsquery(teaserbot_config(?), teaserbot_fold(?)))"
)
# Each also plans the rest of the transaction's statements with their values (a custom plan:
# a generic one would guess every word's share), saving a round trip for a SET LOCAL.
_CUSTOM = "set_config('plan_cache_mode', 'force_custom_plan', true)"
_NEWEST = f"SELECT coalesce(max(id), 0), {_CUSTOM} FROM articles"  # noqa: S608 - constants
_QUERY = f"SELECT {_WORDS}::text, (SELECT coalesce(max(id), 0) FROM articles), {_CUSTOM}"  # noqa: S608
_QUERY_IN_PLACES = (
    f"SELECT ({_WORDS} && ?::tsquery)::text, "  # noqa: S608 - constants only
    f"(SELECT coalesce(max(id), 0) FROM articles), {_CUSTOM}"
)

# The newest matches in one slice of ids, ranked (ts_rank reads only the rows returned).
_SLICE = (
    "SELECT id, ts_rank(search, ?::tsquery) AS r FROM ("
    "SELECT id, search FROM articles WHERE id > ? AND id <= ? AND search @@ ?::tsquery "
    "ORDER BY id DESC LIMIT ?) c"
)

_PAGE = (
    f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "  # noqa: S608
    "WHERE a.id = ANY(?::bigint[])"
)


class PgMatches(Verbs):
    """Finding a query's matches on PostgreSQL: a ``tsvector``."""

    async def matches(self, query: SearchQuery, limit: int, offset: int) -> list[Row]:
        """One page's rows, read in one transaction (its planner settings stay in it)."""
        async with self._sql.transaction() as session:
            page = await _page(session, query, limit, offset)
            found = {r["article_id"]: r for r in await session.all(_PAGE, page)}
        return [found[i] for i in page if i in found]


async def _page(session: Session, query: SearchQuery, limit: int, offset: int) -> list[int]:
    """The ids of one page: of the ranked candidates, or of the newest stories in the places."""
    places = tsquery_places(query)
    if not query.words:
        newest = int(await session.value(_NEWEST))
        matches = await _newest_matches(session, places, newest, offset + limit)
        return [article_id for article_id, _ in matches[offset : offset + limit]]
    words = " ".join(query.words)
    if places:
        row = await session.one(_QUERY_IN_PLACES, words, query.language, words, places)
    else:
        row = await session.one(_QUERY, words, query.language, words)
    assert row is not None  # a SELECT without FROM has its one row
    tsquery, newest, _ = row
    candidates = await _newest_matches(session, tsquery, newest, CANDIDATES)
    ranked = sorted(candidates, key=lambda c: (-c[1], -c[0]))
    return [article_id for article_id, _ in ranked[offset : offset + limit]]


async def _newest_matches(
    session: Session, tsquery: str, newest: int, wanted: int
) -> list[tuple[int, float]]:
    """(id, rank) of the ``wanted`` newest matches, newest first, slice by slice from
    ``newest`` back."""
    found: list[Any] = []
    top, size, row_by_row = newest, FIRST_SLICE, True
    while top > 0 and len(found) < wanted:
        if row_by_row and size > INDEX_SCAN_ROWS:
            await session.execute("SET LOCAL enable_indexscan = off")
            row_by_row = False
        rows = await session.all(_SLICE, tsquery, top - size, top, tsquery, wanted - len(found))
        found += rows
        top -= size
        size = _next_slice(size, len(rows), wanted - len(found))
    if not row_by_row:  # the page is then read by primary key (BRIN would read whole ranges)
        await session.execute("SET LOCAL enable_indexscan = on")
    return [(r["id"], r["r"]) for r in found]


def _next_slice(size: int, matched: int, wanted: int) -> int:
    """The ids the next slice reads: as many as should hold the ``wanted`` matches at the share
    the last slice had (a quarter more), at least four times the last; with no match at all,
    the rest of the table (a rare word: the GIN index finds its few rows at once)."""
    if matched == 0:
        return 1 << 62
    return max(4 * size, (wanted * size * 5) // (matched * 4))
