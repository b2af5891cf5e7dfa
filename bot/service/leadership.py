"""Several processes on one PostgreSQL database: exactly one leads, the others follow.

Telegram's limits are per bot token and long polling allows one consumer, so only the leader
receives updates by long polling and runs delivery, outage notices and pruning; every process
polls sources (through leases) and, in webhook mode, answers webhook requests. The leader is
the holder of the :class:`~bot.store.postgres.LeaderLock`. It checks its lock every
``CHECK_EVERY`` seconds and steps down at once when it is gone (its duties end: no new send
starts, the one in flight finishes), then follows again, waiting for the lock, without exiting.

In webhook mode a follower's handlers answer the commands that reach it themselves (a reply is
not delivery: it goes out at once, paced by that process's own limiter); so with several
processes behind one webhook URL, replies may leave from any of them, while teasers leave only
from the leader. Every process registers the same webhook secret (WEBHOOK_SECRET, or one derived
from the bot token when it is unset), so whichever called setWebhook last, all accept Telegram.

With SQLite there is one process, which leads from start to stop (no lock: the store's instance
lock already keeps a second process out).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.service.delivery import Deliverer
from bot.store.postgres import CHECK_EVERY, DatabaseUnreachableError, LeaderLock

log = logging.getLogger("bot")

HANDOVER_PAUSE = 1.0
"""Seconds a new leader sends nothing: Telegram's one-second windows (30 per second overall, 1
per second per chat) still hold the sends of the leader before it, which may have died just now;
its last messages resent at once would meet 429s."""
STEP_ASIDE = 2 * CHECK_EVERY
"""Seconds a leader that stepped down waits before trying for the lock again."""

Duties = Callable[[asyncio.Event], Awaitable[None]]
"""The leader's work: runs until the event it is given (its resignation) is set."""


class DeliveryTerms:
    """The delivery engine of the current term as leader: a new one each term (nothing held in
    memory crosses from one term to the next; the outbox is the truth), none while following."""

    def __init__(
        self, make: Callable[[], Deliverer], on_term: Callable[[bool], None] = lambda _: None
    ) -> None:
        self._make = make
        self._on_term = on_term  # told True when a term begins, False when it ends
        self.engine: Deliverer | None = None

    def wake(self) -> None:
        """New rows were queued: the engine of this term (if any) reads the store now."""
        if self.engine is not None:
            self.engine.wake()

    def begin(self) -> Deliverer:
        """A new engine for a term that begins."""
        self.engine = self._make()
        self._on_term(True)
        return self.engine

    def end(self) -> None:
        """The term ended: queued rows wait for the next leader."""
        self.engine = None
        self._on_term(False)


async def lead_when_elected(lock: LeaderLock, stop: asyncio.Event, duties: Duties) -> None:
    """Follow until this process holds ``lock``, do ``duties`` while it does; again and again
    until ``stop`` is set. The lock is released on the way out."""
    try:
        while not stop.is_set():
            if not await _elected_now(lock):
                log.info("following: waiting for the leader lock database=%s", lock.where)
                if not await lock.wait(stop):
                    return
            resign = asyncio.Event()
            watch = asyncio.create_task(_watch(lock, stop, resign), name="leader-check")
            try:
                await duties(resign)
            finally:
                resign.set()
                watch.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watch
                await lock.release()
            if not stop.is_set():
                log.warning("stepped down: delivery and updates stopped until elected again")
                # A process that just lost its session lets a follower take over first.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), STEP_ASIDE)
    finally:
        await lock.release()


async def _elected_now(lock: LeaderLock) -> bool:
    """One try for the lock; a server out of reach counts as no (waiting says why)."""
    try:
        return await lock.try_acquire()
    except DatabaseUnreachableError:
        return False


async def _watch(lock: LeaderLock, stop: asyncio.Event, resign: asyncio.Event) -> None:
    """Set ``resign`` when ``stop`` is set or the lock is gone (asked every CHECK_EVERY s)."""
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(lock.lost.wait())]
    try:
        while not resign.is_set():
            await asyncio.wait(waiters, timeout=CHECK_EVERY, return_when=asyncio.FIRST_COMPLETED)
            if stop.is_set() or lock.lost.is_set() or not await lock.still_leader():
                resign.set()
    finally:
        for waiter in waiters:
            waiter.cancel()
