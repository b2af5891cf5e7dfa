"""The pacer never lets a window exceed Telegram's limits."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.pacing import Pacer


def simulate(requests: list[tuple[int, float]], rate: float) -> list[tuple[float, int, bool]]:
    """Send each (chat, earliest wish) as soon as the pacer allows; return (time, chat, private)."""
    pacer = Pacer(overall_rate=rate)
    now = 0.0
    sent: list[tuple[float, int, bool]] = []
    for chat, wish in requests:
        private = chat > 0
        now = max(now, wish)
        at = pacer.earliest(chat, private, now)
        pacer.record(chat, private, at)
        sent.append((at, chat, private))
        now = at
    return sent


def count_in(times: list[float], start: float, width: float) -> int:
    return sum(1 for t in times if start <= t < start + width - 1e-9)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([1, 2, 3, 4, -10, -20, -30]), st.floats(0, 30)),
        min_size=1,
        max_size=120,
    ),
    st.sampled_from([5.0, 30.0]),
)
def test_no_window_violates_a_limit(requests: list[tuple[int, float]], rate: float) -> None:
    """For any sequence of send requests, no 1 s / 60 s window breaks a limit."""
    sent = simulate(sorted(requests, key=lambda r: r[1]), rate)
    times = sorted(t for t, _, _ in sent)
    for t in times:
        assert count_in(times, t, 1.0) <= int(rate)
    for chat in {c for _, c, _ in sent}:
        chat_times = sorted(t for t, c, _ in sent if c == chat)
        for earlier, later in pairwise(chat_times):
            assert later - earlier >= 1.0 - 1e-9
        if chat < 0:
            for t in chat_times:
                assert count_in(chat_times, t, 60.0) <= 20


def test_overall_rate_is_reached_across_many_chats() -> None:
    """Across many private chats the pacer sends at the full overall rate."""
    sent = simulate([(chat, 0.0) for chat in range(1, 301)], 30.0)
    span = sent[-1][0] - sent[0][0]
    assert 299 / span >= 29.9


def test_a_429_blocks_the_chat_until_the_given_time() -> None:
    """After a 429 for one chat, that chat waits; the others do not."""
    pacer = Pacer()
    pacer.block(10.0, chat_id=1)
    assert pacer.earliest(1, True, 0.0) == 10.0
    assert pacer.earliest(2, True, 0.0) == 0.0
    pacer.block(5.0)
    assert pacer.earliest(2, True, 0.0) == 5.0


def test_group_gets_twenty_per_minute() -> None:
    """A group receives at most 20 messages in any minute, then waits for the window."""
    sent = simulate([(-5, 0.0)] * 21, 30.0)
    assert sent[19][0] == 19.0
    assert sent[20][0] == 60.0
