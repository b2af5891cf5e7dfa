"""Either database backend for tests that run the bot or its commands: SQLite or PostgreSQL.

A test parametrized over ``BACKENDS`` gets its environment from :func:`database_env`: always a
DATABASE_PATH in its temporary directory, and on ``postgresql`` also the DATABASE_URL of a fresh
database on the session's own PostgreSQL server (``postgres_url``), which the bot then uses
instead of the file. :func:`store_of` opens whichever one an environment names, to seed or read it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.store import Store, StoreVerbs
from bot.store.postgres import PostgresStore

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
