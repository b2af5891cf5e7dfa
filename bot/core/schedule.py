"""When to poll a source next: the interval on success, jittered exponential backoff on failure.

Pure: no I/O, no clock; randomness comes from the `rng` argument.
"""

from __future__ import annotations

import math
import random

MAX_DELAY = 24 * 3600.0  # never wait longer than a day, whatever a server asks for
_MAX_EXPONENT = 60  # 2**60 intervals is far past any cap; keeps the arithmetic finite
_RNG = random.Random()  # noqa: S311  (jitter spreads load; it guards nothing)


def backoff_ceiling(*, interval: float, failures: int, max_backoff: float = 6 * 3600) -> float:
    """The upper bound of the delay after `failures` consecutive failures (before Retry-After)."""
    growth = interval * 2.0 ** min(max(failures - 1, 0), _MAX_EXPONENT)
    return max(interval, min(growth, max_backoff))


def next_poll_delay(
    *,
    interval: float,
    failures: int,
    retry_after: float | None = None,
    max_age: float | None = None,
    rng: random.Random | None = None,
    max_backoff: float = 6 * 3600,
) -> float:
    """Seconds until a source's next poll, given its interval and its run of failures.

    Success (failures == 0): the interval, or longer while Cache-Control max-age says the
    document is fresh. Failure n: "equal jitter" backoff, uniformly drawn from [c/2, c] with
    c = interval * 2**(n-1) capped at max_backoff (never below the interval), so each step's
    lower bound is the previous step's upper bound. Retry-After is a floor in both cases.
    Every result lies within [interval/2, max(MAX_DELAY, interval)].
    """
    if not (math.isfinite(interval) and interval > 0):
        raise ValueError("interval must be a positive number of seconds")
    ceiling_cap = max(MAX_DELAY, interval)
    if failures <= 0:
        delay = interval
        if max_age is not None and math.isfinite(max_age):
            delay = max(delay, max_age)
    else:
        ceiling = backoff_ceiling(interval=interval, failures=failures, max_backoff=max_backoff)
        delay = (rng or _RNG).uniform(ceiling / 2, ceiling)
    if retry_after is not None and math.isfinite(retry_after):
        delay = max(delay, retry_after)
    return min(delay, ceiling_cap)
