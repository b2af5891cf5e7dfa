"""Moving a deployment: copy every table of the SQLite file into an empty PostgreSQL database.

Run while the bot is stopped (the SQLite store's instance lock is taken, so a running bot makes the
copy refuse). The whole copy is one PostgreSQL transaction: row counts are compared table by table
before it commits, so a failed or partial copy leaves the PostgreSQL database empty.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.errors import StoreError
from bot.core.progress import ProgressHook, no_progress
from bot.store import Store
from bot.store.postgres import PostgresStore
from bot.store.postgres.schema import TABLES

_CHUNK = 5_000  # rows read from SQLite and sent with one COPY
_IDENTITY_TABLES = ("sources", "articles", "outbox")  # ids made by the database

Convert = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What a copy moved: rows per table (the same on both sides), and where to."""

    rows: dict[str, int]
    target: str


def _converter(data_type: str) -> Convert:
    """How a SQLite value becomes the PostgreSQL column's type (None stays None)."""
    match data_type:
        case "boolean":
            return lambda v: None if v is None else bool(v)
        case "double precision":
            return lambda v: None if v is None else float(v)
        case "bigint" | "integer":
            return lambda v: None if v is None else int(v)
    return lambda v: None if v is None else str(v)


def _chunks(
    db: sqlite3.Connection, table: str, columns: list[str], converters: list[Convert]
) -> Iterator[list[tuple[Any, ...]]]:
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = db.execute(f'SELECT {names} FROM "{table}"')  # noqa: S608 - names from the schema
    while rows := cursor.fetchmany(_CHUNK):
        yield [
            tuple(convert(value) for convert, value in zip(converters, row, strict=True))
            for row in rows
        ]


async def copy_store(
    sqlite_path: Path, url: str, *, progress: ProgressHook = no_progress
) -> CopyResult:
    """Copy every table from the SQLite file into the empty PostgreSQL database at ``url``.

    Raises :class:`StoreError` (one line, no password) when the file is missing or in use, the
    target holds data already, or the counts differ after copying.
    """
    readonly = _readonly_uri(sqlite_path)
    # Opening it takes the instance lock (the bot must be stopped) and brings its schema up to
    # date; the rows are then read through a second, read-only connection.
    lite = await Store.open(sqlite_path)
    try:
        pg = await PostgresStore.open(url)
        try:
            return await _copy(readonly, pg, progress)
        finally:
            await pg.close()
    finally:
        await lite.close()


def _readonly_uri(path: Path) -> str:
    """A read-only SQLite URI for the file; StoreError when there is none (no empty one made)."""
    if not path.is_file():
        raise StoreError(f"there is no SQLite database at {path} (DATABASE_PATH)")
    return path.resolve().as_uri() + "?mode=ro"


async def _copy(readonly: str, pg: PostgresStore, progress: ProgressHook) -> CopyResult:
    db = sqlite3.connect(readonly, uri=True)
    try:
        source_counts = {
            table: int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # noqa: S608
            for table in TABLES
        }
        async with pg.transaction() as conn:
            held = {
                table: int(await conn.fetchval(f"SELECT count(*) FROM {table}"))  # noqa: S608
                for table in TABLES
            }
            if any(held.values()):
                shown = ", ".join(f"{n} {t}" for t, n in held.items() if n)
                raise StoreError(
                    f"the PostgreSQL database {pg.where} already holds data ({shown}); "
                    "copy-store only fills an empty database"
                )
            total, done = sum(source_counts.values()), 0
            progress(done, total)
            for table in TABLES:
                described = await conn.fetch(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = $1 "
                    "ORDER BY ordinal_position",
                    table,
                )
                present = {str(r[1]) for r in db.execute(f'PRAGMA table_info("{table}")')}
                shared = [r for r in described if str(r[0]) in present]  # not the search column
                columns = [str(r[0]) for r in shared]
                converters = [_converter(str(r[1])) for r in shared]
                for chunk in _chunks(db, table, columns, converters):
                    await conn.copy_records_to_table(table, records=chunk, columns=columns)
                    done += len(chunk)
                    progress(done, total)
            for table in _IDENTITY_TABLES:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
            copied = {
                table: int(await conn.fetchval(f"SELECT count(*) FROM {table}"))  # noqa: S608
                for table in TABLES
            }
            if copied != source_counts:
                raise StoreError(
                    f"row counts differ after copying (SQLite {source_counts}, PostgreSQL "
                    f"{copied}); nothing was kept"
                )
    finally:
        db.close()
    return CopyResult(rows=copied, target=pg.where)
