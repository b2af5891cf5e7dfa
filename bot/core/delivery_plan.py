"""Which chat sends next: the delivery engine's pure state machine.

Pure: no I/O and no clock of its own; every call that depends on time takes ``now`` (monotonic
seconds, the :class:`~bot.core.pacing.Pacer`'s clock). The async shell
(:mod:`bot.service.delivery`) reads outbox rows into the plan, asks it for the next
:class:`Send`, and reports back when the send's outcome is settled.

The state, per chat: at most :data:`PER_CHAT` messages (*units*) held in delivery order, and at
most one in flight. A chat is *busy* from the moment its unit is handed out until
:meth:`DeliveryPlan.settle` (the shell calls it once the outcome is committed) or
:meth:`DeliveryPlan.drop_chat`; a busy chat is never handed out again, so one chat never has two
messages in flight and its messages leave in order. Chats with work wait on a heap keyed by the
time their own limit allows; :meth:`DeliveryPlan.next_send` takes the longest waiting one whose
time has come and records the send in the pacer, so the pacer's limits hold for every send.

A chat whose backlog would take too long at its own limit is turned into digest units
(:meth:`DeliveryPlan.digest`): several rows in one message, packed by :mod:`bot.core.digest`.
A chat with a digest schedule never gets single units: its due rows are noted
(:meth:`DeliveryPlan.take_scheduled`) and the shell reads them all into one digest, each part a
unit with its own rows, so each message's rows are recorded when that message is sent.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from bot.core import texts
from bot.core.arrival import scheduled
from bot.core.digest import pack_digest
from bot.core.i18n import trn
from bot.core.models import Article, Chat, ChatKind, Delivery
from bot.core.pacing import Pacer

PER_CHAT = 2
"""Rows of one chat held in memory: the next to send and the one after (a /stop lands fast)."""
CONTINUE_ROWS = 2 * PER_CHAT + 1
"""Rows read when a chat's held rows run low: up to ``PER_CHAT + 1`` are held (queued and in
flight), so two more than that show whether further rows remain in the store."""
IDLE_WAIT = 5.0
"""With nothing to do, look again after this many seconds anyway."""

OrderKey = tuple[float, int, int]
"""Where a row stands in delivery order: (article sort time, article id, outbox id)."""


def order_key(row: Delivery) -> OrderKey:
    """A row's place in delivery order (publication order, then id)."""
    return (row.sort_at, row.article.id, row.id)


def digest_heading(count: int, part: int, parts: int, language: str | None = None) -> str:
    """The heading of one digest message (in the chat's language)."""
    if parts == 1:
        return trn(texts.DIGEST_HEADING, count, language).format(count=count)
    return trn(texts.DIGEST_HEADING_PART, count, language).format(
        count=count, part=part, parts=parts
    )


@dataclass(frozen=True, slots=True)
class Unit:
    """One message to send: a single teaser, or a digest of several rows (in order)."""

    rows: tuple[Delivery, ...]
    attempts: int
    html: str | None = None  # None: the teaser of the single row, rendered when sent
    plain: str | None = None
    as_plain: bool = False
    first_reason: str | None = None  # why the HTML version was refused
    text_only: bool = False  # Telegram refused the photo: send the teaser as a text message

    @property
    def key(self) -> OrderKey:
        """The unit's place in its chat's delivery order."""
        return order_key(self.rows[0])

    @property
    def label(self) -> str:
        """How log lines name the unit: its article, or the digest's size."""
        if len(self.rows) == 1:
            return f"article={self.rows[0].article.id}"
        return f"digest={len(self.rows)}"


@dataclass(frozen=True, slots=True)
class Send:
    """A message the plan hands out: send ``unit`` to ``chat`` now (counted at ``at``)."""

    chat: Chat
    unit: Unit
    at: float
    ticket: int  # which life of the chat's queue it belongs to (a dropped chat's is stale)


@dataclass(frozen=True, slots=True)
class DigestMade:
    """A chat's backlog became digest messages."""

    chat_id: int
    stories: int
    messages: int


@dataclass(frozen=True, slots=True)
class DigestLimits:
    """Backlogs (rows due) above which a chat's rows become a digest, by kind of chat."""

    private_rows: int
    group_rows: int

    @property
    def smallest(self) -> int:
        """The smallest backlog that may need a digest (what to ask the store for)."""
        return min(self.private_rows, self.group_rows) + 1

    def exceeded(self, kind: ChatKind, count: int) -> bool:
        """Whether ``count`` due rows of a chat of this kind need a digest."""
        return count > (self.private_rows if kind.is_private else self.group_rows)


@dataclass(slots=True)
class _ChatQueue:
    chat: Chat
    ticket: int
    units: list[Unit] = field(default_factory=list)  # sorted by key
    in_flight: Unit | None = None  # handed out and not settled yet
    more: bool = False  # the store holds further due rows for this chat
    digest: bool = False  # its units are digest parts

    @property
    def busy(self) -> bool:
        return self.in_flight is not None


class _Reading:
    """The loader's side of the plan: the keyset cursor, how much to read, which chats need more
    rows, how many messages are held, and which rows a read under way must not bring back."""

    def __init__(self, rate: float) -> None:
        self.high_water = max(100, math.ceil(2 * rate))
        """Messages held in memory above which no more rows are read."""
        self.batch = max(50, self.high_water // 2)
        """Rows read at a time."""
        self.cursor: OrderKey | None = None
        self.exhausted = False
        self._continue: set[int] = set()
        self._units = 0
        self._epoch = 0  # how many times rows were forgotten
        self._reads: dict[int, int] = {}  # reads under way, by the epoch they began in
        self._forgotten: dict[int, int] = {}  # outbox id -> epoch it was forgotten in

    @contextlib.contextmanager
    def reading(self) -> Iterator[int]:
        """Mark a read of the store; pass the token it yields to the call taking its rows.

        A row the plan forgets (sent, failed, or its chat dropped) after the read began may be
        in the read's result all the same: the store answered from before the outcome was
        committed. Such rows are not taken, or the message would be sent twice.
        """
        since = self._epoch
        self._reads[since] = self._reads.get(since, 0) + 1
        try:
            yield since
        finally:
            left = self._reads.pop(since) - 1
            if left:
                self._reads[since] = left
            oldest = min(self._reads, default=self._epoch)
            self._forgotten = {i: e for i, e in self._forgotten.items() if e > oldest}

    def _forgot(self, row_ids: Iterable[int]) -> None:
        """These rows left the plan for good; reads under way must not bring them back."""
        self._epoch += 1
        if self._reads:
            self._forgotten.update(dict.fromkeys(row_ids, self._epoch))

    def _stale(self, row_id: int, since: int) -> bool:
        """Whether a read that began in epoch ``since`` returned a row forgotten after it began."""
        return self._forgotten.get(row_id, -1) > since

    def restart_reading(self) -> None:
        """Read the store again from its first due row (rows that became due meanwhile)."""
        self.cursor = None
        self.exhausted = False

    def wants_rows(self) -> bool:
        """Whether to read the next batch of due rows now."""
        return not self.exhausted and self._units < self.high_water

    def runs_low(self) -> bool:
        """Whether the held messages ran below half the high-water mark (read ahead)."""
        return not self.exhausted and self._units < self.high_water // 2

    @property
    def continuing(self) -> bool:
        """Whether some chat waits for its next rows."""
        return bool(self._continue)

    @property
    def units(self) -> int:
        """Messages held in memory (queued or in flight)."""
        return self._units


class DeliveryPlan(_Reading):
    """Chats, their held messages and who may send next. See the module's docstring."""

    def __init__(self, pacer: Pacer) -> None:
        super().__init__(pacer.effective_rate)
        self.pacer = pacer
        self._chats: dict[int, _ChatQueue] = {}
        self._held: set[int] = set()  # outbox ids in memory (queued here or in flight)
        self._ready: list[tuple[float, int, int]] = []  # (time, sequence, chat id)
        self._seq = 0
        self._scheduled: dict[int, Chat] = {}  # chats with a schedule whose rows came due

    @property
    def in_memory(self) -> int:
        """How many outbox rows the plan holds (queued in memory or in flight)."""
        return len(self._held)

    # ------------------------------------------------------------------ reading rows in

    def chats_to_continue(self) -> list[int]:
        """The chats whose held rows ran low while the store has more (each asked for once)."""
        chat_ids = [chat_id for chat_id in self._continue if chat_id in self._chats]
        self._continue.clear()
        return chat_ids

    def read(self, rows: Sequence[Delivery], now: float, since: int) -> None:
        """Take the batch of due rows read after the cursor (``batch`` asked for) by the read
        that began in epoch ``since`` (see :meth:`reading`)."""
        if len(rows) < self.batch:
            self.exhausted = True
        if rows:
            self.cursor = order_key(rows[-1])
        for row in rows:
            if not self._stale(row.id, since):
                self._hold(row, now, continuation=False)

    def continued(
        self, chat_ids: Iterable[int], rows: Sequence[Delivery], now: float, since: int
    ) -> None:
        """Take the first :data:`CONTINUE_ROWS` due rows of each chat in ``chat_ids``."""
        by_chat: dict[int, list[Delivery]] = {}
        for row in rows:
            if not self._stale(row.id, since):
                by_chat.setdefault(row.chat.id, []).append(row)
        for chat_id in chat_ids:
            queue = self._chats.get(chat_id)
            if queue is None:
                continue
            found = by_chat.get(chat_id, [])
            queue.more = len(found) >= CONTINUE_ROWS
            for row in found:
                self._hold(row, now, continuation=True)
            if not queue.units and not queue.busy and not queue.more:
                del self._chats[chat_id]

    def _hold(self, row: Delivery, now: float, *, continuation: bool) -> None:
        """Take a due row into memory, unless it is held already or must wait its turn."""
        if row.id in self._held:
            return
        chat_id = row.chat.id
        queue = self._chats.get(chat_id)
        if scheduled(row.chat.settings):
            if queue is not None and (queue.digest or queue.busy or queue.units):
                queue.more = True
            else:
                self._scheduled[chat_id] = row.chat
            return
        if queue is None:
            queue = self._new_queue(row.chat)
        elif queue.digest or (queue.more and not continuation) or len(queue.units) >= PER_CHAT:
            queue.more = True
            return
        unit = Unit((row,), row.attempts)
        keys = [u.key for u in queue.units]
        queue.units.insert(bisect.bisect(keys, unit.key), unit)
        self._held.add(row.id)
        self._units += 1
        if not queue.busy:
            self._push(queue, now)

    def _new_queue(self, chat: Chat) -> _ChatQueue:
        self._seq += 1
        queue = self._chats[chat.id] = _ChatQueue(chat, self._seq)
        return queue

    # ------------------------------------------------------------------ digests

    def digest_limits(self, digest_after: float) -> DigestLimits:
        """The backlogs that take longer than ``digest_after`` seconds at a chat's own limit."""
        return DigestLimits(
            math.ceil(digest_after * self.pacer.chat_rate(True)),
            math.ceil(digest_after * self.pacer.chat_rate(False)),
        )

    def take_scheduled(self) -> list[Chat]:
        """The chats with a digest schedule whose rows came due since the last call (read all
        their due rows and hand them to :meth:`digest`)."""
        chats = list(self._scheduled.values())
        self._scheduled.clear()
        return chats

    def in_digest(self, chat_id: int) -> bool:
        """Whether the chat's held messages are digest parts already."""
        queue = self._chats.get(chat_id)
        return queue is not None and queue.digest

    def digest(
        self,
        chat_id: int,
        rows: Sequence[Delivery],
        now: float,
        since: int,
        *,
        least: int = 2,
        section: Callable[[Article], str] | None = None,
    ) -> DigestMade | None:
        """Replace the chat's held messages by digests of ``rows`` (its due rows, in order),
        when there are at least ``least``; ``section`` groups them (see ``pack_digest``)."""
        queue = self._chats.get(chat_id)
        flying = {r.id for r in queue.in_flight.rows} if queue and queue.in_flight else set()
        rows = [r for r in rows if r.id not in flying and not self._stale(r.id, since)]
        if len(rows) < max(1, least):
            return None
        if queue is None:
            queue = self._new_queue(rows[0].chat)
        for unit in queue.units:
            self._held.difference_update(held.id for held in unit.rows)
        self._units -= len(queue.units)
        queue.units = _digest_units(rows, section)
        for unit in queue.units:
            self._held.update(r.id for r in unit.rows)
        self._units += len(queue.units)
        queue.digest = True
        queue.more = False
        self._continue.discard(chat_id)
        if not queue.busy:
            self._push(queue, now)
        return DigestMade(chat_id, len(rows), len(queue.units))

    # ------------------------------------------------------------------ handing sends out

    def next_send(self, now: float) -> Send | None:
        """The message to send now, if the overall limit and some chat's own limit allow one:
        that chat's first, from the chat that has waited longest. Its send is recorded."""
        if self.pacer.earliest_overall(now) > now:
            return None
        while self._ready:
            at, _, chat_id = self._ready[0]
            queue = self._chats.get(chat_id)
            if queue is None or queue.busy or not queue.units:
                heapq.heappop(self._ready)
                continue
            if at > now:
                return None
            heapq.heappop(self._ready)
            private = queue.chat.kind.is_private
            actual = self.pacer.earliest_for_chat(chat_id, private, now)
            if actual > now:
                self._push(queue, actual)
                continue
            unit = queue.in_flight = queue.units.pop(0)
            self.pacer.record(chat_id, private, now)
            return Send(queue.chat, unit, now, queue.ticket)
        return None

    def until_next(self, now: float) -> float:
        """Seconds until some chat's own limit allows its next message (at most IDLE_WAIT)."""
        while self._ready:
            at, _, chat_id = self._ready[0]
            queue = self._chats.get(chat_id)
            if queue is None or queue.busy or not queue.units:
                heapq.heappop(self._ready)
                continue
            return min(IDLE_WAIT, max(0.0, at - now))
        return IDLE_WAIT

    def _push(self, queue: _ChatQueue, now: float, at: float | None = None) -> None:
        """Put a chat with units on the ready heap at the time its own limit allows."""
        if at is None:
            at = self.pacer.earliest_for_chat(queue.chat.id, queue.chat.kind.is_private, now)
        self._seq += 1
        heapq.heappush(self._ready, (at, self._seq, queue.chat.id))

    # ------------------------------------------------------------------ settling

    def settle(self, send: Send, unit: Unit, *, done: bool, now: float) -> None:
        """The chat's message is settled: forget it (``done``) or put ``unit`` (the same message,
        perhaps changed) first again, one attempt more."""
        queue = self._chats.get(send.chat.id)
        if queue is None or queue.ticket != send.ticket:  # dropped meanwhile: all forgotten
            return
        queue.in_flight = None
        if done:
            self._held.difference_update(row.id for row in unit.rows)
            self._forgot(row.id for row in unit.rows)
            self._units -= 1
        else:
            queue.units.insert(0, replace(unit, attempts=unit.attempts + 1))
        if not queue.units and queue.digest:
            queue.digest = False
            queue.more = True
        if queue.more and len(queue.units) < PER_CHAT:
            self._continue.add(queue.chat.id)
        if queue.units:
            self._push(queue, now)
        elif not queue.more:
            del self._chats[queue.chat.id]

    def drop_chat(self, chat_id: int) -> None:
        """Forget a chat and everything held for it (the store decides what happens next)."""
        queue = self._chats.pop(chat_id, None)
        self._continue.discard(chat_id)
        self._scheduled.pop(chat_id, None)
        if queue is None:
            return
        for unit in [*queue.units, *([queue.in_flight] if queue.in_flight else [])]:
            self._held.difference_update(row.id for row in unit.rows)
            self._forgot(row.id for row in unit.rows)
            self._units -= 1


def _digest_units(
    rows: Sequence[Delivery], section: Callable[[Article], str] | None = None
) -> list[Unit]:
    """Digest messages holding ``rows`` (in order), each within Telegram's length limit."""
    by_article = {row.article.id: row for row in rows}
    chat = rows[0].chat
    heading = functools.partial(digest_heading, language=chat.language)
    signature = chat.settings.post_format.signature
    units: list[Unit] = []
    articles = [row.article for row in rows]
    for part in pack_digest(articles, heading, section=section, signature=signature):
        part_rows = tuple(by_article[a.id] for a in part.articles)
        attempts = max(r.attempts for r in part_rows)
        units.append(Unit(part_rows, attempts, html=part.html, plain=part.plain))
    return units
