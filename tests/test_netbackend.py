"""The lean httpcore backend: idle connections are checked cheaply and still correctly."""

from __future__ import annotations

import asyncio

import httpx

from bot.sources.netbackend import LeanBackend, use_lean_backend
from tests.support.feed_server import FeedServer, rss


async def test_idle_connection_becomes_readable_when_the_server_closes_it() -> None:
    """An idle kept-alive connection reads as unusable once the server hangs up."""
    closed = asyncio.Event()

    async def serve(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await closed.wait()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    stream = await LeanBackend().connect_tcp("127.0.0.1", port, timeout=5)
    try:
        assert stream.get_extra_info("is_readable") is False
        assert stream.get_extra_info("socket") is stream.get_extra_info("socket")
        closed.set()
        for _ in range(100):
            if stream.get_extra_info("is_readable"):
                break
            await asyncio.sleep(0.01)
        assert stream.get_extra_info("is_readable") is True
    finally:
        await stream.aclose()
        server.close()
        await server.wait_closed()


async def test_transport_with_the_lean_backend_reuses_connections(feeds: FeedServer) -> None:
    """Requests through a transport on the lean backend succeed and share one connection."""
    feeds.set("/f.xml", rss([{"title": "A", "link": "https://x.example/a"}]))
    transport = httpx.AsyncHTTPTransport()
    assert use_lean_backend(transport)
    async with httpx.AsyncClient(transport=transport) as client:
        for _ in range(3):
            answer = await client.get(feeds.url("/f.xml"))
            assert answer.status_code == 200
    ports = {request.client_port for request in feeds.requests("/f.xml")}
    assert len(ports) == 1
