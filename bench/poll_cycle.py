"""One poll cycle of 10,000 sources: SQLite (1 process), PostgreSQL with 1 and with 2 processes.

Run: .venv/bin/python bench/poll_cycle.py [runs] [sources] [concurrency] [cases]

``cases`` picks some of ``sqlite:1,postgresql:1,postgresql:2`` (backend:processes); a case
``sqlite:1@/path/to/tree`` runs its pollers from another checkout (holding a copy of this file),
on the same database, to compare two versions of the poller side by side.

A feed server process serves every feed on 16 loopback addresses (127.0.0.1-16, so the bot's
per-host limit of 2 connections is kept). 99 feeds in 100 answer a conditional request with 304;
1 in 100 changes every cycle: its ETag changes and it has one new item (of 3), which the bot
records and queues for 10 subscribed chats. Before the runs, one untimed cycle on each database
records every feed's first document (the baseline).

Each measured cycle marks every source due, starts the pollers as separate OS processes (each
runs the real ``Poller.run`` on its own store and ``Fetcher``, logging one line per poll to
/dev/null, as ``python -m bot run`` does), waits until each says it is ready, then tells them to
start. The wall time is from "start" until every source's ``last_polled_at`` is past that moment
(read by this process from the database; every 20 ms once fewer than 300 are left). Then the
pollers get SIGTERM (they give back their leases and report their CPU time) and the feed server
reports how often each feed was requested in the cycle: each exactly once, or the run is
reported as wrong.

PostgreSQL is the test suite's own server (tests/support/postgres.py: fsync and
synchronous_commit off); SQLite is the store's own setting (WAL, synchronous NORMAL). The cases
alternate within each run. Prints each run and the medians.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

HOSTS = 16
CHURN_EVERY = 100  # 1 feed in 100 has a new item every cycle; the others answer 304
CHATS = 10
INTERVAL = 3600  # after its poll a source is not due again within the cycle
CASES = "sqlite:1,postgresql:1,postgresql:2"


# ------------------------------------------------------------------ the feed server process


def feed_body(n: int, gen: int) -> bytes:
    """Feed n at generation ``gen``: its 3 latest items (1 at generation 0)."""
    items = "".join(
        f"<item><title>Dock workers at port {n}-{k} in Hamburg strike over pay</title>"
        f"<link>https://news{n}.example/2026/story-{k}/</link><guid>news{n}-{k}</guid>"
        f"<pubDate>Sun, 29 Nov 2026 0{k % 10}:00:00 +0000</pubDate>"
        f"<description>Workers at port {n}-{k} walked out after talks broke down.</description>"
        f"</item>"
        for k in range(max(0, gen - 2), gen + 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>News {n}</title><link>https://news{n}.example/</link>"
        f"<description>Feed {n}</description>{items}</channel></rss>"
    ).encode()


async def serve(port: int, feeds: int) -> None:
    """A keep-alive HTTP/1.1 server for the feeds; counts each feed's requests per cycle."""
    state = {"gen": 0}
    counts = [0] * feeds

    def control(path: str) -> bytes:
        if path == "/control/cycle":  # a new cycle: churn feeds change, counts start again
            state["gen"] += 1
            counts[:] = [0] * feeds
            body = b"{}"
        else:
            body = json.dumps(
                {"requested": sum(1 for c in counts if c), "max": max(counts), "total": sum(counts)}
            ).encode()
        return f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body

    def answer(path: str, headers: dict[str, str]) -> bytes:
        if path.startswith("/control/"):
            return control(path)
        n = int(path.rsplit("/", 1)[1].split(".", 1)[0])
        counts[n] += 1
        gen = state["gen"] if n % CHURN_EVERY == 0 else 0
        etag = f'"v{n}-{gen}"'
        if headers.get("if-none-match") == etag:
            return f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n\r\n".encode()
        body = feed_body(n, gen)
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
            f"ETag: {etag}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                writer.write(answer(lines[0].split(" ")[1], headers))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    hosts = [f"127.0.0.{i}" for i in range(1, HOSTS + 1)]
    server = await asyncio.start_server(handle, hosts, port, backlog=1024)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    async with server:
        await server.serve_forever()


# ------------------------------------------------------------------ a poller process


async def worker(backend: str, target: str, concurrency: int, log: TextIO) -> None:
    """Open the store, say ready, poll from "go" until SIGTERM; then report what was polled."""
    from bot.core.routing import classify_item  # noqa: PLC0415
    from bot.logs import setup_logging  # noqa: PLC0415
    from bot.net.http import USER_AGENT, Fetcher  # noqa: PLC0415
    from bot.service.metrics import MeteredPoller  # noqa: PLC0415
    from bot.store import Store, StoreVerbs  # noqa: PLC0415
    from bot.store.postgres import PostgresStore  # noqa: PLC0415

    setup_logging("INFO", "text", [], stream=log)  # one line per poll, as the bot logs
    logging.getLogger("httpx").setLevel(logging.WARNING)
    store: StoreVerbs
    if backend == "sqlite":
        store = await Store.open(Path(target))
    else:
        store = await PostgresStore.open(target)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    statuses: dict[str, int] = {}
    async with Fetcher(allow_private=True, user_agent=USER_AGENT) as fetcher:
        poller = MeteredPoller(
            store, fetcher, interval=INTERVAL, classify=classify_item, concurrency=concurrency
        )
        poller.observer = lambda r: statuses.__setitem__(r.status, statuses.get(r.status, 0) + 1)
        print(json.dumps({"ready": os.getpid()}), flush=True)
        await loop.run_in_executor(None, sys.stdin.readline)
        cpu = time.process_time()
        await poller.run(stop)
        cpu = time.process_time() - cpu
        poller.close()
    await store.close()
    print(json.dumps({"statuses": statuses, "cpu_s": cpu}), flush=True)


# ------------------------------------------------------------------ the coordinator


def start_server(feeds: int) -> tuple[subprocess.Popen[str], int]:
    """The feed server process on a free port."""
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), str(feeds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    json.loads(proc.stdout.readline())
    return proc, port


def server_get(port: int, path: str) -> dict[str, int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
        return dict(json.loads(answer.read()))


async def prepare(backend: str, target: str, feeds: int, port: int) -> None:
    """The sources (round-robin over the hosts) and the subscribed chats."""
    from bot.core.models import ChatKind, SourceSpec  # noqa: PLC0415
    from bot.store import Store, StoreVerbs  # noqa: PLC0415
    from bot.store.postgres import PostgresStore  # noqa: PLC0415

    store: StoreVerbs
    store = await (Store.open(Path(target)) if backend == "sqlite" else PostgresStore.open(target))
    url = "http://127.0.0.{host}:{port}/feed/{n}.xml"
    await store.sources.sync_sources(
        [
            SourceSpec(name=f"feed{n}", url=url.format(host=1 + n % HOSTS, port=port, n=n))
            for n in range(feeds)
        ]
    )
    for chat in range(1, CHATS + 1):
        await store.chats.upsert_chat(chat, ChatKind.PRIVATE, now=time.time())
        await store.chats.set_subscribed(chat, True, now=time.time())
    await store.close()


class Database:
    """This process's view of the database: mark every source due, count the ones not polled."""

    def __init__(self, backend: str, target: str) -> None:
        self.backend = backend
        self.target = target
        self._pg: Any = None
        self._lite: sqlite3.Connection | None = None

    async def open(self) -> None:
        if self.backend == "sqlite":
            self._lite = sqlite3.connect(self.target, isolation_level=None, timeout=30)
        else:
            import asyncpg  # noqa: PLC0415

            self._pg = await asyncpg.connect(self.target)

    async def close(self) -> None:
        if self._lite is not None:
            self._lite.close()
        if self._pg is not None:
            await self._pg.close()

    async def all_due(self) -> None:
        if self._lite is not None:
            self._lite.execute("UPDATE sources SET next_poll_at = 0")
        else:
            await self._pg.execute("UPDATE sources SET next_poll_at = 0")

    async def not_polled_since(self, since: float) -> int:
        if self._lite is not None:
            row = self._lite.execute(
                "SELECT count(*) FROM sources WHERE last_polled_at IS NULL OR last_polled_at < ?",
                (since,),
            ).fetchone()
            return int(row[0])
        value = await self._pg.fetchval(
            "SELECT count(*) FROM sources WHERE last_polled_at IS NULL OR last_polled_at < $1",
            since,
        )
        return int(value)


async def cycle(
    backend: str, target: str, processes: int, port: int, concurrency: int, tree: str = ""
) -> dict[str, Any]:
    """One cycle with ``processes`` pollers; its wall time and what the pollers and server saw."""
    script = str(Path(tree) / "bench" / "poll_cycle.py") if tree else __file__
    db = Database(backend, target)
    await db.open()
    await db.all_due()
    server_get(port, "/control/cycle")
    workers = [
        subprocess.Popen(  # noqa: ASYNC220 - before the timed part; nothing else on this loop
            [sys.executable, script, "--worker", backend, target, str(concurrency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for proc in workers:
            assert proc.stdout is not None
            json.loads(proc.stdout.readline())  # ready: store open, poller built
        since = time.time()
        started = time.perf_counter()
        for proc in workers:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        while remaining := await db.not_polled_since(since):
            # Each look scans the table: rarely while much is left, every 20 ms near the end.
            await asyncio.sleep(0.25 if remaining > 300 else 0.02)
            if time.perf_counter() - started > 900:
                raise RuntimeError("the cycle did not end in 15 minutes")
        wall = time.perf_counter() - started
    finally:
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        await db.close()
    reports = []
    for proc in workers:
        out, _ = proc.communicate(timeout=60)
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return {"wall": wall, "workers": reports, "server": server_get(port, "/control/counts")}


def describe(result: dict[str, Any], feeds: int) -> str:
    """One run's line; says so when a feed was not requested exactly once."""
    server = result["server"]
    ok = server["requested"] == feeds and server["max"] == 1
    shares = "+".join(str(sum(w["statuses"].values())) for w in result["workers"])
    cpu = sum(w["cpu_s"] for w in result["workers"])
    errors = sum(w["statuses"].get("error", 0) for w in result["workers"])
    return (
        f"wall {result['wall']:.2f} s, polls {shares}, poller CPU {cpu:.2f} s, errors {errors}, "
        + ("each feed requested once" if ok else f"WRONG: server saw {server}")
    )


def main(argv: Sequence[str]) -> int:
    """Start the servers, record the baselines, run the cases in turn, print the medians."""
    if argv[:1] == ["--serve"]:
        asyncio.run(serve(int(argv[1]), int(argv[2])))
        return 0
    if argv[:1] == ["--worker"]:
        with Path(os.devnull).open("w") as log:
            asyncio.run(worker(argv[1], argv[2], int(argv[3]), log))
        return 0
    from tests.support.postgres import PostgresServer  # noqa: PLC0415

    runs = int(argv[0]) if argv else 5
    feeds = int(argv[1]) if len(argv) > 1 else 10_000
    concurrency = int(argv[2]) if len(argv) > 2 else 16
    cases = [case.split(":") for case in (argv[3] if len(argv) > 3 else CASES).split(",")]
    proc, port = start_server(feeds)
    walls: dict[str, list[float]] = {":".join(case): [] for case in cases}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="poll_cycle_") as tmp,
            PostgresServer.create() as pg,
        ):
            targets = {
                "sqlite": str(Path(tmp) / "bench.sqlite3"),
                "postgresql": pg.create_database(),
            }
            for backend, target in targets.items():
                if all(case[0] != backend for case in cases):
                    continue
                asyncio.run(prepare(backend, target, feeds, port))
                result = asyncio.run(cycle(backend, target, 1, port, concurrency))
                print(f"baseline [{backend}]: {describe(result, feeds)}", flush=True)
            for run in range(runs):
                for backend, spec in cases:
                    processes, _, tree = spec.partition("@")
                    result = asyncio.run(
                        cycle(backend, targets[backend], int(processes), port, concurrency, tree)
                    )
                    walls[f"{backend}:{spec}"].append(result["wall"])
                    print(
                        f"run {run + 1} [{backend}:{spec}]: {describe(result, feeds)}", flush=True
                    )
    finally:
        proc.terminate()
        proc.wait(10)
    reference = statistics.median(next(iter(walls.values())))
    print(
        f"{feeds} sources ({feeds // CHURN_EVERY} with a new item, the rest 304), "
        f"concurrency {concurrency} per process, {os.cpu_count()} CPUs, medians of {runs} runs:"
    )
    for case, values in walls.items():
        median = statistics.median(values)
        print(
            f"  {case} (backend:processes): {median:.2f} s "
            f"({feeds / median:.0f} sources/s, x{reference / median:.2f} vs the first) "
            f"[{', '.join(f'{v:.2f}' for v in values)}]"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
