"""Whether the database answers: the store's own calls find out, the running parts wait on it.

A PostgreSQL restart, a failover or a network cut makes the store's calls raise
:class:`~bot.core.errors.DatabaseUnreachableError`. The store marks the database down on the
first such failure and up on the next call that succeeds, with one log line for each change;
the poller and delivery pause meanwhile, retrying their calls with :meth:`Reachability.retry`
(backoff, and at once when another call found the database back). A SQLite file is never
"unreachable": its faults are the disk's (``storage_fault``) and stop the bot.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.core.errors import DatabaseUnreachableError

log = logging.getLogger("bot.store")

T = TypeVar("T")
FIRST_WAIT = 0.2
MAX_WAIT = 1.0
"""Seconds between a paused call's tries: doubling from FIRST_WAIT up to this."""


class Reachability:
    """The database's state as the store's calls found it: up, or down since when."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.down_since: float | None = None
        self.back_at: float | None = None  # when the latest outage ended (``clock``)
        self._up = asyncio.Event()
        self._up.set()

    @property
    def down(self) -> bool:
        """Whether the latest call found the database out of reach."""
        return self.down_since is not None

    def failed(self, why: str) -> None:
        """A call could not reach the database (logged once per outage)."""
        if self.down_since is None:
            self.down_since = self.clock()
            self._up.clear()
            log.warning(
                "database unreachable: %s; polling and delivery paused, retrying until it answers",
                why,
            )

    def answered(self) -> None:
        """A call reached the database (the end of an outage is logged once)."""
        if self.down_since is not None:
            log.warning(
                "database back after %.0f s: polling and delivery resume",
                self.clock() - self.down_since,
            )
            self.down_since = None
            self.back_at = self.clock()
            self._up.set()

    def settling(self, seconds: float) -> float:
        """How long until ``seconds`` have passed since the latest outage ended (0: they have,
        or there was none): other processes' writes held through it land meanwhile."""
        if self.back_at is None:
            return 0.0
        return max(0.0, self.back_at + seconds - self.clock())

    async def retry(self, call: Callable[[], Awaitable[T]], stop: asyncio.Event | None = None) -> T:
        """``call()`` until it does not meet an unreachable database; its result.

        Between tries it waits (doubling from :data:`FIRST_WAIT` up to :data:`MAX_WAIT`) or
        until another call found the database back. With ``stop`` set during an outage, the
        last :class:`DatabaseUnreachableError` is raised.
        """
        wait = FIRST_WAIT
        while True:
            try:
                return await call()
            except DatabaseUnreachableError:
                if stop is not None and stop.is_set():
                    raise
            stopping = asyncio.ensure_future(stop.wait()) if stop is not None else None
            back = asyncio.ensure_future(self._up.wait())
            try:
                waiters = [back] if stopping is None else [back, stopping]
                await asyncio.wait(waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            finally:
                back.cancel()
                if stopping is not None:
                    stopping.cancel()
            wait = min(MAX_WAIT, wait * 2)
