"""How long until a follower leads after the leader process is SIGKILLed (the lock alone).

Run: .venv/bin/python bench/pg_leader.py [rounds] [poll_seconds]

Starts its own PostgreSQL (tests/support/postgres.py). Each round a child process takes the
leader lock (bot/store/postgres/leader.py); this process follows with LeaderLock.wait(poll=…);
the child is SIGKILLed and the time until the follower holds the lock is measured. This is the
election step only, not a whole bot's failover (no updates or delivery move yet).
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.store.postgres.leader import LeaderLock  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

HOLDER = """
import asyncio, sys
from bot.store.postgres.leader import LeaderLock  # noqa: E402

async def main() -> None:
    await LeaderLock(sys.argv[1]).wait(asyncio.Event(), poll=0.1)
    print("leader", flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


async def one_round(url: str, poll: float) -> float:
    with subprocess.Popen(  # noqa: ASYNC220 - a bench: the start-up is not timed
        [sys.executable, "-c", HOLDER, url],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "leader"
        follower = LeaderLock(url)
        try:
            assert not await follower.try_acquire()
            waiting = asyncio.create_task(follower.wait(asyncio.Event(), poll=poll))
            await asyncio.sleep(poll * 0.37)  # kill at an arbitrary point of the polling cycle
            killed = time.monotonic()
            holder.send_signal(signal.SIGKILL)
            assert await asyncio.wait_for(waiting, 60)
            return time.monotonic() - killed
        finally:
            await follower.release()
            holder.kill()


async def main(rounds: int, poll: float) -> None:
    with PostgresServer.create() as server:
        url = server.create_database("bench")
        times = [await one_round(url, poll) for _ in range(rounds)]
    shown = ", ".join(f"{t:.2f}" for t in times)
    print(
        f"takeover after SIGKILL, poll {poll:g} s: median {statistics.median(times):.2f} s "
        f"over {rounds} rounds ({shown})"
    )


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 5,
            float(sys.argv[2]) if len(sys.argv) > 2 else 1.0,
        )
    )
