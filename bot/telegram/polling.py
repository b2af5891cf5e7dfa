"""The application's bot: getUpdates that survives an unreadable update and a second instance.

python-telegram-bot reads a getUpdates answer in one piece: one update it cannot read (a
``message`` whose ``chat`` has no ``type``, say) fails the whole batch, its offset is never
confirmed, and the same batch comes back at once, forever. :class:`PollingBot` reads each update
on its own, skips one it cannot read (one log line with its ``update_id``) and confirms it with
the next offset, so the updates after it are answered.

A 409 Conflict "terminated by other getUpdates request" means another process polls with this
token; :class:`bot.core.instances.Arbiter` decides which one keeps polling, and the conflict
never reaches python-telegram-bot (whose growing retry pause would hide the settled process
from a newcomer's probe).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Update
from telegram.error import Conflict
from telegram.ext import ExtBot
from telegram.request import BaseRequest

from bot.core.instances import QUIET_SECONDS, SETTLED_RETRY, Arbiter, Verdict

log = logging.getLogger("bot.webhook")

SHORT_POLL_READ_TIMEOUT = 5.0
"""Read timeout of a getUpdates that does not wait (the one confirming the offset at shutdown)."""
EPISODE_GAP = 90.0
"""Conflicts further apart than this are logged as separate episodes."""
YIELDED = (
    "another bot instance is already polling Telegram with this token (409 Conflict); "
    "stop it, or give this instance its own bot token"
)

Fatal = Callable[[str], None]
_UNSET: Any = BaseRequest.DEFAULT_NONE


def _seconds(timeout: float | dt.timedelta | None) -> float:
    if isinstance(timeout, dt.timedelta):
        return timeout.total_seconds()
    return float(timeout or 0)


def _terminated(exc: Conflict) -> bool:
    """A conflict with another getUpdates (not with a webhook that is set)."""
    return "terminated by other getUpdates" in exc.message


class PollingBot(ExtBot[Any]):
    """ExtBot whose getUpdates skips unreadable updates and arbitrates between instances."""

    def __init__(self, *args: Any, clock: Callable[[], float] = time.monotonic, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._clock = clock
        self._skip_through = 0  # the highest update_id skipped as unreadable
        self._arbiter: Arbiter | None = None
        self._on_fatal: Fatal = lambda _reason: None
        self._yielded = False
        self._last_conflict = -EPISODE_GAP - 1.0

    def arbitrate(self, on_fatal: Fatal, *, may_yield: bool) -> None:
        """Start watching for another instance (called when polling starts).

        ``on_fatal`` is called once, with one line, when this process yields; with ``may_yield``
        false (processes taking turns as leader) conflicts are only waited out.
        """
        if self._arbiter is None or self._arbiter.may_yield != may_yield:
            self._arbiter = Arbiter(self._clock(), may_yield=may_yield)
        self._on_fatal = on_fatal

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: float | dt.timedelta | None = None,  # noqa: ASYNC109 - the long poll's
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: Any = _UNSET,
        write_timeout: Any = _UNSET,
        connect_timeout: Any = _UNSET,
        pool_timeout: Any = _UNSET,
        api_kwargs: dict[str, Any] | None = None,
    ) -> tuple[Update, ...]:
        """getUpdates, each update read on its own; see the module docstring."""
        waits = _seconds(timeout)
        if read_timeout is _UNSET:
            base = self._request[0].read_timeout or 0.0
            read_timeout = (base if waits else min(base, SHORT_POLL_READ_TIMEOUT)) + waits
        data: dict[str, Any] = {
            "timeout": timeout,
            "offset": max(offset or 0, self._skip_through + 1) if self._skip_through else offset,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        while True:
            if self._yielded:
                if not waits:
                    return ()
                await asyncio.Event().wait()  # until the updater is stopped
            if waits and self._arbiter is not None:
                pause = self._arbiter.wait_before_polling(self._clock())
                if pause > 0:
                    await asyncio.sleep(pause)
                    continue
            try:
                result = await self._post(
                    "getUpdates",
                    data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                    api_kwargs=api_kwargs,
                )
            except Conflict as exc:
                if not _terminated(exc):
                    raise
                if not waits:  # the shutdown's last call: nothing to confirm
                    return ()
                await self._conflicted()
                continue
            if self._arbiter is not None and self._arbiter.settle(self._clock()):
                log.info("updates: no other instance polls with this token now; this one runs on")
            return self._readable(result if isinstance(result, list) else [])

    async def _conflicted(self) -> None:
        """Act on a 409 Conflict from another instance's getUpdates."""
        if self._arbiter is None:
            self.arbitrate(self._on_fatal, may_yield=True)
        assert self._arbiter is not None
        now = self._clock()
        verdict = self._arbiter.conflict(now)
        fresh = now - self._last_conflict > EPISODE_GAP
        self._last_conflict = now
        if verdict is Verdict.YIELD:
            self._yielded = True
            log.info("updates: the other instance polls on; this one stops")
            self._on_fatal(YIELDED)
        elif verdict is Verdict.QUIET:
            log.warning(
                "updates: another bot instance is polling with this token (409 Conflict); "
                "this one pauses updates for %g s and stops if the other one polls on",
                QUIET_SECONDS,
            )
        else:
            if fresh:
                log.warning(
                    "updates: another bot instance %s with this token (409 Conflict); "
                    "this one keeps running",
                    "started polling" if self._arbiter.may_yield else "is still polling",
                )
            await asyncio.sleep(SETTLED_RETRY)

    def _readable(self, result: list[Any]) -> tuple[Update, ...]:
        """The updates python-telegram-bot can read; each other one is logged and skipped."""
        updates: list[Update] = []
        for data in result:
            update_id = data.get("update_id") if isinstance(data, dict) else None
            try:
                update = Update.de_json(data, self)
            except Exception as exc:  # whatever the library fails on
                if isinstance(update_id, int):
                    self._skip_through = max(self._skip_through, update_id)
                log.warning(
                    "updates: skipped update_id=%s: it cannot be read (%s: %s)",
                    update_id,
                    type(exc).__name__,
                    str(exc)[:200],
                )
                continue
            self.insert_callback_data(update)
            updates.append(update)
        return tuple(updates)
