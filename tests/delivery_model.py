"""A simulated world for the pure delivery plan: an outbox in memory, a clock, Telegram's answers.

It drives :class:`bot.core.delivery_plan.DeliveryPlan` and :func:`bot.core.delivery_outcome.decide`
exactly as the async shell does (read due rows, continue chats, check digests, hand out sends,
settle outcomes once "committed"), but event by event on a simulated clock, so properties can be
checked over thousands of runs in seconds. The outbox model keeps the store's rules: a retry holds
back the chat's later rows; a gone chat's rows are cancelled; a moved chat's rows move with it.
"""

from __future__ import annotations

import heapq
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.core.delivery_outcome import (
    BackedOff,
    Change,
    Deactivate,
    Delivered,
    Failed,
    Migrate,
    Outage,
    Replain,
    RetryPolicy,
    Throttled,
    decide,
)
from bot.core.delivery_plan import (
    CONTINUE_ROWS,
    IDLE_WAIT,
    DeliveryPlan,
    OrderKey,
    Send,
)
from bot.core.models import (
    Article,
    Chat,
    ChatGone,
    ChatKind,
    ChatMoved,
    Delivery,
    MessageRejected,
    RateLimited,
    RegionFilter,
    SendOutcome,
    Sent,
    TransientFailure,
)
from bot.core.pacing import Pacer

SEEN = datetime(2026, 1, 1, tzinfo=UTC)
FINAL = ("sent", "failed", "cancelled")
MAX_STEPS = 50_000


def make_chat(chat_id: int, kind: ChatKind) -> Chat:
    return Chat(
        id=chat_id,
        kind=kind,
        title=None,
        username=None,
        thread_id=None,
        subscribed=True,
        region_filter=RegionFilter(),
        link_previews=True,
    )


def make_article(article_id: int, sort_at: float) -> Article:
    return Article(
        id=article_id,
        source_id=1,
        source_name="News",
        key=str(article_id),
        title=f"Story {article_id}",
        summary="What happened.",
        url=f"https://news.example/{article_id}",
        published=None,
        seen_at=SEEN,
    )


@dataclass(slots=True)
class Row:
    """One outbox row of the model."""

    id: int
    chat: Chat
    article: Article
    sort_at: float
    home: int  # the chat it was queued for (before any move)
    state: str = "queued"
    attempts: int = 0
    next_at: float = 0.0
    finals: int = 0  # how many times it reached a final state (must end at exactly 1)

    def delivery(self) -> Delivery:
        return Delivery(self.id, self.chat, self.article, self.attempts, 0.0, self.sort_at)

    @property
    def key(self) -> OrderKey:
        return (self.sort_at, self.article.id, self.id)


@dataclass(slots=True)
class Outbox:
    """The store's outbox rules, in memory."""

    rows: dict[int, Row] = field(default_factory=dict)

    def due(self, now: float) -> list[Row]:
        found = [r for r in self.rows.values() if r.state == "queued" and r.next_at <= now]
        return sorted(found, key=lambda r: r.key)

    def due_deliveries(self, now: float, limit: int, after: OrderKey | None) -> list[Delivery]:
        rows = [r for r in self.due(now) if after is None or r.key > after]
        return [r.delivery() for r in rows[:limit]]

    def due_for_chats(self, chat_ids: list[int], now: float, per_chat: int) -> list[Delivery]:
        found: list[Delivery] = []
        for chat_id in chat_ids:
            rows = [r for r in self.due(now) if r.chat.id == chat_id]
            found.extend(r.delivery() for r in rows[:per_chat])
        return found

    def backlogs(self, now: float) -> dict[int, tuple[ChatKind, int]]:
        counts: dict[int, tuple[ChatKind, int]] = {}
        for row in self.due(now):
            kind, count = counts.get(row.chat.id, (row.chat.kind, 0))
            counts[row.chat.id] = (kind, count + 1)
        return counts

    def next_due(self, now: float) -> float | None:
        later = [r.next_at for r in self.rows.values() if r.state == "queued" and r.next_at > now]
        return min(later, default=None)

    def queued(self) -> int:
        return sum(r.state == "queued" for r in self.rows.values())

    def finish(self, row_id: int, state: str) -> None:
        row = self.rows[row_id]
        assert row.state == "queued", f"row {row_id} was {row.state}, now {state}"
        row.state = state
        row.finals += 1
        row.attempts += 1

    def retry(self, row_id: int, chat_id: int, at: float) -> None:
        row = self.rows[row_id]
        assert row.state == "queued"
        row.attempts += 1
        row.next_at = at
        for other in self.rows.values():
            if other.chat.id == chat_id and other.state == "queued" and other.next_at < at:
                other.next_at = at

    def cancel_chat(self, chat_id: int) -> None:
        for row in self.rows.values():
            if row.chat.id == chat_id and row.state == "queued":
                self.finish(row.id, "cancelled")

    def move_chat(self, chat_id: int, new_id: int) -> None:
        moved = make_chat(new_id, ChatKind.SUPERGROUP)
        for row in self.rows.values():
            if row.chat.id == chat_id:
                row.chat = moved


@dataclass(frozen=True, slots=True)
class Sending:
    """A send as Telegram saw it."""

    at: float
    chat_id: int
    private: bool
    rows: tuple[int, ...]


OUTCOMES: dict[str, SendOutcome] = {
    "sent": Sent(1),
    "429": RateLimited(1.0),
    "429-bot": RateLimited(0.5, whole_bot=True),
    "5xx": TransientFailure("502 Bad Gateway"),
    "refused": MessageRejected("can't parse entities"),
    "gone": ChatGone("Forbidden: bot was blocked by the user"),
    "moved": ChatMoved(0),  # the new id is made up when it happens
}


@dataclass(slots=True)
class World:
    """The plan, the outbox and Telegram on one simulated clock (wall = monotonic here)."""

    outbox: Outbox
    answers: list[tuple[str, float]]  # Telegram's next answers and their latencies, in turn
    digest_after: float = 1e9
    policy: RetryPolicy = field(default_factory=lambda: RetryPolicy(60.0, backoff_base=0.5))
    pacer: Pacer = field(default_factory=Pacer)
    now: float = 0.0
    sends: list[Sending] = field(default_factory=list)
    delivered: dict[int, list[OrderKey]] = field(default_factory=lambda: defaultdict(list))
    flying: dict[int, float] = field(default_factory=dict)  # chat id → when its send left
    _answers: list[tuple[float, int, Send, SendOutcome, float]] = field(default_factory=list)
    _seq: int = 0
    _pending: list[tuple[Send, Change]] = field(default_factory=list)
    _rescan_at: float = 0.0
    _digest_at: float = 0.0
    _next_id: int = -(10**9)
    plan: DeliveryPlan = field(init=False)
    outage: Outage = field(default_factory=Outage)
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    stale_reads: float = 0.5  # how often a read's answer is overtaken by a commit

    def __post_init__(self) -> None:
        self.plan = DeliveryPlan(self.pacer)

    def run(self) -> None:
        """Deliver until nothing is queued, nothing held and nothing in flight."""
        for _ in range(MAX_STEPS):
            self._load()
            self._dispatch()
            if not self._answers and not self._pending and self.outbox.queued() == 0:
                assert self.plan.in_memory == 0
                return
            self._advance()
        raise AssertionError("the plan stalled: rows stay queued")

    # ------------------------------------------------------------------ the shell's loader

    def _load(self) -> None:
        if self._pending and self.rng.random() < self.stale_reads:
            self._rescan_at = self.now  # a wake (a poll queued rows) while outcomes wait
        if self.now >= self._rescan_at:
            self._rescan_at = self.now + IDLE_WAIT
            self.plan.restart_reading()
            if self.now >= self._digest_at:
                self._digest_at = self.now + 1.0
                self._digests()
        chat_ids = self.plan.chats_to_continue()
        if chat_ids:
            with self.plan.reading() as since:
                rows = self.outbox.due_for_chats(chat_ids, self.now, CONTINUE_ROWS)
                self._meanwhile()
                self.plan.continued(chat_ids, rows, self.now, since)
        while self.plan.wants_rows():
            with self.plan.reading() as since:
                batch = self.outbox.due_deliveries(self.now, self.plan.batch, self.plan.cursor)
                self._meanwhile()
                self.plan.read(batch, self.now, since)
        due = self.outbox.next_due(self.now)
        if due is not None:
            self._rescan_at = min(self._rescan_at, due)

    def _digests(self) -> None:
        limits = self.plan.digest_limits(self.digest_after)
        for chat_id, (kind, count) in self.outbox.backlogs(self.now).items():
            if limits.exceeded(kind, count) and not self.plan.in_digest(chat_id):
                with self.plan.reading() as since:
                    rows = self.outbox.due_for_chats([chat_id], self.now, 1000)
                    self._meanwhile()
                    self.plan.digest(chat_id, rows, self.now, since)

    def _meanwhile(self) -> None:
        """Between the store's answer to a read and the loader taking it, the writer may commit
        and settle outcomes (the answer then lists rows no longer queued)."""
        if self._pending and self.rng.random() < self.stale_reads:
            self._flush()

    def _flush(self) -> None:
        """The writer commits what is pending, and the plan settles it."""
        pending, self._pending = self._pending, []
        for send, change in pending:
            self._commit(send, change)

    # ------------------------------------------------------------------ the dispatcher

    def _dispatch(self) -> None:
        while (send := self.plan.next_send(self.now)) is not None:
            chat_id = send.chat.id
            assert chat_id not in self.flying, f"two messages in flight to chat {chat_id}"
            self.flying[chat_id] = self.now
            ids = tuple(row.id for row in send.unit.rows)
            self.sends.append(Sending(self.now, chat_id, send.chat.kind.is_private, ids))
            counted = self.pacer.departed(chat_id, send.at, self.now)
            answer, latency = self.answers.pop(0) if self.answers else ("sent", 0.05)
            outcome = OUTCOMES[answer]
            if isinstance(outcome, ChatMoved):
                outcome = ChatMoved(self._next_id)
                self._next_id += 1
            self._seq += 1
            answer_at = self.now + latency
            heapq.heappush(self._answers, (answer_at, self._seq, send, outcome, counted))

    def _advance(self) -> None:
        """Move the clock to the next event and handle it: an answer, a commit, a due time."""
        if self._pending:  # the writer commits at once: settle
            self._flush()
            return
        if not self._answers or self._answers[0][0] > self.now:
            times = [self._rescan_at, self.now + self.plan.until_next(self.now)]
            times.append(self.pacer.earliest_overall(self.now))
            if self._answers:
                times.append(self._answers[0][0])
            self.now = min(t for t in times if t > self.now)  # the loader keeps one ahead
        while self._answers and self._answers[0][0] <= self.now:
            _, _, send, outcome, counted = heapq.heappop(self._answers)
            self.pacer.answered(send.chat.id, counted, self.now)
            self._answered(send, outcome)

    # ------------------------------------------------------------------ outcomes

    def _answered(self, send: Send, outcome: SendOutcome) -> None:
        chat_id = send.chat.id
        del self.flying[chat_id]
        if not isinstance(outcome, TransientFailure):
            self.outage.answered()
        change = decide(
            send.chat,
            send.unit,
            outcome,
            wall=self.now,
            mono=self.now,
            pacer=self.pacer,
            policy=self.policy,
            rng=self.rng,
        )
        match change:
            case Deactivate():
                self.outbox.cancel_chat(chat_id)
                self.plan.drop_chat(chat_id)
            case Migrate(new_chat_id=new_id):
                self.outbox.move_chat(chat_id, new_id)
                self.plan.drop_chat(chat_id)
                self._rescan_at = self.now
            case Replain():
                self.plan.settle(send, change.unit, done=False, now=self.now)
            case Throttled(block_until=until, whole_bot=whole):
                self.pacer.block(until, None if whole else chat_id)
                if whole:
                    self.pacer.slow_down(self.now)
                self._pending.append((send, change))
            case BackedOff(block_until=until):
                self.pacer.block(until, chat_id)
                self._pending.append((send, change))
            case Delivered() | Failed():
                self._pending.append((send, change))
        if isinstance(outcome, TransientFailure):
            pause = self.outage.failed(self.now)
            if pause is not None:
                self.pacer.block(pause.until)

    def _commit(self, send: Send, change: Change) -> None:
        rows = change.unit.rows
        match change:
            case Delivered():
                for row in rows:
                    self.outbox.finish(row.id, "sent")
                    model = self.outbox.rows[row.id]
                    self.delivered[model.home].append(model.key)
            case Throttled(next_at=at) | BackedOff(next_at=at):
                for row in rows:
                    self.outbox.retry(row.id, send.chat.id, at)
            case Failed():
                for row in rows:
                    self.outbox.finish(row.id, "failed")
            case _:
                raise AssertionError(f"not a written change: {change}")
        self.plan.settle(send, change.unit, done=change.done, now=self.now)


def world_of(
    chats: list[tuple[ChatKind, list[float]]],
    answers: list[tuple[str, float]],
    *,
    digest_after: float = 1e9,
) -> World:
    """A world with each chat's rows (their articles' sort times) queued at time 0."""
    outbox = Outbox()
    row_id = 0
    for number, (kind, sort_times) in enumerate(chats, start=1):
        chat_id = number if kind.is_private else -number
        chat = make_chat(chat_id, kind)
        for article_id, sort_at in enumerate(sort_times, start=1):
            row_id += 1
            article = make_article(article_id, sort_at)
            outbox.rows[row_id] = Row(row_id, chat, article, sort_at, chat_id)
    return World(outbox, list(answers), digest_after=digest_after)
