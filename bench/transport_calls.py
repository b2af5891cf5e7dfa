"""CPU per Bot API call of each transport candidate, in this process, side by side.

Run: .venv/bin/python bench/transport_calls.py [--calls 3000] [--in-flight 64] [--rounds 3]

The fake Bot API runs as its own process without flood limits; this process sends ``--calls``
``sendMessage`` calls through a PTB ``Bot`` on each candidate of bench/transports.py in turn
(after 200 warm-up calls) and prints calls per second and CPU milliseconds per call.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from fanout import TOKEN, FakeServer  # noqa: E402
from telegram import Bot  # noqa: E402
from transports import NAMES, make  # noqa: E402


async def one(name: str, calls: int, in_flight: int, port: int) -> tuple[float, float]:
    """(calls per second, CPU ms per call) of candidate ``name``."""
    fake = FakeServer(port, flood=False)
    try:
        for i in range(in_flight):
            fake.call("add_private_chat", user_id=100_000 + i)
        request = make(name)(f"{fake.root}/bot", None, connections=in_flight)
        async with Bot(TOKEN, base_url=f"{fake.root}/bot", request=request) as bot:
            gate = asyncio.Semaphore(in_flight)

            async def send(i: int) -> None:
                async with gate:
                    await bot.send_message(100_000 + i % in_flight, "hello")

            await asyncio.gather(*(send(i) for i in range(200)))
            cpu0, wall0 = time.process_time(), time.perf_counter()
            await asyncio.gather(*(send(i) for i in range(calls)))
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        return calls / wall, cpu * 1000 / calls
    finally:
        fake.stop()


def main() -> None:
    """Each round runs every candidate once; prints each run and the medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--transports", default=",".join(NAMES))
    args = parser.parse_args()
    names = args.transports.split(",")
    cpus: dict[str, list[float]] = {n: [] for n in names}
    port = 18990
    for _ in range(args.rounds):
        for name in names:
            port += 1
            rate, cpu = asyncio.run(one(name, args.calls, args.in_flight, port))
            cpus[name].append(cpu)
            print(f"[{name}] {rate:.0f} calls/s, {cpu:.3f} ms CPU per call", flush=True)
    base = statistics.median(cpus[names[0]])
    for name in names:
        cpu = statistics.median(cpus[name])
        print(f"median [{name}]: {cpu:.3f} ms CPU per call (x{cpu / base:.2f})")


if __name__ == "__main__":
    main()
