"""Full-text search over stored articles behaves the same on SQLite (FTS5) and PostgreSQL.

Every test runs twice (``[sqlite]`` and ``[postgresql]``); articles go in through apply_poll, as
a poll writes them, so the index is shown to follow the articles table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.models import ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
from bot.core.search import CANDIDATES, SearchQuery, parse_query
from bot.store import Store
from bot.store import schema as lite_schema
from bot.store.postgres import PostgresStore
from bot.store.postgres import schema as pg_schema
from bot.store.protocol import StoreVerbs
from tests.support.seeding import record_articles
from tests.support.store_rows import NOW, add_article, sql


@pytest.fixture
def store(backend_store: StoreVerbs) -> StoreVerbs:
    """A fresh store on each backend (tests/conftest.py)."""
    return backend_store


def story(
    key: str,
    title: str,
    summary: str = "",
    *,
    countries: Sequence[str] = (),
    regions: Sequence[str] = (),
    topics: Sequence[str] = (),
    age: float = 0,
) -> NewArticle:
    """A new article with this title, summary, places and topics, ``age`` seconds old."""
    item = ParsedItem(
        key=key,
        title=title,
        summary=summary,
        url=f"https://news.example/{key}",
        published=datetime.fromtimestamp(NOW - age, UTC),
        categories=tuple(topics),
    )
    return NewArticle(item, Classification(tuple(countries), tuple(regions)))


async def stored(store: StoreVerbs, *stories: NewArticle) -> int:
    """The stories recorded through apply_poll for one source; the source's id."""
    [source] = await store.sources.sync_sources(
        [SourceSpec(name="News", url="https://news.example/f")]
    )
    await record_articles(store, source.id, stories, now=NOW)
    return source.id


async def keys(store: StoreVerbs, text: str, limit: int = 10, offset: int = 0) -> list[str]:
    """The keys of the articles a typed query finds, in order."""
    found = await store.search.search_articles(parse_query(text), limit, offset)
    return [a.key for a in found]


async def test_words_of_title_summary_and_topics_find_their_story(store: StoreVerbs) -> None:
    """A word of the title, of the summary or a topic finds the story and not unrelated ones."""
    await stored(
        store,
        story("strike", "Miners strike in the north", "Copper output falls", topics=["Labour"]),
        story("weather", "Sunny weekend ahead", "Warm air from the south"),
    )
    assert await keys(store, "strike") == ["strike"]
    assert await keys(store, "COPPER") == ["strike"]
    assert await keys(store, "labour") == ["strike"]
    assert await keys(store, "sunny") == ["weather"]
    assert await keys(store, "volcano") == []


async def test_every_word_must_match_and_accents_are_ignored(store: StoreVerbs) -> None:
    """All words must appear; 'Sao Paulo' finds 'São Paulo' and 'é' matches 'e' both ways."""
    await stored(
        store,
        story("sp", "Protesto em São Paulo", "Café fechado"),
        story("rio", "Protesto no Rio", "Cafe aberto"),
    )
    assert await keys(store, "sao paulo protesto") == ["sp"]
    assert sorted(await keys(store, "café")) == ["rio", "sp"]
    assert await keys(store, "protesto paris") == []


async def test_place_names_and_words_mix(store: StoreVerbs) -> None:
    """'strike chile' is the word in Chilean stories; 'Россия' or 'Europe' alone are places."""
    await stored(
        store,
        story("cl", "Port strike", countries=["CL"]),
        story("ar", "Rail strike", countries=["AR"]),
        story("ru", "Новости дня", countries=["RU"]),
        story("fr", "Grève", countries=["FR"]),
        story("none", "Strike in space"),
    )
    assert await keys(store, "strike chile") == ["cl"]
    assert await keys(store, "Россия") == ["ru"]
    assert sorted(await keys(store, "Europe")) == ["fr", "ru"]
    assert sorted(await keys(store, "strike south america")) == ["ar", "cl"]


async def test_titles_rank_first_then_newer(store: StoreVerbs) -> None:
    """A match in the title ranks above one in the summary; among equals the newer comes first
    (stored later: a poll stores a feed's items oldest first)."""
    await stored(
        store,
        story("old-title", "Flood warning", "Rivers rise", age=300),
        story("summary", "Weather", "A flood is possible", age=0),
        story("new-title", "Flood warning", "Rivers fall", age=100),
    )
    found = await keys(store, "flood")
    assert found[-1] == "summary"
    assert found[:2] == ["new-title", "old-title"]


async def test_pages_follow_each_other(store: StoreVerbs) -> None:
    """Offset and limit page through the matches without gaps or repeats."""
    await stored(
        store, *(story(f"k{i:02}", f"Election day {i}", age=i) for i in reversed(range(25)))
    )
    pages = [await keys(store, "election", 10, offset) for offset in (0, 10, 20, 30)]
    assert [len(p) for p in pages] == [10, 10, 5, 0]
    assert [k for page in pages for k in page] == [f"k{i:02}" for i in range(25)]
    assert await keys(store, "election", 10, CANDIDATES) == []


async def test_an_empty_query_gives_the_latest(store: StoreVerbs) -> None:
    """An empty query lists the newest stories first, paged."""
    await stored(store, *(story(f"k{i}", f"Story {i}", age=i) for i in range(5)))
    assert await store.search.search_articles(SearchQuery(), 2, 0) != []
    assert [a.key for a in await store.search.search_articles(SearchQuery(), 3, 1)] == [
        "k1",
        "k2",
        "k3",
    ]


async def test_operators_typed_are_plain_words(store: StoreVerbs) -> None:
    """Quotes, stars, colons and OR/NOT are read as text, never as query syntax (no error)."""
    await stored(store, story("a", "Trade deal or no deal"))
    assert await keys(store, 'deal OR "x" NOT* title:(y) & | !') == []
    assert await keys(store, "deal or") == ["a"]
    assert await keys(store, "'; DROP TABLE articles; --") == []


async def test_index_follows_pruning_removal_and_reclassification(store: StoreVerbs) -> None:
    """Pruned articles, a removed source's articles and a reclassified place leave the index."""
    source_id = await stored(
        store, story("a", "Harbour fire", countries=["CL"]), story("b", "Harbour fog")
    )
    await sql(store, "UPDATE articles SET seen_at = ? WHERE key = ?", NOW - 1000, "a")
    result = await store.articles.prune_articles(NOW - 10)
    assert result.articles == 1
    assert await keys(store, "harbour") == ["b"]

    def to_france(*_args: object) -> Classification:
        return Classification(("FR",), ())

    await store.articles.reclassify(to_france)
    assert await keys(store, "harbour france") == ["b"]
    assert await keys(store, "harbour chile") == []
    await sql(store, "DELETE FROM sources WHERE id = ?", source_id)
    assert await keys(store, "harbour") == []
    [other] = await store.sources.sync_sources(
        [SourceSpec(name="O", url="https://other.example/f")]
    )
    await record_articles(store, other.id, [story("c", "Garden show")], now=NOW)
    assert await keys(store, "harbour") == []
    assert await keys(store, "garden") == ["c"]


def before_search(history: Sequence[str]) -> Sequence[str]:
    """The schema history up to (not including) the migration that builds the search index."""
    at = next(i for i, text in enumerate(history) if "article_search" in text and "CREATE" in text)
    return history[:at]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_the_migration_indexes_articles_already_stored(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Articles stored before the search migration are found once it has run."""

    async def open_at(latest: bool) -> StoreVerbs:
        if backend == "sqlite":
            history = lite_schema.MIGRATIONS if latest else before_search(lite_schema.MIGRATIONS)
            return await Store.open(tmp_path / "bot.sqlite3", migrations=history)
        pg_history = pg_schema.MIGRATIONS if latest else before_search(pg_schema.MIGRATIONS)
        return await PostgresStore.open(url, migrations=pg_history)

    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else ""
    old = await open_at(latest=False)
    try:
        [source] = await old.sources.sync_sources(
            [SourceSpec(name="N", url="https://news.example/f")]
        )
        await add_article(old, source.id, "eclipse", countries="NO")
        await add_article(old, source.id, "tide")
    finally:
        await old.close()
    new = await open_at(latest=True)
    try:
        assert await keys(new, "eclipse norway") == ["eclipse"]
        assert await keys(new, "summary tide") == ["tide"]
    finally:
        await new.close()


async def test_the_share_button_setting_is_stored(store: StoreVerbs) -> None:
    """A chat's share button is unset (None: the default) until /format sets it on or off."""
    await store.chats.upsert_chat(7, ChatKind.CHANNEL, now=NOW, title="c")
    chat = await store.chats.chat(7)
    assert chat is not None
    assert chat.share_button is None
    await store.chats.set_share_button(7, True, NOW)
    assert (await store.chats.chat(7)).share_button is True  # type: ignore[union-attr]
    await store.chats.set_share_button(7, False, NOW)
    assert (await store.chats.chat(7)).share_button is False  # type: ignore[union-attr]


async def test_postgresql_also_matches_stemmed_words_in_the_articles_language(
    store: StoreVerbs,
) -> None:
    """On PostgreSQL 'strikes' finds an English story about a 'strike' for an English searcher,
    and exact words still match whatever the language (SQLite matches words as written)."""
    [source] = await store.sources.sync_sources(
        [SourceSpec(name="N", url="https://news.example/f")]
    )
    article_id = await add_article(store, source.id, "miners")
    await sql(
        store,
        "UPDATE articles SET title = ?, language = ? WHERE id = ?",
        "Miners strike again",
        "en",
        article_id,
    )
    exact = await store.search.search_articles(parse_query("strike", "ru"), 10)
    assert [a.key for a in exact] == ["miners"]
    stemmed = await store.search.search_articles(parse_query("strikes", "en"), 10)
    expected = ["miners"] if isinstance(store, PostgresStore) else []
    assert [a.key for a in stemmed] == expected
    assert await store.search.search_articles(parse_query("strikes", None), 10) == []


async def test_titles_holding_more_of_the_words_rank_first(store: StoreVerbs) -> None:
    """A story with every word of the query in its title ranks above one with only some there,
    even when that one is newer."""
    await stored(
        store,
        story("both", "Port strike spreads", "Dockers stay out", age=200),
        story("one", "Port reopens", "The strike is over", age=100),
        story("none", "Weather", "Port strike, rain", age=0),
    )
    assert await keys(store, "strike port") == ["both", "one", "none"]


async def test_the_newest_matches_are_found_across_far_apart_ids(store: StoreVerbs) -> None:
    """With ids spread over millions, a word's newest CANDIDATES matches are found, newest first
    and none missed, and no older one (the search reads the newest ids first, slice by slice)."""
    [source] = await store.sources.sync_sources(
        [SourceSpec(name="N", url="https://news.example/f")]
    )
    total = CANDIDATES + 5
    await sql(
        store,
        "INSERT INTO articles (id, source_id, key, url, title, summary, published_at, seen_at, "
        "sort_at, categories, image, countries, regions) "
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "SELECT i * 2999 + (i / 7) * 100003, ?, 'k' || i, 'https://news.example/' || i, "
        "'Census report ' || i, 'Figures', ?, ?, ?, '[]', NULL, "
        "CASE WHEN i % 3 = 0 THEN 'CL' ELSE '' END, '' FROM n",
        total,
        source.id,
        NOW,
        NOW,
        NOW,
    )
    pages = [await keys(store, "census", 100, offset) for offset in range(0, CANDIDATES, 100)]
    found = [k for page in pages for k in page]
    assert found == [f"k{i}" for i in range(total, 5, -1)]
    assert await keys(store, "census", 100, CANDIDATES) == []
    chile = await keys(store, "census chile", 5)
    assert chile == [f"k{i}" for i in range(total, 0, -1) if i % 3 == 0][:5]
