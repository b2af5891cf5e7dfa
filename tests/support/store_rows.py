"""Seeding either store backend with plain rows (articles, outbox) for tests.

Tests put articles and outbox rows in with these few statements, written once with ``?`` marks
and run through the store's shared layer (:mod:`bot.store.sql`), and count what the bot never
asks for (the verbs only tests used left the store's protocol).
"""

from __future__ import annotations

import json
from typing import Any

from bot.store import Store
from bot.store.postgres import PostgresStore
from bot.store.protocol import StoreVerbs
from bot.store.sql import Database

NOW = 1_700_000_000.0


async def sql(store: StoreVerbs, statement: str, *params: Any) -> Any:
    """Run one statement written with ``?`` marks on either backend; its first value, if any."""
    async with database(store).transaction() as db:
        return await db.value(statement, *params)


def database(store: StoreVerbs) -> Database:
    """The store's statement runner shared by both backends (:mod:`bot.store.sql`)."""
    assert isinstance(store, Store | PostgresStore)
    return store._sql


async def sent_count(store: StoreVerbs, chat_id: int) -> int:
    """How many teasers reached a chat."""
    db = database(store)
    value = await db.value(
        "SELECT count(*) FROM outbox WHERE chat_id = ? AND state = 'sent'", chat_id
    )
    return int(value)


async def pruned_key_count(store: StoreVerbs) -> int:
    """How many identity digests are kept for pruned articles (the bot never asks)."""
    return int(await database(store).value("SELECT count(*) FROM pruned_keys"))


async def add_article(
    store: StoreVerbs,
    source_id: int,
    key: str,
    *,
    sort_at: float = NOW,
    seen_at: float = NOW,
    url: str | None = None,
    countries: str = "",
    regions: str = "",
) -> int:
    """A stored article; its id."""
    return int(
        await sql(
            store,
            "INSERT INTO articles (source_id, key, url, title, summary, published_at, seen_at, "
            "sort_at, categories, image, countries, regions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            source_id,
            key,
            url or f"https://news.example/{key}",
            f"Title {key}",
            f"Summary {key}",
            sort_at,
            seen_at,
            sort_at,
            json.dumps(["Politics"]),
            None,
            countries,
            regions,
        )
    )


async def queue(store: StoreVerbs, article_id: int, chat_id: int, *, due: float = NOW) -> int:
    """An outbox row for the article and chat; its id."""
    return int(
        await sql(
            store,
            "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
            "VALUES (?, ?, ?, ?) RETURNING id",
            article_id,
            chat_id,
            due,
            NOW,
        )
    )
