"""A harness for delivery tests: a real store, the fake Bot API over HTTP, the real sender."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.core.models import Chat, ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
from bot.core.pacing import Pacer
from bot.service.delivery import Deliverer
from bot.service.throttle import Throttle
from bot.store import Store
from bot.telegram.sender import TelegramSender, delivery_bot
from tests.support.deadlines import deadline
from tests.support.fake_telegram import FakeTelegram
from tests.support.seeding import record_articles

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_TICK = 0.005  # how often the loop watch looks at the clock


def new_article(number: int, *, summary: str | None = None, title: str | None = None) -> NewArticle:
    """Article ``number``, published ``number`` minutes after EPOCH."""
    parsed = ParsedItem(
        key=f"story-{number}",
        title=title or f"Story number {number}",
        summary=summary if summary is not None else f"What happened in story {number}.",
        url=f"https://news.example/{number}",
        published=EPOCH + timedelta(minutes=number),
    )
    return NewArticle(parsed, Classification())


def everyone(_entry: NewArticle, chats: Sequence[Chat]) -> list[int]:
    return [chat.id for chat in chats]


@asynccontextmanager
async def harness_at(path: Path, telegram: FakeTelegram) -> AsyncIterator[Harness]:
    """A harness on a new database at ``path``."""
    store = await Store.open(path)
    try:
        yield Harness(store, telegram, path)
    finally:
        await store.close()


class Harness:
    """Chats and articles in both worlds (store and fake Telegram), and a running engine."""

    def __init__(self, store: Store, telegram: FakeTelegram, path: Path) -> None:
        self.store = store
        self.telegram = telegram
        self.path = path
        self.source_id = 0
        self._stolen: list[tuple[float, float]] = []  # (when the loop woke, seconds taken from it)

    async def add_private(self, *user_ids: int) -> None:
        for user_id in user_ids:
            self.telegram.add_private_chat(user_id)
            await self.store.chats.upsert_chat(user_id, ChatKind.PRIVATE, now=time.time())
            await self.store.chats.set_subscribed(user_id, True, now=time.time())

    async def add_group(self, chat_id: int, *, channel: bool = False) -> None:
        if channel:
            self.telegram.add_channel(chat_id, f"Channel {chat_id}")
        else:
            self.telegram.add_group(chat_id, f"Group {chat_id}", supergroup=False)
        kind = ChatKind.CHANNEL if channel else ChatKind.GROUP
        await self.store.chats.upsert_chat(chat_id, kind, now=time.time(), title=f"Chat {chat_id}")
        await self.store.chats.set_subscribed(chat_id, True, now=time.time())

    async def publish(self, *articles: NewArticle) -> int:
        """Record the articles for every subscribed chat; returns the rows queued."""
        if not self.source_id:
            (source,) = await self.store.sources.sync_sources(
                [SourceSpec("News", "https://news.example")]
            )
            self.source_id = source.id
        result = await record_articles(
            self.store,
            self.source_id,
            list(articles),
            now=time.time(),
            baseline=False,
            route=everyone,
        )
        return result.queued

    @asynccontextmanager
    async def running(
        self,
        *,
        rate: float = 30.0,
        paid: bool = False,
        pacer: Pacer | None = None,
        **options: Any,
    ) -> AsyncIterator[Deliverer]:
        """Run the engine against the fake server until the block ends."""
        options.setdefault("backoff_base", 0.05)
        throttle = Throttle(pacer or Pacer(overall_rate=rate))
        async with delivery_bot(self.telegram.token, self.telegram.base_url, connections=32) as bot:
            deliverer = Deliverer(
                self.store, TelegramSender(bot, paid=paid), throttle=throttle, **options
            )
            stop = asyncio.Event()
            task = asyncio.create_task(deliverer.run(stop))
            watch = asyncio.create_task(self._watch_the_loop())
            try:
                yield deliverer
            finally:
                stop.set()
                await asyncio.wait_for(task, deadline(10))
                watch.cancel()

    async def _watch_the_loop(self) -> None:
        """Record when the event loop woke late while this process used no CPU: time the machine
        gave to other processes (a busy neighbour), not time the bot's own code took."""
        while True:
            asked, used = time.monotonic(), time.process_time()
            await asyncio.sleep(_TICK)
            late = time.monotonic() - asked - _TICK
            busy = time.process_time() - used
            if late - busy > 0:
                self._stolen.append((time.monotonic(), late - busy))

    def stolen(self, start: float, end: float) -> float:
        """Seconds (``time.monotonic``) between start and end the machine gave to others."""
        return sum(took for woke, took in self._stolen if start < woke <= end)

    def rate(self, times: Sequence[float]) -> float:
        """Messages per second over sorted send times, not counting the time the machine gave to
        other processes (so a busy machine does not fail a test of the bot's own pacing)."""
        first, last = times[0], times[-1]
        return (len(times) - 1) / max(last - first - self.stolen(first, last), 1e-9)

    def rows(self, chat_id: int) -> list[tuple[str, int, str | None]]:
        """(state, attempts, last_error) of a chat's outbox rows, oldest first."""
        with sqlite3.connect(self.path) as db:
            return list(
                db.execute(
                    "SELECT state, attempts, last_error FROM outbox WHERE chat_id = ? ORDER BY id",
                    (chat_id,),
                )
            )

    async def states(self) -> dict[str, int]:
        """Outbox rows by state."""
        counts = await self.store.outbox.outbox_counts()
        return {
            "queued": counts.queued,
            "sent": counts.sent,
            "failed": counts.failed,
            "cancelled": counts.cancelled,
        }

    async def settle(self, deliverer: Deliverer, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until nothing is queued and the engine holds nothing."""
        until = time.monotonic() + deadline(timeout)
        while time.monotonic() < until:
            if (await self.store.outbox.outbox_counts()).queued == 0 and deliverer.in_memory == 0:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"outbox not drained: {await self.states()}")
