"""Search speed over many stored articles: p50/p95 of one query (inline's page) on each backend.

Run: .venv/bin/python bench/search.py [--articles 1000000] [--queries 100] [--backend both]

Articles are synthetic but shaped like news: titles of 8 and summaries of 25 words drawn from a
30,000-word vocabulary with Zipf frequencies (so the commonest words are in nearly every
article), 0-2 countries each. They go in the way the schema keeps its index: SQLite through the
FTS5 triggers, PostgreSQL by COPY through the tsvector trigger (then ANALYZE, as autovacuum
would). Each kind of query (a common word, a middling one, a rare one, two words, a word and a
country, a country, a continent, nothing) is timed through ``store.search_articles`` exactly as
inline mode calls it (21 rows: a page and a look past it), after a warm-up. PostgreSQL is the
bench's own server (tests/support/postgres.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
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
from tests.support.postgres import PostgresServer  # noqa: E402

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
    """COPY the rows in chunks; the trigger computes each tsvector, the GIN index takes it."""
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
        await conn.execute("ANALYZE articles")


async def measure(store: StoreVerbs, per_kind: int) -> dict[str, list[float]]:
    """Milliseconds per query, by kind (after a warm-up round that is not counted)."""
    rng = random.Random(7)
    for text in [q for qs in queries(random.Random(1), 5).values() for q in qs]:
        await store.search_articles(parse_query(text), INLINE_PAGE + 1, 0)
    timings: dict[str, list[float]] = {}
    for kind, texts in queries(rng, per_kind).items():
        for text in texts:
            began = time.perf_counter()
            await store.search_articles(parse_query(text, LANGUAGE[0]), INLINE_PAGE + 1, 0)
            timings.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
    return timings


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def report(backend: str, count: int, load_s: float, timings: dict[str, list[float]]) -> None:
    """One table per backend: p50 and p95 by kind, then over all queries."""
    print(f"\n{backend}: {count:,} articles (loaded and indexed in {load_s:.0f} s)")
    print(f"{'query':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in timings.items():
        print(f"{kind:34} {statistics.median(values):8.2f} {p95(values):8.2f} {max(values):8.2f}")
    every = [v for values in timings.values() for v in values]
    print(f"{'all queries':34} {statistics.median(every):8.2f} {p95(every):8.2f} {max(every):8.2f}")


async def bench_sqlite(count: int, per_kind: int) -> None:
    """The SQLite store in a temporary file."""
    with tempfile.TemporaryDirectory(prefix="teaserbot-search-") as tmp:
        store = await Store.open(Path(tmp) / "bench.sqlite3")
        try:
            [source] = await store.sync_sources([SourceSpec("Bench", "https://news.example/f")])
            began = time.perf_counter()
            await fill_sqlite(store, count, source.id)
            load_s = time.perf_counter() - began
            report("SQLite", count, load_s, await measure(store, per_kind))
        finally:
            await store.close()


async def bench_postgres(count: int, per_kind: int) -> None:
    """A fresh database on the bench's own PostgreSQL server."""
    server = PostgresServer.create().start()
    try:
        store = await PostgresStore.open(server.create_database())
        try:
            [source] = await store.sync_sources([SourceSpec("Bench", "https://news.example/f")])
            began = time.perf_counter()
            await fill_postgres(store, count, source.id)
            load_s = time.perf_counter() - began
            report("PostgreSQL", count, load_s, await measure(store, per_kind))
        finally:
            await store.close()
    finally:
        server.stop()


def main() -> None:
    """Parse the arguments and run the chosen backends."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--language", default=None, help="the searcher's language, e.g. en")
    args = parser.parse_args()
    LANGUAGE[0] = args.language
    if args.backend in ("sqlite", "both"):
        asyncio.run(bench_sqlite(args.articles, args.queries))
    if args.backend in ("postgresql", "both"):
        asyncio.run(bench_postgres(args.articles, args.queries))


if __name__ == "__main__":
    main()
