"""Fairness for replies: PTB's rate-limiter hook, and an update processor that takes turns.

Every message a handler sends takes a priority slot of the throttle (:class:`PriorityRateLimiter`),
and updates are processed by chat in turns (:class:`FairUpdateProcessor`).

The rate limiter:

Installed on the application's bot (``ApplicationBuilder.rate_limiter``), so handler code needs
no change: ``message.reply_text(...)`` waits for the next overall slot its chat may use, ahead of
the broadcast. The delivery loop sends through its own ``Bot`` and takes its slots itself.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

from bot.core.pacing import Pacer
from bot.telegram.sender import retry_after_seconds

log = logging.getLogger("bot.telegram")

_PACED_PREFIXES = ("send", "copymessage", "forwardmessage", "editmessage")
_UNPACED = frozenset({"sendchataction"})


def is_paced(endpoint: str) -> bool:
    """Whether a Bot API method posts or changes a message (and so counts against the limits)."""
    name = endpoint.lower()
    return name.startswith(_PACED_PREFIXES) and name not in _UNPACED


def chat_of(data: dict[str, Any]) -> tuple[int, bool]:
    """The chat id a request addresses and whether it is a private chat (positive id)."""
    raw = data.get("chat_id")
    if isinstance(raw, int):
        return raw, raw > 0
    if isinstance(raw, str) and raw.lstrip("-").isdigit():
        value = int(raw)
        return value, value > 0
    return hash(raw), False  # "@channelusername": a channel


class ReplySlots(Protocol):
    """What replies need of the throttle delivery shares (``bot.service.throttle.Throttle``,
    handed in by the composition root): priority slots, blocks after a 429, the pacer's limits."""

    @property
    def pacer(self) -> Pacer:
        """The limits the slots follow."""
        ...

    @property
    def clock(self) -> Callable[[], float]:
        """The clock the slots are timed by."""
        ...

    async def acquire_priority(self, chat_id: int, private: bool) -> float:
        """Wait for the next slot this chat may use; the time it counted for."""
        ...

    def answered(self, chat_id: int, counted: float) -> None:
        """A reply counted at ``counted`` was answered."""

    def block(self, until: float, chat_id: int | None = None) -> None:
        """No slot (for ``chat_id``, or anyone) before ``until``."""

    def slow_down(self) -> None:
        """The whole bot was throttled: lower the overall rate."""


class PriorityRateLimiter(BaseRateLimiter[None]):
    """Makes handler-originated messages take priority slots from the shared throttle."""

    def __init__(self, throttle: ReplySlots) -> None:
        self.throttle = throttle

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(  # noqa: PLR0917 - PTB's signature
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for a priority slot (message methods only), then call the Bot API once more at
        most after a 429, waiting exactly as long as Telegram asked."""
        if not is_paced(endpoint):
            return await callback(*args, **kwargs)
        chat_id, private = chat_of(data)
        counted = await self.throttle.acquire_priority(chat_id, private)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            now = self.throttle.clock()
            whole_bot = not self.throttle.pacer.chat_limit_possible(chat_id, private)
            self.throttle.block(now + seconds, None if whole_bot else chat_id)
            if whole_bot:
                self.throttle.slow_down()
            log.warning(
                "reply chat=%s outcome=rate_limited retry_after=%g whole_bot=%s",
                chat_id,
                seconds,
                whole_bot,
            )
        finally:
            # Count the reply when its answer came, the latest Telegram can have counted it.
            self.throttle.answered(chat_id, counted)
        counted = await self.throttle.acquire_priority(chat_id, private)
        try:
            return await callback(*args, **kwargs)
        finally:
            self.throttle.answered(chat_id, counted)


MAX_WAITING_PER_CHAT = 4
"""Updates of one chat that may wait for their turn; more from that chat are dropped."""
_UNLIMITED = 1_000_000  # PTB's own semaphore: every update reaches the fair queue at once


def lane_of(update: object) -> tuple[int | None, str | None]:
    """The chat an update belongs to (its lane) and what it asks (equal asks are merged)."""
    if not isinstance(update, Update):
        return None, None
    chat = update.effective_chat
    user = update.effective_user
    key = chat.id if chat is not None else user.id if user is not None else None
    if update.callback_query is not None:
        return key, f"button:{update.callback_query.data}"
    message = update.effective_message
    if message is not None and message.text:
        return key, f"text:{message.text.strip()}"
    return key, None


@dataclass(slots=True)
class _Lane:
    waiting: deque[tuple[str | None, asyncio.Future[None]]] = field(default_factory=deque)
    running: bool = False
    dropped: int = 0
    merged: int = 0


class FairUpdateProcessor(BaseUpdateProcessor):
    """Processes updates fairly between chats: nobody's flood delays anybody else's reply.

    Each chat is a lane: its updates run one at a time, in order, and lanes take turns for the
    ``workers`` handler slots round-robin, so a chat that sent many commands waits behind the
    chats that sent one. Besides the one it runs (or the first waiting for a slot), at most
    :data:`MAX_WAITING_PER_CHAT` of a chat's updates wait; one
    equal to an update already waiting is merged into it (answered once), and further ones are
    dropped, with one log line per flood.
    """

    def __init__(self, workers: int = 8, *, per_chat: int = MAX_WAITING_PER_CHAT) -> None:
        super().__init__(_UNLIMITED)
        self.workers = workers
        self.per_chat = per_chat
        self._lanes: dict[object, _Lane] = {}
        self._ready: deque[object] = deque()
        self._active = 0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this chat's turn, then run the handlers; or drop a flood's excess."""
        chat_id, ask = lane_of(update)
        key: object = chat_id if chat_id is not None else object()
        lane = self._lanes.setdefault(key, _Lane())
        if ask is not None and any(waiting == ask for waiting, _ in lane.waiting):
            lane.merged += 1
            _discard(coroutine)
            return
        if len(lane.waiting) >= self.per_chat + (not lane.running):
            lane.dropped += 1
            _discard(coroutine)
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        lane.waiting.append((ask, turn))
        if not lane.running and len(lane.waiting) == 1:
            self._ready.append(key)
        self._grant()
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._done(key, lane)
            elif (ask, turn) in lane.waiting:
                lane.waiting.remove((ask, turn))
            _discard(coroutine)
            raise
        try:
            await coroutine
        finally:
            self._done(key, lane)

    def _grant(self) -> None:
        """Give free handler slots to the lanes next in turn."""
        while self._active < self.workers and self._ready:
            key = self._ready.popleft()
            lane = self._lanes.get(key)
            if lane is None or lane.running or not lane.waiting:
                continue
            _, turn = lane.waiting.popleft()
            lane.running = True
            self._active += 1
            turn.set_result(None)

    def _done(self, key: object, lane: _Lane) -> None:
        lane.running = False
        self._active -= 1
        if lane.waiting:
            self._ready.append(key)  # behind every chat already waiting
        elif self._lanes.get(key) is lane:
            del self._lanes[key]
            if lane.dropped or lane.merged:
                log.warning(
                    "updates chat=%s flood merged=%d dropped=%d", key, lane.merged, lane.dropped
                )
        self._grant()


def _discard(coroutine: Awaitable[Any]) -> None:
    """Let go of an update's handler coroutine that will never run."""
    if inspect.iscoroutine(coroutine):
        coroutine.close()
