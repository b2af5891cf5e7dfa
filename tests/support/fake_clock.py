"""A wall clock a test moves, for a real bot process: the fake sits at the process edge.

    python -m tests.support.fake_clock FILE [arguments of python -m bot ...]

runs ``python -m bot`` with ``time.time`` (and ``time.time_ns``) shifted by the offset in FILE
(seconds, a float; missing or empty: 0), replaced before any of the bot's modules is imported,
so every clock the bot is given (``clock=time.time``) reads the fake time. The monotonic clocks
(pacing, timeouts, asyncio) keep real time. A thread re-reads FILE every 20 ms: a test moves
the bot's clock by writing it (:class:`FakeClock`), and the time then runs on from there.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time
from pathlib import Path

_real_time = time.time
_real_time_ns = time.time_ns
LOOK_EVERY = 0.02


class FakeClock:
    """The test's side: sets the time a bot process started with ``clock=`` sees."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.write_text("0")

    def set(self, when: float) -> None:
        """From now on the bot's wall clock reads ``when`` (and runs on from there)."""
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(repr(when - _real_time()))
        os.replace(tmp, self.path)  # the bot never reads half a number

    def now(self) -> float:
        """The time the bot's clock reads now."""
        return _real_time() + _offset(self.path)


def _offset(path: Path) -> float:
    try:
        return float(path.read_text() or 0)
    except (OSError, ValueError):
        return 0.0


def _follow(path: Path, shift: list[float]) -> None:
    while True:
        shift[0] = _offset(path)
        time.sleep(LOOK_EVERY)


def main() -> None:
    """Shift the process's wall clock by FILE's offset, then run the bot as ``python -m bot``."""
    path = Path(sys.argv[1])
    shift = [_offset(path)]
    time.time = lambda: _real_time() + shift[0]
    time.time_ns = lambda: _real_time_ns() + int(shift[0] * 1e9)
    threading.Thread(target=_follow, args=(path, shift), daemon=True).start()
    sys.argv = ["bot", *sys.argv[2:]]
    runpy.run_module("bot", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
