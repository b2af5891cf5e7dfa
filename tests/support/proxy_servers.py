"""Small local proxies for tests: an HTTP proxy (forwarding and CONNECT) and a SOCKS5 proxy.

Each runs its own asyncio loop in a thread, so a bot in another process can use it. Every
upstream connection is recorded in ``targets`` as ``host:port`` (as the client named it);
``routes`` maps a name the test invented (``news.example``) to a real local address.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import struct
import threading
from types import TracebackType
from typing import Self


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(ConnectionError, OSError):
        writer.close()


async def _splice(
    a: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    b: tuple[asyncio.StreamReader, asyncio.StreamWriter],
) -> None:
    await asyncio.gather(_pipe(a[0], b[1]), _pipe(b[0], a[1]))


class _ProxyServer:
    """The thread and loop both proxies share."""

    def __init__(self, *, username: str | None = None, password: str | None = None) -> None:
        self.username = username
        self.password = password
        self.port = 0
        self.targets: list[str] = []
        self.routes: dict[str, tuple[str, int]] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    def start(self) -> Self:
        """Listen on 127.0.0.1 (a free port) and return self."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop
        )
        self._server = future.result(5)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Stop listening, drop every connection, stop and close the loop."""
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in self._writers:
            writer.transport.abort()
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def _open(
        self, host: str, port: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        self.targets.append(f"{host}:{port}")
        real_host, real_port = self.routes.get(host, (host, port))
        reader, writer = await asyncio.open_connection(real_host, real_port)
        self._writers.append(writer)
        return reader, writer

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            with contextlib.suppress(ConnectionError, OSError):
                writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError


class HttpProxy(_ProxyServer):
    """An HTTP proxy: absolute-form requests are forwarded (one per connection), CONNECT tunnels."""

    @property
    def url(self) -> str:
        """The proxy URL a client is given."""
        auth = f"{self.username}:{self.password}@" if self.username else ""
        return f"http://{auth}127.0.0.1:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, version = request_line.split(" ")
        headers = [line for line in header_lines if line]
        if self.username and not any(
            line.lower().startswith("proxy-authorization: basic ") for line in headers
        ):
            writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            upstream = await self._open(host.strip("[]"), int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await _splice((reader, writer), upstream)
            return
        scheme, _, rest = target.partition("://")
        if scheme != "http":
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        netloc, _, path = rest.partition("/")
        host, _, port = netloc.rpartition(":") if ":" in netloc else (netloc, "", "80")
        kept = [
            line
            for line in headers
            if not line.lower().startswith(("proxy-", "connection:", "keep-alive:"))
        ]
        upstream_reader, upstream_writer = await self._open(host, int(port))
        forwarded = "\r\n".join([f"{method} /{path} {version}", *kept, "Connection: close", "", ""])
        upstream_writer.write(forwarded.encode("latin-1"))
        length = next(
            (
                int(line.split(":", 1)[1])
                for line in kept
                if line.lower().startswith("content-length:")
            ),
            0,
        )
        if length:
            upstream_writer.write(await reader.readexactly(length))
        await upstream_writer.drain()
        # The answer goes back with "Connection: close", so the client opens a new connection
        # (and this proxy a new upstream) for its next request.
        answer_head = await upstream_reader.readuntil(b"\r\n\r\n")
        status, *answer_lines = answer_head.decode("latin-1").split("\r\n")
        answer_kept = [
            line for line in answer_lines if line and not line.lower().startswith("connection:")
        ]
        writer.write("\r\n".join([status, *answer_kept, "Connection: close", "", ""]).encode())
        await _pipe(upstream_reader, writer)


class Socks5Proxy(_ProxyServer):
    """A SOCKS5 proxy (RFC 1928): CONNECT only; user/password (RFC 1929) when configured."""

    @property
    def url(self) -> str:
        """The proxy URL a client is given."""
        auth = f"{self.username}:{self.password}@" if self.username else ""
        return f"socks5://{auth}127.0.0.1:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        if version != 5:
            return
        wanted = 2 if self.username else 0
        if wanted not in methods:
            writer.write(b"\x05\xff")
            return
        writer.write(bytes([5, wanted]))
        if wanted == 2:
            await reader.readexactly(1)
            user = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
            password = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
            ok = (user, password) == (self.username, self.password)
            writer.write(b"\x01\x00" if ok else b"\x01\x01")
            if not ok:
                return
        _, command, _, kind = await reader.readexactly(4)
        if kind == 1:
            host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
        elif kind == 4:
            host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
        else:
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        if command != 1:
            writer.write(b"\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00")
            return
        try:
            upstream = await self._open(host, port)
        except OSError:
            writer.write(b"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00")
            return
        writer.write(b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00")
        await _splice((reader, writer), upstream)
