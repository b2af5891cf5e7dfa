"""Drains the outbox at Telegram's limits and applies each answer to the store.

Three cooperating tasks share one event loop:

* the **loader** reads due outbox rows in publication order (a keyset cursor over
  ``(sort time, article id, row id)``), at most :data:`PER_CHAT` rows of each chat at a time, and
  turns a chat whose backlog would take longer than ``digest_after`` seconds to drain at its own
  limit into digest messages;
* the **dispatcher** takes the next overall slot from the
  :class:`~bot.service.throttle.Throttle` (replies to commands are served first), picks a
  chat whose own limit allows a message now and starts the send; many sends are in flight at
  once, never two to one chat;
* the **writer** commits outcomes in small batched transactions.

Crash window: a chat's next message is not started before the outcome of its previous one is
committed, so a SIGKILL at any moment leaves at most one message per chat that Telegram may have
accepted while the store still says ``queued`` (the one in flight, or accepted but not yet
committed). On restart that one is sent again; nothing else is.

The outbox row is the single source of truth; nothing is held only in memory. Knows nothing about
feeds; talks to Telegram only through the :class:`Sender` protocol.
"""

from __future__ import annotations

import asyncio
import bisect
import functools
import heapq
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.core import texts
from bot.core.digest import pack_digest
from bot.core.i18n import tr
from bot.core.models import (
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
from bot.core.pacing import Pacer
from bot.core.render import teaser, teaser_plain
from bot.service.throttle import Throttle
from bot.store import Store
from bot.store.outbox import OrderKey, order_key

log = logging.getLogger("bot.delivery")

PER_CHAT = 2
"""Rows of one chat held in memory: the next to send and the one after (a /stop lands fast)."""
IDLE_WAIT = 5.0
"""With nothing to do, look at the store again after this many seconds anyway."""
FLUSH_DELAY = 0.01
"""Outcomes are collected this long before they are committed in one transaction."""
FLUSH_MAX = 1000
DIGEST_MAX_ROWS = 1000
"""Rows read for one chat's digest at a time."""
SUMMARY_EVERY = 1.0
"""Seconds between the ``deliver batch`` log lines while messages are going out."""
BACKOFF_BASE = 5.0
BACKOFF_CAP = 1800.0
OUTAGE_AFTER = 5
"""Sends failing in a row (network errors, 5xx, any chat) that mean Telegram itself is down."""
OUTAGE_PAUSE = 2.0
"""The first pause of every send during an outage; it doubles with each failed probe."""
OUTAGE_PAUSE_CAP = 60.0


class Sender(Protocol):
    """Sends one message to one chat and reports what Telegram said."""

    async def send(
        self,
        chat: Chat,
        text: str,
        *,
        html: bool,
        link_preview: bool,
        preview_url: str | None = None,
    ) -> SendOutcome:  # pragma: no cover - protocol
        """Send ``text`` to ``chat``; ``preview_url`` is the page or image to preview, if any."""
        ...


def retry_delay(
    attempts: int, rng: random.Random, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP
) -> float:
    """Backoff for network errors: ``base`` doubling per attempt, capped, with full jitter in the
    upper half (so retries of many chats spread out)."""
    delay: float = min(base * 2 ** min(attempts, 30), cap)
    return delay / 2 + rng.random() * delay / 2


def in_flight_for(rate: float) -> int:
    """How many sends to keep in flight at ``rate`` messages per second: enough for answers that
    take half a second (at least 8, at most 256: a quarter of a second at 1,000 per second)."""
    return max(8, min(256, math.ceil(rate / 2)))


def digest_heading(count: int, part: int, parts: int, language: str | None = None) -> str:
    """The heading of one digest message (in the chat's language)."""
    if parts == 1:
        return tr(texts.DIGEST_HEADING, language).format(count=count)
    return tr(texts.DIGEST_HEADING_PART, language).format(count=count, part=part, parts=parts)


@dataclass(slots=True)
class DeliveryStats:
    """What the delivery loop has done since it started (committed outcomes)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    gone: int = 0
    moved: int = 0
    digests: int = 0
    rate_limited: int = 0


@dataclass(slots=True)
class _Unit:
    """One message to send: a single teaser, or a digest of several rows."""

    rows: tuple[Delivery, ...]
    key: OrderKey
    attempts: int
    html: str | None = None  # None: the teaser of the single row, rendered when sent
    plain: str | None = None
    as_plain: bool = False
    first_reason: str | None = None

    @property
    def label(self) -> str:
        if len(self.rows) == 1:
            return f"article={self.rows[0].article.id}"
        return f"digest={len(self.rows)}"


@dataclass(slots=True)
class _ChatQueue:
    chat: Chat
    units: list[_Unit] = field(default_factory=list)  # sorted by key
    busy: bool = False  # a unit is in flight, or its outcome is not committed yet
    in_flight: _Unit | None = None
    more: bool = False  # the store holds further due rows for this chat
    digest: bool = False  # its units are digest parts


@dataclass(slots=True)
class _Writes:
    sent: list[tuple[int, int | None, float]] = field(default_factory=list)
    retries: list[tuple[int, int, float, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    done: list[Callable[[], None]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sent) + len(self.retries) + len(self.failed) + len(self.done)


class Deliverer:
    """The delivery engine: due rows → throttle → sender → batched store writes."""

    def __init__(
        self,
        store: Store,
        sender: Sender,
        *,
        throttle: Throttle | None = None,
        pacer: Pacer | None = None,
        clock: Callable[[], float] = time.time,
        give_up_after: float = 24 * 3600,
        digest_after: float = 300.0,
        tags_for: Callable[[Article], Sequence[str]] = lambda _article: (),
        rng: random.Random | None = None,
        max_in_flight: int | None = None,
        backoff_base: float = BACKOFF_BASE,
    ) -> None:
        self.store = store
        self.sender = sender
        self.throttle = throttle or Throttle(pacer or Pacer())
        self.pacer = self.throttle.pacer
        self.clock = clock
        self.give_up_after = give_up_after
        self.digest_after = digest_after
        self.tags_for = tags_for
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self.max_in_flight = max_in_flight or in_flight_for(self.pacer.effective_rate)
        self.backoff_base = backoff_base
        self.stats = DeliveryStats()
        rate = self.pacer.effective_rate
        self._high_water = max(100, math.ceil(2 * rate))
        self._batch = max(50, self._high_water // 2)
        self._chats: dict[int, _ChatQueue] = {}
        self._held: set[int] = set()  # outbox ids in memory (queued here or in flight)
        self._units = 0  # messages in memory: what the loader's high-water mark counts
        self._ready: list[tuple[float, int, int]] = []
        self._seq = 0
        self._cursor: OrderKey | None = None
        self._exhausted = False
        self._rescan_at = 0.0  # monotonic; 0: at once
        self._last_digest_check = -math.inf
        self._needs_more: set[int] = set()
        self._writes = _Writes()
        self._slots = asyncio.Semaphore(self.max_in_flight)
        self._changed = asyncio.Event()
        self._load_wanted = asyncio.Event()
        self._write_wanted = asyncio.Event()
        self._closing = False
        self._flying = 0
        self._rendered: dict[int, str] = {}
        self._summary = DeliveryStats()
        self._summary_at = 0.0
        self._failing = 0  # sends failed in a row, whatever the chat
        self._outage_level = 0
        self._paused_until = -math.inf  # monotonic

    # ------------------------------------------------------------------ public

    def wake(self) -> None:
        """Tell the engine new rows were queued (read the store again now)."""
        self._rescan_at = 0.0
        self._load_wanted.set()

    @property
    def in_memory(self) -> int:
        """How many outbox rows the engine holds (queued in memory or in flight)."""
        return len(self._held)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; messages in flight then finish and are committed."""
        async with asyncio.TaskGroup() as group:
            group.create_task(self._loader(stop), name="delivery-loader")
            writer = group.create_task(self._writer(), name="delivery-writer")
            try:
                await self._dispatch(stop, group)
            finally:
                self._closing = True
                self._write_wanted.set()
                self._changed.set()
            await writer
        self._log_summary(force=True)

    # ------------------------------------------------------------------ dispatcher

    async def _dispatch(self, stop: asyncio.Event, group: asyncio.TaskGroup) -> None:
        in_flight: set[asyncio.Task[None]] = set()
        stopper = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                self._changed.clear()
                now = self.throttle.clock()
                blocked = self.pacer.earliest_overall(now) - now
                if blocked > 0.05:  # a whole-bot 429 wait: stay responsive to stop
                    await _wait_any((stopper,), blocked)
                    continue
                await self._slots.acquire()
                now = await self.throttle.broadcast_turn()
                queue = self._pop_ready(now)
                if queue is None:
                    self._slots.release()
                    wait = self._until_next_ready(now)
                    if wait > 0:
                        await _wait_any((stopper, self._changed), wait)
                    continue
                unit = queue.units.pop(0)
                queue.busy = True
                queue.in_flight = unit
                self._flying += 1
                self.throttle.take(queue.chat.id, queue.chat.kind.is_private, now)
                task = group.create_task(self._deliver(queue, unit, now))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                if self._units < self._high_water // 2 and not self._exhausted:
                    self._load_wanted.set()
        finally:
            stopper.cancel()
        if in_flight:
            await asyncio.wait(in_flight)

    def _pop_ready(self, now: float) -> _ChatQueue | None:
        """The chat that may receive a message now and has waited longest for it, if any."""
        while self._ready:
            at, _, chat_id = self._ready[0]
            queue = self._chats.get(chat_id)
            if queue is None or queue.busy or not queue.units:
                heapq.heappop(self._ready)
                continue
            if at > now:
                return None
            heapq.heappop(self._ready)
            actual = self.pacer.earliest_for_chat(chat_id, queue.chat.kind.is_private, now)
            if actual > now:
                self._push(queue, actual)
                continue
            return queue
        return None

    def _until_next_ready(self, now: float) -> float:
        while self._ready:
            at, _, chat_id = self._ready[0]
            queue = self._chats.get(chat_id)
            if queue is None or queue.busy or not queue.units:
                heapq.heappop(self._ready)
                continue
            return min(IDLE_WAIT, max(0.0, at - now))
        return IDLE_WAIT

    def _push(self, queue: _ChatQueue, at: float | None = None) -> None:
        """Put a chat with units on the ready heap at the time its own limit allows."""
        if at is None:
            at = self.pacer.earliest_for_chat(
                queue.chat.id, queue.chat.kind.is_private, self.throttle.clock()
            )
        self._seq += 1
        heapq.heappush(self._ready, (at, self._seq, queue.chat.id))
        self._changed.set()

    # ------------------------------------------------------------------ one send

    async def _deliver(self, queue: _ChatQueue, unit: _Unit, planned: float) -> None:
        chat = queue.chat
        if unit.as_plain:
            text = unit.plain or teaser_plain(unit.rows[0].article)
        else:
            text = unit.html or self._teaser(unit.rows[0].article)
        # Count the send when it leaves, then when its answer came (not when it was planned).
        departed = self.throttle.departed(chat.id, planned)
        try:
            outcome = await self.sender.send(
                chat,
                text,
                html=not unit.as_plain,
                link_preview=chat.link_previews,
                # One teaser previews the feed's image where it names one; a digest, its first link.
                preview_url=unit.rows[0].article.image if len(unit.rows) == 1 else None,
            )
        except Exception as exc:  # a bug or an unexpected library error: retry, never lose
            log.exception("deliver chat=%d %s outcome=error", chat.id, unit.label)
            outcome = TransientFailure(f"unexpected error: {exc!r}")
        finally:
            self.throttle.answered(chat.id, departed)
            self._slots.release()
            self._flying -= 1
        await self._apply(queue, unit, outcome)

    def _teaser(self, article: Article) -> str:
        text = self._rendered.get(article.id)
        if text is None:
            if len(self._rendered) > 256:
                self._rendered.clear()
            text = self._rendered[article.id] = teaser(article, tags=self.tags_for(article))
        return text

    async def _apply(self, queue: _ChatQueue, unit: _Unit, outcome: SendOutcome) -> None:
        chat = queue.chat
        wall = self.clock()
        if not isinstance(outcome, TransientFailure):
            self._answered()  # Telegram answered, even if with a refusal
        match outcome:
            case Sent(message_id=message_id):
                self._writes.sent.extend((row.id, message_id, wall) for row in unit.rows)
                self._after_commit(queue, unit, done=True, counter="sent")
                if len(unit.rows) > 1:
                    self.stats.digests += 1
            case RateLimited(retry_after=seconds, whole_bot=whole_bot):
                self._rate_limited(queue, unit, seconds, whole_bot=whole_bot)
            case ChatGone(reason=reason):
                cancelled = await self.store.deactivate_chat(chat.id, reason, wall)
                self.stats.gone += 1
                log.warning(
                    "deliver chat=%d %s outcome=gone reason=%r cancelled=%d",
                    chat.id,
                    unit.label,
                    reason,
                    cancelled,
                )
                self._drop_chat(chat.id)
            case ChatMoved(new_chat_id=new_id):
                await self.store.migrate_chat(chat.id, new_id, wall)
                self.stats.moved += 1
                log.info("deliver chat=%d outcome=moved new_chat=%d", chat.id, new_id)
                self._drop_chat(chat.id)
                self.wake()
            case MessageRejected(reason=reason) if not unit.as_plain:
                log.warning(
                    "deliver chat=%d %s outcome=rejected reason=%r; sending it as plain text",
                    chat.id,
                    unit.label,
                    reason,
                )
                unit.as_plain = True
                unit.first_reason = reason
                self._release(queue, unit, done=False)
            case MessageRejected(reason=reason):
                why = f"rejected: {unit.first_reason}; as plain text: {reason}"
                self._writes.failed.extend((row.id, why) for row in unit.rows)
                log.error("deliver chat=%d %s outcome=dropped reason=%r", chat.id, unit.label, why)
                self._after_commit(queue, unit, done=True, counter="failed")
            case TransientFailure(reason=reason):
                self._transient(queue, unit, reason)
                self._outage_step(reason)

    def _outage_step(self, reason: str) -> None:
        """Many sends failing in a row, to any chats: Telegram is down. Pause every send (replies
        too) for a while that doubles with each failed probe, instead of trying each chat."""
        mono = self.throttle.clock()
        if mono < self._paused_until:
            return  # a send started before the pause: the pause already counts it
        self._failing += 1
        if self._failing < OUTAGE_AFTER:
            return
        pause = min(OUTAGE_PAUSE_CAP, OUTAGE_PAUSE * 2 ** min(self._outage_level, 30))
        self._outage_level += 1
        self._paused_until = mono + pause
        self.throttle.block(self._paused_until)
        log.warning(
            "deliver outage failures_in_a_row=%d pause_s=%g reason=%r",
            self._failing,
            pause,
            reason,
        )

    def _answered(self) -> None:
        """Telegram answered a send: any outage is over."""
        if self._outage_level:
            log.info("deliver outage over after %d failures in a row", self._failing)
        self._failing = 0
        self._outage_level = 0

    def _rate_limited(
        self, queue: _ChatQueue, unit: _Unit, seconds: float, *, whole_bot: bool
    ) -> None:
        """429: nothing goes to the chat (or anywhere) before the time Telegram named."""
        chat = queue.chat
        wall = self.clock()
        mono = self.throttle.clock()
        private = chat.kind.is_private
        whole = whole_bot or not self.pacer.chat_limit_possible(chat.id, private)
        self.throttle.block(mono + seconds, None if whole else chat.id)
        if whole:
            self.throttle.slow_down()
        self.stats.rate_limited += 1
        error = f"429: retry after {seconds:g} s"
        self._writes.retries.extend((row.id, chat.id, wall + seconds, error) for row in unit.rows)
        log.warning(
            "deliver chat=%d %s outcome=rate_limited retry_after=%g whole_bot=%s rate=%.1f/s",
            chat.id,
            unit.label,
            seconds,
            whole,
            self.pacer.current_rate(mono),
        )
        self._after_commit(queue, unit, done=False, counter="retried")

    def _transient(self, queue: _ChatQueue, unit: _Unit, reason: str) -> None:
        """Network error, timeout, 5xx: back off with jitter, or give up after the give-up time."""
        chat = queue.chat
        wall = self.clock()
        mono = self.throttle.clock()
        oldest = min(row.created_at for row in unit.rows)
        if wall - oldest >= self.give_up_after:
            why = f"gave up after {unit.attempts + 1} attempts: {reason}"
            self._writes.failed.extend((row.id, why) for row in unit.rows)
            log.error("deliver chat=%d %s outcome=failed reason=%r", chat.id, unit.label, why)
            self._after_commit(queue, unit, done=True, counter="failed")
        else:
            delay = retry_delay(unit.attempts, self.rng, base=self.backoff_base)
            self.throttle.block(mono + delay, chat.id)
            self._writes.retries.extend(
                (row.id, chat.id, wall + delay, reason) for row in unit.rows
            )
            log.warning(
                "deliver chat=%d %s outcome=retry in_s=%.1f reason=%r",
                chat.id,
                unit.label,
                delay,
                reason,
            )
            self._after_commit(queue, unit, done=False, counter="retried")

    def _after_commit(self, queue: _ChatQueue, unit: _Unit, *, done: bool, counter: str) -> None:
        """Queue the release of the chat for when the writes just added are committed."""

        def release() -> None:
            setattr(self.stats, counter, getattr(self.stats, counter) + len(unit.rows))
            setattr(self._summary, counter, getattr(self._summary, counter) + len(unit.rows))
            self._release(queue, unit, done=done)

        self._writes.done.append(release)
        self._write_wanted.set()

    def _release(self, queue: _ChatQueue, unit: _Unit, *, done: bool) -> None:
        """The chat's message is settled: forget it (``done``) or put it first again."""
        queue.busy = False
        queue.in_flight = None
        if self._chats.get(queue.chat.id) is not queue:  # dropped meanwhile: all forgotten
            return
        if done:
            for row in unit.rows:
                self._held.discard(row.id)
            self._units -= 1
        else:
            unit.attempts += 1
            queue.units.insert(0, unit)
        if not queue.units and queue.digest:
            queue.digest = False
            queue.more = True
        if queue.more and len(queue.units) < PER_CHAT:
            self._needs_more.add(queue.chat.id)
            self._load_wanted.set()
        if queue.units:
            self._push(queue)
        elif not queue.more:
            del self._chats[queue.chat.id]
        self._changed.set()

    def _drop_chat(self, chat_id: int) -> None:
        """Forget a chat and everything held for it (the store decides what happens next)."""
        queue = self._chats.pop(chat_id, None)
        self._needs_more.discard(chat_id)
        if queue is None:
            return
        for unit in [*queue.units, *([queue.in_flight] if queue.in_flight else [])]:
            for row in unit.rows:
                self._held.discard(row.id)
            self._units -= 1
        queue.units.clear()
        queue.busy = False
        queue.in_flight = None
        self._changed.set()

    # ------------------------------------------------------------------ writer

    async def _writer(self) -> None:
        while True:
            await self._write_wanted.wait()
            if not len(self._writes):
                self._write_wanted.clear()
                if self._closing:
                    return
                continue
            await asyncio.sleep(FLUSH_DELAY)
            batch, self._writes = self._writes, _Writes()
            self._write_wanted.clear()
            while batch.sent or batch.retries or batch.failed:
                sent, batch.sent = batch.sent[:FLUSH_MAX], batch.sent[FLUSH_MAX:]
                retries, batch.retries = batch.retries[:FLUSH_MAX], batch.retries[FLUSH_MAX:]
                failed, batch.failed = batch.failed[:FLUSH_MAX], batch.failed[FLUSH_MAX:]
                await self.store.record_outcomes(sent=sent, retries=retries, failed=failed)
            for release in batch.done:
                release()
            self._log_summary()
            if self._closing and not len(self._writes):
                return

    def _log_summary(self, *, force: bool = False) -> None:
        now = self.throttle.clock()
        summary = self._summary
        busy = summary.sent or summary.retried or summary.failed
        if busy and (force or now - self._summary_at >= SUMMARY_EVERY):
            log.info(
                "deliver batch sent=%d retried=%d failed=%d gone=%d held=%d in_flight=%d",
                summary.sent,
                summary.retried,
                summary.failed,
                self.stats.gone,
                self._units,
                self._flying,
            )
            self._summary = DeliveryStats()
            self._summary_at = now

    # ------------------------------------------------------------------ loader

    async def _loader(self, stop: asyncio.Event) -> None:
        stopper = asyncio.ensure_future(stop.wait())
        forget_at = 0.0
        try:
            while not stop.is_set():
                self._load_wanted.clear()
                now = self.throttle.clock()
                if now >= self._rescan_at:
                    self._rescan_at = now + IDLE_WAIT
                    self._cursor = None
                    self._exhausted = False
                    if now - self._last_digest_check >= 1.0:
                        self._last_digest_check = now
                        await self._check_digests()
                if self._needs_more:
                    await self._continue_chats()
                while not self._exhausted and self._units < self._high_water:
                    await self._read_on()
                if now >= forget_at:
                    self.pacer.forget_idle(now)
                    forget_at = now + 60.0
                await self._schedule_rescan()
                wait = max(0.0, self._rescan_at - self.throttle.clock())
                if self._needs_more or (not self._exhausted and self._units < self._high_water):
                    continue
                if wait > 0:
                    await _wait_any((stopper, self._load_wanted), wait)
        finally:
            stopper.cancel()

    async def _schedule_rescan(self) -> None:
        """Read the store again when its earliest queued row that is not held becomes due."""
        due = await self.store.next_delivery_time()
        if due is None:
            return
        delay = due - self.clock()
        if delay > 0:
            self._rescan_at = min(self._rescan_at, self.throttle.clock() + delay)

    async def _read_on(self) -> None:
        """Read the next batch of due rows after the cursor."""
        rows = await self.store.due_deliveries(self.clock(), self._batch, after=self._cursor)
        if len(rows) < self._batch:
            self._exhausted = True
        if rows:
            self._cursor = order_key(rows[-1])
        for row in rows:
            self._hold(row, continuation=False)

    async def _continue_chats(self) -> None:
        """Read the next rows of chats whose held rows ran low."""
        chat_ids = [c for c in self._needs_more if c in self._chats]
        self._needs_more.clear()
        if not chat_ids:
            return
        # Up to PER_CHAT + 1 of a chat's rows are held (queued and in flight): reading two more
        # than that shows whether further rows remain in the store.
        limit = 2 * PER_CHAT + 1
        rows = await self.store.due_for_chats(chat_ids, self.clock(), limit)
        by_chat: dict[int, list[Delivery]] = {}
        for row in rows:
            by_chat.setdefault(row.chat.id, []).append(row)
        for chat_id in chat_ids:
            queue = self._chats.get(chat_id)
            if queue is None:
                continue
            found = by_chat.get(chat_id, [])
            fresh = [row for row in found if row.id not in self._held]
            queue.more = len(found) >= limit
            for row in fresh:
                self._hold(row, continuation=True)
            if not queue.units and not queue.busy and not queue.more:
                del self._chats[chat_id]

    def _hold(self, row: Delivery, *, continuation: bool) -> None:
        """Take a due row into memory, unless it is held already or must wait its turn."""
        if row.id in self._held:
            return
        chat_id = row.chat.id
        queue = self._chats.get(chat_id)
        if queue is None:
            queue = self._chats[chat_id] = _ChatQueue(row.chat)
        elif queue.digest or (queue.more and not continuation) or len(queue.units) >= PER_CHAT:
            queue.more = True
            return
        unit = _Unit((row,), order_key(row), row.attempts)
        keys = [u.key for u in queue.units]
        queue.units.insert(bisect.bisect(keys, unit.key), unit)
        self._held.add(row.id)
        self._units += 1
        if not queue.busy:
            self._push(queue)

    async def _check_digests(self) -> None:
        """Turn every chat whose due backlog would take longer than ``digest_after`` to drain at
        its own limit into digest messages."""
        private_rows = math.ceil(self.digest_after * self.pacer.chat_rate(True))
        group_rows = math.ceil(self.digest_after * self.pacer.chat_rate(False))
        backlogs = await self.store.backlogs(self.clock(), min(private_rows, group_rows) + 1)
        for chat_id, kind, count in backlogs:
            if count <= (private_rows if kind.is_private else group_rows):
                continue
            queue = self._chats.get(chat_id)
            if queue is not None and queue.digest:
                continue
            rows = await self.store.due_for_chats([chat_id], self.clock(), DIGEST_MAX_ROWS)
            self._make_digest(chat_id, rows)

    def _make_digest(self, chat_id: int, rows: list[Delivery]) -> None:
        queue = self._chats.get(chat_id)
        flying = {r.id for r in queue.in_flight.rows} if queue and queue.in_flight else set()
        rows = [row for row in rows if row.id not in flying]
        if len(rows) < 2:
            return
        if queue is None:
            queue = self._chats[chat_id] = _ChatQueue(rows[0].chat)
        for unit in queue.units:
            for held in unit.rows:
                self._held.discard(held.id)
        self._units -= len(queue.units)
        by_article = {row.article.id: row for row in rows}
        heading = functools.partial(digest_heading, language=rows[0].chat.language)
        parts = pack_digest([row.article for row in rows], heading)
        queue.units = []
        for part in parts:
            part_rows = tuple(by_article[a.id] for a in part.articles)
            queue.units.append(
                _Unit(
                    part_rows,
                    order_key(part_rows[0]),
                    max(r.attempts for r in part_rows),
                    html=part.html,
                    plain=part.plain,
                )
            )
            self._held.update(r.id for r in part_rows)
        self._units += len(parts)
        queue.digest = True
        queue.more = False
        self._needs_more.discard(chat_id)
        log.info(
            "deliver chat=%d outcome=digest stories=%d messages=%d", chat_id, len(rows), len(parts)
        )
        if not queue.busy:
            self._push(queue)


async def _wait_any(
    waitables: Sequence[asyncio.Future[Any] | asyncio.Event], seconds: float
) -> bool:
    """Wait until a future is done or an event is set, or the timeout passes; True if one was."""
    waiters = [
        asyncio.ensure_future(w.wait()) if isinstance(w, asyncio.Event) else w for w in waitables
    ]
    try:
        done, _ = await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter, waitable in zip(waiters, waitables, strict=True):
            if waiter is not waitable:
                waiter.cancel()
    return bool(done)
