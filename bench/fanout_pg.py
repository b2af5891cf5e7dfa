"""Fan-out of one story to 2,000 private chats, the real delivery engine on SQLite and PostgreSQL.

Run: .venv/bin/python bench/fanout_pg.py [--chats 2000] [--runs 3]

Until the bot process itself can run on PostgreSQL, this runs the real Deliverer (the runner's
throttle, pacer at BROADCAST_RATE=30, TelegramSender, batched outcome writes) in this process on
each backend in turn, against the fake Bot API as its own process in flood mode (429 past 30
messages per second overall or 1 per second per chat). One story is queued for every chat; the
rate comes from the fake server's own clock (accepted messages, first to last), the 429s from its
count. PostgreSQL is the bench's own server (tests/support/postgres.py). bench/fanout.py measures
the whole bot process on SQLite.
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
sys.path.insert(0, str(REPO / "bench"))

from fanout import TOKEN, FakeServer  # noqa: E402

from bot.core.models import ChatKind, SourceSpec  # noqa: E402
from bot.core.pacing import Pacer  # noqa: E402
from bot.service.delivery import Deliverer, in_flight_for  # noqa: E402
from bot.service.throttle import Throttle  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.postgres import PostgresStore  # noqa: E402
from bot.telegram.sender import TelegramSender, delivery_bot  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402
from tests.support.store_rows import add_article, sql  # noqa: E402

RATE = 30.0


async def seed(store: Store | PostgresStore, chat_ids: list[int]) -> None:
    """The chats, subscribed, and one story queued for each."""
    now = time.time()
    for chat_id in chat_ids:
        await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=now)
    (source,) = await store.sources.sync_sources([SourceSpec("News", "https://news.example/")])
    article = await add_article(store, source.id, "story-1", sort_at=now, seen_at=now)
    await sql(
        store,
        "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
        "SELECT ?, id, ?, ? FROM chats",
        article,
        now,
        now,
    )


async def one_run(
    store: Store | PostgresStore, chats: int, port: int
) -> tuple[float, int, int, int]:
    """Deliver one story to ``chats`` chats; (msg/s by the fake server, 429s, sent, duplicates)."""
    chat_ids = [100_000 + n for n in range(chats)]
    fake = FakeServer(port, flood=True)
    try:
        for chat_id in chat_ids:
            fake.call("add_private_chat", user_id=chat_id)
        await seed(store, chat_ids)
        throttle = Throttle(Pacer(overall_rate=RATE))
        connections = in_flight_for(throttle.pacer.effective_rate)
        async with delivery_bot(TOKEN, f"{fake.root}/bot", connections=connections) as bot:
            deliverer = Deliverer(
                store, TelegramSender(bot), throttle=throttle, max_in_flight=connections
            )
            stop = asyncio.Event()
            task = asyncio.create_task(deliverer.run(stop))
            while (await store.outbox.outbox_counts()).sent < chats:  # noqa: ASYNC110 - the DB is the signal
                await asyncio.sleep(0.1)
            stop.set()
            await asyncio.wait_for(task, 30)
        messages = fake.call("all_messages")
        count_429 = int(fake.call("count_429"))
    finally:
        fake.stop()
    times = sorted(m["sent_at"] for m in messages)
    duplicates = len(messages) - len({m["chat_id"] for m in messages})
    return (len(times) - 1) / (times[-1] - times[0]), count_429, len(times), duplicates


async def run_backend(
    backend: str, chats: int, port: int, server: PostgresServer
) -> tuple[float, int, int, int]:
    """One run on a fresh database of ``backend``."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="fanout_pg_") as tmp:
            store: Store | PostgresStore = await Store.open(Path(tmp) / "bot.sqlite3")
            try:
                return await one_run(store, chats, port)
            finally:
                await store.close()
    store = await PostgresStore.open(server.create_database())
    try:
        return await one_run(store, chats, port)
    finally:
        await store.close()


def main() -> None:
    """Alternate the backends ``--runs`` times; print each run and the medians side by side."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, int, int, int]]] = {"sqlite": [], "postgresql": []}
    port = 19241
    with PostgresServer.create() as server:
        for run in range(args.runs):
            for backend, runs in results.items():  # in turn: both see the same conditions
                port += 1
                rate, count_429, sent, dup = asyncio.run(
                    run_backend(backend, args.chats, port, server)
                )
                runs.append((rate, count_429, sent, dup))
                print(
                    f"run {run + 1} [{backend}]: {sent} messages, {rate:.2f} msg/s, "
                    f"429s={count_429}, duplicates={dup}",
                    flush=True,
                )
    for backend, runs in results.items():
        print(
            f"median [{backend}] over {len(runs)} runs: "
            f"{statistics.median(r[0] for r in runs):.2f} msg/s, "
            f"429s total={sum(r[1] for r in runs)}, duplicates total={sum(r[3] for r in runs)}"
        )


if __name__ == "__main__":
    main()
