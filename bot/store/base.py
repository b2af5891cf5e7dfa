"""The connection, the instance lock, migrations and transactions that the store parts share."""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import socket
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Self

import aiosqlite

from bot.core.errors import InstanceLockedError, StoreError
from bot.store.reachability import Reachability
from bot.store.schema import MIGRATIONS
from bot.store.sources import free_leases
from bot.store.sql import SQLITE, Row

_FATAL_CODES = {
    "SQLITE_FULL": "the disk holding the database is full",
    "SQLITE_IOERR": "the database file cannot be read or written (I/O error)",
    "SQLITE_CORRUPT": "the database file is damaged",
    "SQLITE_NOTADB": "the file is not a SQLite database",
    "SQLITE_CANTOPEN": "the database file cannot be opened",
    "SQLITE_READONLY": "the database file is read-only",
    "SQLITE_PERM": "no permission to use the database file",
}


_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EHOSTUNREACH,
        errno.EHOSTDOWN,
        errno.ENETUNREACH,
        errno.ENETDOWN,
        errno.ETIMEDOUT,
        errno.EPIPE,
    }
)


def _network(exc: OSError) -> bool:
    """An OSError of a network connection (a database server out of reach), not of a disk."""
    return isinstance(exc, ConnectionError | TimeoutError | socket.gaierror) or (
        exc.errno in _NETWORK_ERRNOS
    )


def storage_fault(exc: BaseException) -> str | None:
    """A one-line description of a fault of the database's file or disk, or None.

    Such faults (disk full, I/O error, damaged or unreadable file) are not caused by any one
    source or chat and do not go away by retrying: the bot stops with this line and a non-zero
    exit status, so an operator (or a supervisor) acts on it. A network error (a database
    server refusing connections, say) is not one: waiting fixes that.
    """
    if isinstance(exc, OSError) and exc.errno is not None and not _network(exc):
        return f"the database's disk failed: {exc.strerror or exc}"
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    for prefix, meaning in _FATAL_CODES.items():
        if name == prefix or name.startswith(prefix + "_"):
            return f"{meaning} ({exc})"
    if isinstance(exc, sqlite3.DatabaseError) and type(exc) is sqlite3.DatabaseError:
        return f"the database file is damaged ({exc})"
    return None


class _InstanceLock:
    """An exclusive advisory lock on ``<database>.lock``, held for the process's lifetime."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InstanceLockedError(
                f"another teaserbot process is already using {self.path.with_suffix('')}; "
                "stop it first (two bots on one database would send duplicates)"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _statements(script: str) -> list[str]:
    """A migration's statements, split at the semicolons that end one (a trigger's body keeps
    its own)."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending)
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending)
    return statements


def _unusable(path: Path, exc: BaseException) -> BaseException:
    """The one-line error for a database file that cannot be opened or read."""
    why = storage_fault(exc)
    if why is None:  # not the file or its disk (a failing migration, say): raised as it is
        return exc
    return StoreError(
        f"cannot use the database {path}: {why}; restore it from a backup "
        "(python -m bot backup makes one) or point DATABASE_PATH at a new file"
    )


async def _connect(path: Path) -> aiosqlite.Connection:
    """aiosqlite's connection; when it fails, its worker thread has ended before this raises.

    Left running, that thread answers an event loop the failure may already have closed (the bot
    exits at once) and prints a traceback instead of the one-line error.
    """
    connection = aiosqlite.connect(path, isolation_level=None)
    try:
        return await connection
    except BaseException:
        worker = getattr(connection, "_thread", connection)
        if isinstance(worker, threading.Thread) and worker.is_alive():
            await asyncio.to_thread(worker.join, 10)
        raise


def _not_writable(path: Path, exc: OSError) -> StoreError:
    """The one-line error for a database directory this process may not write."""
    why = "it is on a read-only file system" if exc.errno == errno.EROFS else "permission denied"
    return StoreError(
        f"cannot write the database in {path.parent}: {why} for uid {os.getuid()}; "
        f"give that user the directory (a bind-mounted /data in Docker: "
        f"chown -R 10001:10001 on the host directory)"
    )


class SqliteSession:
    """Statements on the one aiosqlite connection (see :class:`bot.store.sql.Session`)."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._conn = db

    # Each call is one trip to aiosqlite's thread (execute and fetch together; a cursor is not
    # closed by a trip of its own): on a busy machine a trip costs a few hundred microseconds.

    async def one(self, sql: str, *params: Any) -> Row | None:
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def all(self, sql: str, *params: Any) -> list[Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def value(self, sql: str, *params: Any) -> Any:
        row = await self.one(sql, *params)
        return row[0] if row is not None else None

    async def execute(self, sql: str, *params: Any) -> int:
        cur = await self._conn.execute(sql, params)
        return max(cur.rowcount, 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)


class SqliteDatabase(SqliteSession):
    """The SQLite file as a :class:`bot.store.sql.Database`.

    A write on its own waits for the transaction in progress, then commits at once (autocommit);
    a transaction is ``BEGIN IMMEDIATE`` … ``COMMIT``, one at a time. Reads never wait.
    """

    dialect = SQLITE

    def __init__(self, db: aiosqlite.Connection, write: asyncio.Lock) -> None:
        super().__init__(db)
        self._write = write
        self.reachability = Reachability()  # a file is never out of reach

    async def execute(self, sql: str, *params: Any) -> int:
        async with self._write:
            return await super().execute(sql, *params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self._write:
            await super().executemany(sql, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteSession]:
        async with self._write:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteSession(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")


class StoreBase:
    """The shared connection; the verb groups of :class:`bot.store.Store` are built on it."""

    def __init__(self, db: aiosqlite.Connection, lock: _InstanceLock | None) -> None:
        self._db = db
        self._lock = lock
        self._write = asyncio.Lock()  # one transaction at a time on the shared connection
        self._sql = SqliteDatabase(db, self._write)
        self.reachability = self._sql.reachability  # the protocol's

    # ---------------------------------------------------------------- lifecycle

    @classmethod
    async def open(
        cls, path: Path, *, exclusive: bool = True, migrations: Sequence[str] = MIGRATIONS
    ) -> Self:
        """Open (creating or migrating) the database; with ``exclusive``, lock out other bots.

        ``migrations`` is the schema history to apply (tests pass their own to prove that a
        failing migration leaves the previous schema intact).
        """
        lock: _InstanceLock | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if exclusive:
                lock = _InstanceLock(path.with_name(path.name + ".lock"))
                lock.acquire()
        except OSError as exc:
            if not isinstance(exc, PermissionError) and exc.errno != errno.EROFS:
                raise
            raise _not_writable(path, exc) from exc
        try:
            db = await _connect(path)
        except Exception as exc:
            if lock:
                lock.release()
            raise _unusable(path, exc) from exc
        store = cls(db, lock)
        try:
            await store._configure()
            await store._migrate(path, migrations)
            if exclusive and migrations is MIGRATIONS:  # (a test's older schema has no leases)
                await free_leases(store._sql)  # held by an earlier process, which is gone
        except BaseException as exc:
            await store.close()
            if isinstance(exc, sqlite3.Error):
                raise _unusable(path, exc) from exc
            raise
        return store

    async def close(self) -> None:
        """Close the connection and release the instance lock."""
        try:
            await self._db.close()
        finally:
            if self._lock:
                self._lock.release()

    async def _configure(self) -> None:
        self._db.row_factory = sqlite3.Row  # rows are read by column name (see rows.py)
        await self._db.execute("PRAGMA journal_mode = WAL")
        await self._db.execute("PRAGMA synchronous = NORMAL")
        await self._db.execute("PRAGMA foreign_keys = ON")
        await self._db.execute("PRAGMA busy_timeout = 5000")

    async def schema_version(self) -> int:
        """The database's ``user_version``."""
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        assert row is not None
        return int(row[0])

    async def _migrate(self, path: Path, migrations: Sequence[str]) -> None:
        version = await self.schema_version()
        latest = len(migrations)
        if version > latest:
            raise StoreError(
                f"{path} has schema version {version}, newer than this release supports "
                f"({latest}); upgrade teaserbot or use another DATABASE_PATH"
            )
        for target in range(version + 1, latest + 1):
            async with self.transaction():
                for statement in _statements(migrations[target - 1]):
                    await self._db.execute(statement)
                await self._db.execute(f"PRAGMA user_version = {int(target)}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """aiosqlite's own connection running a block as one write transaction (BEGIN IMMEDIATE
        … COMMIT, or ROLLBACK): for bulk loads (benches); the verbs run on ``_sql``."""
        async with self._write:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")
