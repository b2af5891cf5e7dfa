"""One polling cycle over 1,000 local feeds with the real Poller, Fetcher and Store.

Run: .venv/bin/python bench/poll.py [rounds] [feeds]

A feed server runs in a separate process (its CPU is not counted) on 16 loopback addresses
(127.0.0.1-16), so the default per-host limit of 2 is kept. Every feed has 50 items; even feeds
send an ETag and answer 304 to a conditional request, odd feeds send no validators and answer
200 with the same body every time. After a baseline cycle (the first poll of every source), each
round measures in the bot process alone (time.process_time covers all its threads):

- the full cycle: all feeds due, half 304, half 200 unchanged;
- the 304 feeds alone, and the 200-unchanged feeds alone (CPU divided by the count);
- the 200 feeds again with a new lastBuildDate in every response (body changed, nothing new),
  so the unchanged-body shortcut cannot apply and the parse + record path is measured.

Prints medians over the rounds and the peak resident memory of the bot process (ru_maxrss).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HOSTS = 16
ITEMS = 50


# ------------------------------------------------------------------ the feed server process


def feed_body(n: int, build: int) -> bytes:
    """Feed n: 50 items with categories, HTML in descriptions, dates; ``build`` in lastBuildDate."""
    items = []
    for i in range(ITEMS):
        k = n * 1000 + i
        items.append(
            f"<item><title>Workers at plant {k} strike over pay &amp; conditions</title>"
            f"<link>https://news{n}.example/2024/05/story-{k}/?utm_source=rss</link>"
            f'<guid isPermaLink="false">https://news{n}.example/?p={k}</guid>'
            f"<pubDate>Wed, {1 + i % 28:02d} May 2024 {i % 24:02d}:00:00 +0000</pubDate>"
            f"<category>Labour</category><category>Europe</category>"
            f"<description>&lt;p&gt;Thousands of workers at plant {k} walked out on Tuesday "
            f"after talks with the management &lt;b&gt;broke down&lt;/b&gt;. The union says "
            f"wages have fallen behind prices for three years.&lt;/p&gt;&lt;p&gt;The strike "
            f"is expected to spread to other sites in the region.&lt;/p&gt; [&amp;#8230;]"
            f"</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>News {n}</title><link>https://news{n}.example/</link>"
        f"<description>Feed {n}</description>"
        f"<lastBuildDate>Wed, 01 May 2024 12:{build // 60 % 60:02d}:{build % 60:02d} +0000"
        f"</lastBuildDate>{''.join(items)}</channel></rss>"
    ).encode()


async def serve(port: int, feeds: int) -> None:
    """A small keep-alive HTTP/1.1 server for the benchmark's feeds."""
    bodies = {n: feed_body(n, 0) for n in range(feeds)}
    churn = {"on": False, "build": 0}

    def answer(path: str, headers: dict[str, str]) -> bytes:
        if path == "/control/churn-on":
            churn["on"] = True
            return b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
        if path == "/control/churn-off":
            churn["on"] = False
            return b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
        n = int(path.rsplit("/", 1)[1].split(".", 1)[0])
        extra = ""
        if n % 2 == 0:
            etag = f'"v{n}"'
            if headers.get("if-none-match") == etag:
                return f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n\r\n".encode()
            extra = f"ETag: {etag}\r\n"
        body = bodies[n]
        if churn["on"] and n % 2 == 1:
            churn["build"] += 1
            body = feed_body(n, churn["build"])
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n{extra}"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                writer.write(answer(path, headers))
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


# ------------------------------------------------------------------ the bot side


class Clock:
    """The poller's clock, moved forward between cycles so every source is due again."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def start_server(feeds: int) -> tuple[subprocess.Popen[str], int]:
    """Start the feed server process on a free port; returns it and the port."""
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


async def bot_side(rounds: int, feeds: int, port: int, log: TextIO) -> dict[str, Any]:
    """Run the cycles against the server; returns the figures."""
    import httpx  # noqa: PLC0415

    from bot.core.models import ChatKind, SourceSpec  # noqa: PLC0415
    from bot.core.routing import classify_item  # noqa: PLC0415
    from bot.logs import setup_logging  # noqa: PLC0415
    from bot.net.http import USER_AGENT, Fetcher  # noqa: PLC0415
    from bot.service.poller import Poller  # noqa: PLC0415
    from bot.store import Store  # noqa: PLC0415

    # Log as the bot does (one line per poll), to /dev/null.
    setup_logging("INFO", "text", [], stream=log)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    url = "http://127.0.0.{host}:{port}/feed/{n}.xml"
    specs = [
        SourceSpec(name=f"feed{n}", url=url.format(host=1 + n % HOSTS, port=port, n=n))
        for n in range(feeds)
    ]
    figures: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    with tempfile.TemporaryDirectory(prefix="sources_bench_") as tmp:
        store = await Store.open(Path(tmp) / "bench.sqlite3")
        await store.chats.upsert_chat(1, ChatKind.PRIVATE, now=time.time())
        await store.chats.set_subscribed(1, True, now=time.time())
        await store.sources.sync_sources(specs)
        clock = Clock()
        async with (
            Fetcher(allow_private=True, user_agent=USER_AGENT) as fetcher,
            httpx.AsyncClient() as control,
        ):
            poller = Poller(store, fetcher, interval=600, classify=classify_item, clock=clock)

            async def cycle(pick: Callable[[int], bool]) -> tuple[float, float, int]:
                clock.offset += 7200  # everything is due again
                sources = [s for s in await store.sources.sources() if pick(int(s.name[4:]))]
                wall, cpu = time.perf_counter(), time.process_time()
                reports = await poller.poll_many(sources)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                errors = [r.error for r in reports if r.status == "error"]
                assert not errors, errors[:3]
                assert sum(r.new for r in reports) == 0 or pick is everything
                return wall, cpu, len(sources)

            def everything(_n: int) -> bool:
                return True

            lag = LoopLag()
            wall, cpu, count = await lag.during(cycle(everything))
            print(f"baseline cycle: {count} feeds, wall {wall:.2f} s, CPU {cpu:.2f} s, "
                  f"loop lag max {lag.worst * 1000:.0f} ms")  # fmt: skip
            assert await store.articles.article_count() == feeds * ITEMS
            for _ in range(rounds):
                lag = LoopLag()
                wall, cpu, _count = await lag.during(cycle(everything))
                note("cycle wall s", wall)
                note("cycle CPU s", cpu)
                note("cycle loop lag max ms", lag.worst * 1000)
                _, cpu, count = await cycle(lambda n: n % 2 == 0)
                note("CPU per 304 ms", cpu / count * 1000)
                _, cpu, count = await cycle(lambda n: n % 2 == 1)
                note("CPU per 200 unchanged ms", cpu / count * 1000)
                await control.get(f"http://127.0.0.1:{port}/control/churn-on")
                _, cpu, count = await cycle(lambda n: n % 2 == 1)
                await control.get(f"http://127.0.0.1:{port}/control/churn-off")
                note("CPU per 200 changed, nothing new ms", cpu / count * 1000)
                await cycle(lambda n: n % 2 == 1)  # settle: store the usual body's digest again
        poller.close()
        await store.close()
    result: dict[str, Any] = {name: statistics.median(values) for name, values in figures.items()}
    result["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


class LoopLag:
    """The largest delay of a 10 ms ticker on the event loop while an awaitable runs."""

    def __init__(self) -> None:
        self.worst = 0.0

    async def during(self, work: Any) -> Any:
        done = asyncio.Event()

        async def tick() -> None:
            while not done.is_set():
                started = time.perf_counter()
                await asyncio.sleep(0.01)
                self.worst = max(self.worst, time.perf_counter() - started - 0.01)

        ticker = asyncio.create_task(tick())
        try:
            return await work
        finally:
            done.set()
            await ticker


def main(argv: Sequence[str]) -> int:
    """Start the server process, run the rounds, print the medians."""
    if argv[:1] == ["--serve"]:
        asyncio.run(serve(int(argv[1]), int(argv[2])))
        return 0
    rounds = int(argv[0]) if argv else 5
    feeds = int(argv[1]) if len(argv) > 1 else 1000
    proc, port = start_server(feeds)
    try:
        with Path(os.devnull).open("w") as log:
            figures = asyncio.run(bot_side(rounds, feeds, port, log))
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"{feeds} feeds x {ITEMS} items, {HOSTS} hosts, medians of {rounds} rounds:")
    for name, value in figures.items():
        print(f"  {name}: {value:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
