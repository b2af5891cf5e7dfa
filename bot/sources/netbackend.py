"""An httpcore network backend that answers "is this idle connection still usable?" cheaply.

Before reusing a kept-alive connection httpcore asks its stream ``get_extra_info("is_readable")``.
The stock anyio stream answers by building its whole attribute map, which makes a
``getpeername()`` system call every time: about a third of the CPU of a 304 poll. This backend
wraps the stock streams, looks the raw socket up once per connection and answers from it;
everything else is delegated unchanged.
"""

from __future__ import annotations

import socket
import typing

import httpcore
import httpx
from httpcore._utils import is_socket_readable

_SOCKET_UNSET = object()


class _LeanStream(httpcore.AsyncNetworkStream):
    """A stock stream whose raw socket is looked up once."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: object = _SOCKET_UNSET

    def _raw_socket(self) -> socket.socket | None:
        if self._socket is _SOCKET_UNSET:
            self._socket = self._inner.get_extra_info("socket")
        return typing.cast("socket.socket | None", self._socket)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _LeanStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable":
            return is_socket_readable(self._raw_socket())
        if info == "socket":
            return self._raw_socket()
        return self._inner.get_extra_info(info)


class LeanBackend(httpcore.AsyncNetworkBackend):
    """httpcore's default asyncio backend, with :class:`_LeanStream` streams."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _LeanStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _LeanStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def use_lean_backend(transport: httpx.AsyncHTTPTransport) -> bool:
    """Switch an httpx transport's connection pool to :class:`LeanBackend`; False if it can't.

    httpx has no public way to choose the backend, so this sets the pool's attribute when the
    installed httpx/httpcore have it, and otherwise leaves the stock backend in place.
    """
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.AsyncConnectionPool) and hasattr(pool, "_network_backend"):
        pool._network_backend = LeanBackend()
        return True
    return False
