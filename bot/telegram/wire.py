"""A lean HTTP/1.1 keep-alive transport for python-telegram-bot, used by the delivery loop.

PTB's default transport (httpx) costs more than a millisecond of CPU per request, which caps a
two-core machine well below the 1,000 messages per second that paid broadcasts allow. This
:class:`telegram.request.BaseRequest` speaks just what the Bot API needs (a form-encoded POST,
a response with ``Content-Length``, chunked or closing body) over pooled asyncio connections,
with TLS for ``https`` URLs, and maps failures to PTB's ``NetworkError`` / ``TimedOut`` so that
PTB still turns every answer into a ``telegram.error`` (see :mod:`bot.telegram.sender`).
Multipart uploads are not supported: the delivery loop sends text only.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

USER_AGENT = b"teaserbot (delivery)"
_MAX_HEAD = 64 * 1024


@dataclass(slots=True)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = field(default_factory=time.monotonic)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class _Stale(Exception):  # noqa: N818 - internal signal, never leaves this module
    """A reused keep-alive connection was closed by the server before answering."""


def _seconds(value: Any, default: float | None) -> float | None:
    """A PTB timeout argument as seconds: a number, None (no limit) or PTB's DEFAULT_NONE."""
    if value is None or isinstance(value, int | float):
        return None if value is None else float(value)
    return default


class KeepAliveRequest(BaseRequest):
    """Pooled keep-alive HTTP/1.1 connections for PTB's ``Bot`` (form-encoded posts only)."""

    def __init__(
        self,
        *,
        connections: int = 16,
        connect_timeout: float = 10.0,
        read_timeout: float = 15.0,
        write_timeout: float = 15.0,
        pool_timeout: float = 10.0,
        idle_timeout: float = 30.0,
    ) -> None:
        self.connections = connections
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._pool_timeout = pool_timeout
        self._idle_timeout = idle_timeout
        self._idle: dict[tuple[str, str, int], deque[_Connection]] = {}
        self._slots = asyncio.Semaphore(connections)
        self._ssl: ssl.SSLContext | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: connections are made on first use."""

    async def shutdown(self) -> None:
        """Close every idle connection."""
        for pool in self._idle.values():
            while pool:
                pool.popleft().close()
        self._idle.clear()

    async def do_request(  # noqa: PLR0917 - PTB's signature
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request and return (status, body); raise NetworkError / TimedOut."""
        if request_data is not None and request_data.contains_files:
            raise NetworkError("file uploads are not supported by the delivery transport")
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = request_data.url_encoded_parameters().encode() if request_data else b""
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc.rpartition('@')[2]}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nAccept: application/json\r\n"
        ).encode("latin-1")
        message = head + b"User-Agent: " + USER_AGENT + b"\r\n\r\n" + body
        timeouts = (
            _seconds(connect_timeout, self._connect_timeout),
            _seconds(write_timeout, self._write_timeout),
            _seconds(read_timeout, self._read_timeout),
        )
        try:
            async with asyncio.timeout(_seconds(pool_timeout, self._pool_timeout)):
                await self._slots.acquire()
        except TimeoutError:
            raise TimedOut("no free connection to the Bot API (pool timeout)") from None
        try:
            key = (scheme, host, port)
            try:
                return await self._exchange(key, message, timeouts, reuse=True)
            except _Stale:
                return await self._exchange(key, message, timeouts, reuse=False)
        finally:
            self._slots.release()

    async def _exchange(
        self,
        key: tuple[str, str, int],
        message: bytes,
        timeouts: tuple[float | None, float | None, float | None],
        *,
        reuse: bool,
    ) -> tuple[int, bytes]:
        connect_timeout, write_timeout, read_timeout = timeouts
        conn = self._checkout(key) if reuse else None
        reused = conn is not None
        if conn is None:
            conn = await self._connect(key, connect_timeout)
        received = False
        try:
            conn.writer.write(message)
            async with asyncio.timeout(write_timeout):
                await conn.writer.drain()
            async with asyncio.timeout(read_timeout):
                status_line = await conn.reader.readline()
                if not status_line:
                    raise ConnectionResetError("connection closed before the answer")
                received = True
                status, keep_alive, payload = await self._read_response(conn.reader, status_line)
        except TimeoutError:
            conn.close()
            raise TimedOut("the Bot API did not answer in time") from None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            conn.close()
            if reused and not received:
                raise _Stale from exc
            raise NetworkError(f"HTTP exchange failed: {exc!r}") from exc
        if keep_alive:
            conn.idle_since = time.monotonic()
            self._idle.setdefault(key, deque()).append(conn)
        else:
            conn.close()
        return status, payload

    def _checkout(self, key: tuple[str, str, int]) -> _Connection | None:
        pool = self._idle.get(key)
        now = time.monotonic()
        while pool:
            conn = pool.pop()
            if now - conn.idle_since < self._idle_timeout and not conn.reader.at_eof():
                return conn
            conn.close()
        return None

    async def _connect(self, key: tuple[str, str, int], seconds: float | None) -> _Connection:
        scheme, host, port = key
        context: ssl.SSLContext | None = None
        if scheme == "https":
            if self._ssl is None:
                self._ssl = ssl.create_default_context()
            context = self._ssl
        try:
            async with asyncio.timeout(seconds):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=context, limit=_MAX_HEAD
                )
        except TimeoutError:
            raise TimedOut(f"could not connect to {host}:{port} in time") from None
        except OSError as exc:
            raise NetworkError(f"could not connect to {host}:{port}: {exc}") from exc
        return _Connection(reader, writer)

    @staticmethod
    async def _read_response(
        reader: asyncio.StreamReader, status_line: bytes
    ) -> tuple[int, bool, bytes]:
        """Read the rest of an HTTP/1.x response: (status, keep-alive, body)."""
        version, _, rest = status_line.partition(b" ")
        status = int(rest[:3])
        length: int | None = None
        chunked = False
        close = version != b"HTTP/1.1"
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise asyncio.IncompleteReadError(b"", None)
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                close = value == b"close" or (close and value != b"keep-alive")
        if chunked:
            chunks: list[bytes] = []
            while True:
                size = int((await reader.readline()).split(b";")[0].strip(), 16)
                if size == 0:
                    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            return status, not close, b"".join(chunks)
        if length is not None:
            return status, not close, await reader.readexactly(length) if length else b""
        return status, False, await reader.read()
