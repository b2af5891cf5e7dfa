"""The pacer and the throttle never let a window exceed Telegram's limits; replies go first."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.pacing import CHAT_SLACK, SLACK, Pacer
from bot.service.throttle import Throttle


def simulate(
    requests: list[tuple[int, float]], rate: float, *, late: float = 0.0
) -> list[tuple[float, int, bool]]:
    """Send each (chat, earliest wish) as soon as the pacer allows (``late`` seconds after it
    said, like a timer that fires late); return (time, chat, private)."""
    pacer = Pacer(overall_rate=rate)
    now = 0.0
    sent: list[tuple[float, int, bool]] = []
    for chat, wish in requests:
        private = chat > 0
        now = max(now, wish)
        at = pacer.earliest(chat, private, now)
        if at > now:
            at += late
        pacer.record(chat, private, at)
        sent.append((at, chat, private))
        now = at
    return sent


def most_in_window(times: list[float], width: float) -> int:
    """The largest number of sends in any half-open window [t, t + width)."""
    ordered = sorted(times)
    best = 0
    start = 0
    for end, t in enumerate(ordered):
        while ordered[start] <= t - width + 1e-9:
            start += 1
        best = max(best, end - start + 1)
    return best


def check_limits(sent: list[tuple[float, int, bool]], rate: float) -> None:
    """Telegram's limits, each with the pacer's jitter allowance."""
    times = [t for t, _, _ in sent]
    assert most_in_window(times, 1.0 + SLACK) <= int(rate)
    for chat in {c for _, c, _ in sent}:
        chat_times = sorted(t for t, c, _ in sent if c == chat)
        for earlier, later in pairwise(chat_times):
            assert later - earlier >= 1.0 + CHAT_SLACK - 1e-9
        if chat < 0:
            assert most_in_window(chat_times, 60.0 + CHAT_SLACK) <= 20


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([1, 2, 3, 4, 5, 6, -10, -20, -30]), st.floats(0, 90)),
        min_size=1,
        max_size=150,
    ),
    st.sampled_from([1.0, 5.0, 30.0, 1000.0]),
    st.sampled_from([0.0, 0.001, 0.004]),
)
def test_no_window_violates_a_limit(
    requests: list[tuple[int, float]], rate: float, late: float
) -> None:
    """For any sequence of send requests, no window breaks the overall or a per-chat limit."""
    sent = simulate(sorted(requests, key=lambda r: r[1]), rate, late=late)
    check_limits(sent, rate)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 400), st.floats(0, 5)), min_size=1, max_size=400),
    st.lists(st.floats(0, 5), max_size=40),
)
def test_blocks_and_records_in_any_order_keep_the_limits(
    requests: list[tuple[int, float]], blocks: list[float]
) -> None:
    """Whole-bot 429 blocks interleaved with sends never let a send through early."""
    pacer = Pacer(overall_rate=30.0)
    events = sorted(
        [(wish, "send", chat) for chat, wish in requests] + [(at, "block", 0) for at in blocks]
    )
    now = 0.0
    sent: list[tuple[float, int, bool]] = []
    blocked_until = 0.0
    for wish, kind, chat in events:
        now = max(now, wish)
        if kind == "block":
            pacer.block(now + 1.0)
            blocked_until = max(blocked_until, now + 1.0)
            continue
        at = pacer.earliest(chat, True, now)
        assert at >= blocked_until
        pacer.record(chat, True, at)
        sent.append((at, chat, True))
        now = at
    check_limits(sent, 30.0)


def test_overall_rate_is_reached_across_many_chats() -> None:
    """Across many private chats the pacer sends at 99% of the limit or more (the jitter
    allowance), never above it."""
    sent = simulate([(chat, 0.0) for chat in range(1, 601)], 30.0)
    span = sent[-1][0] - sent[0][0]
    assert 29.7 <= 599 / span <= 30.0


def test_a_late_timer_does_not_lower_the_rate() -> None:
    """A caller that is always 4 ms late still sends at the full paced rate (catch-up)."""
    on_time = simulate([(chat, 0.0) for chat in range(1, 3001)], 1000.0)
    late = simulate([(chat, 0.0) for chat in range(1, 3001)], 1000.0, late=0.004)
    assert late[-1][0] <= on_time[-1][0] + 0.01


def test_a_429_blocks_the_chat_until_the_given_time() -> None:
    """After a 429 for one chat, that chat waits; the others do not."""
    pacer = Pacer()
    pacer.block(10.0, chat_id=1)
    assert pacer.earliest(1, True, 0.0) == 10.0
    assert pacer.earliest(2, True, 0.0) == 0.0
    pacer.block(5.0)
    assert pacer.earliest(2, True, 0.0) == 5.0


def test_group_gets_twenty_per_minute() -> None:
    """A group receives 20 messages in its first minute, then waits for the window."""
    sent = simulate([(-5, 0.0)] * 21, 30.0)
    assert sent[19][0] < 60.0
    assert sent[20][0] == sent[0][0] + 60.0 + CHAT_SLACK


def test_chat_limit_is_possible_only_after_a_recent_send() -> None:
    """A 429 can be blamed on a chat's own limit only when it had a send within its window."""
    pacer = Pacer()
    pacer.record(1, True, 0.0)
    assert not pacer.chat_limit_possible(1, True)
    pacer.record(1, True, 0.5)
    assert pacer.chat_limit_possible(1, True)
    pacer.record(1, True, 5.0)
    assert not pacer.chat_limit_possible(1, True)
    pacer.record(-7, False, 0.0)
    pacer.record(-7, False, 30.0)
    assert pacer.chat_limit_possible(-7, False)


async def test_throttle_serves_a_reply_before_the_broadcast() -> None:
    """While a broadcast uses every slot, a priority send gets the very next one."""
    throttle = Throttle(Pacer(overall_rate=20.0))
    sent: list[tuple[float, str]] = []
    stop = asyncio.Event()

    async def broadcast() -> None:
        chat = 1000
        while not stop.is_set():
            now = await throttle.broadcast_turn()
            chat += 1
            throttle.take(chat, True, now)
            sent.append((now, "broadcast"))

    task = asyncio.create_task(broadcast())
    await asyncio.sleep(0.3)
    asked = time.monotonic()
    await throttle.acquire_priority(7, True)
    granted = time.monotonic()
    sent.append((granted, "reply"))
    await asyncio.sleep(0.3)
    stop.set()
    await task
    assert granted - asked <= 1.0 / 20.0 * 1.1 + 0.01
    times = [t for t, _ in sent]
    assert most_in_window(times, 1.0 + SLACK) <= 20
    assert len(sent) >= 11  # the broadcast kept going at the paced rate around the reply


async def test_throttle_reply_waits_for_its_own_chat() -> None:
    """A reply to a private chat that just got a message waits out that chat's second."""
    throttle = Throttle(Pacer(overall_rate=30.0))
    now = await throttle.broadcast_turn()
    throttle.take(5, True, now)
    await throttle.acquire_priority(5, True)
    assert time.monotonic() - now >= 1.0 + CHAT_SLACK - 0.005


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 300), st.floats(0, 20), st.floats(0, 0.15)),
        min_size=1,
        max_size=300,
    ),
)
def test_windows_count_real_departures_whatever_the_lag(
    requests: list[tuple[int, float, float]],
) -> None:
    """Sends that leave late (any lag up to 150 ms) are counted when they leave: no window of
    real departures breaks the overall or a chat's limit."""
    pacer = Pacer(overall_rate=30.0)
    now = 0.0
    left: list[tuple[float, int, bool]] = []
    for chat, wish, lag in sorted(requests, key=lambda r: r[1]):
        now = max(now, wish)
        planned = pacer.earliest(chat, True, now)
        pacer.record(chat, True, planned)
        pacer.departed(chat, planned, planned + lag)
        left.append((planned + lag, chat, True))
        now = planned
    check_limits(left, 30.0)


def test_the_margin_grows_with_observed_lag_and_shrinks_when_it_stops() -> None:
    """Sends that leave 50 ms late make in-flight sends count 50 ms later; calm shrinks it."""
    pacer = Pacer(overall_rate=30.0)
    for n in range(30):
        counted = pacer.departed(n, n * 0.04, n * 0.04 + 0.05)
        assert counted >= n * 0.04 + 0.05 + 0.045
        pacer.answered(n, counted, n * 0.04 + 0.06)
    assert 0.045 <= pacer.margin <= 0.05 + 1e-9
    for n in range(30, 2030):
        pacer.record(n, True, n * 0.04)
        pacer.departed(n, n * 0.04, n * 0.04)
    assert pacer.margin < 0.001


def test_a_send_is_counted_at_its_answer() -> None:
    """30 sends that left at once but were answered 300 ms later count from their answers: the
    31st waits a full window after the answers, not after the departures."""
    pacer = Pacer(overall_rate=30.0)
    for n in range(30):
        pacer.record(n, True, 0.0)
        counted = pacer.departed(n, 0.0, 0.0)
        pacer.answered(n, counted, 0.3)
    assert pacer.earliest_overall(0.5) >= 0.3 + 1.0 + SLACK - 1e-9


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 30), min_size=1, max_size=20))
def test_unexplained_429s_lower_the_rate_for_a_while_then_it_recovers(
    slowdowns: list[float],
) -> None:
    """Each slow-down lowers the overall rate (never below half); after the hold and the climb
    the full rate is back."""
    pacer = Pacer(overall_rate=30.0)
    full = pacer.current_rate(0.0)
    for at in sorted(slowdowns):
        before = pacer.current_rate(at)
        pacer.slow_down(at)
        after = pacer.current_rate(at)
        assert after <= before * 0.8 + 1e-9 or after >= full * 0.5 - 1e-9
        assert after >= full * 0.5 - 1e-9
        assert pacer.current_rate(at + pacer.slow_hold - 0.01) == after
    last = max(slowdowns)
    assert pacer.current_rate(last + pacer.slow_hold + 0.5 / pacer.recovery + 1e-6) == full
