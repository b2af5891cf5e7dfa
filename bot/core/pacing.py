"""When the next message may go out without tripping Telegram's flood limits.

Pure: the caller passes ``now`` (seconds, any monotonic origin) and reports each send.

Limits, each window widened by a little slack so that jitter between this process and Telegram
(network, a pause on either side) never turns a paced stream into a burst on Telegram's side:

* overall: at most ``overall_rate`` messages in any ``1 + slack`` second window, spread evenly
  (one every ``(1 + slack) / overall_rate`` seconds, with a small catch-up allowance for a timer
  that fires late);
* a private chat: one message per ``1 + chat_slack`` seconds;
* a group or channel: at most ``group_per_window`` in any ``group_window + chat_slack`` seconds,
  and one per ``1 + chat_slack`` seconds.

Under load, what Telegram counts (arrivals) drifts from what the pacer planned, so:

* a send is recorded when planned, moved to when it actually left (:meth:`Pacer.departed`) and
  then to when its answer came (:meth:`Pacer.answered`), the latest moment Telegram can have
  counted it: the windows count what Telegram may have seen, never plans;
* while in flight, a send is counted at its departure plus a margin that follows the departure
  lag observed (a decaying peak of recent lags, ``JITTER_FACTOR`` times it, at most
  ``MAX_SLACK``), which shrinks back as the machine calms down;
* a 429 the chat's own limit cannot explain lowers the overall rate (:meth:`Pacer.slow_down`:
  times ``SLOW_FACTOR``, never below ``MIN_SCALE``) for ``SLOW_HOLD`` seconds, after which it
  climbs back by ``RECOVERY`` of the full rate per second.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, field

PRIVATE_INTERVAL = 1.0
GROUP_WINDOW = 60.0
GROUP_PER_WINDOW = 20
SLACK = 0.01
"""Seconds added to the overall 1 s window (1%: 29.7 of 30 messages per second). Sends are
counted at their answer, an upper bound of their arrival, so this only covers what is left."""
CHAT_SLACK = 0.1
"""Seconds added to each chat's windows (costs a chat little: 19.97 of 20 per minute)."""
CATCH_UP = 0.005
"""How far behind its even schedule a send may be before the schedule restarts from now."""
JITTER_FACTOR = 1.0
"""The in-flight margin covers this many times the recent peak departure lag."""
JITTER_DECAY = 0.995
"""Per observed send, how much of the lag peak is kept (about 200 sends, ~7 s at 30/s)."""
MAX_SLACK = 0.25
"""The in-flight margin never exceeds this."""
SLOW_FACTOR = 0.8
"""An unexplained 429 multiplies the overall rate by this."""
MIN_SCALE = 0.5
"""The overall rate never drops below this share of the configured one."""
SLOW_HOLD = 10.0
"""Seconds the lowered rate holds after the latest unexplained 429."""
RECOVERY = 0.02
"""After the hold, the share of the full rate regained per second (0.5 → 1 in 25 s)."""


@dataclass(slots=True)
class _ChatState:
    sends: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class Pacer:
    """Tracks recent sends and answers the earliest time a send is allowed."""

    def __init__(
        self,
        *,
        overall_rate: float = 30.0,
        private_interval: float = PRIVATE_INTERVAL,
        group_per_window: int = GROUP_PER_WINDOW,
        group_window: float = GROUP_WINDOW,
        slack: float = SLACK,
        chat_slack: float = CHAT_SLACK,
        slow_hold: float = SLOW_HOLD,
        recovery: float = RECOVERY,
    ) -> None:
        self.overall_rate = overall_rate
        self.slack = slack
        self.private_interval = private_interval + chat_slack
        self.group_per_window = group_per_window
        self.group_window = group_window + chat_slack
        self.window_limit = max(1, math.floor(overall_rate))
        self.window = 1.0 + slack
        self._tolerance = CATCH_UP
        self._overall: list[float] = []  # departure times of the latest sends, sorted
        self._slot = -math.inf  # the even schedule's latest slot taken
        self._blocked_until = 0.0
        self._chats: dict[int, _ChatState] = {}
        self.base_slack = slack
        self._lag_peak = 0.0
        self._scale_at_slow = 1.0
        self._slowed_at = -math.inf
        self.slowdowns = 0
        self.slow_hold = slow_hold
        self.recovery = recovery

    @property
    def effective_rate(self) -> float:
        """The sustained overall rate this pacer allows, in messages per second."""
        return self.window_limit / (1.0 + self.base_slack)

    def chat_rate(self, private: bool) -> float:
        """The sustained rate one chat may receive, in messages per second."""
        if private:
            return 1.0 / self.private_interval
        return min(1.0 / self.private_interval, self.group_per_window / self.group_window)

    def scale(self, now: float) -> float:
        """The share of the configured overall rate allowed at ``now`` (1 unless slowed)."""
        climbing = max(0.0, now - self._slowed_at - self.slow_hold)
        return min(1.0, self._scale_at_slow + self.recovery * climbing)

    def current_rate(self, now: float) -> float:
        """The sustained overall rate allowed at ``now``, margin and slow-down included."""
        return self.window_limit / self._window(now)

    def _window(self, now: float) -> float:
        return self.window / self.scale(now)

    def earliest_overall(self, now: float) -> float:
        """The earliest time any message may be sent."""
        # A slow-down spaces sends further apart; the window itself stays Telegram's (plus
        # margin), so the sends before a 429 do not add a pause on top of its wait.
        interval = self._window(now) / self.overall_rate
        at = max(now, self._blocked_until, self._slot + interval - self._tolerance)
        if len(self._overall) >= self.window_limit:
            at = max(at, self._overall[-self.window_limit] + self.window)
        return at

    def earliest_for_chat(self, chat_id: int, private: bool, now: float) -> float:
        """The earliest time a message to this chat may be sent, ignoring the overall limit."""
        state = self._chats.get(chat_id)
        if state is None:
            return now
        at = max(now, state.blocked_until)
        if state.sends:
            at = max(at, state.sends[-1] + self.private_interval)
            if not private and len(state.sends) >= self.group_per_window:
                at = max(at, state.sends[-self.group_per_window] + self.group_window)
        return at

    def earliest(self, chat_id: int, private: bool, now: float) -> float:
        """The earliest time a message to this chat may be sent under every limit."""
        return max(self.earliest_overall(now), self.earliest_for_chat(chat_id, private, now))

    def record(self, chat_id: int, private: bool, at: float) -> None:
        """Note that a message to this chat was sent at ``at``."""
        bisect.insort(self._overall, at)
        while len(self._overall) > self.window_limit:
            self._overall.pop(0)
        self._slot = max(self._slot + self._window(at) / self.overall_rate, at)
        state = self._chats.get(chat_id)
        if state is None:
            state = self._chats[chat_id] = _ChatState()
        state.sends.append(at)
        keep = 2 if private else max(2, self.group_per_window)
        while len(state.sends) > keep:
            state.sends.popleft()

    def departed(self, chat_id: int, planned: float, actual: float) -> float:
        """A send recorded at ``planned`` really left at ``actual``; returns when it is now counted.

        Until its answer comes, Telegram may count it any time after ``actual``: it is counted
        at ``actual`` plus a margin that follows the lag observed between plan and departure
        (``JITTER_FACTOR`` times its decaying recent peak, at most ``MAX_SLACK``): a machine
        that starts sends late can also deliver them late, in a bunch.
        """
        lag = max(0.0, actual - planned)
        self._lag_peak = max(lag, self._lag_peak * JITTER_DECAY)
        counted = actual + self.margin
        self._move(chat_id, planned, counted)
        return counted

    @property
    def margin(self) -> float:
        """How late after leaving a send still in flight is assumed to reach Telegram."""
        return min(MAX_SLACK, JITTER_FACTOR * self._lag_peak)

    def answered(self, chat_id: int, counted: float, answered: float) -> None:
        """The send counted at ``counted`` (see :meth:`departed`) was answered at ``answered``.

        Telegram counted it before its answer: from now on the windows count it at the answer,
        the latest it can have arrived, so a request that lingered on the way (a busy machine,
        a slow network) never lets the next ones land in the same second.
        """
        self._move(chat_id, counted, answered, chats=False)

    def _move(self, chat_id: int, old: float, new: float, *, chats: bool = True) -> None:
        """Recount a send from ``old`` to ``new`` (its chat's windows too, with ``chats``).

        A chat's own windows stay at departure + margin: counting them from the answer would
        hold each chat's next message back by a whole round trip (1.1 s windows).
        """
        if new == old:
            return
        index = bisect.bisect_left(self._overall, old)
        if index < len(self._overall) and self._overall[index] == old:
            del self._overall[index]
            bisect.insort(self._overall, new)
        state = self._chats.get(chat_id) if chats else None
        if state is not None and old in state.sends:
            state.sends[state.sends.index(old)] = new
            if list(state.sends) != sorted(state.sends):
                state.sends = deque(sorted(state.sends))

    def slow_down(self, now: float) -> None:
        """An unexplained 429: lower the overall rate for a while (see ``SLOW_FACTOR``)."""
        self._scale_at_slow = max(MIN_SCALE, self.scale(now) * SLOW_FACTOR)
        self._slowed_at = now
        self.slowdowns += 1

    def chat_limit_possible(self, chat_id: int, private: bool) -> bool:
        """Whether the chat's own limit could explain a 429 for its latest send.

        True when the send before it lies within the chat's window; otherwise only the overall
        limit can have been exceeded.
        """
        state = self._chats.get(chat_id)
        if state is None or len(state.sends) < 2:  # the latest and the one before
            return False
        window = self.private_interval if private else self.group_window
        return state.sends[-1] - state.sends[-2] < window

    def block(self, until: float, chat_id: int | None = None) -> None:
        """Send nothing (to this chat, or at all) before ``until`` (after a 429)."""
        if chat_id is None:
            self._blocked_until = max(self._blocked_until, until)
        else:
            state = self._chats.setdefault(chat_id, _ChatState())
            state.blocked_until = max(state.blocked_until, until)

    def forget_idle(self, now: float) -> None:
        """Drop the state of chats that have been quiet for longer than any window."""
        horizon = now - max(self.group_window, self.private_interval)
        idle = [
            chat_id
            for chat_id, state in self._chats.items()
            if (not state.sends or state.sends[-1] < horizon) and state.blocked_until < now
        ]
        for chat_id in idle:
            del self._chats[chat_id]
