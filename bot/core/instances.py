"""Which of two bot processes polling Telegram with one token keeps polling (pure, given ``now``).

Telegram lets one getUpdates wait at a time: a newer one ends the pending one with 409 Conflict
("terminated by other getUpdates request"). So a process learns of another only when its own
pending request is ended, and the two see each other's conflicts in turns. A rule on a process's
age alone cannot tell the first one from a newcomer started 2 s later (both are young), and two
started together are alike; this one can:

* A process that has polled for :data:`SETTLED_AFTER` seconds without a conflict is settled: a
  conflict tells it that a newcomer arrived; it keeps polling and retries at once.
* A young process that meets a conflict goes quiet for :data:`QUIET_SECONDS` (no getUpdates),
  then probes: it polls again for :data:`PROBE_SECONDS`. A conflict while probing means the
  other one polls on: this one yields (it stops). A probe without conflict makes it settled.

The first conflict of a tie goes to the process whose request was pending when the other one's
arrived: almost always the one that was there first. It goes quiet first and probes first; its
probe ends the other one's pending request, so the other goes quiet in turn, and this one's probe
passes (the probe is shorter than the quiet time). The other one's probe then meets the settled
one's quick retry and yields. Two processes started together are told apart the same way, by
whichever request Telegram ended first.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

SETTLED_AFTER = 10.0
"""Seconds of polling without a conflict after which a process is the one that was there first."""
QUIET_SECONDS = 5.0
"""How long a young process that met a conflict stops polling before it probes."""
PROBE_SECONDS = 2.5
"""How long a probe lasts; shorter than the quiet time, longer than a settled one's retry."""
SETTLED_RETRY = 0.5
"""How soon a settled process polls again after a conflict (a newcomer's probe must meet it)."""


class Verdict(enum.Enum):
    """What a process does after a 409 Conflict."""

    RETRY = "retry"  # settled: poll again after SETTLED_RETRY
    QUIET = "quiet"  # young: stop polling for QUIET_SECONDS, then probe
    YIELD = "yield"  # the other one polls on: this process stops


@dataclass(slots=True)
class Arbiter:
    """One process's side of the rule; see the module docstring.

    With ``may_yield`` false (processes that take turns through a leader lock) every conflict is
    waited out: the process never goes quiet and never yields.
    """

    started: float
    may_yield: bool = True
    settled: bool = False
    quiet_until: float | None = None
    probing_since: float | None = None

    def wait_before_polling(self, now: float) -> float:
        """Seconds to wait before the next getUpdates (0: poll now); a quiet time that is over
        starts the probe."""
        if self.quiet_until is None:
            return 0.0
        if now < self.quiet_until:
            return self.quiet_until - now
        self.quiet_until = None
        self.probing_since = now
        return 0.0

    def settle(self, now: float) -> bool:
        """True once, when a probe has lasted :data:`PROBE_SECONDS` without a conflict (this
        process was there first, or the other one yielded)."""
        if self.probing_since is None or now - self.probing_since < PROBE_SECONDS:
            return False
        self.settled, self.probing_since = True, None
        return True

    def conflict(self, now: float) -> Verdict:
        """This process's pending getUpdates was ended by another one's."""
        self.settle(now)
        if not self.may_yield or self.settled:
            return Verdict.RETRY
        if self.probing_since is not None:
            return Verdict.YIELD
        if self.quiet_until is None and now - self.started >= SETTLED_AFTER:
            self.settled = True
            return Verdict.RETRY
        self.quiet_until = now + QUIET_SECONDS
        return Verdict.QUIET
