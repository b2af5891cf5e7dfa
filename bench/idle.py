"""Idle cost of the real bot process: CPU per second and peak RSS with nothing to deliver.

Run: .venv/bin/python bench/idle.py [--seconds 60] [--runs 3] [--poll-interval 300]
                                     [--chats 2000] [--profile prof.txt]

Starts the fake Bot API (its own process), a local feed server with one unchanging feed and
``python -m bot`` on a fresh SQLite database with ``--chats`` subscribed private chats; once the
first poll is done (``baseline=True`` in the log) it waits a few seconds for start-up to settle,
then reads the bot's CPU time (/proc/<pid>/stat) over ``--seconds``. Prints CPU ms per second
and the peak RSS (VmHWM). ``--poll-interval`` is POLL_INTERVAL_SECONDS (the default, 300, when
not given). ``--profile FILE`` runs the bot under cProfile (``bench/profiled_bot.py``: CPU time
of the event loop's thread, start-up included), stats written to FILE when it stops.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fanout import TOKEN, BotRun, FakeServer, _seed, story  # noqa: E402
from bot.core.models import ChatKind  # noqa: E402
from tests.support.feed_server import FeedServer, rss  # noqa: E402

LAUNCH: list[str] | None = None
"""Set by ``--launch SCRIPT``: run ``python SCRIPT`` instead of ``python -m bot`` (a probe)."""
SETTLE = 5.0
"""Seconds after the first poll before measuring (start-up work, the first getUpdates)."""


def one_run(seconds: float, interval: float | None, chats: int, port: int) -> tuple[float, float]:
    """CPU ms per second of the idle bot, and its peak RSS in MB."""
    with tempfile.TemporaryDirectory(prefix="idle_") as tmp:
        workdir = Path(tmp)
        database = workdir / "bot.sqlite3"
        fake = FakeServer(port, flood=False)
        feeds = FeedServer().start()
        bot: BotRun | None = None
        try:
            seeded = [(100_000 + n, ChatKind.PRIVATE) for n in range(chats)]
            asyncio.run(_seed(database, seeded, 0))
            feeds.set("/feed.xml", rss([story(0)]))
            env = {
                "BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": fake.root,
                "DATABASE_PATH": str(database),
                "FEED_URLS": feeds.url("/feed.xml"),
                "LOG_LEVEL": "INFO",
            }
            if interval is not None:
                env["POLL_INTERVAL_SECONDS"] = str(interval)
            bot = BotRun(workdir, env, command_override=LAUNCH)
            bot.wait_for("baseline=True", timeout=300)
            time.sleep(SETTLE)
            before, started = bot.cpu_seconds(), time.monotonic()
            time.sleep(seconds)
            cpu, elapsed = bot.cpu_seconds() - before, time.monotonic() - started
            peak = bot.peak_rss_mb()
        finally:
            if bot is not None:
                bot.stop()
            feeds.stop()
            fake.stop()
    return cpu * 1000 / elapsed, peak


def main() -> None:
    """``--runs`` idle windows of ``--seconds``; one line each and the medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--poll-interval", type=float, default=None)
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--port", type=int, default=18941)
    parser.add_argument("--profile", default=None, help="cProfile (CPU time) stats file")
    parser.add_argument("--launch", default=None, help="a command run instead of -m bot")
    args = parser.parse_args()
    global LAUNCH  # noqa: PLW0603 - one switch for every run
    LAUNCH = args.launch.split() if args.launch else None
    if args.profile:
        LAUNCH = [str(REPO / "bench" / "profiled_bot.py"), args.profile]
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, idle")
    cpus, rsss = [], []
    for _ in range(args.runs):
        cpu, rss = one_run(args.seconds, args.poll_interval, args.chats, args.port)
        cpus.append(cpu)
        rsss.append(rss)
        print(
            f"idle {args.seconds:g} s: {cpu:.2f} ms CPU per second, peak RSS {rss:.0f} MB",
            flush=True,
        )
    cpu, rss = statistics.median(cpus), statistics.median(rsss)
    print(f"median: {cpu:.2f} ms CPU per second, peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
