"""What one send's outcome changes: a named record per case, decided without I/O.

Pure: :func:`decide` takes Telegram's answer (a :data:`~bot.core.models.SendOutcome`), the times
``wall`` (the store's clock) and ``mono`` (the pacer's) and returns one :data:`Change`; the shell
(:mod:`bot.service.delivery`) applies it: it writes the outbox, blocks the pacer, logs, and
settles the chat in the :class:`~bot.core.delivery_plan.DeliveryPlan`.

=====================  ==============================================================
Telegram said          change
=====================  ==============================================================
sent                   :class:`Delivered`: the rows are sent (final)
429 retry after        :class:`Throttled`: the chat (or, when its own limit cannot
                       explain the 429, the whole bot) waits; the rows retry then
network error, 5xx     :class:`BackedOff`: the chat waits a jittered, doubling delay;
                       after ``give_up_after`` seconds :class:`Failed` (final)
photo refused          :class:`Replain`: sent once more as a text message (no photo)
message refused        :class:`Replain`: sent once more as plain text; refused again:
                       :class:`Failed` (final)
chat gone              :class:`Deactivate`: the chat is unsubscribed, its rows cancelled
chat moved             :class:`Migrate`: the chat and its rows move to the new id
=====================  ==============================================================

Outages (:class:`Outage`): many sends failing in a row, to any chats, mean Telegram itself is
down; every send then pauses for a while that doubles with each failed probe.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import ClassVar

from bot.core.delivery_plan import Unit
from bot.core.models import (
    Chat,
    ChatGone,
    ChatMoved,
    MessageRejected,
    RateLimited,
    SendOutcome,
    Sent,
    TransientFailure,
)
from bot.core.pacing import Pacer

BACKOFF_BASE = 5.0
BACKOFF_CAP = 1800.0
OUTAGE_AFTER = 5
"""Sends failing in a row (network errors, 5xx, any chat) that mean Telegram itself is down."""
OUTAGE_PAUSE = 2.0
"""The first pause of every send during an outage; it doubles with each failed probe."""
OUTAGE_PAUSE_CAP = 60.0


def retry_delay(
    attempts: int, rng: random.Random, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP
) -> float:
    """Backoff for network errors: ``base`` doubling per attempt, capped, with full jitter in the
    upper half (so retries of many chats spread out)."""
    delay: float = min(base * 2 ** min(attempts, 30), cap)
    return delay / 2 + rng.random() * delay / 2


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long failing sends are retried, and how far apart."""

    give_up_after: float = 24 * 3600
    """Seconds after a row was queued when network errors stop being retried."""
    backoff_base: float = BACKOFF_BASE
    backoff_cap: float = BACKOFF_CAP


@dataclass(frozen=True, slots=True)
class Delivered:
    """Telegram accepted the message: its rows are sent."""

    done: ClassVar[bool] = True
    unit: Unit
    message_id: int | None
    at: float  # wall clock


@dataclass(frozen=True, slots=True)
class Throttled:
    """A 429: nothing to the chat (``whole_bot``: to anyone) before ``block_until``."""

    done: ClassVar[bool] = False
    unit: Unit
    retry_after: float
    next_at: float  # wall clock: when the rows are due again
    block_until: float  # monotonic
    whole_bot: bool  # the chat's own limit cannot explain it: the whole bot slows down

    @property
    def error(self) -> str:
        """The reason stored with the rows."""
        return f"429: retry after {self.retry_after:g} s"


@dataclass(frozen=True, slots=True)
class BackedOff:
    """A network error, timeout or 5xx: the chat waits ``delay`` seconds, then retries."""

    done: ClassVar[bool] = False
    unit: Unit
    delay: float
    next_at: float  # wall clock
    block_until: float  # monotonic
    error: str


@dataclass(frozen=True, slots=True)
class Failed:
    """The rows are given up, with the reason (``gave_up``: retried too long; else dropped)."""

    done: ClassVar[bool] = True
    unit: Unit
    reason: str
    gave_up: bool


@dataclass(frozen=True, slots=True)
class Replain:
    """Telegram refused the HTML (or the photo): send ``unit`` (now plain text, or a text
    message without the photo) again at once."""

    done: ClassVar[bool] = False
    unit: Unit
    reason: str


@dataclass(frozen=True, slots=True)
class Deactivate:
    """The chat cannot be posted to any more: unsubscribe it, cancel its rows."""

    done: ClassVar[bool] = True
    unit: Unit
    chat_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Migrate:
    """The group became a supergroup: move the chat and its rows to the new id."""

    done: ClassVar[bool] = True
    unit: Unit
    chat_id: int
    new_chat_id: int


Change = Delivered | Throttled | BackedOff | Failed | Replain | Deactivate | Migrate
Written = Delivered | Throttled | BackedOff | Failed
"""The changes the shell writes to the outbox (in batches) before it settles the chat."""


def decide(
    chat: Chat,
    unit: Unit,
    outcome: SendOutcome,
    *,
    wall: float,
    mono: float,
    pacer: Pacer,
    policy: RetryPolicy,
    rng: random.Random,
) -> Change:
    """What ``outcome`` (the answer to sending ``unit`` to the chat) changes."""
    match outcome:
        case Sent(message_id=message_id):
            return Delivered(unit, message_id, wall)
        case RateLimited(retry_after=seconds, whole_bot=whole_bot):
            whole = whole_bot or not pacer.chat_limit_possible(chat.id, chat.kind.is_private)
            return Throttled(unit, seconds, wall + seconds, mono + seconds, whole)
        case ChatGone(reason=reason):
            return Deactivate(unit, chat.id, reason)
        case ChatMoved(new_chat_id=new_id):
            return Migrate(unit, chat.id, new_id)
        case MessageRejected(reason=reason, photo=True) if not unit.text_only:
            return Replain(replace(unit, text_only=True), reason)
        case MessageRejected(reason=reason) if not unit.as_plain:
            return Replain(replace(unit, as_plain=True, first_reason=reason), reason)
        case MessageRejected(reason=reason):
            why = f"rejected: {unit.first_reason}; as plain text: {reason}"
            return Failed(unit, why, gave_up=False)
        case TransientFailure(reason=reason):
            return _transient(unit, reason, wall=wall, mono=mono, policy=policy, rng=rng)


def _transient(
    unit: Unit, reason: str, *, wall: float, mono: float, policy: RetryPolicy, rng: random.Random
) -> BackedOff | Failed:
    """Back off with jitter, or give up once the oldest row is older than the give-up time."""
    oldest = min(row.created_at for row in unit.rows)
    if wall - oldest >= policy.give_up_after:
        why = f"gave up after {unit.attempts + 1} attempts: {reason}"
        return Failed(unit, why, gave_up=True)
    delay = retry_delay(unit.attempts, rng, base=policy.backoff_base, cap=policy.backoff_cap)
    return BackedOff(unit, delay, wall + delay, mono + delay, reason)


@dataclass(slots=True)
class DeliveryStats:
    """What the delivery loop has done since it started (committed outcomes).

    ``sent``, ``retried`` and ``failed`` count rows; the others count events."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    gone: int = 0
    moved: int = 0
    digests: int = 0
    rate_limited: int = 0

    def count(self, change: Change) -> None:
        """Add a change that took effect."""
        rows = len(change.unit.rows)
        match change:
            case Delivered():
                self.sent += rows
                if rows > 1:
                    self.digests += 1
            case Throttled():
                self.retried += rows
                self.rate_limited += 1
            case BackedOff():
                self.retried += rows
            case Failed():
                self.failed += rows
            case Deactivate():
                self.gone += 1
            case Migrate():
                self.moved += 1
            case Replain():
                pass

    def since(self, earlier: DeliveryStats) -> DeliveryStats:
        """What was counted after ``earlier`` (a copy of these counters taken then)."""
        return DeliveryStats(
            sent=self.sent - earlier.sent,
            retried=self.retried - earlier.retried,
            failed=self.failed - earlier.failed,
            gone=self.gone - earlier.gone,
            moved=self.moved - earlier.moved,
            digests=self.digests - earlier.digests,
            rate_limited=self.rate_limited - earlier.rate_limited,
        )


@dataclass(frozen=True, slots=True)
class OutagePause:
    """Telegram looks down: send nothing (replies neither) before ``until`` (monotonic)."""

    until: float
    pause: float
    failures: int


@dataclass(slots=True)
class Outage:
    """Counts sends failing in a row, whatever the chat, and decides the outage pauses."""

    failing: int = 0
    level: int = 0
    paused_until: float = float("-inf")  # monotonic

    def failed(self, now: float) -> OutagePause | None:
        """A send failed at ``now`` (network, 5xx): the pause to start, if one is due."""
        if now < self.paused_until:
            return None  # a send started before the pause: the pause already counts it
        self.failing += 1
        if self.failing < OUTAGE_AFTER:
            return None
        pause = min(OUTAGE_PAUSE_CAP, OUTAGE_PAUSE * 2 ** min(self.level, 30))
        self.level += 1
        self.paused_until = now + pause
        return OutagePause(self.paused_until, pause, self.failing)

    def answered(self) -> int | None:
        """Telegram answered a send: any outage is over (returns its failures in a row)."""
        ended = self.failing if self.level else None
        self.failing = 0
        self.level = 0
        return ended
