"""Two processes polling with one token: the rule that leaves exactly one polling (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.instances import (
    PROBE_SECONDS,
    QUIET_SECONDS,
    SETTLED_AFTER,
    SETTLED_RETRY,
    Arbiter,
    Verdict,
)


def test_a_young_process_goes_quiet_then_probes_then_yields_on_a_second_conflict() -> None:
    """Conflict at 2 s: quiet for the quiet time, then a probe; a conflict while probing yields."""
    arbiter = Arbiter(started=0.0)
    assert arbiter.conflict(2.0) is Verdict.QUIET
    assert arbiter.wait_before_polling(3.0) == QUIET_SECONDS - 1.0
    assert arbiter.wait_before_polling(2.0 + QUIET_SECONDS) == 0.0  # the probe starts
    assert arbiter.conflict(2.0 + QUIET_SECONDS + 1.0) is Verdict.YIELD


def test_a_probe_without_conflict_settles_the_process_for_good() -> None:
    """A probe that lasts its time unopposed makes the process settled: later conflicts retry."""
    arbiter = Arbiter(started=0.0)
    arbiter.conflict(1.0)
    arbiter.wait_before_polling(1.0 + QUIET_SECONDS)
    assert not arbiter.settle(1.0 + QUIET_SECONDS + PROBE_SECONDS / 2)
    assert arbiter.settle(1.0 + QUIET_SECONDS + PROBE_SECONDS)
    assert arbiter.conflict(100.0) is Verdict.RETRY
    assert arbiter.wait_before_polling(100.0) == 0.0


def test_a_process_that_polled_alone_long_enough_keeps_polling() -> None:
    """A first conflict after the settling time means a newcomer arrived: retry, never yield."""
    arbiter = Arbiter(started=0.0)
    assert arbiter.conflict(SETTLED_AFTER + 1) is Verdict.RETRY
    assert all(arbiter.conflict(SETTLED_AFTER + n) is Verdict.RETRY for n in range(2, 50))


def test_a_leader_taking_turns_waits_out_every_conflict() -> None:
    """Without may_yield (PostgreSQL leadership), a young process's conflicts are retried."""
    arbiter = Arbiter(started=0.0, may_yield=False)
    assert all(arbiter.conflict(0.1 * n) is Verdict.RETRY for n in range(1, 100))


@dataclass
class _Process:
    """One bot process in the simulation: its arbiter and when it polls next."""

    name: str
    started: float
    arbiter: Arbiter = field(init=False)
    next_poll: float | None = None
    yielded: bool = False

    def __post_init__(self) -> None:
        self.arbiter = Arbiter(self.started)
        self.next_poll = self.started


def _simulate(gap: float, latency: float, until: float = 60.0) -> list[_Process]:
    """Telegram's rule: a new getUpdates ends the pending one with 409 Conflict. Each process
    polls all the time (long polls), waits as its arbiter says, and stops when it yields."""
    first, second = _Process("first", 0.0), _Process("second", gap)
    processes = [first, second]
    pending: _Process | None = None
    now = 0.0
    while now < until:
        ready = [p for p in processes if p.next_poll is not None and not p.yielded]
        if not ready:
            break
        process = min(ready, key=lambda p: (p.next_poll or 0.0, p.started))
        now = process.next_poll or 0.0
        wait = process.arbiter.wait_before_polling(now)
        if wait > 0:
            process.next_poll = now + wait
            continue
        process.arbiter.settle(now)
        process.next_poll = None  # its long poll is pending
        ended, pending = pending, process
        if ended is not None and ended is not process:
            verdict = ended.arbiter.conflict(now + latency)
            if verdict is Verdict.YIELD:
                ended.yielded = True
            elif verdict is Verdict.RETRY:
                ended.next_poll = now + latency + SETTLED_RETRY
            else:
                ended.next_poll = now + latency
    for process in processes:
        process.arbiter.settle(until)
    return processes


@settings(max_examples=300, deadline=None)
@given(
    gap=st.floats(min_value=0.0, max_value=30.0),
    latency=st.floats(min_value=0.001, max_value=0.4),
)
def test_exactly_one_of_two_processes_keeps_polling_and_it_is_the_first(
    gap: float, latency: float
) -> None:
    """Started 0-30 s apart (a rolling deploy): one yields, the other is settled; when they did
    not start together, the one that was there first is the one left polling."""
    first, second = _simulate(gap, latency)
    assert [first.yielded, second.yielded].count(True) == 1
    survivor = second if first.yielded else first
    assert survivor.arbiter.settled
    if gap >= 2 * latency:
        assert survivor is first
