"""One budget for every message the bot sends: replies to people first, then the broadcast.

The :class:`Throttle` owns the :class:`bot.core.pacing.Pacer`. Replies to commands take a *priority*
slot (:meth:`Throttle.acquire_priority`): they are granted the next free overall slot, ahead of
the delivery loop, as soon as their own chat's limit allows. The delivery loop asks for its turn
(:meth:`Throttle.broadcast_turn`) and then records the slot it takes in the same pacer (its plan
does: :meth:`bot.core.delivery_plan.DeliveryPlan.next_send`; other callers use
:meth:`Throttle.take`), so both kinds of message count against the same overall limit and
nothing bursts above it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.pacing import Pacer


@dataclass(slots=True)
class _Waiter:
    chat_id: int
    private: bool
    future: asyncio.Future[float]


class Throttle:
    """Shares one pacer between priority sends (replies) and the broadcast (the delivery loop)."""

    def __init__(self, pacer: Pacer, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.pacer = pacer
        self.clock = clock
        self._waiting: list[_Waiter] = []
        self._timer: asyncio.TimerHandle | None = None

    async def acquire_priority(self, chat_id: int, private: bool) -> float:
        """Wait for the next slot this chat may use, ahead of every broadcast send; it is taken.

        Returns the time it was counted at, for :meth:`answered` once the reply is answered."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(chat_id, private, future)
        self._waiting.append(waiter)
        self._serve()
        try:
            return await future
        finally:
            if waiter in self._waiting:  # cancelled before its turn
                self._waiting.remove(waiter)

    async def broadcast_turn(self) -> float:
        """Wait until a broadcast send may go (priority sends served first); returns ``now``."""
        while True:
            self._serve()
            now = self.clock()
            at = self.pacer.earliest_overall(now)
            if at <= now:
                return now
            await asyncio.sleep(at - now)

    def take(self, chat_id: int, private: bool, now: float) -> None:
        """Record a broadcast send taken at ``now`` (after :meth:`broadcast_turn`)."""
        self.pacer.record(chat_id, private, now)

    def departed(self, chat_id: int, planned: float) -> float:
        """The send planned at ``planned`` leaves now: count it (and its lag) from now."""
        return self.pacer.departed(chat_id, planned, self.clock())

    def answered(self, chat_id: int, counted: float) -> None:
        """The send counted at ``counted`` (:meth:`departed`) has its answer now: count it now."""
        self.pacer.answered(chat_id, counted, self.clock())

    def slow_down(self) -> None:
        """A 429 the chat's own limit cannot explain: lower the overall rate for a while."""
        self.pacer.slow_down(self.clock())

    def block(self, until: float, chat_id: int | None = None) -> None:
        """Send nothing (to this chat, or at all) before ``until`` (monotonic seconds)."""
        self.pacer.block(until, chat_id)
        self._serve()

    def _serve(self) -> None:
        """Grant every priority waiter whose slot has come; arm a timer for the next one."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._waiting:
            now = self.clock()
            at = self.pacer.earliest_overall(now)
            if at > now:
                self._arm(at - now)
                return
            chosen: _Waiter | None = None
            next_at = math.inf
            for waiter in list(self._waiting):
                if waiter.future.done():
                    self._waiting.remove(waiter)
                    continue
                ready_at = self.pacer.earliest_for_chat(waiter.chat_id, waiter.private, now)
                if ready_at <= now:
                    chosen = waiter
                    break
                next_at = min(next_at, ready_at)
            if chosen is None:
                if math.isfinite(next_at):
                    self._arm(next_at - now)
                return
            self._waiting.remove(chosen)
            self.pacer.record(chosen.chat_id, chosen.private, now)
            chosen.future.set_result(now)

    def _arm(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(max(0.0, delay), self._serve)
