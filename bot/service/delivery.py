"""Drains the outbox at Telegram's limits and applies each answer to the store: the async shell.

What to do is decided by two pure modules: :mod:`bot.core.delivery_plan` (which chat sends next,
which rows are held) and :mod:`bot.core.delivery_outcome` (what an answer changes). This module
only does the I/O, in three cooperating tasks on one event loop:

* the **loader** reads due outbox rows in publication order (a keyset cursor over
  ``(sort time, article id, row id)``) into the plan, and the backlogs that become digests;
* the **dispatcher** takes the next overall slot from the
  :class:`~bot.service.throttle.Throttle` (replies to commands are served first), asks the plan
  for the message to send and starts the send; many sends are in flight at once, never two to
  one chat;
* the **writer** commits outcomes in small batched transactions, then settles their chats.

Crash window: a chat's next message is not started before the outcome of its previous one is
committed, so a SIGKILL at any moment leaves at most one message per chat that Telegram may have
accepted while the store still says ``queued`` (the one in flight, or accepted but not yet
committed). On restart that one is sent again; nothing else is.

The outbox row is the single source of truth; nothing is held only in memory. Knows nothing about
feeds; talks to Telegram only through the :class:`Sender` protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from bot.core.arrival import early_rows, quiet_now, scheduled
from bot.core.chat_settings import DEFAULT_SETTINGS
from bot.core.delivery_outcome import (
    BACKOFF_BASE,
    BackedOff,
    Change,
    Deactivate,
    Delivered,
    DeliveryStats,
    Failed,
    Migrate,
    Outage,
    Replain,
    RetryPolicy,
    Throttled,
    Written,
    decide,
)
from bot.core.delivery_plan import CONTINUE_ROWS, IDLE_WAIT, DeliveryPlan, Send, Unit
from bot.core.digest import chat_section
from bot.core.errors import DatabaseUnreachableError
from bot.core.models import Article, Chat, Delivery, SendOutcome, TransientFailure
from bot.core.pacing import Pacer
from bot.core.post_format import DEFAULT_FORMAT, Post, PostFormat, post_plain, render_post
from bot.core.render import teaser, teaser_plain
from bot.core.search import share_query, shares
from bot.service.throttle import Throttle
from bot.store import StoreVerbs

log = logging.getLogger("bot.delivery")

FLUSH_DELAY = 0.1
"""Outcomes are collected this long before they are committed in one transaction.

At 30 messages per second a 10 ms wait committed each outcome alone (three round trips to the
database thread and a WAL write per message: about a third of the CPU per message); 100 ms
commits three or more together. It delays only the settled chat's *next* message, which its own
limit holds back for at least a second anyway, and the crash window stays one message per chat.
"""
FLUSH_MAX = 1000
DIGEST_MAX_ROWS = 1000
"""Rows read for one chat's digest at a time."""
TERM_SETTLE = 4.0
"""Seconds after a database outage before a new leader's engine first reads (_Loader._settle)."""
OUTAGE_LOOK = 0.5
"""Seconds between the paused dispatcher's looks at the database's state."""
SUMMARY_EVERY = 1.0
RESTART_GAP = 1.0
"""Seconds at least between two reads from the outbox's first due row while messages are held.

Every queued batch wakes the loader (a poll; each slice of a fan-out, on PostgreSQL through
NOTIFY), and reading from the first due row again sorts every due row: at 100,000 queued that
costs a few hundred milliseconds a time. While the plan holds messages (at least two seconds'
worth when it read its fill) wake-ups closer together are served once, at the end of the gap;
when it holds none, a wake-up is served at once (a new story's first message).
"""
"""Seconds between the ``deliver batch`` log lines while messages are going out."""


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
        share: str | None = None,
        photo: str | None = None,
        read_url: str | None = None,
        silent: bool = False,
    ) -> SendOutcome:  # pragma: no cover - protocol
        """Send ``text`` to ``chat``; ``preview_url`` is the page or image to preview, if any;
        ``share`` the inline query of a share button under it, if any; ``photo`` an image to
        send with ``text`` as its caption; ``read_url`` the target of a "Read" button;
        ``silent``: without a notification sound."""
        ...


def in_flight_for(rate: float) -> int:
    """How many sends to keep in flight at ``rate`` messages per second: enough for answers that
    take half a second (at least 8, at most 256: a quarter of a second at 1,000 per second)."""
    return max(8, min(256, math.ceil(rate / 2)))


class Deliverer:
    """The delivery engine: due rows → plan → throttle → sender → batched store writes."""

    def __init__(
        self,
        store: StoreVerbs,
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
        settle: float = 0.0,
    ) -> None:
        self.store = store
        self.sender = sender
        self.throttle = throttle or Throttle(pacer or Pacer())
        self.pacer = self.throttle.pacer
        self.clock = clock
        self.policy = RetryPolicy(give_up_after=give_up_after, backoff_base=backoff_base)
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self.max_in_flight = max_in_flight or in_flight_for(self.pacer.effective_rate)
        self.stats = DeliveryStats()
        self.plan = DeliveryPlan(self.pacer)
        self.outage = Outage()
        self._signals = _Signals()
        self._loader = _Loader(
            store,
            self.plan,
            self._signals,
            clock=clock,
            mono=self.throttle.clock,
            digest_after=digest_after,
            settle=settle,
        )
        self.writer = Writer(store, self._signals, self._settled)
        self._slots = asyncio.Semaphore(self.max_in_flight)
        self._flying = 0
        self._teasers = _Teasers(tags_for)
        self.first: list[asyncio.Task[None]] = []  # late writes to wait for (see run)
        self._summary = _Summary()

    def wake(self) -> None:
        """Tell the engine new rows were queued (read the store again now)."""
        self._loader.wake()

    @property
    def in_memory(self) -> int:
        """How many outbox rows the engine holds (queued in memory or in flight)."""
        return self.plan.in_memory

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; messages in flight then finish and are committed.

        Outcomes an earlier engine of this process left unwritten (:attr:`first`) are committed
        before any row is read, or their rows would be read as still due and sent again.
        """
        if self.first:
            await asyncio.wait(self.first)
        async with asyncio.TaskGroup() as group:
            group.create_task(self._loader.run(stop), name="delivery-loader")
            writer = group.create_task(self.writer.run(), name="delivery-writer")
            try:
                await self._dispatch(stop, group)
            finally:
                self.writer.close()
            await writer
        self._summary.log(self.stats, self.throttle.clock(), self.plan.units, self._flying, True)

    # ------------------------------------------------------------------ dispatcher

    async def _dispatch(self, stop: asyncio.Event, group: asyncio.TaskGroup) -> None:
        in_flight: set[asyncio.Task[None]] = set()
        stopper = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                self._signals.changed.clear()
                if self.store.reachability.down:  # no send starts while outcomes cannot be kept
                    await _wait_any((stopper,), OUTAGE_LOOK)
                    continue
                now = self.throttle.clock()
                blocked = self.pacer.earliest_overall(now) - now
                if blocked > 0.05:  # a whole-bot 429 wait: stay responsive to stop
                    await _wait_any((stopper,), blocked)
                    continue
                await self._slots.acquire()
                now = await self.throttle.broadcast_turn()
                send = self.plan.next_send(now)
                if send is None:
                    self._slots.release()
                    wait = self.plan.until_next(now)
                    if wait > 0:
                        await _wait_any((stopper, self._signals.changed), wait)
                    continue
                self._flying += 1
                task = group.create_task(self._deliver(send))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                if self.plan.runs_low():
                    self._signals.load_wanted.set()
        finally:
            stopper.cancel()
        if in_flight:
            await asyncio.wait(in_flight)

    async def _deliver(self, send: Send) -> None:
        chat, unit = send.chat, send.unit
        quiet = (
            None
            if chat.settings is DEFAULT_SETTINGS
            else quiet_now(chat.settings.quiet, self.clock())
        )
        if quiet is not None and quiet.hold_until is not None:
            self._slots.release()
            self._flying -= 1
            await hold_for_quiet(self.store, send, quiet.hold_until)
            self.plan.drop_chat(chat.id)
            self._signals.changed.set()
            return
        text, photo, read_url = self._teasers.message(unit, chat)
        # Count the send when it leaves, then when its answer came (not when it was planned).
        departed = self.throttle.departed(chat.id, send.at)
        try:
            outcome = await self.sender.send(
                chat,
                text,
                html=not unit.as_plain,
                link_preview=chat.link_previews,
                # One teaser previews the feed's image where it names one; a digest, its first link.
                preview_url=unit.rows[0].article.image if len(unit.rows) == 1 else None,
                share=share_query(unit.rows[0].article)
                if len(unit.rows) == 1 and shares(chat)
                else None,
                photo=photo,
                read_url=read_url,
                silent=quiet is not None,
            )
        except Exception as exc:  # a bug or an unexpected library error: retry, never lose
            log.exception("deliver chat=%d %s outcome=error", chat.id, unit.label)
            outcome = TransientFailure(f"unexpected error: {exc!r}")
        finally:
            self.throttle.answered(chat.id, departed)
            self._slots.release()
            self._flying -= 1
        await self._apply(send, outcome)

    # ------------------------------------------------------------------ outcomes

    async def _apply(self, send: Send, outcome: SendOutcome) -> None:
        """Decide what the answer changes, then do it."""
        if not isinstance(outcome, TransientFailure):  # Telegram answered, even if refusing
            over = self.outage.answered()
            if over is not None:
                log.info("deliver outage over after %d failures in a row", over)
        wall, mono = self.clock(), self.throttle.clock()
        change = decide(
            send.chat,
            send.unit,
            outcome,
            wall=wall,
            mono=mono,
            pacer=self.pacer,
            policy=self.policy,
            rng=self.rng,
        )
        await self._do(send, change, wall)
        _log_change(send.chat.id, change, self.pacer, mono)
        if isinstance(outcome, TransientFailure):
            self._outage_step(outcome.reason)

    async def _do(self, send: Send, change: Change, wall: float) -> None:
        chat_id = send.chat.id
        match change:
            case Deactivate(reason=reason):
                cancelled = await self.store.reachability.retry(
                    functools.partial(self.store.chats.deactivate_chat, chat_id, reason, wall)
                )
                log.warning(
                    "deliver chat=%d %s outcome=gone reason=%r cancelled=%d",
                    chat_id,
                    change.unit.label,
                    reason,
                    cancelled,
                )
                self._forget(change)
            case Migrate(new_chat_id=new_id):
                await self.store.reachability.retry(
                    functools.partial(self.store.chats.migrate_chat, chat_id, new_id, wall)
                )
                self._forget(change)
                self.wake()
            case Replain():
                self._settle(send, change)
            case Throttled(block_until=until, whole_bot=whole):
                self.throttle.block(until, None if whole else chat_id)
                if whole:
                    self.throttle.slow_down()
                self.writer.add(send, change)
            case BackedOff(block_until=until):
                self.throttle.block(until, chat_id)
                self.writer.add(send, change)
            case Delivered() | Failed():
                self.writer.add(send, change)

    def _forget(self, change: Deactivate | Migrate) -> None:
        """The chat left (or moved): forget what is held for it; the store has settled it."""
        self.stats.count(change)
        self.plan.drop_chat(change.chat_id)
        self._signals.changed.set()

    def _outage_step(self, reason: str) -> None:
        """Many sends failing in a row, to any chats: Telegram is down. Pause every send (replies
        too) for a while that doubles with each failed probe, instead of trying each chat."""
        pause = self.outage.failed(self.throttle.clock())
        if pause is None:
            return
        self.throttle.block(pause.until)
        log.warning(
            "deliver outage failures_in_a_row=%d pause_s=%g reason=%r",
            pause.failures,
            pause.pause,
            reason,
        )

    def _settled(self, batch: Sequence[tuple[Send, Written]]) -> None:
        """The writer committed these outcomes: settle their chats."""
        for send, change in batch:
            self._settle(send, change)
        self._summary.log(self.stats, self.throttle.clock(), self.plan.units, self._flying)

    def _settle(self, send: Send, change: Change) -> None:
        """The outcome took effect: count it, and free the chat for its next message."""
        self.stats.count(change)
        self.plan.settle(send, change.unit, done=change.done, now=self.throttle.clock())
        if self.plan.continuing:
            self._signals.load_wanted.set()
        self._signals.changed.set()


@dataclass(slots=True)
class _Summary:
    """The ``deliver batch`` log line, at most once every :data:`SUMMARY_EVERY` seconds."""

    logged: DeliveryStats = field(default_factory=DeliveryStats)  # the counters then
    at: float = 0.0

    def log(
        self, stats: DeliveryStats, now: float, held: int, flying: int, force: bool = False
    ) -> None:
        """Log what was done since the last line, if anything was and it is time."""
        summary = stats.since(self.logged)
        busy = summary.sent or summary.retried or summary.failed
        if busy and (force or now - self.at >= SUMMARY_EVERY):
            log.info(
                "deliver batch sent=%d retried=%d failed=%d gone=%d held=%d in_flight=%d",
                summary.sent,
                summary.retried,
                summary.failed,
                stats.gone,
                held,
                flying,
            )
            self.logged = replace(stats)
            self.at = now


Message = tuple[str, str | None, str | None]
"""What to send: the text (or caption), the photo's URL, the Read button's URL."""


class _Teasers:
    """The text of a message: a digest's own, or the teaser of its story in the chat's format
    (rendered once per story and format, not once per chat)."""

    def __init__(self, tags_for: Callable[[Article], Sequence[str]]) -> None:
        self.tags_for = tags_for
        self._rendered: dict[int, str] = {}
        self._posts: dict[tuple[int, PostFormat], Post] = {}

    def message(self, unit: Unit, chat: Chat) -> Message:
        """What to send for ``unit`` to ``chat``: the default format is the plain teaser (no
        work beyond it); another format is rendered by :func:`render_post`."""
        if chat.settings is DEFAULT_SETTINGS or unit.html is not None:
            return self.text(unit), None, None
        fmt = chat.settings.post_format
        if fmt == DEFAULT_FORMAT:
            return self.text(unit), None, None
        article = unit.rows[0].article
        if unit.text_only and fmt.photo:
            fmt = replace(fmt, photo=False)
        if unit.as_plain:
            return post_plain(article, fmt), None, None
        key = (article.id, fmt)
        post = self._posts.get(key)
        if post is None:
            if len(self._posts) > 256:
                self._posts.clear()
            post = self._posts[key] = render_post(article, fmt, tags=self.tags_for(article))
        return post.html, post.photo, post.button_url

    def text(self, unit: Unit) -> str:
        """What to send for ``unit``: HTML, or plain text once Telegram refused the HTML."""
        article = unit.rows[0].article
        if unit.as_plain:
            return unit.plain or teaser_plain(article)
        if unit.html is not None:
            return unit.html
        text = self._rendered.get(article.id)
        if text is None:
            if len(self._rendered) > 256:
                self._rendered.clear()
            text = self._rendered[article.id] = teaser(article, tags=self.tags_for(article))
        return text


@dataclass(slots=True)
class _Signals:
    """How the three tasks wake each other."""

    changed: asyncio.Event = field(default_factory=asyncio.Event)  # the dispatcher: work changed
    load_wanted: asyncio.Event = field(default_factory=asyncio.Event)  # the loader: read now
    write_wanted: asyncio.Event = field(default_factory=asyncio.Event)  # the writer: commit


class _Loader:
    """Reads due outbox rows, chats' next rows and digest-worthy backlogs into the plan."""

    def __init__(
        self,
        store: StoreVerbs,
        plan: DeliveryPlan,
        signals: _Signals,
        *,
        clock: Callable[[], float],
        mono: Callable[[], float],
        digest_after: float,
        settle: float = 0.0,
    ) -> None:
        self.store = store
        self.plan = plan
        self.signals = signals
        self.clock = clock
        self.mono = mono
        self.digest_after = digest_after
        self.settle = settle
        self.rescan_at = 0.0  # monotonic; 0: at once
        self._restarted = -math.inf  # monotonic: when reading last began again at the first row
        self._last_digest_check = -math.inf
        self._forget_at = 0.0
        self.digests = _Digests(store, plan, signals, clock=clock, mono=mono)

    def wake(self) -> None:
        """Read the store again now (new rows were queued); while messages are held, at most
        every :data:`RESTART_GAP`."""
        soonest = self._restarted + RESTART_GAP if self.plan.units else 0.0
        self.rescan_at = min(self.rescan_at, soonest)
        self.signals.load_wanted.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Keep the plan supplied with due rows until ``stop`` is set."""
        stopper = asyncio.ensure_future(stop.wait())
        try:
            if self.settle > 0:
                await self._settle(stop, stopper)
            while not stop.is_set():
                self.signals.load_wanted.clear()
                try:
                    await self.store.reachability.retry(lambda: self._load_once(self.mono()), stop)
                except DatabaseUnreachableError:  # stopped while out of reach: nothing to read
                    return
                if self.plan.continuing or self.plan.wants_rows():
                    continue
                wait = max(0.0, self.rescan_at - self.mono())
                if wait > 0:
                    await _wait_any((stopper, self.signals.load_wanted), wait)
        finally:
            stopper.cancel()

    async def _settle(self, stop: asyncio.Event, stopper: asyncio.Future[Any]) -> None:
        """A term as leader begins during or just after a database outage: the leader before
        may still be recording what it sent before the outage (once the database answers);
        reading those rows now would send them again. So the first read waits until ``settle``
        seconds after the end of the outage."""
        reach = self.store.reachability
        if not reach.down and reach.settling(self.settle) <= 0:
            return
        with contextlib.suppress(DatabaseUnreachableError):  # stopped while out of reach
            await self.store.reachability.retry(self.store.outbox.next_delivery_time, stop)
        wait = self.store.reachability.settling(self.settle)
        if wait > 0:
            await _wait_any((stopper,), wait)

    async def _load_once(self, now: float) -> None:
        if now >= self.rescan_at:
            self.rescan_at = now + IDLE_WAIT
            self._restarted = now
            self.plan.restart_reading()
            if now - self._last_digest_check >= 1.0:
                self._last_digest_check = now
                await self._check_digests()
        if self.plan.continuing:
            await self._continue_chats()
        while self.plan.wants_rows():
            with self.plan.reading() as since:
                rows = await self.store.outbox.due_deliveries(
                    self.clock(), self.plan.batch, after=self.plan.cursor
                )
                self.plan.read(rows, self.mono(), since)
            self.signals.changed.set()
        await self.digests.scheduled()
        if now >= self._forget_at:
            self.plan.pacer.forget_idle(now)
            self._forget_at = now + 60.0
        await self._schedule_rescan()

    async def _schedule_rescan(self) -> None:
        """Read the store again when its earliest queued row that is not held becomes due."""
        due = await self.store.outbox.next_delivery_time()
        if due is None:
            return
        delay = due - self.clock()
        if delay > 0:
            self.rescan_at = min(self.rescan_at, self.mono() + delay)

    async def _continue_chats(self) -> None:
        """Read the next rows of chats whose held rows ran low."""
        chat_ids = self.plan.chats_to_continue()
        if not chat_ids:
            return
        with self.plan.reading() as since:
            rows = await self.store.outbox.due_for_chats(chat_ids, self.clock(), CONTINUE_ROWS)
            self.plan.continued(chat_ids, rows, self.mono(), since)
        self.signals.changed.set()

    async def _check_digests(self) -> None:
        """Turn every chat whose due backlog would take longer than ``digest_after`` to drain at
        its own limit into digest messages."""
        limits = self.plan.digest_limits(self.digest_after)
        backlogs = await self.store.outbox.backlogs(self.clock(), limits.smallest)
        for chat_id, kind, count in backlogs:
            if not limits.exceeded(kind, count) or self.plan.in_digest(chat_id):
                continue
            with self.plan.reading() as since:
                rows = await self.store.outbox.due_for_chats(
                    [chat_id], self.clock(), DIGEST_MAX_ROWS
                )
                await self.digests.make(chat_id, rows, since)


class _Digests:
    """Makes digests of a chat's due rows: a backlog's, or a chat's scheduled digest."""

    def __init__(
        self,
        store: StoreVerbs,
        plan: DeliveryPlan,
        signals: _Signals,
        *,
        clock: Callable[[], float],
        mono: Callable[[], float],
    ) -> None:
        self.store = store
        self.plan = plan
        self.signals = signals
        self.clock = clock
        self.mono = mono

    async def scheduled(self) -> None:
        """One digest for each chat with a schedule whose rows came due: all its due rows."""
        chats = self.plan.take_scheduled()
        if not chats:
            return
        with self.plan.reading() as since:
            rows = await self.store.outbox.due_for_chats(
                [chat.id for chat in chats], self.clock(), DIGEST_MAX_ROWS
            )
            by_chat: dict[int, list[Delivery]] = {}
            for row in rows:
                by_chat.setdefault(row.chat.id, []).append(row)
            for chat_id, chat_rows in by_chat.items():
                await self.make(chat_id, chat_rows, since)

    async def make(self, chat_id: int, rows: Sequence[Delivery], since: int) -> None:
        """Make the chat's due ``rows`` digest messages: a backlog's, or (a chat with a digest
        schedule) its scheduled digest, grouped by region, even of one story. Rows read before
        the digest they belong to wait for it."""
        chat = rows[0].chat if rows else None
        if chat is not None and scheduled(chat.settings):
            early = early_rows(rows, self.clock())
            if early:
                await self.store.outbox.hold_rows([(row.id, at) for row, at in early])
                waiting = {row.id for row, _ in early}
                rows = [row for row in rows if row.id not in waiting]
            section = chat_section(chat)
            made = self.plan.digest(chat_id, rows, self.mono(), since, least=1, section=section)
        else:
            made = self.plan.digest(chat_id, rows, self.mono(), since)
        self.signals.changed.set()
        if made is not None:
            log.info(
                "deliver chat=%d outcome=digest stories=%d messages=%d scheduled=%s",
                chat_id,
                made.stories,
                made.messages,
                chat is not None and scheduled(chat.settings),
            )


Settled = Callable[[Sequence[tuple[Send, Written]]], None]
"""Called with the outcomes just committed (to settle their chats)."""


class Writer:
    """Commits outcomes in small batched transactions, then hands them on to be settled."""

    def __init__(self, store: StoreVerbs, signals: _Signals, settled: Settled) -> None:
        self.store = store
        self.signals = signals
        self.settled = settled
        self._pending: list[tuple[Send, Written]] = []
        self._writing: list[Written] = []  # the batch being committed
        self._closing = False

    def unwritten(self) -> list[Written]:
        """The outcomes not committed yet (being written, or waiting)."""
        return [*self._writing, *(change for _, change in self._pending)]

    async def write_late(self, changes: Sequence[Written]) -> None:
        """Commit outcomes left over when their engine stopped (retried while out of reach)."""
        await self._commit(changes)

    def add(self, send: Send, change: Written) -> None:
        """Queue an outcome's writes; its chat is settled once they are committed."""
        self._pending.append((send, change))
        self.signals.write_wanted.set()

    def close(self) -> None:
        """Commit what is pending, then stop."""
        self._closing = True
        self.signals.write_wanted.set()

    async def run(self) -> None:
        """Commit pending outcomes as they come, until closed and nothing is pending."""
        wanted = self.signals.write_wanted
        while True:
            await wanted.wait()
            if not self._pending:
                wanted.clear()
                if self._closing:
                    return
                continue
            await asyncio.sleep(FLUSH_DELAY)
            batch, self._pending = self._pending, []
            wanted.clear()
            self._writing = [change for _, change in batch]
            await self._commit(self._writing)
            self._writing = []
            self.settled(batch)
            if self._closing and not self._pending:
                return

    async def _commit(self, changes: Sequence[Written]) -> None:
        """Write the outcomes to the outbox, in transactions of at most FLUSH_MAX rows each."""
        sent: list[tuple[int, int | None, float]] = []
        retries: list[tuple[int, int, float, str]] = []
        failed: list[tuple[int, str]] = []
        for change in changes:
            rows = change.unit.rows
            match change:
                case Delivered(message_id=message_id, at=at):
                    sent.extend((row.id, message_id, at) for row in rows)
                case Throttled(next_at=at) | BackedOff(next_at=at):
                    retries.extend((row.id, row.chat.id, at, change.error) for row in rows)
                case Failed(reason=reason):
                    failed.extend((row.id, reason) for row in rows)
        while sent or retries or failed:
            # Kept and tried again while the database is out of reach: a message Telegram took
            # must be recorded as sent, or the next leader sends it again.
            await self.store.reachability.retry(
                functools.partial(
                    self.store.outbox.record_outcomes,
                    sent=sent[:FLUSH_MAX],
                    retries=retries[:FLUSH_MAX],
                    failed=failed[:FLUSH_MAX],
                )
            )
            sent, retries, failed = sent[FLUSH_MAX:], retries[FLUSH_MAX:], failed[FLUSH_MAX:]


async def hold_for_quiet(store: StoreVerbs, send: Send, until: float) -> None:
    """The chat's quiet hours hold its teasers: its queued rows wait until they end (nothing
    was sent; the caller makes the plan forget the chat meanwhile)."""
    chat_id = send.chat.id
    held = await store.reachability.retry(functools.partial(store.outbox.hold_chat, chat_id, until))
    log.info(
        "deliver chat=%d %s outcome=held rows=%d quiet_until=%.0f",
        chat_id,
        send.unit.label,
        held,
        until,
    )


def _log_change(chat_id: int, change: Change, pacer: Pacer, mono: float) -> None:
    """The log line of an outcome (the store's part of ``gone`` is logged where it is done)."""
    label = change.unit.label
    match change:
        case Throttled(retry_after=seconds, whole_bot=whole):
            log.warning(
                "deliver chat=%d %s outcome=rate_limited retry_after=%g whole_bot=%s rate=%.1f/s",
                chat_id,
                label,
                seconds,
                whole,
                pacer.current_rate(mono),
            )
        case BackedOff(delay=delay, error=reason):
            log.warning(
                "deliver chat=%d %s outcome=retry in_s=%.1f reason=%r",
                chat_id,
                label,
                delay,
                reason,
            )
        case Failed(reason=why, gave_up=True):
            log.error("deliver chat=%d %s outcome=failed reason=%r", chat_id, label, why)
        case Failed(reason=why):
            log.error("deliver chat=%d %s outcome=dropped reason=%r", chat_id, label, why)
        case Replain(reason=reason):
            log.warning(
                "deliver chat=%d %s outcome=rejected reason=%r; sending it as %s",
                chat_id,
                label,
                reason,
                "plain text" if change.unit.as_plain else "a text message without the photo",
            )
        case Migrate(new_chat_id=new_id):
            log.info("deliver chat=%d outcome=moved new_chat=%d", chat_id, new_id)
        case Delivered() | Deactivate():
            pass


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
