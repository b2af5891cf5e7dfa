"""One leader among processes sharing a PostgreSQL database (an advisory lock on its session)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.store.postgres.leader import LeaderLock
from tests.support.deadlines import deadline
from tests.support.postgres import PostgresServer

REPO = Path(__file__).resolve().parents[1]
TAKEOVER_LIMIT_S = 15.0  # the bound for a new leader after the old one dies

HOLDER = """
import asyncio, sys
from bot.store.postgres.leader import LeaderLock

async def main() -> None:
    lock = LeaderLock(sys.argv[1])
    await lock.wait(asyncio.Event(), poll=0.1)
    print("leader", flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


async def test_only_one_process_leads_until_it_lets_go(postgres_url: str) -> None:
    """While one holds the lock the others cannot take it; once released, one of them can."""
    first, second = LeaderLock(postgres_url), LeaderLock(postgres_url)
    try:
        assert await first.try_acquire()
        assert await first.try_acquire()  # asking again changes nothing
        assert not await second.try_acquire()
        assert await first.still_leader()
        await first.release()
        assert not first.is_leader
        assert await second.try_acquire()
        assert not await first.try_acquire()
    finally:
        await first.release()
        await second.release()


async def test_a_leader_whose_session_ends_learns_it_and_another_takes_over(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    """When the server ends the leader's session, the leader is told and a follower leads."""
    leader, follower = LeaderLock(postgres_url), LeaderLock(postgres_url)
    try:
        assert await leader.try_acquire()
        database = postgres_url.rsplit("/", 1)[1]
        postgres_server.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'teaserbot-leader'",
            database,
        )
        stop = asyncio.Event()
        assert await asyncio.wait_for(follower.wait(stop, poll=0.05), TAKEOVER_LIMIT_S)
        assert not await leader.still_leader()
        assert leader.lost.is_set()
        assert not leader.is_leader
    finally:
        await leader.release()
        await follower.release()


async def test_a_follower_stops_waiting_when_asked(postgres_url: str) -> None:
    """wait() returns False once stop is set while another process leads."""
    leader, follower = LeaderLock(postgres_url), LeaderLock(postgres_url)
    try:
        assert await leader.try_acquire()
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(0.2, stop.set)
        assert not await follower.wait(stop, poll=0.05)
    finally:
        await leader.release()
        await follower.release()


def test_a_new_leader_within_the_limit_after_sigkill(postgres_url: str) -> None:
    """A leader process killed with SIGKILL is replaced well within 15 s."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, postgres_url],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "leader"

        async def follow() -> float:
            follower = LeaderLock(postgres_url)
            try:
                assert not await follower.try_acquire()
                killed = time.monotonic()
                holder.send_signal(signal.SIGKILL)
                stop = asyncio.Event()
                assert await asyncio.wait_for(follower.wait(stop, poll=0.1), TAKEOVER_LIMIT_S)
                return time.monotonic() - killed
            finally:
                await follower.release()

        took = asyncio.run(follow())
        assert took < TAKEOVER_LIMIT_S
    finally:
        holder.kill()
        holder.wait(timeout=deadline(10))
        if holder.stdout is not None:
            holder.stdout.close()


@pytest.mark.parametrize("key", [1, 2**62 + 5])
async def test_still_leader_finds_its_own_lock_for_any_key(postgres_url: str, key: int) -> None:
    """The server-side check recognises the lock whatever the key's size."""
    lock = LeaderLock(postgres_url, key=key)
    try:
        assert await lock.try_acquire()
        assert await lock.still_leader()
    finally:
        await lock.release()
