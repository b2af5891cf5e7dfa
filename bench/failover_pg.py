"""Failover on PostgreSQL: the leader bot process is SIGKILLed mid fan-out; how long until another
process leads and sends, and how many messages were lost or sent twice.

Run: .venv/bin/python bench/failover_pg.py [--runs 5] [--chats 300] [--kill-after 100]

Each run: a fresh database on the bench's own PostgreSQL (tests/support/postgres.py) with
``--chats`` subscribed private chats; three real `python -m bot` processes on it, the fake Bot
API (flood mode: 429 past Telegram's limits) and a local feed in this process. A new story is
published; once ``--kill-after`` chats have it, the leader is SIGKILLed. Measured from the kill:
until a survivor logs "leader elected" (as this process reads its output) and until the fake
server accepts the first message a survivor sends (the fake's clock is this process's monotonic
clock). Then every chat's copies of the story are counted once all have one: lost = chats
without it, duplicates = copies beyond the first, and the most copies one chat got.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.core.models import ChatKind  # noqa: E402
from bot.store.postgres import PostgresStore  # noqa: E402
from tests.support.bot_process import BotProcess  # noqa: E402
from tests.support.fake_telegram import FakeTelegram  # noqa: E402
from tests.support.feed_server import FeedServer, rss  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

TOKEN = "123456789:AAE_bench-token-for-the-fake-server-0"
OLD = {"title": "Dockers walk out in Rotterdam", "link": "https://news.example/1", "guid": "1"}
NEW = {"title": "Rail workers vote to strike", "link": "https://news.example/2", "guid": "2"}
PROCESSES = 3


@dataclass(frozen=True, slots=True)
class Outcome:
    """One run's figures."""

    elected_s: float  # kill → a survivor logs "leader elected"
    first_send_s: float  # kill → the fake accepts a survivor's first message
    sent_before_kill: int  # chats that had the story when the leader was killed
    lost: int
    duplicates: int
    most_copies: int
    count_429: int


async def _subscribe(url: str, chat_ids: list[int]) -> None:
    store = await PostgresStore.open(url)
    try:
        async with store.transaction() as db:
            now = time.time()
            await db.executemany(
                "INSERT INTO chats (id, kind, subscribed, created_at, updated_at) "
                "VALUES ($1, $2, true, $3, $3)",
                [(chat_id, ChatKind.PRIVATE.value, now) for chat_id in chat_ids],
            )
    finally:
        await store.close()


def _wait(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise SystemExit(f"timed out after {timeout:g} s waiting for {what}")


def _copies(telegram: FakeTelegram, chats: list[int]) -> list[int]:
    return [sum(NEW["title"] in m.text for m in telegram.messages(c)) for c in chats]


def one_run(server: PostgresServer, workdir: Path, chats_n: int, kill_after: int) -> Outcome:
    """Start three bot processes, kill the leader mid fan-out, count what arrived."""
    url = server.create_database()
    chats = list(range(10_001, 10_001 + chats_n))
    asyncio.run(_subscribe(url, chats))
    with FakeTelegram(token=TOKEN, flood=True) as telegram, FeedServer() as feeds:
        for chat_id in chats:
            telegram.add_private_chat(chat_id)
        feeds.set("/feed.xml", rss([OLD], title="Example News"))
        env = {
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": url,
            "DATABASE_PATH": str(workdir / "unused.sqlite3"),
            "FEED_URLS": feeds.url("/feed.xml"),
            "POLL_INTERVAL_SECONDS": "0.5",
            "LOG_LEVEL": "INFO",
        }
        bots: list[BotProcess] = []
        try:
            for n in range(PROCESSES):
                api = f"http://127.0.0.1:{telegram.port}/as/p{n + 1}"
                bot = BotProcess({**env, "TELEGRAM_API_BASE_URL": api}, cwd=workdir).start()
                bots.append(bot)
                bot.wait_for(r"leader elected" if n == 0 else r"following:", timeout=60)
            _wait(lambda: any("baseline=True" in b.output for b in bots), 60, "the baseline")
            feeds.set("/feed.xml", rss([NEW, OLD], title="Example News"))
            _wait(lambda: sum(map(bool, _copies(telegram, chats))) >= kill_after, 120, "sends")
            return _kill_and_count(telegram, bots, chats)
        finally:
            for bot in bots:
                bot.__exit__()


def _kill_and_count(telegram: FakeTelegram, bots: list[BotProcess], chats: list[int]) -> Outcome:
    (leader,) = [b for b in bots if "leader elected" in b.output]
    name = f"p{bots.index(leader) + 1}"
    before = sum(map(bool, _copies(telegram, chats)))
    killed_at = time.monotonic()
    leader.kill()
    survivors = [b for b in bots if b is not leader]
    _wait(lambda: any("leader elected" in b.output for b in survivors), 60, "a new leader")
    elected = time.monotonic() - killed_at
    _wait(lambda: all(_copies(telegram, chats)), 180, "every chat's message")
    time.sleep(2.0)  # a second copy would show by now
    sends = [
        c.at
        for c in telegram.calls("sendMessage")
        if c.client not in ("", name) and c.status == 200 and c.at >= killed_at
    ]
    copies = _copies(telegram, chats)
    for bot in survivors:
        bot.terminate(30)
    return Outcome(
        elected_s=elected,
        first_send_s=min(sends) - killed_at,
        sent_before_kill=before,
        lost=sum(1 for c in copies if c == 0),
        duplicates=sum(c - 1 for c in copies if c > 1),
        most_copies=max(copies),
        count_429=telegram.count_429,
    )


def main() -> None:
    """Run the failover ``--runs`` times and print each run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--kill-after", type=int, default=100)
    args = parser.parse_args()
    outcomes = []
    with PostgresServer.create() as server, tempfile.TemporaryDirectory() as tmp:
        for run in range(1, args.runs + 1):
            out = one_run(server, Path(tmp), args.chats, args.kill_after)
            outcomes.append(out)
            print(
                f"run {run}: new leader {out.elected_s:.2f} s, first send {out.first_send_s:.2f} s "
                f"after the kill; {out.sent_before_kill}/{args.chats} chats had it at the kill; "
                f"lost {out.lost}, duplicates {out.duplicates} (most copies in one chat "
                f"{out.most_copies}), 429s {out.count_429}",
                flush=True,
            )
    print(
        f"failover, {PROCESSES} processes, {args.chats} chats, median of {len(outcomes)}: "
        f"new leader {statistics.median(o.elected_s for o in outcomes):.2f} s "
        f"(max {max(o.elected_s for o in outcomes):.2f}), first send "
        f"{statistics.median(o.first_send_s for o in outcomes):.2f} s "
        f"(max {max(o.first_send_s for o in outcomes):.2f}); lost "
        f"{sum(o.lost for o in outcomes)}, "
        f"duplicates {sum(o.duplicates for o in outcomes)} in all, "
        f"most copies in one chat {max(o.most_copies for o in outcomes)}, "
        f"429s {sum(o.count_429 for o in outcomes)}"
    )


if __name__ == "__main__":
    main()
