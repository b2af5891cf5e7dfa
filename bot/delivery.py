"""Drains the outbox: paces sends to Telegram's limits and applies each outcome to the store.

The outbox row is the single source of truth. A row is marked sent right after Telegram accepts
it, and each chat has at most one message in flight, so a crash re-sends at most one message per
chat. Knows nothing about feeds; talks to Telegram only through the :class:`Sender` protocol.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.models import (
    Article,
    Chat,
    ChatGone,
    ChatMoved,
    Delivery,
    MessageRejected,
    RateLimited,
    SendOutcome,
    Sent,
    TransientFailure,
)
from bot.pacing import Pacer
from bot.render import teaser, teaser_plain
from bot.store import Store

log = logging.getLogger("bot.delivery")

BATCH = 500
IDLE_WAIT = 5.0


class Sender(Protocol):
    """Sends one message to one chat and reports what Telegram said."""

    async def send(
        self, chat: Chat, text: str, *, html: bool, link_preview: bool
    ) -> SendOutcome:  # pragma: no cover - protocol
        """Send ``text`` to ``chat``."""
        ...


def retry_delay(attempts: int, rng: random.Random) -> float:
    """Backoff for network errors: 5 s doubling per attempt, capped at 30 min, with jitter."""
    base: float = min(5.0 * 2 ** min(attempts, 20), 1800.0)
    return base / 2 + rng.random() * base / 2


@dataclass(slots=True)
class DrainStats:
    """What one pass over the due rows did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    gone: int = 0


class Deliverer:
    """The delivery loop: due rows → pacer → sender → store."""

    def __init__(
        self,
        store: Store,
        sender: Sender,
        *,
        pacer: Pacer | None = None,
        clock: Callable[[], float] = time.time,
        give_up_after: float = 24 * 3600,
        tags_for: Callable[[Article], Sequence[str]] = lambda _article: (),
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.sender = sender
        self.pacer = pacer or Pacer()
        self.clock = clock
        self.give_up_after = give_up_after
        self.tags_for = tags_for
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Tell the loop new rows were queued."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; the message being sent when it is set still finishes."""
        while not stop.is_set():
            self._wake.clear()
            stats = await self.drain(stop)
            if stats.sent or stats.retried or stats.failed or stats.gone:
                log.info(
                    "deliver batch sent=%d retried=%d failed=%d gone=%d",
                    stats.sent,
                    stats.retried,
                    stats.failed,
                    stats.gone,
                )
            if stop.is_set():
                break
            due = await self.store.next_delivery_time()
            wait = IDLE_WAIT if due is None else min(IDLE_WAIT, max(0.0, due - self.clock()))
            if wait > 0:
                await _wait_any((stop, self._wake), wait)

    async def drain(self, stop: asyncio.Event | None = None) -> DrainStats:
        """Send the rows that are due now, each chat in article order, paced."""
        stats = DrainStats()
        batch = await self.store.due_deliveries(self.clock(), BATCH)
        queues: dict[int, deque[Delivery]] = {}
        for row in batch:
            queues.setdefault(row.chat.id, deque()).append(row)
        heap: list[tuple[float, int, int]] = []
        for order, (chat_id, queue) in enumerate(queues.items()):
            at = self.pacer.earliest(chat_id, queue[0].chat.kind.is_private, self.clock())
            heap.append((at, order, chat_id))
        heapq.heapify(heap)
        while heap and not (stop is not None and stop.is_set()):
            _, order, chat_id = heapq.heappop(heap)
            queue = queues[chat_id]
            private = queue[0].chat.kind.is_private
            now = self.clock()
            at = self.pacer.earliest(chat_id, private, now)
            if heap and at > heap[0][0] + 1e-6:
                heapq.heappush(heap, (at, order, chat_id))
                continue
            if at > now:
                if stop is not None:
                    if await _wait_any((stop,), at - now):
                        break
                else:
                    await asyncio.sleep(at - now)
            keep_going = await self._deliver(queue.popleft(), stats)
            if keep_going and queue:
                at = self.pacer.earliest(chat_id, private, self.clock())
                heapq.heappush(heap, (at, order, chat_id))
        return stats

    async def _deliver(self, row: Delivery, stats: DrainStats) -> bool:
        """Send one row and apply the outcome; False when the chat's other rows must wait."""
        chat = row.chat
        text = teaser(row.article, tags=self.tags_for(row.article))
        outcome = await self._send(chat, text, html=True)
        now = self.clock()
        if isinstance(outcome, MessageRejected):
            log.warning(
                "deliver chat=%d article=%d outcome=rejected reason=%r; retrying as plain text",
                chat.id,
                row.article.id,
                outcome.reason,
            )
            first_reason = outcome.reason
            outcome = await self._send(chat, teaser_plain(row.article), html=False)
            if isinstance(outcome, MessageRejected):
                reason = f"rejected twice: {first_reason}; as plain text: {outcome.reason}"
                await self.store.mark_failed(row.id, reason)
                log.error(
                    "deliver chat=%d article=%d outcome=dropped reason=%r",
                    chat.id,
                    row.article.id,
                    reason,
                )
                stats.failed += 1
                return True
        match outcome:
            case Sent(message_id=message_id):
                await self.store.mark_sent(row.id, message_id, now)
                log.debug("deliver chat=%d article=%d outcome=sent", chat.id, row.article.id)
                stats.sent += 1
                return True
            case RateLimited(retry_after=seconds, whole_bot=whole_bot):
                self.pacer.block(now + seconds, None if whole_bot else chat.id)
                await self.store.mark_retry(
                    row.id, now + seconds, f"429: retry after {seconds:g} s"
                )
                log.warning(
                    "deliver chat=%d outcome=rate_limited retry_after=%g whole_bot=%s",
                    chat.id,
                    seconds,
                    whole_bot,
                )
                stats.retried += 1
                return False
            case ChatGone(reason=reason):
                cancelled = await self.store.deactivate_chat(chat.id, reason, now)
                log.warning(
                    "deliver chat=%d outcome=gone reason=%r cancelled=%d",
                    chat.id,
                    reason,
                    cancelled,
                )
                stats.gone += 1
                return False
            case ChatMoved(new_chat_id=new_id):
                await self.store.migrate_chat(chat.id, new_id, now)
                log.info("deliver chat=%d outcome=moved new_chat=%d", chat.id, new_id)
                self.wake()
                return False
            case TransientFailure(reason=reason):
                if now - row.created_at >= self.give_up_after:
                    await self.store.mark_failed(row.id, f"gave up: {reason}")
                    log.error(
                        "deliver chat=%d article=%d outcome=failed reason=%r",
                        chat.id,
                        row.article.id,
                        reason,
                    )
                    stats.failed += 1
                else:
                    delay = retry_delay(row.attempts, self.rng)
                    await self.store.mark_retry(row.id, now + delay, reason)
                    log.warning(
                        "deliver chat=%d article=%d outcome=retry in_s=%.0f reason=%r",
                        chat.id,
                        row.article.id,
                        delay,
                        reason,
                    )
                    stats.retried += 1
                return False
            case MessageRejected():  # pragma: no cover - handled above
                return True

    async def _send(self, chat: Chat, text: str, *, html: bool) -> SendOutcome:
        self.pacer.record(chat.id, chat.kind.is_private, self.clock())
        return await self.sender.send(chat, text, html=html, link_preview=chat.link_previews)


async def _wait_any(events: Sequence[asyncio.Event], seconds: float) -> bool:
    """Wait until one of the events is set or the timeout passes; True if an event was set."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        done, _ = await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
    return bool(done)
