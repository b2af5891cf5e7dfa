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
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

PRIVATE_INTERVAL = 1.0
GROUP_WINDOW = 60.0
GROUP_PER_WINDOW = 20
SLACK = 0.02
"""Seconds added to the overall 1 s window (2%: 29.4 of 30 messages per second)."""
CHAT_SLACK = 0.1
"""Seconds added to each chat's windows (costs a chat little: 19.97 of 20 per minute)."""
CATCH_UP = 0.005
"""How far behind its even schedule a send may be before the schedule restarts from now."""


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
    ) -> None:
        self.overall_rate = overall_rate
        self.slack = slack
        self.private_interval = private_interval + chat_slack
        self.group_per_window = group_per_window
        self.group_window = group_window + chat_slack
        self.window_limit = max(1, math.floor(overall_rate))
        self.window = 1.0 + slack
        self.interval = self.window / overall_rate
        self._tolerance = CATCH_UP
        self._overall: deque[float] = deque()
        self._next_slot = -math.inf  # the even schedule's next slot
        self._blocked_until = 0.0
        self._chats: dict[int, _ChatState] = {}

    @property
    def effective_rate(self) -> float:
        """The sustained overall rate this pacer allows, in messages per second."""
        return self.window_limit / self.window

    def chat_rate(self, private: bool) -> float:
        """The sustained rate one chat may receive, in messages per second."""
        if private:
            return 1.0 / self.private_interval
        return min(1.0 / self.private_interval, self.group_per_window / self.group_window)

    def earliest_overall(self, now: float) -> float:
        """The earliest time any message may be sent."""
        at = max(now, self._blocked_until, self._next_slot - self._tolerance)
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
        self._overall.append(at)
        while len(self._overall) > self.window_limit:
            self._overall.popleft()
        self._next_slot = max(self._next_slot, at) + self.interval
        state = self._chats.get(chat_id)
        if state is None:
            state = self._chats[chat_id] = _ChatState()
        state.sends.append(at)
        keep = 2 if private else max(2, self.group_per_window)
        while len(state.sends) > keep:
            state.sends.popleft()

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
