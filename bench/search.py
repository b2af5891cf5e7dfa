"""Search speed over many stored articles: p50/p95 of one query (inline's page) on each backend.

Run: .venv/bin/python bench/search.py [--articles 1000000] [--queries 100] [--backend both]
     [--data DIR]   (keep the built databases in DIR and reuse them on the next run)

Articles are synthetic but shaped like news: titles of 8 and summaries of 25 words drawn from a
30,000-word vocabulary with Zipf frequencies (so the commonest words are in nearly every
article), 0-2 countries each. They go in the way the schema keeps its index: SQLite through the
FTS5 triggers, PostgreSQL by COPY through the tsvector trigger, its GIN index built after (as a
migration builds it), then ANALYZE (as autovacuum would). Each kind of query (a common word, a
middling one, a rare one, two words, a word and a country, a country, a continent, nothing) is
timed through ``store.search.search_articles`` exactly as inline mode calls it (21 rows: a page
and a look past it), after a warm-up. PostgreSQL is the bench's own server
(tests/support/postgres.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.core.models import SourceSpec  # noqa: E402
from bot.core.search import INLINE_PAGE, parse_query  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.postgres import PostgresStore  # noqa: E402
from bot.store.protocol import StoreVerbs  # noqa: E402
from tests.support.postgres import PostgresServer, _server_user, free_port  # noqa: E402

VOCABULARY = 30_000
COUNTRIES = {
    "chile": "CL",
    "germany": "DE",
    "france": "FR",
    "russia": "RU",
    "brazil": "BR",
    "japan": "JP",
    "india": "IN",
    "nigeria": "NG",
    "canada": "CA",
    "australia": "AU",
    "mexico": "MX",
    "egypt": "EG",
    "ukraine": "UA",
    "china": "CN",
    "kenya": "KE",
}
CHUNK = 20_000
LANGUAGE: list[str | None] = [None]  # the searcher's language (--language)
COLUMNS = [
    "source_id",
    "key",
    "url",
    "title",
    "summary",
    "published_at",
    "seen_at",
    "sort_at",
    "categories",
    "image",
    "countries",
    "regions",
]


def vocabulary(rng: random.Random) -> list[str]:
    """30,000 distinct made-up words, most frequent first."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        words["".join(rng.choices(syllables, k=rng.randint(2, 4)))] = None
    return list(words)


def rows(count: int, source_id: int, seed: int = 26) -> Iterator[tuple[object, ...]]:
    """``count`` article rows, oldest first (one a minute up to now)."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = list(accumulate(1 / rank for rank in range(1, VOCABULARY + 1)))
    codes = list(COUNTRIES.values())
    start = time.time() - count * 60
    for n in range(count):
        drawn = rng.choices(words, cum_weights=weights, k=33)
        places = rng.sample(codes, rng.choice((0, 1, 1, 1, 2)))
        at = start + n * 60
        yield (
            source_id,
            f"k{n}",
            f"https://news.example/{n}",
            " ".join(drawn[:8]).capitalize(),
            " ".join(drawn[8:]).capitalize() + ".",
            at,
            at,
            at,
            json.dumps([]),
            None,
            " ".join(places),
            "",
        )


def queries(rng: random.Random, per_kind: int) -> dict[str, list[str]]:
    """Typed queries of each kind (the words drawn from the same vocabulary)."""
    words = vocabulary(random.Random(26))
    names = list(COUNTRIES)

    def pick(low: int, high: int) -> str:
        return words[rng.randrange(low, high)]

    return {
        "common word (top 50)": [pick(0, 50) for _ in range(per_kind)],
        "middling word (rank 100-1,000)": [pick(100, 1000) for _ in range(per_kind)],
        "rare word (rank 5,000-30,000)": [pick(5000, VOCABULARY) for _ in range(per_kind)],
        "two words": [f"{pick(20, 500)} {pick(20, 500)}" for _ in range(per_kind)],
        "word and country": [f"{pick(50, 1000)} {rng.choice(names)}" for _ in range(per_kind)],
        "country": [rng.choice(names) for _ in range(per_kind)],
        "continent": [rng.choice(["europe", "africa", "asia"]) for _ in range(per_kind)],
        "empty (latest)": ["" for _ in range(per_kind)],
    }


async def fill_sqlite(store: Store, count: int, source_id: int) -> None:
    """Insert the rows in chunks (each one transaction); the FTS5 triggers index them."""
    marks = ", ".join("?" * len(COLUMNS))
    sql = f"INSERT INTO articles ({', '.join(COLUMNS)}) VALUES ({marks})"
    batch: list[tuple[object, ...]] = []
    for row in rows(count, source_id):
        batch.append(row)
        if len(batch) == CHUNK:
            async with store.transaction() as db:
                await db.executemany(sql, batch)
            batch.clear()
    if batch:
        async with store.transaction() as db:
            await db.executemany(sql, batch)


async def fill_postgres(store: PostgresStore, count: int, source_id: int) -> None:
    """COPY the rows in chunks (the trigger computes each tsvector), then build the search
    indexes once, as a migration builds them for stored articles (maintaining a GIN index row by
    row took 2 ms an article: 35 minutes for a million)."""
    async with store.transaction() as conn:
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles' "
            "AND indexdef ILIKE '%USING gin%'"
        )
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["indexname"]}"')
    batch: list[tuple[object, ...]] = []
    for row in rows(count, source_id):
        batch.append(row)
        if len(batch) == CHUNK:
            async with store.transaction() as conn:
                await conn.copy_records_to_table("articles", records=batch, columns=COLUMNS)
            batch.clear()
    if batch:
        async with store.transaction() as conn:
            await conn.copy_records_to_table("articles", records=batch, columns=COLUMNS)
    async with store.transaction() as conn:
        await conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for index in indexes:
            await conn.execute(index["indexdef"])
    async with store.transaction() as conn:
        await conn.execute("ANALYZE articles")


class CpuClock:
    """CPU time of this process (the SQLite store's thread included) and, given a PostgreSQL
    data directory, of every process of that server (its backends), in nanoseconds.

    On a machine shared with other work a query waits for a core as long as it runs; its CPU
    time is what it would take on an idle machine (everything here is in memory)."""

    def __init__(self, pg_data: Path | None = None) -> None:
        self.server: list[Path] = []
        if pg_data is not None:
            postmaster = int((pg_data / "postmaster.pid").read_text().split()[0])
            children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text()
            self.server = [Path(f"/proc/{pid}/schedstat") for pid in children.split()]

    def now(self) -> int:
        """Nanoseconds of CPU used so far."""
        used = time.process_time_ns()
        for path in self.server:
            try:
                used += int(path.read_text().split()[0])
            except OSError:  # a process that ended (a finished autovacuum worker)
                continue
        return used


Timings = dict[str, list[tuple[float, float]]]


async def measure(store: StoreVerbs, per_kind: int, clock: CpuClock) -> Timings:
    """(wall, CPU) milliseconds per query, by kind (after a warm-up round not counted)."""
    rng = random.Random(7)
    for text in [q for qs in queries(random.Random(1), 5).values() for q in qs]:
        await store.search.search_articles(parse_query(text), INLINE_PAGE + 1, 0)
    timings: Timings = {}
    for kind, texts in queries(rng, per_kind).items():
        for text in texts:
            cpu = clock.now()
            began = time.perf_counter()
            await store.search.search_articles(parse_query(text, LANGUAGE[0]), INLINE_PAGE + 1, 0)
            wall = (time.perf_counter() - began) * 1000
            timings.setdefault(kind, []).append((wall, (clock.now() - cpu) / 1e6))
    return timings


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def report(backend: str, count: int, load_s: float, timings: Timings) -> None:
    """One table per backend: p50, p95 and max of wall time and of CPU time by kind, then
    over all queries."""
    print(f"\n{backend}: {count:,} articles (loaded and indexed in {load_s:.0f} s)")
    print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    head = ("p50 ms", "p95 ms", "max ms", "cpu p50", "cpu p95", "cpu max")
    print(f"{'query':34} " + " ".join(f"{h:>8}" for h in head))
    rows = [*timings.items(), ("all queries", [v for vs in timings.values() for v in vs])]
    for kind, pairs in rows:
        figures = []
        for values in ([w for w, _ in pairs], [c for _, c in pairs]):
            figures += [statistics.median(values), p95(values), max(values)]
        print(f"{kind:34} " + " ".join(f"{f:8.2f}" for f in figures))


async def bench_sqlite(count: int, per_kind: int, data: Path | None) -> None:
    """The SQLite store in a temporary file, or the one kept in ``data`` (built if missing)."""
    with tempfile.TemporaryDirectory(prefix="teaserbot-search-") as tmp:
        kept = data / f"search-{count}.sqlite3" if data else None
        path = kept if kept and kept.exists() else Path(tmp) / "bench.sqlite3"
        load_s = 0.0
        store = await Store.open(path)  # a kept database is brought up to date here
        try:
            if path != kept:
                [source] = await store.sources.sync_sources(
                    [SourceSpec("Bench", "https://x.example/f")]
                )
                began = time.perf_counter()
                await fill_sqlite(store, count, source.id)
                load_s = time.perf_counter() - began
            report("SQLite", count, load_s, await measure(store, per_kind, CpuClock()))
        finally:
            await store.close()
        if kept and path != kept:
            shutil.move(path, kept)


async def bench_postgres(count: int, per_kind: int, data: Path | None) -> None:
    """A fresh database on the bench's own PostgreSQL server, or the cluster kept by an
    earlier run with ``data`` (its directory and password in ``data``/postgresql-N.json)."""
    state = data / f"postgresql-{count}.json" if data else None
    if state and state.exists():
        kept = json.loads(state.read_text())
        server = PostgresServer.create()
        server.root, server.password = Path(kept["root"]), kept["password"]
        server._run_as = _server_user()  # what start() sets
        server.port = free_port()
        server.resume()
        url, fresh = server.url(kept["database"]), False
    else:
        server = PostgresServer.create().start()
        url, fresh = server.create_database("bench"), True
    try:
        load_s = 0.0
        store = await PostgresStore.open(url)  # a kept database is brought up to date here
        try:
            if fresh:
                [source] = await store.sources.sync_sources(
                    [SourceSpec("Bench", "https://x.example/f")]
                )
                began = time.perf_counter()
                await fill_postgres(store, count, source.id)
                load_s = time.perf_counter() - began
            clock = CpuClock(server.data)
            report("PostgreSQL", count, load_s, await measure(store, per_kind, clock))
        finally:
            await store.close()
    finally:
        if state:
            root = {"root": str(server.root), "password": server.password, "database": "bench"}
            state.write_text(json.dumps(root))
            server.halt()
        else:
            server.stop()


def main() -> None:
    """Parse the arguments and run the chosen backends."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--language", default=None, help="the searcher's language, e.g. en")
    parser.add_argument(
        "--data", type=Path, default=None, help="keep the built databases here and reuse them"
    )
    args = parser.parse_args()
    LANGUAGE[0] = args.language
    if args.data:
        args.data.mkdir(parents=True, exist_ok=True)
    if args.backend in ("sqlite", "both"):
        asyncio.run(bench_sqlite(args.articles, args.queries, args.data))
    if args.backend in ("postgresql", "both"):
        asyncio.run(bench_postgres(args.articles, args.queries, args.data))


if __name__ == "__main__":
    main()
