"""Time from a feed change to the first message, by audience size, on SQLite and PostgreSQL.

Run: .venv/bin/python bench/first_post.py [--chats 2000,100000] [--runs 3]
                                          [--backend sqlite|postgresql|both]

In one process, with the real parts: a store (a fresh SQLite file, or a fresh database on the
bench's own PostgreSQL server, tests/support/postgres.py) seeded with N subscribed private chats,
a local feed server, the real Poller, FanOut (the rest of the audience in slices) and Deliverer
whose sender records when it is first called (Telegram's answer is "sent" at once). After the
source's baseline poll the feed gains one story; the clock starts as the poll that sees it
begins (the fetch from the local server takes a millisecond or two) and stops at the first
send. Also printed: when that poll returned (its transaction, with the first outbox rows,
committed) and when all N rows were queued. Medians of ``--runs`` runs.

The same file runs on a tree from before the fan-out in slices (no ``bot.service.fanout``: the
poll queues every chat itself), for the before/after table: ``git archive <commit> | tar -x -C
/tmp/before && cp bench/first_post.py /tmp/before/bench/``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.core.models import Chat, ChatKind, SendOutcome, Sent, SourceSpec  # noqa: E402
from bot.core.pacing import Pacer  # noqa: E402
from bot.net.http import Fetcher  # noqa: E402
from bot.service.delivery import Deliverer  # noqa: E402
from bot.service.poller import Poller  # noqa: E402
from bot.service.throttle import Throttle  # noqa: E402
from bot.store import Store, StoreVerbs  # noqa: E402
from bot.store.postgres import PostgresStore  # noqa: E402

try:
    from bot.service.fanout import FanOut
except ImportError:  # a tree from before the fan-out in slices
    FanOut = None  # type: ignore[assignment,misc]
from tests.support.feed_server import FeedServer, rss  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402


def story(n: int) -> dict[str, str]:
    return {
        "title": f"Story {n}: dock workers strike",
        "link": f"https://news.example/{n}",
        "guid": f"https://news.example/?p={n}",
        "description": "Dock workers walked out on Monday across the port.",
    }


class FirstSend:
    """A sender that notes when it is first called and says "sent" to everything."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.called = asyncio.Event()

    async def send(
        self,
        chat: Chat,
        text: str,
        *,
        html: bool,
        link_preview: bool,
        preview_url: str | None = None,
        share: str | None = None,
        photo: str | None = None,
        read_url: str | None = None,
        silent: bool = False,
    ) -> SendOutcome:
        if self.first is None:
            self.first = time.perf_counter()
            self.called.set()
        return Sent(message_id=1)


async def seed(store: StoreVerbs, chats: int) -> None:
    """N subscribed private chats, with one statement."""
    now = time.time()
    rows = [(1000 + n, ChatKind.PRIVATE.value, now, now) for n in range(chats)]
    if isinstance(store, PostgresStore):
        async with store.transaction() as pg:
            await pg.executemany(
                "INSERT INTO chats (id, kind, subscribed, created_at, updated_at) "
                "VALUES ($1, $2, true, $3, $4)",
                rows,
            )
        return
    assert isinstance(store, Store)
    async with store.transaction() as db:
        await db.executemany(
            "INSERT INTO chats (id, kind, subscribed, created_at, updated_at) "
            "VALUES (?, ?, 1, ?, ?)",
            rows,
        )


async def queued(store: StoreVerbs) -> int:
    counts = await store.outbox.outbox_counts()  # type: ignore[attr-defined]
    return int(counts.queued + counts.sent)


async def pending(store: StoreVerbs) -> bool:
    """Whether a fan-out is still under way (a cheap look: the outbox is not counted)."""
    if FanOut is None:
        return False
    return bool(await store.polls.fan_outs())  # type: ignore[attr-defined]


async def one_run(store: StoreVerbs, feeds: FeedServer, chats: int) -> tuple[float, float, float]:
    """(first send, poll returned, every chat queued) in seconds after the poll that saw the
    change began."""
    await seed(store, chats)
    feeds.set("/feed.xml", rss([story(1)]))
    [source] = await store.sources.sync_sources(
        [SourceSpec(name="News", url=feeds.url("/feed.xml"))]
    )
    sender = FirstSend()
    async with Fetcher(allow_private=True, user_agent="bench") as fetcher:
        deliverer = Deliverer(store, sender, throttle=Throttle(Pacer(overall_rate=30)))
        stop = asyncio.Event()
        tasks = [asyncio.create_task(deliverer.run(stop))]
        if FanOut is not None:
            fan_out = FanOut(store, on_queued=deliverer.wake)
            poller = Poller(
                store, fetcher, interval=3600, on_queued=deliverer.wake, on_fan_out=fan_out.wake
            )
            tasks.append(asyncio.create_task(fan_out.run(stop)))
        else:
            poller = Poller(store, fetcher, interval=3600, on_queued=deliverer.wake)
        await poller.poll(source)  # the baseline
        await asyncio.sleep(0.5)  # delivery idle, waiting
        feeds.set("/feed.xml", rss([story(2), story(1)]))
        source = await store.sources.source(source.id) or source
        started = time.perf_counter()
        await poller.poll(source)
        committed = time.perf_counter() - started
        await asyncio.wait_for(sender.called.wait(), 120)
        while await pending(store):  # noqa: ASYNC110 (a look at the store, no event to wait on)
            await asyncio.sleep(0.01)
        complete = time.perf_counter() - started
        assert await queued(store) == chats
        stop.set()
        await asyncio.gather(*tasks)
        poller.close()
    assert sender.first is not None
    return sender.first - started, committed, complete


async def run_sqlite(chats: int) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as feeds:
        store = await Store.open(Path(tmp) / "bench.sqlite3")
        try:
            return await one_run(store, feeds, chats)
        finally:
            await store.close()


async def run_postgres(server: PostgresServer, chats: int) -> tuple[float, float, float]:
    with FeedServer() as feeds:
        store = await PostgresStore.open(server.create_database())
        try:
            return await one_run(store, feeds, chats)
        finally:
            await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", default="2000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", default="both", choices=["sqlite", "postgresql", "both"])
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    server = PostgresServer.create().start() if "postgresql" in backends else None
    try:
        for backend in backends:
            for chats in (int(n) for n in args.chats.split(",")):
                runs = []
                for _ in range(args.runs):
                    if backend == "sqlite":
                        runs.append(asyncio.run(run_sqlite(chats)))
                    else:
                        assert server is not None
                        runs.append(asyncio.run(run_postgres(server, chats)))
                first = statistics.median(r[0] for r in runs)
                commit = statistics.median(r[1] for r in runs)
                complete = statistics.median(r[2] for r in runs)
                each = ", ".join(f"{r[0]:.3f}" for r in runs)
                print(
                    f"{backend:10} {chats:>7} chats: first message {first:.3f} s after the poll "
                    f"began (runs: {each}); poll returned at {commit:.3f} s; "
                    f"all {chats} queued at {complete:.3f} s",
                    flush=True,
                )
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
