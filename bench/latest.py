"""/latest with a chat's filter over many stored articles (issue 24: it must stay fast).

Run: .venv/bin/python bench/latest.py [--articles 100000] [--runs 7] [--postgres]

Stores ``--articles`` articles (10 sources, drawn with a fixed seed: places, topics and titles
of the kinds the bot sees) in a fresh SQLite file (and, with ``--postgres``, in a database of a
private PostgreSQL server started for the run, as the tests start one), then answers /latest 20
for a few chat filters two ways, side by side:
  * the bot's (``store.latest_passing``): sites and topics as SQL conditions, then regions and
    words checked in Python over reads of 100, 500, then at most ``SCAN`` rows;
  * a plain bounded scan: the newest ``SCAN`` rows, every condition checked in Python (what
    /latest did for regions before; a narrow filter may then find fewer than asked).
Each figure is the median of ``--runs`` answers, in milliseconds, with how many teasers it found.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core import regions
from bot.core.chat_filters import ChatFilter, SiteFilter
from bot.core.keywords import parse_keywords
from bot.core.latest import SCAN, latest_passing
from bot.core.models import Classification, ParsedItem, SourceSpec
from bot.core.polling import ArticleIntent, PollIntent
from bot.core.topics import TOPICS, TopicFilter
from bot.store import Store
from bot.store.postgres import PostgresStore
from bot.store.protocol import StoreVerbs
from tests.support.postgres import PostgresServer

COUNTRIES = ("CL", "AR", "BR", "FR", "DE", "GB", "US", "RU", "UA", "IN", "PK", "NG", "ZA", "")
WORDS = [
    "strike",
    "union",
    "wages",
    "election",
    "party",
    "war",
    "army",
    "climate",
    "flood",
    "police",
    "rent",
    "football",
]
FILTERS = {
    "regions only (Latin America)": ChatFilter(regions=regions.parse_filter("latin america")),
    "topic (labour)": ChatFilter(topics=TopicFilter(frozenset({"labour"}))),
    "Latin America + labour + -football": ChatFilter(
        regions=regions.parse_filter("latin america"),
        topics=TopicFilter(frozenset({"labour"})),
        keywords=parse_keywords("-football"),
    ),
    "one site + theory (narrow)": ChatFilter(
        topics=TopicFilter(frozenset({"theory"})), sites=SiteFilter(frozenset({3}))
    ),
    "+strike +huelga": ChatFilter(keywords=parse_keywords("+strike +huelga")),
}


def _intent(source_id: int, start: int, count: int, rng: random.Random) -> PollIntent:
    entries = []
    for n in range(start, start + count):
        code = rng.choice(COUNTRIES)
        found = regions.classify("", "", (), code or None, "en") if code else Classification()
        topics = tuple(t for t in TOPICS if rng.random() < 0.15)
        title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {n}"
        item = ParsedItem(f"k{n}", title, "A summary of the story.", None, None)
        entries.append(ArticleIntent(item, found, (), "en", topics))
    return PollIntent(source_id, 1e9 + start, None, tuple(entries), baseline=True)


async def _fill(store: StoreVerbs, articles: int) -> None:
    specs = [SourceSpec(f"Site {i}", f"https://site{i}.example/feed") for i in range(1, 11)]
    sources = await store.sources.sync_sources(specs)
    rng = random.Random(24)
    batch = 5000
    for start in range(0, articles, batch):
        source = sources[(start // batch) % len(sources)]
        await store.polls.apply_poll(_intent(source.id, start, min(batch, articles - start), rng))


async def _bot_way(store: StoreVerbs, f: ChatFilter) -> int:
    return len(await store.articles.latest_passing(f, 20))


async def _plain_scan(store: StoreVerbs, f: ChatFilter) -> int:
    return len(latest_passing(f, await store.articles.latest_articles(20, scan=SCAN), 20))


async def _median(way, store: StoreVerbs, f: ChatFilter, runs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times, found = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        found = await way(store, f)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), found


async def _measure(name: str, store: StoreVerbs, articles: int, runs: int) -> None:
    start = time.perf_counter()
    await _fill(store, articles)
    print(f"{name}: {articles:,} articles stored in {time.perf_counter() - start:.0f} s")
    for label, f in FILTERS.items():
        bot, found = await _median(_bot_way, store, f, runs)
        plain, plain_found = await _median(_plain_scan, store, f, runs)
        print(
            f"  {label}: **{bot:.1f} ms** ({found} found); plain scan of {SCAN:,}: "
            f"{plain:.1f} ms ({plain_found} found)"
        )


async def main() -> None:
    """Print the figures."""
    articles = (
        int(sys.argv[sys.argv.index("--articles") + 1]) if "--articles" in sys.argv else 100_000
    )
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "bench.sqlite3")
        try:
            await _measure("SQLite", store, articles, runs)
        finally:
            await store.close()
    if "--postgres" in sys.argv:
        server = PostgresServer.create().start()
        try:
            pg = await PostgresStore.open(server.create_database("bench"))
            try:
                await _measure("PostgreSQL", pg, articles, runs)
            finally:
                await pg.close()
        finally:
            server.stop()


if __name__ == "__main__":
    asyncio.run(main())
