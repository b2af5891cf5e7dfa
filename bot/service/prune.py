"""Pruning old articles on a schedule; their identity keys stay, so they are never sent again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from bot.core.errors import DatabaseUnreachableError
from bot.store import PruneResult, StoreVerbs

log = logging.getLogger("bot.prune")

DAY = 24 * 3600.0
PRUNE_PERIOD = 6 * 3600.0


async def prune_once(
    store: StoreVerbs, after_days: float, *, clock: Callable[[], float] = time.time
) -> PruneResult:
    """Delete the articles first seen more than ``after_days`` ago, keeping their keys."""
    started = time.perf_counter()
    result = await store.articles.prune_articles(clock() - after_days * DAY)
    if result.articles:
        log.info(
            "prune articles=%d keys_kept=%d older_than_days=%g ms=%.0f",
            result.articles,
            result.keys_kept,
            after_days,
            (time.perf_counter() - started) * 1000,
        )
    return result


async def run_pruning(
    store: StoreVerbs,
    after_days: float,
    stop: asyncio.Event,
    *,
    period: float = PRUNE_PERIOD,
    clock: Callable[[], float] = time.time,
) -> None:
    """Prune at start-up and then every ``period`` seconds until ``stop`` is set (0 days: never)."""
    if after_days <= 0:
        return
    while not stop.is_set():
        with contextlib.suppress(DatabaseUnreachableError):  # logged by the store; next round
            await prune_once(store, after_days, clock=clock)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=period)
