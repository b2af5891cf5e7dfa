"""Poll scheduling: the interval on success, bounded jittered backoff on failure, server hints."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.schedule import MAX_DELAY, backoff_ceiling, next_poll_delay

intervals = st.floats(min_value=1, max_value=7200, allow_nan=False)
failure_counts = st.integers(min_value=1, max_value=10_000)
seeds = st.integers(min_value=0, max_value=2**32)
hints = st.none() | st.floats(min_value=0, max_value=10 * 24 * 3600, allow_nan=False)


class Extreme(random.Random):
    """A generator that always draws the same point of [0, 1)."""

    def __init__(self, point: float) -> None:
        super().__init__(0)
        self.point = point

    def random(self) -> float:
        return self.point


@given(interval=intervals)
def test_success_is_exactly_the_interval(interval: float) -> None:
    """With no failures and no server hints the next poll is one interval away, unjittered."""
    assert next_poll_delay(interval=interval, failures=0) == interval


@given(interval=intervals, max_age=st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_success_waits_out_max_age_within_a_day(interval: float, max_age: float) -> None:
    """A fresh document is not polled again before max-age expires, but never after a day."""
    delay = next_poll_delay(interval=interval, failures=0, max_age=max_age)
    assert delay == min(max(interval, max_age), MAX_DELAY)


@given(interval=intervals, failures=failure_counts, seed=seeds, retry_after=hints)
def test_failure_delay_stays_in_bounds(
    interval: float, failures: int, seed: int, retry_after: float | None
) -> None:
    """Every failure delay lies between half an interval and the one-day ceiling."""
    delay = next_poll_delay(
        interval=interval, failures=failures, retry_after=retry_after, rng=random.Random(seed)
    )
    assert interval / 2 <= delay <= MAX_DELAY


@given(
    interval=intervals,
    failures=failure_counts,
    seed=seeds,
    max_backoff=st.floats(min_value=60, max_value=12 * 3600),
)
def test_failure_delay_respects_the_backoff_cap(
    interval: float, failures: int, seed: int, max_backoff: float
) -> None:
    """Without Retry-After the delay never exceeds max_backoff (or the interval, if larger)."""
    delay = next_poll_delay(
        interval=interval, failures=failures, rng=random.Random(seed), max_backoff=max_backoff
    )
    assert delay <= max(max_backoff, interval)


@given(interval=intervals, failures=failure_counts, seed=seeds, retry_after=hints)
def test_retry_after_is_honoured(
    interval: float, failures: int, seed: int, retry_after: float | None
) -> None:
    """The next poll never comes before the server's Retry-After (up to the one-day ceiling)."""
    delay = next_poll_delay(
        interval=interval, failures=failures, retry_after=retry_after, rng=random.Random(seed)
    )
    if retry_after is not None:
        assert delay >= min(retry_after, MAX_DELAY)


@given(interval=intervals, failures=st.integers(min_value=1, max_value=40), a=seeds, b=seeds)
def test_backoff_grows_from_step_to_step(interval: float, failures: int, a: int, b: int) -> None:
    """Until the cap, any delay after n+1 failures is at least any delay after n failures."""
    ceiling = backoff_ceiling(interval=interval, failures=failures + 1)
    after_n = next_poll_delay(interval=interval, failures=failures, rng=random.Random(a))
    after_next = next_poll_delay(interval=interval, failures=failures + 1, rng=random.Random(b))
    if ceiling < 6 * 3600:
        assert after_next >= after_n
    assert ceiling >= backoff_ceiling(interval=interval, failures=failures)


def test_backoff_doubles_then_plateaus() -> None:
    """The ceiling doubles per failure from the interval and stops at max_backoff."""
    ceilings = [backoff_ceiling(interval=300, failures=n, max_backoff=3600) for n in range(1, 8)]
    assert ceilings == [300, 600, 1200, 2400, 3600, 3600, 3600]


@pytest.mark.parametrize(("point", "share"), [(0.0, 0.5), (0.999999, 1.0)])
def test_jitter_spans_half_to_full_ceiling(point: float, share: float) -> None:
    """The jittered delay reaches from half the ceiling up to the ceiling."""
    delay = next_poll_delay(interval=300, failures=3, rng=Extreme(point))
    assert delay == pytest.approx(1200 * share, rel=1e-5)


def test_jitter_spreads_sources_apart() -> None:
    """Sources failing together do not all retry at the same moment."""
    rng = random.Random(7)
    delays = [next_poll_delay(interval=300, failures=4, rng=rng) for _ in range(200)]
    assert len(set(delays)) == 200
    assert min(delays) < 1300 < 2000 < max(delays)


@given(interval=intervals, failures=failure_counts, seed=seeds)
def test_first_success_recovers_the_interval(interval: float, failures: int, seed: int) -> None:
    """However long a source failed, one success brings it back to its plain interval."""
    failing = next_poll_delay(interval=interval, failures=failures, rng=random.Random(seed))
    assert failing >= interval / 2
    assert next_poll_delay(interval=interval, failures=0) == interval


def test_huge_failure_counts_stay_finite() -> None:
    """A source that failed a million times still gets a finite delay at the cap."""
    delay = next_poll_delay(interval=300, failures=1_000_000, rng=Extreme(0.999999))
    assert delay == pytest.approx(6 * 3600, rel=1e-5)


def test_interval_longer_than_a_day_is_kept() -> None:
    """A source polled less than daily keeps its own interval."""
    assert next_poll_delay(interval=2 * MAX_DELAY, failures=0, max_age=10) == 2 * MAX_DELAY


@pytest.mark.parametrize("interval", [0, -5, float("nan"), float("inf")])
def test_bad_interval_is_refused(interval: float) -> None:
    """A non-positive or non-finite interval is a programming error."""
    with pytest.raises(ValueError, match="interval"):
        next_poll_delay(interval=interval, failures=0)
