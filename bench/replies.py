"""Reply latency under load: 200 users sending 5 commands each while a fan-out runs.

Run: .venv/bin/python bench/replies.py [--users 200] [--commands 5] [--fanout 300]
                                       [--runs 1] [--compare-with PATH]

Each run starts the fake Bot API server (in this process, flood limits enforced: 429 past 30
messages per second overall or 1 per second per private chat), a local feed server and the real
bot (``python -m bot``) on a fresh database with ``--fanout`` subscribed chats. Once the feed's
new story is going out to them (20 teasers sent), every user sends its commands at once (/help,
/latest, /regions, /help latest, /latest 3): 1,000 updates arrive together.

Figures (from the fake server's clock, when it accepted each message):
  first reply: per user, from sending the commands to the user's first reply (median, p95, max)
  all replies: every reply, from sending to its arrival (median, p95)
  answered:    replies received / commands sent (a chat's excess beyond 1 running + 4 waiting
               is dropped; equal commands waiting are merged)
  fan-out:     seconds from the first to the last teaser of the fan-out
  429s:        flood-limit answers the bot provoked (0 expected)

``--compare-with PATH`` runs the same load against another checkout of the bot (for example the
commit before the fairness work, exported with ``git archive``) in the same invocation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.core.models import ChatKind  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.support.fake_telegram import FakeTelegram  # noqa: E402
from tests.support.feed_server import FeedServer, rss  # noqa: E402
from tests.support.stories import story  # noqa: E402

TOKEN = "123456789:AAE_bench-token-for-the-fake-server-00"
COMMANDS = ("/help", "/latest", "/regions", "/help latest", "/latest 3")
USER_BASE = 700_000
FANOUT_BASE = 100_000
SETTLE = 180.0
QUIET = 5.0
"""Seconds without any new message after which the run is over."""


@dataclass
class Result:
    label: str
    first: list[float]
    every: list[float]
    answered: int
    asked: int
    fanout_s: float
    count_429: int


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")


async def seed(database: Path, chat_ids: range) -> None:
    store = await Store.open(database)
    try:
        for chat_id in chat_ids:
            await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=time.time())
            await store.chats.set_subscribed(chat_id, True, now=time.time())
    finally:
        await store.close()


class Bot:
    """The real bot process of one checkout; output collected, a line awaited."""

    def __init__(self, repo: Path, env: dict[str, str], cwd: Path) -> None:
        full = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
        full.update(env, PYTHONPATH=str(repo), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=cwd,
            env=full,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"bot: no {text!r}:\n" + "".join(self.lines[-30:]))
            time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            print("  (the bot did not stop within 30 s of SIGTERM: killed)", flush=True)
            self.proc.kill()
            self.proc.wait(10)


def run_once(label: str, repo: Path, users: int, per_user: int, fanout: int) -> Result:
    telegram = FakeTelegram(token=TOKEN, flood=True).start()
    feeds = FeedServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-replies-") as tmp:
            workdir = Path(tmp)
            database = workdir / "bot.sqlite3"
            fan_chats = range(FANOUT_BASE, FANOUT_BASE + fanout)
            user_ids = range(USER_BASE, USER_BASE + users)
            for chat_id in [*fan_chats, *user_ids]:
                telegram.add_private_chat(chat_id)
            asyncio.run(seed(database, fan_chats))
            feeds.set("/feed.xml", rss([story(0)]))
            env = {
                "BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": telegram.root_url,
                "DATABASE_PATH": str(database),
                "FEED_URLS": feeds.url("/feed.xml"),
                "POLL_INTERVAL_SECONDS": "0.5",
                "LOG_LEVEL": "WARNING",
            }
            bot = Bot(repo, {**env, "LOG_LEVEL": "INFO"}, workdir)
            try:
                bot.wait_for("baseline=True")
                feeds.set("/feed.xml", rss([story(1), story(0)]))
                fan_set = set(fan_chats)
                telegram.wait_until(
                    lambda: sum(m.chat_id in fan_set for m in telegram.all_messages()) >= 20, 30
                )
                asked = time.monotonic()
                for user_id in user_ids:
                    for text in COMMANDS[:per_user]:
                        telegram.send_message(user_id, user_id, text)
                telegram.wait_until(
                    lambda: (
                        all(telegram.messages(u) for u in user_ids)
                        and all(telegram.messages(c) for c in fan_chats)
                    ),
                    SETTLE,
                )
                time.sleep(per_user + 2.0)  # replies still owed arrive (1 per second per chat)
            finally:
                bot.stop()
                if os.environ.get("BENCH_LOG"):
                    print("".join(line for line in bot.lines if "poll source" not in line))
            first = [
                telegram.messages(u)[0].sent_at - asked for u in user_ids if telegram.messages(u)
            ]
            every = [m.sent_at - asked for u in user_ids for m in telegram.messages(u)]
            teasers = sorted(m.sent_at for c in fan_chats for m in telegram.messages(c))
            return Result(
                label=label,
                first=first,
                every=every,
                answered=len(every),
                asked=users * per_user,
                fanout_s=teasers[-1] - teasers[0] if teasers else float("nan"),
                count_429=telegram.count_429,
            )
    finally:
        feeds.stop()
        telegram.stop()


def report(result: Result, users: int) -> None:
    print(
        f"{result.label}: first reply median {statistics.median(result.first):.2f} s, "
        f"p95 {p95(result.first):.2f} s, max {max(result.first):.2f} s "
        f"({len(result.first)}/{users} users answered); "
        f"all replies median {statistics.median(result.every):.2f} s, "
        f"p95 {p95(result.every):.2f} s; answered {result.answered}/{result.asked}; "
        f"fan-out {result.fanout_s:.1f} s; 429s {result.count_429}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--commands", type=int, default=5, choices=range(1, 6))
    parser.add_argument("--fanout", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--compare-with", type=Path, default=None)
    args = parser.parse_args()
    checkouts = [("this checkout", REPO)]
    if args.compare_with is not None:
        checkouts.append((f"{args.compare_with}", args.compare_with.resolve()))
    print(
        f"{args.users} users x {args.commands} commands at once during a fan-out to "
        f"{args.fanout} chats (flood limits enforced by the fake server)",
        flush=True,
    )
    for run in range(1, args.runs + 1):
        for label, repo in checkouts:
            result = run_once(f"run {run} {label}", repo, args.users, args.commands, args.fanout)
            report(result, args.users)


if __name__ == "__main__":
    main()
