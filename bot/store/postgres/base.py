"""The PostgreSQL connection pool, connecting with clear errors, migrations and transactions.

asyncpg talks to the server. A connection the server refuses (wrong password, unknown role or
database) is a :class:`StoreError` the operator must fix; a server that cannot be reached (down,
refused, unknown host, starting up) is a :class:`DatabaseUnreachableError`, which start-up
retries with backoff (:func:`open_with_retry`). Neither message holds the password.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import unquote, urlsplit

import asyncpg

from bot.core.errors import DatabaseUnreachableError, StoreError
from bot.store.postgres.schema import MIGRATIONS
from bot.store.reachability import Reachability
from bot.store.sql import POSTGRES, Row, numbered

log = logging.getLogger("bot.store")
T = TypeVar("T")
if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Connection = PoolConnectionProxy[asyncpg.Record]  # a connection taken from the pool

CONNECT_TIMEOUT = 10.0
FIRST_DELAY = 1.0
MAX_DELAY = 60.0
POOL_SIZE = 1  # see PgStoreBase: one statement or transaction at a time, in order
# Taken inside every migration's transaction, so processes starting together migrate one by one.
_MIGRATION_LOCK = 0x7465617365720001  # "teaser" + 1


def describe(url: str) -> str:
    """Where a ``postgresql://`` URL points, for messages: ``user@host:port/database``.

    Never the password.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = parts.port or 5432
    except ValueError:
        return "the database in DATABASE_URL"
    user = unquote(parts.username) + "@" if parts.username else ""
    database = unquote(parts.path.lstrip("/")) or (unquote(parts.username or "") or "postgres")
    return f"{user}{host}:{port}/{database}"


def connect_error(url: str, exc: BaseException) -> StoreError | None:
    """The one-line error for a failed connection attempt, or None when ``exc`` is not one."""
    where = describe(url)
    match exc:
        case asyncpg.InvalidPasswordError() | asyncpg.InvalidAuthorizationSpecificationError():
            return StoreError(
                f"PostgreSQL at {where} refused the login ({exc}): check the user and "
                "password in DATABASE_URL"
            )
        case asyncpg.InvalidCatalogNameError():
            return StoreError(
                f"PostgreSQL at {where}: {exc}; create it (createdb) or fix DATABASE_URL"
            )
        case asyncpg.CannotConnectNowError() | asyncpg.TooManyConnectionsError():
            return DatabaseUnreachableError(
                f"PostgreSQL at {where} does not accept connections: {exc}"
            )
        case socket.gaierror():
            return DatabaseUnreachableError(
                f"cannot reach PostgreSQL at {where}: the host name is unknown ({exc.strerror})"
            )
        case TimeoutError():
            return DatabaseUnreachableError(
                f"cannot reach PostgreSQL at {where}: no answer in time"
            )
        case OSError():
            return DatabaseUnreachableError(
                f"cannot reach PostgreSQL at {where}: {exc.strerror or type(exc).__name__}"
            )
        case asyncpg.PostgresError() | asyncpg.InterfaceError():
            return StoreError(f"cannot use PostgreSQL at {where}: {exc}")
    return None


def connection_fault(exc: BaseException) -> str | None:
    """A connection to PostgreSQL lost mid-statement, in one line; None for any other error (a
    bug keeps its traceback). The pool reconnects for the next statement by itself."""
    match exc:
        case asyncpg.PostgresConnectionError() | asyncpg.OperatorInterventionError():
            return f"the connection to PostgreSQL was lost ({type(exc).__name__}: {exc})"
        case asyncpg.InterfaceError() if "connection" in str(exc):
            return f"the connection to PostgreSQL was lost ({exc})"
        case ConnectionError():
            return f"the connection to PostgreSQL was lost ({exc.strerror or type(exc).__name__})"
    return None


def unreachable(exc: BaseException) -> str | None:
    """Why the server could not be reached or answer, in one line (a connection lost, refused,
    timed out, or a server starting up or shutting down); None for any other error."""
    lost = connection_fault(exc)
    if lost is not None:
        return lost
    match exc:
        case asyncpg.CannotConnectNowError() | asyncpg.TooManyConnectionsError():
            return f"it does not accept connections ({exc})"
        case socket.gaierror():
            return f"the host name is unknown ({exc.strerror})"
        case TimeoutError():
            return "no answer in time"
        case OSError():
            return f"cannot connect ({exc.strerror or type(exc).__name__})"
    return None


def delays(first: float = FIRST_DELAY, cap: float = MAX_DELAY) -> list[float]:
    """The waits between connection attempts: doubling from ``first`` up to ``cap``."""
    out = [first]
    while out[-1] < cap:
        out.append(min(cap, out[-1] * 2))
    return out


def rows_changed(status: str) -> int:
    """The row count of a command status such as ``UPDATE 3`` or ``INSERT 0 1``."""
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _not_the_pool_floor(record: logging.LogRecord) -> bool:
    """asyncpg's pool logs a traceback for each failed try to reconnect while the server is
    down; the store says it in one line (``database unreachable``), so those are dropped."""
    return not str(record.msg).startswith("Failed to restore the pool connection floor")


logging.getLogger("asyncpg.pool").addFilter(_not_the_pool_floor)


class PgSession:
    """Statements on one connection inside a transaction (see :class:`bot.store.sql.Session`);
    ``?`` marks are numbered for PostgreSQL."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def one(self, sql: str, *params: Any) -> Row | None:
        return await self._conn.fetchrow(numbered(sql), *params)

    async def all(self, sql: str, *params: Any) -> list[Row]:
        return list(await self._conn.fetch(numbered(sql), *params))

    async def value(self, sql: str, *params: Any) -> Any:
        return await self._conn.fetchval(numbered(sql), *params)

    async def execute(self, sql: str, *params: Any) -> int:
        return rows_changed(await self._conn.execute(numbered(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(numbered(sql), rows)


class PgDatabase:
    """The pool as a :class:`bot.store.sql.Database`: one statement or transaction at a time, in
    the order asked (``turn``), each guarded by ``reaching`` (see :class:`PgStoreBase`)."""

    dialect = POSTGRES

    def __init__(
        self,
        pool: asyncpg.Pool,
        turn: asyncio.Lock,
        reaching: Callable[[], contextlib.AbstractAsyncContextManager[None]],
        reachability: Reachability,
    ) -> None:
        self._pool = pool
        self._turn = turn
        self._reaching = reaching
        self.reachability = reachability

    async def one(self, sql: str, *params: Any) -> Row | None:
        async with self._turn, self._reaching():
            return await self._pool.fetchrow(numbered(sql), *params)

    async def all(self, sql: str, *params: Any) -> list[Row]:
        async with self._turn, self._reaching():
            return list(await self._pool.fetch(numbered(sql), *params))

    async def value(self, sql: str, *params: Any) -> Any:
        async with self._turn, self._reaching():
            return await self._pool.fetchval(numbered(sql), *params)

    async def execute(self, sql: str, *params: Any) -> int:
        async with self._turn, self._reaching():
            return rows_changed(await self._pool.execute(numbered(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self._turn, self._reaching():
            await self._pool.executemany(numbered(sql), rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgSession]:
        async with (
            self._turn,
            self._reaching(),
            self._pool.acquire() as conn,
            conn.transaction(),
        ):
            yield PgSession(conn)


class PgStoreBase:
    """The pool the verb groups of :class:`bot.store.postgres.PostgresStore` are built on."""

    # Statements and transactions run one at a time, in the order they were asked for (as on the
    # SQLite store's single connection). The delivery engine relies on it: it forgets a row it
    # holds once its outcome is written, so a read that began before that write must not answer
    # after it (it would hand back the sent row, to be sent twice: seen in bench/fanout_pg.py).
    # asyncio.Lock serves its waiters first come, first served; the pool reconnects after a
    # lost connection.

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self._pool = pool
        self._turn = asyncio.Lock()
        self.where = describe(url)
        self.reachability = Reachability()
        self._sql = PgDatabase(pool, self._turn, self._reaching, self.reachability)

    # ---------------------------------------------------------------- lifecycle

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        migrations: Sequence[str] = MIGRATIONS,
        pool_size: int = POOL_SIZE,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> Self:
        """Connect (a small pool) and create or migrate the schema.

        Raises :class:`DatabaseUnreachableError` when the server cannot be reached and
        :class:`StoreError` when it refuses the connection or its schema is newer than this
        release; both one line, without the password.
        """
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=pool_size, timeout=connect_timeout, command_timeout=None
            )
        except Exception as exc:
            error = connect_error(url, exc)
            if error is None:
                raise
            raise error from None
        store = cls(pool, url)
        try:
            await store._migrate(migrations)
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        """Close every connection of the pool."""
        await self._pool.close()

    async def schema_version(self) -> int:
        """The database's schema version (0 for an empty database)."""
        async with self._turn, self._pool.acquire() as conn:
            return await _version(conn)

    async def _migrate(self, migrations: Sequence[str]) -> None:
        latest = len(migrations)
        async with self._turn, self._pool.acquire() as conn:
            while True:
                async with conn.transaction():
                    # Under the lock: two CREATE ... IF NOT EXISTS at once can still collide.
                    await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
                    await conn.execute(
                        "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)"
                    )
                    version = await _version(conn)
                    if version > latest:
                        raise StoreError(
                            f"the database {self.where} has schema version {version}, newer than "
                            f"this release supports ({latest}); upgrade teaserbot or use "
                            "another DATABASE_URL"
                        )
                    if version == latest:
                        return
                    await conn.execute(migrations[version])
                    await conn.execute("DELETE FROM schema_version")
                    await conn.execute(
                        "INSERT INTO schema_version (version) VALUES ($1)", version + 1
                    )

    @asynccontextmanager
    async def _reaching(self) -> AsyncIterator[None]:
        """Every call's guard: a server out of reach (down, restarting, the network cut)
        becomes :class:`DatabaseUnreachableError` and marks it down; a call that reaches it
        marks it up (see :class:`~bot.store.reachability.Reachability`)."""
        try:
            yield
        except Exception as exc:
            why = unreachable(exc)
            if why is None:
                raise
            self.reachability.failed(why)
            raise DatabaseUnreachableError(f"PostgreSQL at {self.where}: {why}") from exc
        self.reachability.answered()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """asyncpg's own connection running a block as one transaction (committed, or rolled
        back), in turn: for bulk loads (benches, copies); the verbs run on ``_sql``."""
        async with (
            self._turn,
            self._reaching(),
            self._pool.acquire() as conn,
            conn.transaction(),
        ):
            yield conn


async def _version(conn: Connection) -> int:
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    value = await conn.fetchval("SELECT max(version) FROM schema_version")
    return int(value or 0)


async def open_with_retry(
    opener: Callable[[], Awaitable[T]],
    stop: asyncio.Event,
    *,
    first_delay: float = FIRST_DELAY,
    max_delay: float = MAX_DELAY,
) -> T | None:
    """Call ``opener`` until the server can be reached; None if ``stop`` is set first.

    Each failed attempt logs one line (no traceback) and waits, doubling from ``first_delay`` up
    to ``max_delay``, like reaching Telegram at start-up. Other errors (a refused login, a newer
    schema) are raised at once: waiting would not fix them.
    """
    waits = delays(first_delay, max_delay)
    attempt = 0
    while not stop.is_set():
        try:
            return await opener()
        except DatabaseUnreachableError as exc:
            wait = waits[min(attempt, len(waits) - 1)]
            attempt += 1
            log.warning("%s: retrying in %g s", exc, wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
    return None
