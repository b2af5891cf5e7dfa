"""When the next message to a chat may go out without tripping Telegram's flood limits.

Pure: the caller passes ``now`` (seconds, any monotonic origin) and reports each send.
Limits: ``overall_rate`` messages in any 1 s window for the whole bot, evenly spaced;
one message per second per private chat; ``group_per_minute`` in any 60 s window per group or
channel (and at most one per second there too).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

PRIVATE_INTERVAL = 1.0
GROUP_WINDOW = 60.0
GROUP_PER_WINDOW = 20


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
    ) -> None:
        self.overall_rate = overall_rate
        self.private_interval = private_interval
        self.group_per_window = group_per_window
        self.group_window = group_window
        self._overall: deque[float] = deque()
        self._blocked_until = 0.0
        self._chats: dict[int, _ChatState] = {}

    def _window_limit(self) -> int:
        return max(1, int(self.overall_rate))

    def earliest_overall(self, now: float) -> float:
        """The earliest time any message may be sent."""
        at = max(now, self._blocked_until)
        if self._overall:
            at = max(at, self._overall[-1] + 1.0 / self.overall_rate)
            if len(self._overall) >= self._window_limit():
                at = max(at, self._overall[-self._window_limit()] + 1.0)
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
        while len(self._overall) > self._window_limit():
            self._overall.popleft()
        state = self._chats.setdefault(chat_id, _ChatState())
        state.sends.append(at)
        keep = 1 if private else self.group_per_window
        while len(state.sends) > keep:
            state.sends.popleft()

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
