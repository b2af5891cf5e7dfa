"""Pruning old articles: rows go, identity keys stay, and a pruned story is never sent again."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.models import Chat, ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
from bot.service.prune import DAY, prune_once
from bot.store import Store
from tests.support.seeding import poll_items, record_articles
from tests.support.store_rows import pruned_key_count

NOW = 1_800_000_000.0


def entry(key: str, *, url: str | None = None) -> NewArticle:
    parsed = ParsedItem(
        key=key,
        title=f"Title {key}",
        summary=f"Summary {key}",
        url=url if url is not None else f"https://example.org/{key}",
        published=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return NewArticle(parsed, Classification())


def everyone(_entry: NewArticle, chats: Sequence[Chat]) -> list[int]:
    return [chat.id for chat in chats]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


async def setup(store: Store) -> int:
    sources = await store.sources.sync_sources(
        [SourceSpec(name="Example", url="https://example.org/f")]
    )
    await store.chats.upsert_chat(42, ChatKind.PRIVATE, now=NOW, title="Reader")
    await store.chats.set_subscribed(42, True, now=NOW)
    for source in sources:
        await record_articles(store, source.id, [], now=NOW - 200 * DAY, baseline=True)
    return sources[0].id


async def record(store: Store, source_id: int, entries: list[NewArticle], now: float) -> int:
    """A poll of the source that read these items, decided and applied as the poller does."""
    source = await store.sources.source(source_id)
    assert source is not None
    return (await poll_items(store, source, entries, now=now)).queued


async def test_pruned_story_that_reappears_is_not_queued_again(store: Store) -> None:
    """A pruned article keeps its key: when its feed lists it again, nothing is sent."""
    source_id = await setup(store)
    old = NOW - 100 * DAY
    assert await record(store, source_id, [entry("a"), entry("b")], old) == 2
    for row in await store.outbox.due_deliveries(NOW, 10):
        await store.outbox.record_outcomes(sent=[(row.id, 1, old)])

    result = await prune_once(store, 90, clock=lambda: NOW)

    assert result.articles == 2
    assert await store.articles.article_count() == 0
    assert await pruned_key_count(store) == 4  # a key and a URL digest per article
    queued = await record(store, source_id, [entry("b"), entry("c")], NOW)
    assert queued == 1  # only "c" is new
    [due] = await store.outbox.due_deliveries(NOW, 10)
    assert due.article.key == "c"


async def test_recent_and_still_queued_articles_are_kept(store: Store) -> None:
    """Articles younger than the limit, and old ones still waiting to be sent, are not pruned."""
    source_id = await setup(store)
    await record(store, source_id, [entry("old-queued")], NOW - 100 * DAY)
    await record(store, source_id, [entry("recent")], NOW - 10 * DAY)

    result = await prune_once(store, 90, clock=lambda: NOW)

    assert result.articles == 0
    assert await store.articles.article_count() == 2


async def test_pruned_key_also_matches_the_same_url_under_a_new_key(store: Store) -> None:
    """A pruned story whose guid changed but whose link did not still counts as seen."""
    source_id = await setup(store)
    await record_articles(
        store,
        source_id,
        [entry("guid-1", url="https://example.org/story")],
        now=NOW - 100 * DAY,
        baseline=True,
        route=everyone,
    )
    await prune_once(store, 90, clock=lambda: NOW)
    queued = await record(store, source_id, [entry("guid-2", url="https://example.org/story")], NOW)
    assert queued == 0


async def test_keys_of_one_source_do_not_hide_another_sources_story(store: Store) -> None:
    """Kept keys are per source: another source publishing the same key is still new."""
    source_id = await setup(store)
    sources = await store.sources.sync_sources(
        [
            SourceSpec(name="Example", url="https://example.org/f"),
            SourceSpec(name="Other", url="https://other.example/f"),
        ]
    )
    other = next(s.id for s in sources if s.id != source_id)
    await record_articles(store, other, [], now=NOW - 200 * DAY, baseline=True)
    await record_articles(
        store, source_id, [entry("shared")], now=NOW - 100 * DAY, baseline=True, route=everyone
    )
    await prune_once(store, 90, clock=lambda: NOW)
    assert await record(store, other, [entry("shared", url="https://other.example/s")], NOW) == 1


async def test_pruning_in_chunks_removes_everything_old(store: Store) -> None:
    """More old articles than one pruning chunk are all removed in one pass."""
    source_id = await setup(store)
    entries = [entry(f"k{i}") for i in range(2500)]
    await record_articles(
        store, source_id, entries, now=NOW - 100 * DAY, baseline=True, route=everyone
    )
    result = await prune_once(store, 90, clock=lambda: NOW)
    assert result.articles == 2500
    assert await store.articles.article_count() == 0
