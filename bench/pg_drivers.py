"""asyncpg and psycopg 3 (async) side by side on the store's kinds of statements.

Run: .venv/bin/python bench/pg_drivers.py [rounds]

Starts its own PostgreSQL (tests/support/postgres.py) and runs, per driver and round, in one
connection over TCP on 127.0.0.1:

- lookups: 2,000 single-row SELECTs by primary key, one after another (a chat's settings);
- write:   one transaction of 5,000 parameterised UPDATEs sent as one executemany
           (outcomes of a fan-out);
- read:    one SELECT of 10,000 rows x 12 columns (a batch of due deliveries).

Prints the median milliseconds of each over the rounds and psycopg's time as a ratio of
asyncpg's. asyncpg is not a dependency of the bot: install it to run this (pip install asyncpg).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.postgres import PostgresServer

ROWS = 10_000
LOOKUPS = 2_000
UPDATES = 5_000

SCHEMA = """
CREATE TABLE t (
    id bigint PRIMARY KEY, kind text NOT NULL, title text, username text, thread_id bigint,
    subscribed boolean NOT NULL, region_filter text NOT NULL, link_previews boolean NOT NULL,
    created_at double precision NOT NULL, updated_at double precision NOT NULL,
    attempts integer NOT NULL, last_error text
);
INSERT INTO t SELECT i, 'private', 'Chat ' || i, NULL, NULL, true, 'europe', true,
    1.7e9 + i, 1.7e9 + i, 0, NULL FROM generate_series(1, 10000) AS i;
"""
COLUMNS = (
    "id, kind, title, username, thread_id, subscribed, region_filter, link_previews, "
    "created_at, updated_at, attempts, last_error"
)

Timed = Callable[[], Awaitable[None]]


async def asyncpg_cases(url: str) -> dict[str, Timed]:
    import asyncpg  # noqa: PLC0415

    conn = await asyncpg.connect(url)

    async def lookups() -> None:
        for i in range(1, LOOKUPS + 1):
            await conn.fetchrow(f"SELECT {COLUMNS} FROM t WHERE id = $1", i)

    async def write() -> None:
        async with conn.transaction():
            await conn.executemany(
                "UPDATE t SET attempts = attempts + 1, last_error = $1 WHERE id = $2",
                [("x", i) for i in range(1, UPDATES + 1)],
            )

    async def read() -> None:
        rows = await conn.fetch(f"SELECT {COLUMNS} FROM t ORDER BY id")
        assert len(rows) == ROWS

    return {"lookups": lookups, "write": write, "read": read}


async def psycopg_cases(url: str) -> dict[str, Timed]:
    import psycopg  # noqa: PLC0415

    conn = await psycopg.AsyncConnection.connect(url, autocommit=True)

    async def lookups() -> None:
        for i in range(1, LOOKUPS + 1):
            cur = await conn.execute(f"SELECT {COLUMNS} FROM t WHERE id = %s", (i,))
            await cur.fetchone()

    async def write() -> None:
        async with conn.transaction(), conn.cursor() as cur:
            await cur.executemany(
                "UPDATE t SET attempts = attempts + 1, last_error = %s WHERE id = %s",
                [("x", i) for i in range(1, UPDATES + 1)],
            )

    async def read() -> None:
        cur = await conn.execute(f"SELECT {COLUMNS} FROM t ORDER BY id")
        rows = await cur.fetchall()
        assert len(rows) == ROWS

    return {"lookups": lookups, "write": write, "read": read}


async def measure(cases: dict[str, Timed], rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            start = time.perf_counter()
            await case()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


async def main(rounds: int) -> None:
    with PostgresServer.create() as server:
        url = server.create_database("bench")
        server.psql(SCHEMA, "bench")
        results: dict[str, dict[str, Any]] = {}
        for name, make in (("asyncpg", asyncpg_cases), ("psycopg", psycopg_cases)):
            try:
                cases = await make(url)
            except ImportError:
                print(f"{name}: not installed, skipped")
                continue
            await measure(cases, 1)  # warm-up (prepared statements, caches)
            results[name] = await measure(cases, rounds)
    print(f"median ms over {rounds} rounds (PostgreSQL on 127.0.0.1, one connection)")
    print(f"{'case':<10}" + "".join(f"{name:>12}" for name in results) + "   psycopg/asyncpg")
    for case in ("lookups", "write", "read"):
        cells = "".join(f"{results[name][case]:>12.1f}" for name in results)
        ratio = ""
        if {"asyncpg", "psycopg"} <= results.keys():
            ratio = f"   {results['psycopg'][case] / results['asyncpg'][case]:.2f}"
        print(f"{case:<10}{cells}{ratio}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
