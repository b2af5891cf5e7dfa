"""``python -m bot`` under cProfile with the main thread's CPU clock (not wall time).

Run: python bench/profiled_bot.py OUTFILE [bot arguments]

Wall-clock profiles of the bot on a busy machine charge to whatever call was running when the
process was descheduled (a socket send, a queue put that woke another thread); with
``time.thread_time`` each function is charged only the CPU the event loop's thread spent in it.
The stats are written to OUTFILE when the bot exits (SIGTERM stops it cleanly). Used by
``bench/fanout.py --profile``.
"""

from __future__ import annotations

import cProfile
import sys
import time

from bot.__main__ import main

if __name__ == "__main__":
    out, *rest = sys.argv[1:]
    profile = cProfile.Profile(time.thread_time)
    try:
        status = profile.runcall(main, rest)
    finally:
        profile.dump_stats(out)
    sys.exit(status)
