"""Either database backend for tests that run the bot or its commands: SQLite or PostgreSQL.

A test parametrized over ``BACKENDS`` gets its environment from :func:`database_env`: always a
DATABASE_PATH in its temporary directory, and on ``postgresql`` also the DATABASE_URL of a fresh
database on the session's own PostgreSQL server (``postgres_url``), which the bot then uses
instead of the file. :func:`store_of` opens whichever one an environment names, to seed or read it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.core.models import ChatKind
from bot.store import OutboxCounts, Store, StoreVerbs
from bot.store.postgres import PostgresStore
from tests.support.fake_telegram import FakeTelegram

BACKENDS = ("sqlite", "postgresql")


def database_env(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """DATABASE_PATH, and on ``postgresql`` the DATABASE_URL of a new, empty database."""
    env = {"DATABASE_PATH": str(tmp_path / "bot.sqlite3")}
    if backend == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    elif backend != "sqlite":
        raise ValueError(f"unknown backend {backend!r}")
    return env


async def open_store(env: Mapping[str, str]) -> StoreVerbs:
    """Open the database the environment names (PostgreSQL when DATABASE_URL is set)."""
    url = env.get("DATABASE_URL")
    if url:
        return await PostgresStore.open(url)
    return await Store.open(Path(env["DATABASE_PATH"]), exclusive=False)


@asynccontextmanager
async def store_of(env: Mapping[str, str]) -> AsyncIterator[StoreVerbs]:
    """The database the environment names, closed after the block."""
    store = await open_store(env)
    try:
        yield store
    finally:
        await store.close()


async def seed_subscribers(
    env: Mapping[str, str], telegram: FakeTelegram, chat_ids: Iterable[int]
) -> None:
    """Subscribed private chats in the database (before the bot starts) and in the fake world."""
    async with store_of(env) as store:
        for chat_id in chat_ids:
            telegram.add_private_chat(chat_id)
            await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=time.time())
            await store.chats.set_subscribed(chat_id, True, now=time.time())


async def outbox_counts(env: Mapping[str, str]) -> OutboxCounts:
    """The outbox rows by state, in the database the environment names."""
    async with store_of(env) as store:
        return await store.outbox.outbox_counts()
