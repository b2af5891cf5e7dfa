"""Database size: after N articles (default 100,000), and after pruning with identity keys kept.

Run: .venv/bin/python bench/dbsize.py [--articles 100000] [--chats 3] [--days 365] [--keep-days 90]

Articles are recorded through the real store (``record_articles``), spread evenly over ``--days``
days, with teaser-sized text (title ~80 chars, summary ~450, URL, image URL, 2-3 tags, countries);
each is queued for ``--chats`` subscribed chats and marked sent, as a running bot would leave it.
Then ``prune_articles`` drops everything first seen more than ``--keep-days`` ago, and the file is
measured again (before and after VACUUM: freed pages are reused by new rows either way).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: bot and tests

from bot.core.models import Chat, ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
from bot.service.prune import DAY
from bot.store import Store
from tests.support.seeding import record_articles

WORDS = [
    "workers",
    "strike",
    "government",
    "crisis",
    "election",
    "protest",
    "union",
    "wages",
    "inflation",
    "parliament",
    "minister",
    "economy",
    "police",
    "army",
    "border",
    "refugees",
    "capital",
    "profits",
    "rent",
    "housing",
    "energy",
    "war",
    "peace",
    "treaty",
    "court",
    "ruling",
    "students",
    "teachers",
    "nurses",
    "doctors",
    "factory",
    "miners",
    "farmers",
]
COUNTRIES = ["RU", "US", "GB", "FR", "DE", "BR", "IN", "CN", "ZA", "NG", "MX", "AR", "IR"]
BATCH = 500


def text(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:chars]


def entries(rng: random.Random, start: int, count: int) -> list[NewArticle]:
    found = []
    for n in range(start, start + count):
        item = ParsedItem(
            key=f"https://news.example.org/?p={n}",
            title=text(rng, rng.randint(50, 110)).capitalize(),
            summary=text(rng, rng.randint(300, 600)),
            url=f"https://news.example.org/{n}/{text(rng, 40).replace(' ', '-')}",
            published=None,
            categories=tuple(rng.sample(WORDS, rng.randint(2, 3))),
            image=f"https://news.example.org/wp-content/uploads/{n}.jpg",
        )
        countries = tuple(rng.sample(COUNTRIES, rng.randint(0, 2)))
        found.append(NewArticle(item, Classification(countries, ())))
    return found


def everyone(_entry: NewArticle, chats: Sequence[Chat]) -> list[int]:
    return [chat.id for chat in chats]


def size(path: Path) -> int:
    """The database's bytes on disk, WAL included."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def checkpoint_and_vacuum(path: Path, *, vacuum: bool) -> None:
    with sqlite3.connect(path) as db:
        if vacuum:
            db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


async def build(path: Path, args: argparse.Namespace) -> tuple[float, int]:
    rng = random.Random(7)
    store = await Store.open(path)
    start = time.perf_counter()
    try:
        [source] = await store.sources.sync_sources(
            [SourceSpec(name="News", url="https://news.example/f")]
        )
        for chat_id in range(1, args.chats + 1):
            await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=0)
            await store.chats.set_subscribed(chat_id, True, now=0)
        now0 = time.time() - args.days * DAY
        step = args.days * DAY / args.articles
        for first in range(0, args.articles, BATCH):
            count = min(BATCH, args.articles - first)
            at = now0 + first * step
            await record_articles(
                store, source.id, entries(rng, first, count), now=at, baseline=False, route=everyone
            )
            async with store.transaction() as db:  # as delivery would leave them, in bulk
                await db.execute(
                    "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = 1, message_id = 1 "
                    "WHERE state = 'queued'",
                    (at,),
                )
        built = time.perf_counter() - start
        started = time.perf_counter()
        result = await store.articles.prune_articles(time.time() - args.keep_days * DAY)
        pruned_s = time.perf_counter() - started
        print(
            f"record {args.articles} articles: {built:.1f} s; prune {result.articles}: "
            f"{pruned_s:.1f} s; keys kept {result.keys_kept}"
        )
        return built, result.articles
    finally:
        await store.close()


def main() -> None:
    """Print the database size at each stage."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--chats", type=int, default=3)
    parser.add_argument("--days", type=float, default=365)
    parser.add_argument("--keep-days", type=float, default=90)
    args = parser.parse_args()
    mib = 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="teaserbot-dbsize-") as tmp:
        path = Path(tmp) / "bot.sqlite3"
        unpruned = argparse.Namespace(**{**vars(args), "keep_days": 10 * args.days})
        asyncio.run(build(path, unpruned))
        checkpoint_and_vacuum(path, vacuum=False)
        full = size(path)
        print(
            f"{args.articles} articles, {args.chats} chats each ({args.articles * args.chats} "
            f"sent outbox rows): {full / mib:.1f} MiB ({full / args.articles:.0f} bytes/article)"
        )
        path.unlink()
        asyncio.run(build(path, args))
        checkpoint_and_vacuum(path, vacuum=False)
        print(f"after pruning to the last {args.keep_days:g} days: {size(path) / mib:.1f} MiB")
        checkpoint_and_vacuum(path, vacuum=True)
        print(f"  after VACUUM: {size(path) / mib:.1f} MiB")
        with sqlite3.connect(path) as db:
            kept = db.execute("SELECT count(*) FROM pruned_keys").fetchone()[0]
            articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            keys_bytes = db.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name = 'pruned_keys'"
            ).fetchone()[0]
        db.close()
        print(
            f"  {articles} articles left; {kept} identity digests kept in "
            f"{(keys_bytes or 0) / mib:.1f} MiB"
        )


if __name__ == "__main__":
    main()
