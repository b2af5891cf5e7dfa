"""Searching stored articles: a typed query read into words and places (pure).

A query mixes words and place names: "strike chile" is the word "strike" in stories from Chile,
"Россия" every story from Russia. Names the region tables know (in any of the bot's languages)
become places; the rest are words, all of which a match must hold (in its title, summary or
topics). Each backend turns a :class:`SearchQuery` into its own full-text query.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import count

from bot.core.models import Article, Chat, ChatKind, RegionFilter
from bot.core.regions.tables import NONE_ID, tables
from bot.core.regions.text import fold

MAX_WORDS = 8
"""Words of a query beyond these are ignored (a query is a few words, not a text)."""

MAX_WORD_LENGTH = 40
"""A longer word is cut (no stored word is that long, and the index need not see it whole)."""

CANDIDATES = 300
"""Matches ranked per query: the newest this many; pages reach at most this far (15 inline pages,
30 of /search). Each candidate costs a read of its row on PostgreSQL: 1,000 could not be read
within 50 ms at a million articles for a word in 0.5-5 % of them (docs/performance.md)."""

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for: words all of which must appear, and the places a story must be in.

    ``places`` is a region filter (empty: anywhere). An empty query is every story.
    """

    words: tuple[str, ...] = ()
    places: RegionFilter = field(default_factory=RegionFilter)
    language: str | None = None  # the searcher's: words also match in their stemmed forms

    @property
    def is_empty(self) -> bool:
        """True when the query asks for nothing in particular (the latest stories)."""
        return not self.words and self.places.is_everything


def parse_query(text: str, language: str | None = None) -> SearchQuery:
    """Read a typed query: the longest known place names first, every other word a word.

    Words keep their letters as typed (lowercased): each backend's index folds accents its own
    way on both sides. ``language`` (the searcher's) lets PostgreSQL match the words' stemmed
    forms in articles written in it too.
    """
    t = tables()
    typed = [w for w in _WORD.findall(text) if w.strip("_")]
    keys = [fold(w).lower() for w in typed]
    places: set[str] = set()
    found_words: list[str] = []
    i = 0
    while i < len(keys):
        size = min(t.max_filter_words, len(keys) - i)
        while size > 0 and tuple(keys[i : i + size]) not in t.filter_names:
            size -= 1
        if size and _is_place_name(keys[i : i + size]):
            places.update(t.filter_names[tuple(keys[i : i + size])])
            i += size
            continue
        found_words.append(typed[i].lower())
        i += 1
    unique = tuple(dict.fromkeys(w[:MAX_WORD_LENGTH] for w in found_words))[:MAX_WORDS]
    return SearchQuery(words=unique, places=RegionFilter(frozenset(places)), language=language)


def _is_place_name(keys: list[str]) -> bool:
    """A one-word name of two letters ("at", "in", "de") is a word, not a country code."""
    return len(keys) > 1 or len(keys[0]) > 2 or not keys[0].isalpha()


def place_token(region_id: str) -> str:
    """The index token for a region id: lowercase letters and digits ("middle-east" ->
    "middleeast"), as the backends' triggers write a story's countries and regions."""
    return region_id.lower().replace("-", "")


def place_tokens(places: RegionFilter) -> tuple[str, ...]:
    """The index tokens a story must hold one of to be in ``places`` (sorted; empty: anywhere).

    A region's own id (a story's regions hold it) and every country inside it; "none" is the
    token of a story with no country.
    """
    if places.is_everything:
        return ()
    ids: set[str] = set(places.ids)
    for code, chain in tables().country_regions.items():
        if not places.ids.isdisjoint(chain):
            ids.add(code)
    if NONE_ID in places.ids:
        ids.add(NONE_ID)
    return tuple(sorted({place_token(i) for i in ids}))


def fts5_match(query: SearchQuery) -> str:
    """The SQLite FTS5 MATCH expression: every word as a quoted string, places in their column.

    Quoting each word keeps FTS5's operators (AND, OR, NOT, NEAR, ``*``, ``:``) from being read
    out of what someone typed.
    """
    parts = [fts5_string(w) for w in query.words]
    tokens = place_tokens(query.places)
    if tokens:
        parts.append("places : (" + " OR ".join(fts5_string(t) for t in tokens) + ")")
    return " AND ".join(parts)


def fts5_string(word: str) -> str:
    """A word as an FTS5 string (in double quotes, its own doubled): never read as syntax."""
    return '"' + word.replace('"', '""') + '"'


def tsquery_places(query: SearchQuery) -> str:
    """PostgreSQL's tsquery text for the places ("'~cl' | '~ar'"), empty for anywhere.

    Tokens are letters and digits only (region ids), so quoting them is enough.
    """
    return " | ".join(f"'~{t}'" for t in place_tokens(query.places))


PAGE = 10
"""Matches per /search message."""

INLINE_PAGE = 20
"""Results per inline answer (Telegram shows at most 50)."""

MORE_PREFIX = "find:"
"""The start of a /search "next ten" button's data: ``find:<offset>:<query>``."""

_DATA_LIMIT = 64  # bytes of callback data Telegram keeps


def more_data(query_text: str, offset: int) -> str | None:
    """The data of a button showing matches from ``offset`` on; None when the query is too
    long to travel in it (Telegram keeps 64 bytes)."""
    data = f"{MORE_PREFIX}{offset}:{' '.join(query_text.split())}"
    return data if len(data.encode()) <= _DATA_LIMIT else None


def read_more_data(data: str) -> tuple[int, str] | None:
    """(offset, query text) from a button's data; None when it is not one of ours."""
    if not data.startswith(MORE_PREFIX):
        return None
    number, sep, text = data[len(MORE_PREFIX) :].partition(":")
    if not sep or not number.isdigit() or not text.strip():
        return None
    return int(number), text


def read_offset(offset: str) -> int:
    """An inline query's offset (ours is a number; anything else starts at the beginning)."""
    return int(offset) if offset.isdigit() and len(offset) <= 6 else 0


def next_offset(offset: int, found: int, page: int) -> str:
    """The offset of the next page of an inline answer; "" when this page was the last."""
    following = offset + page
    return str(following) if found > page and following < CANDIDATES else ""


SHARE_QUERY_CHARS = 200
"""Characters of a title a share button puts after @bot (an inline query holds 256)."""


def shares(chat: Chat) -> bool:
    """True when the chat's teasers carry a share button (/format share; off in channels)."""
    if chat.share_button is not None:
        return chat.share_button
    return chat.kind != ChatKind.CHANNEL


def share_query(article: Article) -> str:
    """The inline query a teaser's share button starts: its title, which finds it first."""
    words = " ".join(article.title.split())
    return words[:SHARE_QUERY_CHARS].rsplit(" ", 1)[0] if len(words) > SHARE_QUERY_CHARS else words


_REMEMBERED = 500  # long queries kept for their "Next 10" buttons


class LongQueries:
    """The last few hundred queries too long for a button's data, by a short key ("#12")."""

    def __init__(self, size: int = _REMEMBERED) -> None:
        self._held: OrderedDict[str, str] = OrderedDict()
        self._next = count(1)
        self._size = size

    def keep(self, text: str) -> str:
        """Hold ``text``; its key."""
        key = f"#{next(self._next)}"
        self._held[key] = text
        while len(self._held) > self._size:
            self._held.popitem(last=False)
        return key

    def get(self, key: str) -> str | None:
        """The query held under ``key`` (None once forgotten)."""
        return self._held.get(key)
