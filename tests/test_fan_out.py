"""A fan-out in slices: the poll queues the first slice, the rest follows from a durable cursor
(bot/core/fanout.py, bot/store/fanouts.py, bot/service/fanout.py), on both backends."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from datetime import UTC, datetime

import asyncpg
import pytest

from bot.core.fanout import FIRST_SLICE, FanOutSlice, FanOutStep, next_step
from bot.core.models import (
    Article,
    Chat,
    ChatKind,
    Classification,
    NewArticle,
    ParsedItem,
    RegionFilter,
    SourceSpec,
)
from bot.service.fanout import FanOut
from bot.store.postgres import PostgresStore
from bot.store.protocol import StoreVerbs
from tests.support.backends import BACKENDS, store_of
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.seeding import poll_items
from tests.support.store_rows import NOW, add_article, database, queue
from tests.support.stories import story as story_item

FEED = "https://news.example/feed"
AUDIENCE = FIRST_SLICE + 700  # a first slice, then (in slices of 300) three more


def story(key: str, *, minutes_ago: int = 1) -> NewArticle:
    """A feed item happening nowhere in particular."""
    item = ParsedItem(
        key=key,
        title=f"Title {key}",
        summary=f"Summary {key}",
        url=f"https://news.example/{key}",
        published=datetime.fromtimestamp(NOW - 60 * minutes_ago, UTC),
    )
    return NewArticle(item, Classification())


def chat(chat_id: int, region_filter: RegionFilter | None = None) -> Chat:
    return Chat(
        id=chat_id,
        kind=ChatKind.PRIVATE,
        title=None,
        username=None,
        thread_id=None,
        subscribed=True,
        region_filter=region_filter or RegionFilter(),
        link_previews=True,
    )


def article(countries: tuple[str, ...] = ()) -> Article:
    return Article(
        id=7,
        source_id=1,
        source_name="News",
        key="k",
        title="t",
        summary="s",
        url="https://news.example/k",
        published=None,
        seen_at=datetime.fromtimestamp(NOW, UTC),
        countries=countries,
    )


async def subscribers(store: StoreVerbs, count: int, first: int = 1000) -> list[int]:
    """``count`` subscribed private chats with ids from ``first`` (inserted at once)."""
    ids = list(range(first, first + count))
    async with database(store).transaction() as db:
        await db.executemany(
            "INSERT INTO chats (id, kind, subscribed, created_at, updated_at) "
            "VALUES (?, 'private', true, ?, ?)",
            [(i, NOW, NOW) for i in ids],
        )
    return ids


async def baselined(store: StoreVerbs) -> int:
    [source] = await store.sources.sync_sources([SourceSpec(name="News", url=FEED)])
    await poll_items(store, source, [story("old", minutes_ago=60)], now=NOW)
    return source.id


async def new_stories(store: StoreVerbs, source_id: int, *keys: str) -> None:
    """A poll of the source that finds these stories (the first one the oldest)."""
    source = await store.sources.source(source_id)
    assert source is not None
    items = [story(key, minutes_ago=len(keys) - n) for n, key in enumerate(keys)]
    await poll_items(store, source, items, now=NOW + 60)


async def rows(store: StoreVerbs) -> list[tuple[int, str, int]]:
    """(chat, article key, outbox id) of every outbox row, by outbox id."""
    found = await database(store).all(
        "SELECT o.chat_id, a.key, o.id FROM outbox o JOIN articles a ON a.id = o.article_id "
        "ORDER BY o.id"
    )
    return [(int(r[0]), str(r[1]), int(r[2])) for r in found]


# ------------------------------------------------------------------------------ the decision


def test_a_slice_routes_its_chats_and_moves_the_cursor_past_the_last() -> None:
    """A slice's recipients are its chats that the article's places let through, minus those
    that have its link; the cursor moves to the slice's last chat."""
    europe = RegionFilter(frozenset({"FR"}))
    chats = (chat(3), chat(5, europe), chat(8), chat(9))
    step = next_step(FanOutSlice(article(("JP",)), chats, frozenset({8}), last=False))
    assert step == FanOutStep(article_id=7, recipients=(3, 9), after=9)


def test_the_last_slice_ends_the_fan_out() -> None:
    """After the last subscribed chat (or with none left) there is no cursor to keep."""
    assert next_step(FanOutSlice(article(), (chat(4),), last=True)).after is None
    assert next_step(FanOutSlice(article(), (), last=False)) == FanOutStep(7, (), None)


# ------------------------------------------------------------------------------ the store


async def test_the_poll_queues_the_first_slice_by_chat_id_and_keeps_a_cursor(
    backend_store: StoreVerbs,
) -> None:
    """A poll queues only the first FIRST_SLICE chats (the lowest ids) and records where the
    fan-out goes on; nothing else is queued until the rest is routed."""
    store = backend_store
    ids = await subscribers(store, AUDIENCE)
    source_id = await baselined(store)
    await new_stories(store, source_id, "new")
    assert [r[0] for r in await rows(store)] == ids[:FIRST_SLICE]
    [(_article, after)] = await store.polls.fan_outs()
    assert after == ids[FIRST_SLICE - 1]


async def test_the_rest_follows_in_slices_in_chat_order_each_chat_once(
    backend_store: StoreVerbs,
) -> None:
    """Slice after slice, the rest of the audience is queued in chat id order, each chat once,
    and the cursor is gone after the last."""
    store = backend_store
    ids = await subscribers(store, AUDIENCE)
    source_id = await baselined(store)
    await new_stories(store, source_id, "new")
    progress = []
    while (done := await store.polls.fan_out_next(next_step, now=NOW + 61, chats=300)) is not None:
        progress.append((done.chats, done.queued, done.done))
    assert progress == [(300, 300, False), (300, 300, False), (100, 100, True)]
    assert [r[0] for r in await rows(store)] == ids
    assert await store.polls.fan_outs() == []


async def test_a_chat_keeps_publication_order_across_slices(backend_store: StoreVerbs) -> None:
    """Two stories of one poll, both fanned out: every chat has both, and delivery hands each
    chat the older one first."""
    store = backend_store
    await subscribers(store, AUDIENCE)
    source_id = await baselined(store)
    await new_stories(store, source_id, "older", "newer")
    await FanOut(store, clock=lambda: NOW + 61, slice_size=300).drain()
    per_chat: dict[int, list[str]] = {}
    for row in await store.outbox.due_deliveries(NOW + 3600, 10 * AUDIENCE):
        per_chat.setdefault(row.chat.id, []).append(row.article.key)
    assert len(per_chat) == AUDIENCE
    assert all(keys == ["older", "newer"] for keys in per_chat.values())


async def test_a_slice_that_fails_midway_leaves_nothing_and_is_done_again(
    backend_store: StoreVerbs,
) -> None:
    """A crash inside a slice's transaction rolls the slice back, cursor and rows together; the
    next attempt queues the same chats once."""
    store = backend_store
    ids = await subscribers(store, AUDIENCE)
    source_id = await baselined(store)
    await new_stories(store, source_id, "new")

    def crash(_slice: FanOutSlice) -> FanOutStep:
        raise RuntimeError("the process died here")

    with pytest.raises(RuntimeError):
        await store.polls.fan_out_next(crash, now=NOW + 61, chats=300)
    assert len(await rows(store)) == FIRST_SLICE
    await FanOut(store, clock=lambda: NOW + 61, slice_size=300).drain()
    assert Counter(r[0] for r in await rows(store)) == Counter(ids)


async def test_a_chat_that_has_the_link_from_another_source_is_skipped_in_later_slices(
    backend_store: StoreVerbs,
) -> None:
    """The link guard holds in every slice: a chat past the first slice that already has the
    article's link queued (from another source) does not get it again."""
    store = backend_store
    ids = await subscribers(store, AUDIENCE)
    source_id = await baselined(store)
    late = ids[-1]
    await new_stories(store, source_id, "new")
    # the same link, queued for the last chat by another article (another source's, say)
    twin = await add_article(store, source_id, "twin", url="https://news.example/new")
    await queue(store, twin, late)
    await FanOut(store, clock=lambda: NOW + 61, slice_size=300).drain()
    got = [r[0] for r in await rows(store) if r[1] == "new"]
    assert got == ids[:-1]


async def test_later_slices_honour_each_chat_s_whole_filter(backend_store: StoreVerbs) -> None:
    """Routing in a later slice asks each chat's whole filter, as the poll does: a chat past the
    first slice that refuses one of the story's words does not get it."""
    store = backend_store
    ids = await subscribers(store, AUDIENCE)
    refusing, wanting = ids[-1], ids[-2]
    await database(store).execute("UPDATE chats SET keywords = '-summary' WHERE id = ?", refusing)
    await database(store).execute("UPDATE chats SET keywords = '+summary' WHERE id = ?", wanting)
    source_id = await baselined(store)
    await new_stories(store, source_id, "new")
    await FanOut(store, clock=lambda: NOW + 61, slice_size=300).drain()
    got = [r[0] for r in await rows(store)]
    assert got == ids[:-1]


# ------------------------------------------------------------------------------ PostgreSQL


async def test_another_process_resumes_a_fan_out_from_its_cursor_after_the_first_dies(
    postgres_url: str,
) -> None:
    """PostgreSQL: while one process holds a fan-out another passes it by; once that process's
    connection is gone (it died mid-slice), the other resumes from the cursor, each chat once."""
    first = await PostgresStore.open(postgres_url)
    second = await PostgresStore.open(postgres_url)
    try:
        ids = await subscribers(first, AUDIENCE)
        source_id = await baselined(first)
        await new_stories(first, source_id, "new")
        dying = await asyncpg.connect(postgres_url)
        dying_tx = dying.transaction()
        await dying_tx.start()
        await dying.execute("SELECT 1 FROM fanouts FOR UPDATE")  # mid-slice
        await dying.execute(
            "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
            "SELECT article_id, $1, 0, 0 FROM fanouts",
            ids[FIRST_SLICE],
        )
        assert await second.polls.fan_out_next(next_step, now=NOW + 61, chats=300) is None
        dying.terminate()  # the process is gone: its transaction with it
        fan_out = FanOut(second, clock=lambda: NOW + 61, slice_size=300)
        for _ in range(400):  # until the server has noticed (its lock goes with the session)
            await fan_out.drain()
            if not await second.polls.fan_outs():
                break
            await asyncio.sleep(0.05)
        assert [r[0] for r in await rows(second)] == ids
        assert await second.polls.fan_outs() == []
    finally:
        await first.close()
        await second.close()


# ------------------------------------------------------------------------------ the bot process


def closed_port() -> int:
    """A local port nothing listens on (the Bot API out of reach)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_bot_killed_mid_fan_out_and_restarted_sends_each_chat_the_story_once(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_process: BotProcess,
    bot_env: dict[str, str],
) -> None:
    """SIGKILLed after the poll queued the first slice (the Bot API out of reach, so nothing
    was sent yet), then started again: the fan-out resumes from its cursor and every chat gets
    the story exactly once."""
    chats = range(7001, 7001 + FIRST_SLICE + 2100)  # the first slice, then two more
    async with store_of(bot_env) as store:
        await subscribers(store, len(chats), first=chats[0])
    for chat_id in chats:
        telegram.add_private_chat(chat_id)
    feeds.set("/feed.xml", rss([story_item(0, dated=True)]))
    reachable = bot_env["TELEGRAM_API_BASE_URL"]
    bot_process.env["TELEGRAM_API_BASE_URL"] = f"http://127.0.0.1:{closed_port()}"
    bot_process.env["BROADCAST_RATE"] = "1000"
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    feeds.set("/feed.xml", rss([story_item(n, dated=True) for n in (1, 0)]))
    bot_process.wait_for(rf"poll source=.* status=ok .*queued={FIRST_SLICE} ")
    bot_process.kill()
    async with store_of(bot_env) as store:
        assert await store.polls.fan_outs()  # killed mid fan-out
        assert (await store.outbox.outbox_counts()).queued < len(chats)
    assert telegram.all_messages() == []
    bot_process.env["TELEGRAM_API_BASE_URL"] = reachable
    bot_process.start()
    assert await telegram.async_wait_until(lambda: len(telegram.all_messages()) >= len(chats), 120)
    async with store_of(bot_env) as store:
        for _ in range(400):
            if not (await store.outbox.outbox_counts()).queued:
                break
            await asyncio.sleep(0.05)
    assert bot_process.terminate() == 0
    received = Counter(m.chat_id for m in telegram.all_messages())
    assert received == Counter(dict.fromkeys(chats, 1))
