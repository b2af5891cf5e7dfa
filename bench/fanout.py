"""Fan-out benchmarks: the real bot process and database against the fake Bot API in flood mode.

Run: .venv/bin/python bench/fanout.py [--scenario private|channels|channels-paid|paid|all|…]
                                       [--runs 3] [--neighbour] [--backend sqlite|postgresql]

``--backend postgresql`` runs the bot on PostgreSQL (DATABASE_URL of a fresh database on the
bench's own server, tests/support/postgres.py) instead of a fresh SQLite file.

``--neighbour`` runs a CPU-bound process (a busy loop) beside the bot for the whole fan-out,
started just before the new stories appear and stopped when the last message is in.

Each run starts the fake Bot API server as its own process (``python -m tests.support.fake_telegram
--flood``: 429 with retry_after past 30 messages per second overall, 1 per second per private chat,
20 per minute per group or channel, 1000 per second with allow_paid_broadcast), a local feed
server, and ``python -m bot`` on a fresh database seeded with the chats. The feed then gains one
(or more) new stories and the bot fans them out. Figures come from the fake server's record of
accepted messages (its own clock), the database, and /proc for the bot's CPU time and peak RSS.

Scenarios:
  private         2,000 private chats x 1 story at BROADCAST_RATE=30, with /latest asked by 20
                  other users during the fan-out (answer time median and p95)
  private-10k     10,000 private chats x 1 story at 30/s (about 6 minutes)
  private-slow    the same without /latest, every Bot API answer delayed by 150 ms (network
                  latency: the rate needs several sends in flight)
  channels        200 channels x 10 stories at 30/s (the overall limit binds: 200 channels at
                  20/min would need 66.7 msg/s)
  channels-limit  80 channels x 25 stories at 30/s (80 x 20/min = 26.7 msg/s: the per-channel
                  limit binds)
  channels-paid   200 channels x 25 stories at BROADCAST_RATE=1000 (paid broadcasts lift the
                  overall limit, so the per-channel limit of 20/min binds: 66.7 msg/s)
  paid            10,000 private chats x 1 story at BROADCAST_RATE=1000 with 100,000 articles
                  stored: the engine's ceiling (msg/s, CPU ms per message) and peak RSS
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.core.models import (  # noqa: E402
    ChatKind,
    Classification,
    NewArticle,
    ParsedItem,
    SourceSpec,
)
from bot.store import Store  # noqa: E402
from tests.support.feed_server import FeedServer, rss  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402
from tests.support.seeding import record_articles  # noqa: E402

TOKEN = "123456789:AAE_bench-token-for-the-fake-server-00"
PYTHON = sys.executable
TICK = os.sysconf("SC_CLK_TCK")


def story(number: int) -> dict[str, str]:
    when = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=number)
    return {
        "title": f"Workers strike across the country, day {number}",
        "link": f"https://news.example/strike-{number}",
        "guid": f"strike-{number}",
        "description": (
            "Tens of thousands walked out this morning as the dispute over pay and conditions "
            "entered a new phase; organisers say more sectors will join next week."
        ),
        "pubDate": when.strftime("%a, %d %b %Y %H:%M:%S +0000"),
    }


class FakeServer:
    """The fake Bot API as a separate process, driven through its /_control/ endpoints."""

    def __init__(self, port: int, delay: float = 0.0, *, flood: bool = True) -> None:
        self.root = f"http://127.0.0.1:{port}"
        command = [PYTHON, "-m", "tests.support.fake_telegram", "--token", TOKEN]
        if flood:
            command.append("--flood")
        self.proc = subprocess.Popen(
            [*command, "--port", str(port), "--delay", str(delay)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "listening" not in line:
            raise RuntimeError(f"fake server did not start: {line!r}")

    def call(self, action: str, **kwargs: Any) -> Any:
        request = urllib.request.Request(
            f"{self.root}/_control/{action}",
            data=json.dumps(kwargs).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            body = json.loads(answer.read())
        if not body.get("ok"):
            raise RuntimeError(body)
        return body["result"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


class BotRun:
    """``python -m bot`` with its log in a file."""

    def __init__(
        self,
        workdir: Path,
        env: dict[str, str],
        transport: str = "aiohttp",
        command_override: list[str] | None = None,
    ) -> None:
        self.log_path = workdir / "bot.log"
        self.log = self.log_path.open("w")
        full = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BOT_", "TELEGRAM_")) and "PROXY" not in k.upper()
        }
        full.update(env, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1", ALLOW_PRIVATE_SOURCES="true")
        command = [PYTHON, "-m", "bot"]
        if PROFILE:  # cProfile (CPU time) of the whole process, written when it exits
            command = [PYTHON, str(REPO / "bench" / "profiled_bot.py"), PROFILE]
        if transport != "aiohttp":  # the bot's own; others are swapped in by a launcher
            command = [PYTHON, str(REPO / "bench" / "bot_with_transport.py"), transport]
        if LOOP == "asyncio":  # the stock event loop instead of the bot's uvloop
            command = [PYTHON, "-c", ON_ASYNCIO]
        if command_override:  # a probe launched instead of the bot
            command = [PYTHON, *command_override]
        self.proc = subprocess.Popen(
            command, cwd=workdir, env=full, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log_path.read_text():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"bot never logged {text!r}:\n{self.log_path.read_text()[-3000:]}")

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def main_thread_cpu_seconds(self) -> float:
        """CPU time of the event loop's thread alone (the rest: SQLite, parsing threads)."""
        with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def peak_rss_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> int:
        self.proc.terminate()
        status = self.proc.wait(30)
        self.log.close()
        return status


async def _seed(database: Path, chats: list[tuple[int, ChatKind]], stored_articles: int) -> None:
    store = await Store.open(database)
    try:
        now = time.time()
        async with store.transaction() as db:
            await db.executemany(
                "INSERT INTO chats (id, kind, subscribed, created_at, updated_at) "
                "VALUES (?, ?, 1, ?, ?)",
                [(chat_id, kind.value, now, now) for chat_id, kind in chats],
            )
        if stored_articles:
            (archive,) = await store.sources.sync_sources(
                [SourceSpec("Archive", "https://old.example/")]
            )
            start = datetime(2025, 12, 1, tzinfo=UTC)
            for chunk in range(0, stored_articles, 5000):
                batch = [
                    NewArticle(
                        ParsedItem(
                            key=f"old-{n}",
                            title=f"An older story about the strike wave, number {n}",
                            summary="A paragraph of summary text, as feeds carry it. " * 4,
                            url=f"https://old.example/{n}",
                            published=start + timedelta(seconds=n),
                        ),
                        Classification(("GB",), ("154",)),
                    )
                    for n in range(chunk, min(chunk + 5000, stored_articles))
                ]
                await record_articles(
                    store, archive.id, batch, now=now, baseline=True, route=lambda _e, _c: []
                )
    finally:
        await store.close()


async def _seed_postgres(url: str, chats: list[tuple[int, ChatKind]]) -> None:
    """The chats, subscribed, through the store's own verbs (PostgreSQL)."""
    from bot.store.postgres import PostgresStore  # noqa: PLC0415

    store = await PostgresStore.open(url)
    try:
        now = time.time()
        for chat_id, kind in chats:
            await store.chats.upsert_chat(chat_id, kind, now=now, title=f"Chat {chat_id}")
            await store.chats.set_subscribed(chat_id, True, now=now)
    finally:
        await store.close()


def queued_and_sent(database: Path | str) -> tuple[int, int]:
    """The outbox's queued and sent rows, on either backend."""
    if isinstance(database, str):
        return asyncio.run(_pg_counts(database))
    import sqlite3  # noqa: PLC0415

    with sqlite3.connect(database, timeout=10) as db:
        rows = dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
    return int(rows.get("queued", 0)), int(rows.get("sent", 0))


async def _pg_counts(url: str) -> tuple[int, int]:
    import asyncpg  # noqa: PLC0415

    conn = await asyncpg.connect(url)
    try:
        rows = {
            r[0]: r[1]
            for r in await conn.fetch("SELECT state, count(*) FROM outbox GROUP BY state")
        }
    finally:
        await conn.close()
    return int(rows.get("queued", 0)), int(rows.get("sent", 0))


@dataclass
class Result:
    scenario: str
    messages: int
    seconds: float
    rate: float
    count_429: int
    cpu_ms_per_message: float
    peak_rss_mb: float
    loop_share: float  # the event loop thread's share of that CPU
    per_chat_per_minute: tuple[float, int] | None = None  # (median first minute, busiest)
    latest_ms: list[float] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"{self.scenario_label}: {self.messages} messages in {self.seconds:.1f} s = "
            f"{self.rate:.2f} msg/s, 429s={self.count_429}, "
            f"bot CPU {self.cpu_ms_per_message:.3f} ms/msg ({self.loop_share:.0%} on the event "
            f"loop's thread), peak RSS {self.peak_rss_mb:.0f} MB"
        )
        if self.per_chat_per_minute is not None:
            first, busiest = self.per_chat_per_minute
            text += (
                f", per chat: {first:g} in its first minute (median), at most {busiest} in any 60 s"
            )
        if self.latest_ms:
            ordered = sorted(self.latest_ms)
            p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
            text += (
                f", /latest median {statistics.median(ordered):.0f} ms p95 {p95:.0f} ms "
                f"max {ordered[-1]:.0f} ms (n={len(ordered)})"
            )
        return text

    @property
    def scenario_label(self) -> str:
        label = self.scenario + (" +neighbour" if NEIGHBOUR else "")
        return label + (" [postgresql]" if POSTGRES is not None else "")


def explain_429s(calls: list[dict[str, Any]]) -> None:
    """Print, for each 429, how close the accepted sends before it came to each window."""
    accepted = [c for c in calls if c["status"] == 200]
    for call in (c for c in calls if c["status"] == 429):
        at, chat = call["at"], call["params"]["chat_id"]
        overall = sorted(c["at"] for c in accepted if at - 1.0 < c["at"] <= at)
        mine = sorted(c["at"] for c in accepted if c["params"]["chat_id"] == chat and c["at"] < at)
        chat_span = f"{at - mine[-20]:.3f} s" if len(mine) >= 20 else "n/a"
        print(
            f"  429 chat={chat} at={at:.3f}: {len(overall)} accepted in the second before; "
            f"the chat's 20th-last accepted send was {chat_span} before",
            file=sys.stderr,
        )


def first_minute(times: list[float]) -> int:
    """Messages a chat received in the 60 s from its first one."""
    start = min(times)
    return sum(1 for t in times if t < start + 60.0)


def busiest_minute(times: list[float]) -> int:
    """The most messages a chat received in any 60 s window."""
    ordered = sorted(times)
    return max(sum(1 for t in ordered if start <= t < start + 60.0) for start in ordered)


def ask_latest(fake: FakeServer, askers: range, results: list[float], gap: float) -> None:
    """Users who are not subscribed ask /latest one after another; record each answer time."""
    for asker in askers:
        asked = time.monotonic()
        fake.call("send_message", chat_id=asker, user_id=asker, text="/latest")
        fake.call("wait_for_messages", chat_id=asker, count=1, timeout=10)
        results.append((time.monotonic() - asked) * 1000)
        time.sleep(gap)


NEIGHBOUR = False
LOOP = "uvloop"
"""Set by ``--loop asyncio``: the bot runs on asyncio's own event loop (to compare)."""
ON_ASYNCIO = (
    "import asyncio, sys, bot.__main__ as m; m.LOOP_FACTORY = asyncio.new_event_loop; "
    "sys.exit(m.main())"
)
PROFILE: str | None = None
"""Set by ``--profile FILE``: the bot runs under cProfile, its stats written to FILE at exit."""
PORT = 18931
POSTGRES: PostgresServer | None = None  # --backend postgresql: the bench's own server
"""The fake Bot API's port (``--port``: another benchmark may hold the default)."""
"""Set by ``--neighbour``: run a CPU-bound process beside the bot during every fan-out."""


def start_neighbour() -> subprocess.Popen[bytes] | None:
    """A busy loop in its own process (one core's worth of CPU demand), if asked for."""
    if not NEIGHBOUR:
        return None
    return subprocess.Popen([PYTHON, "-c", "while True: pass"])


def stop_neighbour(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is not None:
        proc.terminate()
        proc.wait(10)


def report_duplicates(messages: list[dict[str, Any]], log_path: Path) -> None:
    """Print what a chat received more than once, and the bot's warnings that explain it."""
    seen: dict[tuple[int, str], int] = {}
    for m in messages:
        key = (m["chat_id"], m["text"])
        seen[key] = seen.get(key, 0) + 1
    repeated = {key: n for key, n in seen.items() if n > 1}
    if not repeated:
        return
    print(f"  duplicates: {sum(n - 1 for n in repeated.values())} in {len(repeated)} chats")
    for (chat_id, _), n in list(repeated.items())[:5]:
        print(f"    chat {chat_id}: {n} copies")
    lines = log_path.read_text(errors="replace").splitlines() if log_path.exists() else []
    for line in [x for x in lines if "WARNING" in x or "ERROR" in x][:20]:
        print(f"    log: {line[:300]}")


def run_scenario(
    name: str,
    *,
    chats: list[tuple[int, ChatKind]],
    stories: int,
    rate: float,
    stored_articles: int = 0,
    latest_askers: int = 0,
    delay: float = 0.0,
    port: int | None = None,
    transport: str = "aiohttp",
) -> Result:
    """One fan-out of ``stories`` new stories to ``chats``; see the module docstring."""
    with tempfile.TemporaryDirectory(prefix="fanout_") as tmp:
        workdir = Path(tmp)
        database = workdir / "bot.sqlite3"
        fake = FakeServer(port or PORT, delay)
        feeds = FeedServer().start()
        bot: BotRun | None = None
        neighbour: subprocess.Popen[bytes] | None = None
        try:
            for chat_id, kind in chats:
                if kind is ChatKind.PRIVATE:
                    fake.call("add_private_chat", user_id=chat_id)
                else:
                    fake.call("add_channel", chat_id=chat_id, title=f"Channel {chat_id}")
            where: dict[str, str] = {"DATABASE_PATH": str(database)}
            counted: Path | str = database
            if POSTGRES is not None:
                if stored_articles:
                    raise SystemExit("stored articles are seeded on SQLite only")
                counted = POSTGRES.create_database()
                asyncio.run(_seed_postgres(counted, chats))
                where = {"DATABASE_URL": counted}
            else:
                asyncio.run(_seed(database, chats, stored_articles))
            feeds.set("/feed.xml", rss([story(0)]))
            bot = BotRun(
                workdir,
                {
                    "BOT_TOKEN": TOKEN,
                    "TELEGRAM_API_BASE_URL": fake.root,
                    **where,
                    "FEED_URLS": feeds.url("/feed.xml"),
                    "POLL_INTERVAL_SECONDS": "1",
                    "BROADCAST_RATE": str(rate),
                    "LOG_LEVEL": "INFO",
                },
                transport,
            )
            bot.wait_for("baseline=True")
            fake.call("clear_log")
            expected = len(chats) * stories
            cpu_before, loop_before = bot.cpu_seconds(), bot.main_thread_cpu_seconds()
            feeds.set("/feed.xml", rss([story(n) for n in range(stories, -1, -1)]))
            latencies: list[float] = []
            asker_thread: threading.Thread | None = None
            neighbour = start_neighbour()
            started = time.monotonic()
            while time.monotonic() - started < 3600:
                queued, sent = queued_and_sent(counted)
                if asker_thread is None and latest_askers and sent >= 150:
                    asker_thread = threading.Thread(
                        target=ask_latest,
                        args=(fake, range(900_001, 900_001 + latest_askers), latencies, 1.5),
                    )
                    asker_thread.start()
                if sent >= expected and queued == 0:
                    break
                time.sleep(0.2)
            if asker_thread is not None:
                asker_thread.join()
            stop_neighbour(neighbour)
            cpu = bot.cpu_seconds() - cpu_before
            loop_cpu = bot.main_thread_cpu_seconds() - loop_before
            rss_mb = bot.peak_rss_mb()
            messages = [
                m for m in fake.call("all_messages") if m["chat_id"] < 900_000
            ]  # the fan-out only, not the /latest answers
            count_429 = int(fake.call("count_429"))
            if count_429:
                explain_429s(fake.call("calls", method="sendMessage"))
        finally:
            stop_neighbour(neighbour)
            if bot is not None:
                bot.stop()
            feeds.stop()
            fake.stop()
        report_duplicates(messages, workdir / "bot.log")
    times = sorted(m["sent_at"] for m in messages)
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    per_chat = None
    if stories > 1:
        by_chat: dict[int, list[float]] = {}
        for m in messages:
            by_chat.setdefault(m["chat_id"], []).append(m["sent_at"])
        per_chat = (
            statistics.median(first_minute(t) for t in by_chat.values()),
            max(busiest_minute(t) for t in by_chat.values()),
        )
    return Result(
        name if transport == "aiohttp" else f"{name} [{transport}]",
        len(messages),
        span,
        (len(times) - 1) / span,
        count_429,
        cpu * 1000 / max(1, len(messages)),
        rss_mb,
        loop_cpu / cpu if cpu else float("nan"),
        per_chat,
        latencies,
    )


SCENARIOS: dict[str, Any] = {
    "private": lambda transport: run_scenario(
        "private 2000 x 1 @30",
        transport=transport,
        chats=[(100_000 + n, ChatKind.PRIVATE) for n in range(2000)],
        stories=1,
        rate=30,
        latest_askers=20,
    ),
    "private-10k": lambda transport: run_scenario(
        "private 10000 x 1 @30",
        transport=transport,
        chats=[(100_000 + n, ChatKind.PRIVATE) for n in range(10_000)],
        stories=1,
        rate=30,
    ),
    "private-slow": lambda transport: run_scenario(
        "private 2000 x 1 @30, every answer 150 ms late",
        transport=transport,
        chats=[(100_000 + n, ChatKind.PRIVATE) for n in range(2000)],
        stories=1,
        rate=30,
        delay=0.15,
    ),
    "channels": lambda transport: run_scenario(
        "channels 200 x 10 @30",
        transport=transport,
        chats=[(-1_000_000_000 - n, ChatKind.CHANNEL) for n in range(200)],
        stories=10,
        rate=30,
    ),
    "channels-limit": lambda transport: run_scenario(
        "channels 80 x 25 @30",
        transport=transport,
        chats=[(-1_000_000_000 - n, ChatKind.CHANNEL) for n in range(80)],
        stories=25,
        rate=30,
    ),
    "channels-paid": lambda transport: run_scenario(
        "channels 200 x 25 @1000 (paid)",
        transport=transport,
        chats=[(-1_000_000_000 - n, ChatKind.CHANNEL) for n in range(200)],
        stories=25,
        rate=1000,
    ),
    "paid": lambda transport: run_scenario(
        "paid 10000 x 1 @1000, 100k articles stored",
        transport=transport,
        chats=[(100_000 + n, ChatKind.PRIVATE) for n in range(10_000)],
        stories=1,
        rate=1000,
        stored_articles=100_000,
    ),
}


def summarise(results: dict[str, list[Result]]) -> None:
    """Medians per transport, and each one's rate relative to the first."""
    base = statistics.median(r.rate for r in next(iter(results.values())))
    for transport, runs in results.items():
        rate = statistics.median(r.rate for r in runs)
        cpu = statistics.median(r.cpu_ms_per_message for r in runs)
        print(
            f"median [{transport}] over {len(runs)} runs: {rate:.1f} msg/s "
            f"(x{rate / base:.2f}), {cpu:.3f} ms CPU per message",
            flush=True,
        )


def main() -> None:
    """Run the chosen scenarios ``--runs`` times each and print one line per run."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--transports",
        default="aiohttp",
        help="comma-separated Bot API transports of bench/transports.py (aiohttp, httpx, "
        "legacy), run in turn within each round so they share the machine's conditions",
    )
    parser.add_argument(
        "--neighbour", action="store_true", help="a CPU-bound process beside the bot"
    )
    parser.add_argument("--port", type=int, default=18931, help="the fake Bot API's port")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    parser.add_argument(
        "--profile", default=None, help="run the bot under cProfile, stats to this file"
    )
    args = parser.parse_args()
    global NEIGHBOUR, PORT, POSTGRES, PROFILE, LOOP  # noqa: PLW0603 - one switch for every run
    NEIGHBOUR = args.neighbour
    LOOP = args.loop
    PROFILE = args.profile
    PORT = args.port
    if args.backend == "postgresql":
        POSTGRES = PostgresServer.create()
        POSTGRES.start()
    try:
        _run_all(args)
    finally:
        if POSTGRES is not None:
            POSTGRES.stop()


def _run_all(args: argparse.Namespace) -> None:
    """Every chosen scenario, ``--runs`` times, in the chosen transports."""
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    transports = args.transports.split(",")
    beside = ", CPU-bound neighbour running" if NEIGHBOUR else ""
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs{beside}")
    for name in names:
        results: dict[str, list[Result]] = {t: [] for t in transports}
        for _ in range(args.runs):
            for transport in transports:
                result = SCENARIOS[name](transport)
                results[transport].append(result)
                print(result.line(), flush=True)
        if len(transports) > 1 or args.runs > 1:
            summarise(results)


if __name__ == "__main__":
    main()
