"""The delivery engine's own ceiling: how fast it sends when no pacer holds it back.

Run: .venv/bin/python bench/engine_ceiling.py [--chats 10000] [--runs 3]
                                               [--transports aiohttp,httpx,legacy]
                                               [--loops asyncio,uvloop]

The fake Bot API runs as its own process without flood limits; this process runs the real
Deliverer (store, renderer, sender, batched outcome writes) with a pacer set far above any
Telegram limit, on a fresh SQLite file with one new story queued for every chat. It prints the
rate and the CPU milliseconds per message of this process alone (the engine), so the figure is
what the engine could do if Telegram allowed it; `bench/fanout.py --scenario paid` shows the
paced figure at BROADCAST_RATE=1000.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import uvloop

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from fanout import TOKEN, FakeServer, _seed  # noqa: E402
from transports import install  # noqa: E402

from bot.core.models import ChatKind, Classification, NewArticle, ParsedItem, SourceSpec  # noqa: E402
from bot.core.pacing import Pacer  # noqa: E402
from bot.service.delivery import Deliverer  # noqa: E402
from bot.service.throttle import Throttle  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram.sender import TelegramSender, delivery_bot  # noqa: E402
from tests.support.seeding import record_articles  # noqa: E402

LOOPS = {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}
UNPACED = 100_000.0  # messages per second: far above anything the engine reaches


async def one_run(chats: int, port: int, transport: str) -> tuple[float, float]:
    """Queue one story for ``chats`` chats and deliver it; returns (msg/s, CPU ms per message)."""
    install(transport)
    ids = [(100_000 + n, ChatKind.PRIVATE) for n in range(chats)]
    fake = FakeServer(port, flood=False)
    try:
        for chat_id, _ in ids:
            fake.call("add_private_chat", user_id=chat_id)
        with tempfile.TemporaryDirectory(prefix="engine_") as tmp:
            database = Path(tmp) / "bot.sqlite3"
            await _seed(database, ids, 0)
            store = await Store.open(database)
            try:
                (source,) = await store.sources.sync_sources(
                    [SourceSpec("News", "https://news.example/")]
                )
                item = ParsedItem(
                    key="story-1",
                    title="Workers strike across the country",
                    summary="Tens of thousands walked out this morning over pay and conditions.",
                    url="https://news.example/strike",
                    published=datetime.now(UTC),
                )
                await record_articles(
                    store,
                    source.id,
                    [NewArticle(item, Classification(("GB",), ("154",)))],
                    now=time.time(),
                    baseline=False,
                    route=lambda _entry, all_chats: [chat.id for chat in all_chats],
                )
                async with delivery_bot(TOKEN, f"{fake.root}/bot", connections=64) as bot:
                    deliverer = Deliverer(
                        store,
                        TelegramSender(bot, paid=True),
                        throttle=Throttle(Pacer(overall_rate=UNPACED)),
                    )
                    stop = asyncio.Event()
                    cpu0, wall0 = time.process_time(), time.perf_counter()
                    task = asyncio.create_task(deliverer.run(stop))
                    while (await store.outbox.outbox_counts()).sent < chats:  # noqa: ASYNC110 - the DB is the signal
                        await asyncio.sleep(0.02)
                    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                    stop.set()
                    await asyncio.wait_for(task, 30)
            finally:
                await store.close()
        return chats / wall, cpu * 1000 / chats
    finally:
        fake.stop()


def main() -> None:
    """Run the ceiling measurement ``--runs`` times and print each run and the medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--transports", default="aiohttp")
    parser.add_argument(
        "--loops", default="uvloop", help="event loops to run in turn: asyncio, uvloop (the bot's)"
    )
    args = parser.parse_args()
    transports = [
        f"{transport}+{loop}" if "," in args.loops else transport
        for transport in args.transports.split(",")
        for loop in args.loops.split(",")
    ]
    rates: dict[str, list[float]] = {t: [] for t in transports}
    cpus: dict[str, list[float]] = {t: [] for t in transports}
    port = 18941
    for run in range(args.runs):
        for transport in transports:  # in turn, so each sees the machine's same conditions
            port += 1
            name, _, loop = transport.partition("+")
            with asyncio.Runner(loop_factory=LOOPS[loop or args.loops]) as runner:
                rate, cpu = runner.run(one_run(args.chats, port, name))
            rates[transport].append(rate)
            cpus[transport].append(cpu)
            print(
                f"run {run + 1} [{transport}]: {args.chats} messages, {rate:.0f} msg/s, "
                f"{cpu:.3f} ms CPU/msg",
                flush=True,
            )
    base = statistics.median(rates[transports[0]])
    for transport in transports:
        rate = statistics.median(rates[transport])
        print(
            f"engine ceiling [{transport}]: median {rate:.0f} msg/s (x{rate / base:.2f}), "
            f"{statistics.median(cpus[transport]):.3f} ms CPU per message (runs={args.runs})"
        )


if __name__ == "__main__":
    main()
