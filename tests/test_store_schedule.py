"""The outbox keeps time for schedules and quiet hours, the same on SQLite and PostgreSQL.

Every test runs twice (``[sqlite]`` and ``[postgresql]``).
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.chat_schedule import DailyAt, EveryHours, Instant, QuietHours
from bot.core.chat_settings import ChatSettings
from bot.core.models import ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
from bot.core.topics import TopicFilter
from bot.store.protocol import StoreVerbs
from tests.support.seeding import record_articles
from tests.support.store_rows import NOW, add_article, queue, sql

HOUR = 3600.0
NEXT_HOUR = (NOW // HOUR + 1) * HOUR  # NOW is 22:13:20 UTC


async def subscriber(store: StoreVerbs, chat_id: int) -> None:
    await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=NOW)
    await store.chats.set_subscribed(chat_id, True, now=NOW)


async def source(store: StoreVerbs) -> int:
    [added] = await store.sources.sync_sources(
        [SourceSpec(name="News", url="https://news.example/")]
    )
    return added.id


async def due_at(store: StoreVerbs, row_id: int) -> float:
    return float(await sql(store, "SELECT next_attempt_at FROM outbox WHERE id = ?", row_id))


async def attempts(store: StoreVerbs, row_id: int) -> int:
    return int(await sql(store, "SELECT attempts FROM outbox WHERE id = ?", row_id))


def story(key: str) -> NewArticle:
    item = ParsedItem(key, f"Story {key}", "What happened.", f"https://news.example/{key}", None)
    return NewArticle(item, Classification())


async def test_a_poll_queues_a_scheduled_chats_rows_for_its_digest(
    backend_store: StoreVerbs,
) -> None:
    """Applying a poll queues an instant chat's row due now and a chat with ``every 1 h``'s row
    due at the next whole hour."""
    store = backend_store
    await subscriber(store, 1)
    await subscriber(store, 2)
    await store.chats.change_settings(2, lambda s: replace(s, schedule=EveryHours(1)), NOW)
    applied = await record_articles(store, await source(store), [story("a")], now=NOW)
    assert applied.queued == 2
    due = {d.chat.id for d in await store.outbox.due_deliveries(NOW, 10)}
    assert due == {1}
    assert await store.outbox.next_delivery_time() == NOW
    later = await store.outbox.due_deliveries(NEXT_HOUR, 10)
    assert {d.chat.id for d in later} == {1, 2}


async def test_changing_the_schedule_retimes_the_queued_rows(backend_store: StoreVerbs) -> None:
    """A new schedule moves the chat's queued rows to its next digest; back to instant they are
    due at once; changing something else (topics) leaves them where they are."""
    store = backend_store
    await subscriber(store, 1)
    await subscriber(store, 2)
    article = await add_article(store, await source(store), "a")
    mine, other = await queue(store, article, 1), await queue(store, article, 2)
    daily = DailyAt(7, 0, "UTC")
    await store.chats.change_settings(1, lambda s: replace(s, schedule=daily), NOW)
    tomorrow_seven = (NOW // 86400 + 1) * 86400 + 7 * HOUR
    assert await due_at(store, mine) == tomorrow_seven
    assert await due_at(store, other) == NOW
    topics = TopicFilter(frozenset({"labour"}))
    await store.chats.change_settings(1, lambda s: replace(s, topics=topics), NOW + 60)
    assert await due_at(store, mine) == tomorrow_seven
    await store.chats.change_settings(1, lambda s: replace(s, schedule=Instant()), NOW + 120)
    assert await due_at(store, mine) == NOW + 120
    assert await attempts(store, mine) == 0


async def test_retime_queued_follows_the_settings_given(backend_store: StoreVerbs) -> None:
    """``retime_queued``: quiet hours that hold now move the rows to their end; sent rows stay."""
    store = backend_store
    await subscriber(store, 1)
    src = await source(store)
    queued = await queue(store, await add_article(store, src, "a"), 1)
    sent = await queue(store, await add_article(store, src, "b"), 1)
    await store.outbox.record_outcomes(sent=[(sent, 7, NOW)])
    hold = ChatSettings(quiet=QuietHours(22 * 60, 23 * 60, "UTC", hold=True))
    assert await store.outbox.retime_queued(1, hold, NOW) == 1
    assert await due_at(store, queued) == NOW - NOW % 86400 + 23 * HOUR
    assert await due_at(store, sent) == NOW


async def test_holding_a_chat_moves_only_its_earlier_queued_rows(
    backend_store: StoreVerbs,
) -> None:
    """``hold_chat`` makes the chat's rows due no earlier than the hold's end, counting no
    attempt; a later row and another chat's rows are untouched."""
    store = backend_store
    await subscriber(store, 1)
    await subscriber(store, 2)
    src = await source(store)
    first, second = await add_article(store, src, "a"), await add_article(store, src, "b")
    early = await queue(store, first, 1)
    late = await queue(store, second, 1, due=NOW + 2 * HOUR)
    other = await queue(store, first, 2)
    assert await store.outbox.hold_chat(1, NOW + HOUR) == 1
    assert await due_at(store, early) == NOW + HOUR
    assert await due_at(store, late) == NOW + 2 * HOUR
    assert await due_at(store, other) == NOW
    assert await attempts(store, early) == 0


async def test_holding_rows_retimes_each_queued_row(backend_store: StoreVerbs) -> None:
    """``hold_rows`` sets each row's own due time; a row no longer queued is left alone."""
    store = backend_store
    await subscriber(store, 1)
    src = await source(store)
    a = await queue(store, await add_article(store, src, "a"), 1)
    b = await queue(store, await add_article(store, src, "b"), 1)
    await store.outbox.record_outcomes(failed=[(b, "gone")])
    await store.outbox.hold_rows([(a, NOW + 50), (b, NOW + 60)])
    await store.outbox.hold_rows([])
    assert await due_at(store, a) == NOW + 50
    assert await due_at(store, b) == NOW
