"""Outage notices: the operators hear once when a source has failed too long, once when it recovers.

The state lives in the database (``sources.failing_since`` and ``sources.outage_notified_at``), so
a restart neither repeats a notice nor forgets a recovery.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import logging
import time
from collections.abc import Awaitable, Callable

from bot.core import texts
from bot.core.credentials import hide_credentials
from bot.core.errors import DatabaseUnreachableError
from bot.core.i18n import tr, trn
from bot.core.notices import Notice, duration
from bot.store import SourceStatus, StoreVerbs

log = logging.getLogger("bot.notify")

Tell = Callable[[Notice], Awaitable[None]]
"""Sends one notice to every operator."""


def outage_text(status: SourceStatus, now: float, language: str | None = None) -> str:
    """The notice that a source has been failing."""
    source = status.source
    since = status.failing_since if status.failing_since is not None else now
    return trn(texts.OUTAGE_NOTICE, source.failures, language).format(
        id=source.id,
        name=html.escape(source.name),
        url=html.escape(hide_credentials(source.url)),
        duration=duration(now - since),
        failures=source.failures,
        error=html.escape(hide_credentials(source.last_error or "unknown error")),
    )


def recovery_text(status: SourceStatus, now: float, language: str | None = None) -> str:
    """The notice that a failing source works again."""
    source = status.source
    notified = status.outage_notified_at if status.outage_notified_at is not None else now
    return tr(texts.RECOVERY_NOTICE, language).format(
        id=source.id, name=html.escape(source.name), ago=duration(now - notified)
    )


class OutageNotifier:
    """Checks the sources' failure state and tells the operators about changes, once each."""

    def __init__(
        self,
        store: StoreVerbs,
        tell: Tell,
        *,
        after: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.tell = tell
        self.after = after
        self.clock = clock

    async def check(self) -> int:
        """Send the notices that are due; returns how many went out."""
        now = self.clock()
        sent = 0
        for status in await self.store.sources.outages_to_announce(now - self.after):
            await self.tell(functools.partial(outage_text, status, now))
            await self.store.sources.set_outage_notified(status.source.id, now)
            log.warning(
                "outage notice source=%s failures=%d failing_for_s=%.0f",
                status.source.name,
                status.source.failures,
                now - (status.failing_since or now),
            )
            sent += 1
        for status in await self.store.sources.recoveries_to_announce():
            await self.tell(functools.partial(recovery_text, status, now))
            await self.store.sources.set_outage_notified(status.source.id, None)
            log.info("recovery notice source=%s", status.source.name)
            sent += 1
        return sent

    async def run(self, stop: asyncio.Event, period: float) -> None:
        """Check every ``period`` seconds until ``stop`` is set."""
        while not stop.is_set():
            with contextlib.suppress(DatabaseUnreachableError):  # logged by the store; next round
                await self.check()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=period)
