"""One leader among the bot processes sharing a PostgreSQL database.

Telegram's limits are per bot token and long polling allows one consumer, so exactly one process
receives updates and runs delivery: the one holding a session-level advisory lock on a connection
of its own. The server releases the lock the moment that session ends: at once when the process
dies (SIGKILL closes its socket), and within about ``KEEPALIVE_IDLE + KEEPALIVE_INTERVAL *
KEEPALIVE_COUNT`` seconds when its machine vanishes (TCP keepalives the server sends). Followers
try for the lock every ``poll`` seconds.

A leader that loses its session (network cut, server restart, terminated backend) learns it from
the connection's termination callback or from :meth:`LeaderLock.still_leader`, and must stop
acting as leader: another process may hold the lock already. The running bot asks every
:data:`CHECK_EVERY` seconds; an answer that does not come within :data:`CHECK_TIMEOUT` counts as
lost. So a leader cut off from the server steps down after at most ``CHECK_EVERY +
CHECK_TIMEOUT`` (7 s), before the server's keepalives end its session (about 11 s) and free the
lock for another process.

A follower keeps one connection of its own (``teaserbot-follower``) and asks for the lock on it
every ``poll`` seconds; the server is never asked to fork a new session just to be told no.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg

from bot.core.errors import DatabaseUnreachableError
from bot.store.postgres.base import connect_error, describe

log = logging.getLogger("bot.store")

LEADER_KEY = 0x7465617365720002  # "teaser" + 2: the advisory lock that marks the leader
KEEPALIVE_IDLE = 5  # seconds of silence before the server probes the leader's connection
KEEPALIVE_INTERVAL = 2
KEEPALIVE_COUNT = 3
CHECK_TIMEOUT = 5.0  # a leader that cannot confirm its lock in this long steps down
CHECK_EVERY = 2.0  # seconds between a leader's checks of its lock (see the module docstring)


class LeaderLock:
    """Leadership held as a PostgreSQL advisory lock on a dedicated connection."""

    def __init__(self, url: str, *, key: int = LEADER_KEY) -> None:
        self._url = url
        self._key = key
        self._conn: asyncpg.Connection | None = None
        self._spare: asyncpg.Connection | None = None  # a follower's connection, kept
        self._unreachable = False  # a follower said so in the log already
        self.lost = asyncio.Event()  # set when a held leadership ends without release()
        self.where = describe(url)

    @property
    def is_leader(self) -> bool:
        """Whether this process holds the lock, as far as it knows without asking the server."""
        return self._conn is not None and not self._conn.is_closed() and not self.lost.is_set()

    async def try_acquire(self) -> bool:
        """Take the lock if no other process holds it; True when this process is the leader.

        Connection problems raise the store's one-line errors (see ``connect_error``).
        """
        if self.is_leader:
            return True
        conn, self._spare = self._spare, None
        got = None if conn is None else await self._ask(conn, fresh=False)
        if conn is None or got is None:  # no follower's connection yet, or it broke
            conn = await self._connect()
            got = await self._ask(conn, fresh=True)
        assert got is not None
        if not got:
            self._spare = conn
            return False
        self._conn = conn
        self.lost.clear()
        conn.add_termination_listener(self._terminated)
        log.info("leader elected database=%s pid=%s", self.where, conn.get_server_pid())
        return True

    async def wait(self, stop: asyncio.Event, *, poll: float = 1.0) -> bool:
        """Try every ``poll`` seconds until this process leads (True) or ``stop`` is set (False).

        A server out of reach is tried again at the same pace (one log line when it goes, one
        when it comes back); a refused login raises.
        """
        while not stop.is_set():
            try:
                if await self.try_acquire():
                    self._unreachable = False
                    return True
                if self._unreachable:
                    log.info("database reachable again: following")
                    self._unreachable = False
            except DatabaseUnreachableError as exc:
                if not self._unreachable:
                    log.warning("%s: trying for the leader lock every %g s", exc, poll)
                    self._unreachable = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll)
        return False

    async def listen(self, channel: str, callback: Callable[[], None]) -> None:
        """While this process leads, call ``callback`` on each NOTIFY on ``channel``."""
        conn = self._conn
        if conn is None or conn.is_closed():
            self._step_down()
            return
        try:
            await conn.add_listener(channel, lambda *_args: callback())
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            self._step_down()  # the session ended just now: the term ends with it

    async def still_leader(self) -> bool:
        """Ask the server whether this session still holds the lock; False (and ``lost``) if not."""
        conn = self._conn
        if conn is None or conn.is_closed():
            self._step_down()
            return False
        try:
            held = await asyncio.wait_for(
                conn.fetchval(
                    "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted "
                    "AND ((classid::bigint << 32) | objid::bigint) = $1",
                    self._key,
                ),
                CHECK_TIMEOUT,
            )
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            held = False
        if not held:
            self._step_down()
        return bool(held)

    async def release(self) -> None:
        """Give up leadership (closing the connection releases the lock), or stop following."""
        spare, self._spare = self._spare, None
        if spare is not None:
            await _close(spare)
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.remove_termination_listener(self._terminated)
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await conn.execute("SELECT pg_advisory_unlock($1)", self._key)
            await _close(conn)

    # ------------------------------------------------------------------ inside

    async def _connect(self) -> asyncpg.Connection:
        try:
            return await asyncpg.connect(
                self._url,
                timeout=10,
                server_settings={
                    "application_name": "teaserbot-follower",
                    "tcp_keepalives_idle": str(KEEPALIVE_IDLE),
                    "tcp_keepalives_interval": str(KEEPALIVE_INTERVAL),
                    "tcp_keepalives_count": str(KEEPALIVE_COUNT),
                },
            )
        except Exception as exc:
            error = connect_error(self._url, exc)
            if error is None:
                raise
            raise error from None

    async def _ask(self, conn: asyncpg.Connection, *, fresh: bool) -> bool | None:
        """Ask for the lock on ``conn``; None when a kept connection broke (closed then), and
        the one-line error when a fresh one fails."""
        try:
            got = bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", self._key))
            if got:
                await conn.execute("SET application_name = 'teaserbot-leader'")
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            await _close(conn)
            if not fresh:
                return None
            raise (connect_error(self._url, exc) or exc) from None
        except BaseException:
            await _close(conn)
            raise
        return got

    def _terminated(self, _conn: object) -> None:
        self._step_down()

    def _step_down(self) -> None:
        if self._conn is not None and not self.lost.is_set():
            log.warning("leadership lost database=%s: another process may lead now", self.where)
            self.lost.set()


async def _close(conn: asyncpg.Connection) -> None:
    with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        await asyncio.wait_for(conn.close(), 5)
    if not conn.is_closed():
        conn.terminate()
