"""A local HTTP feed server whose routes a test changes while the code under test polls it."""

from __future__ import annotations

import gzip as gzip_module
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

FILLER = b"<!-- filler -->\n" * 4096  # 64 KiB of harmless XML comment


@dataclass(frozen=True)
class Route:
    """What the server answers on one path."""

    body: bytes = b""
    content_type: str | None = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float | None = None
    size: int | None = None
    chunked: bool = False


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it; header names are lower-case."""

    method: str
    path: str
    target: str
    headers: dict[str, str]
    at: float
    client_port: int  # which connection carried it


@dataclass
class _Stats:
    sent: dict[str, list[int]] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 (random port) serving routes set by the test."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self._routes: dict[str, Route] = {}
        self._requests: list[RecordedRequest] = []
        self._stats = _Stats()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -----------------------------------------------------------------------------
    def start(self) -> Self:
        """Bind a free port and serve in a background thread."""
        handler = type("Handler", (_Handler,), {"feed_server": self})
        httpd = ThreadingHTTPServer((self.host, 0), handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, args=(0.05,), name="feed-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; slow responses in progress are abandoned."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        """The absolute URL of `path` on this server."""
        return f"http://{self.host}:{self.port}{path}"

    # routes --------------------------------------------------------------------------------
    def set(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        content_type: str | None = "application/rss+xml; charset=utf-8",
        status: int = 200,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        trickle: float | None = None,
        size: int | None = None,
        chunked: bool = False,
        gzip: bool = False,
    ) -> None:
        """Serve `body` on `path` (replacing any earlier route); see Route for the knobs.

        `trickle` sends the body at that many bytes per second; `size` streams that many bytes
        of filler instead of `body`; `chunked` omits Content-Length; `gzip` compresses `body`
        and labels it Content-Encoding: gzip.
        """
        data = body.encode() if isinstance(body, str) else body
        extra = dict(headers or {})
        if gzip:
            data = gzip_module.compress(data)
            extra["Content-Encoding"] = "gzip"
        route = Route(
            body=data,
            content_type=content_type,
            status=status,
            etag=etag,
            last_modified=last_modified,
            headers=extra,
            delay=delay,
            trickle=trickle,
            size=size,
            chunked=chunked,
        )
        with self._lock:
            self._routes[path] = route

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        """Answer `path` with a redirect to `to` (a path, relative reference or absolute URL)."""
        self.set(path, b"", content_type=None, status=status, headers={"Location": to})

    def remove(self, path: str) -> None:
        """Forget the route on `path` (it then answers 404)."""
        with self._lock:
            self._routes.pop(path, None)

    # observations --------------------------------------------------------------------------
    def requests(self, path: str | None = None) -> list[RecordedRequest]:
        """The requests received (on `path`, or all), oldest first."""
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    def bytes_sent(self, path: str) -> list[int]:
        """Body bytes actually written per response on `path` (short when the client hung up)."""
        with self._lock:
            return list(self._stats.sent.get(path, []))

    @property
    def max_concurrency(self) -> int:
        """The largest number of requests the server was handling at the same moment."""
        with self._lock:
            return self._stats.max_in_flight

    # used by the handler -------------------------------------------------------------------
    def _begin(self, request: RecordedRequest) -> Route | None:
        with self._lock:
            self._requests.append(request)
            self._stats.in_flight += 1
            self._stats.max_in_flight = max(self._stats.max_in_flight, self._stats.in_flight)
            return self._routes.get(request.target) or self._routes.get(request.path)

    def _end(self, path: str, sent: int) -> None:
        with self._lock:
            self._stats.in_flight -= 1
            self._stats.sent.setdefault(path, []).append(sent)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    feed_server: FeedServer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        """Answer from the route table."""
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        """Answer like GET, without a body."""
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        server = self.feed_server
        path = urlsplit(self.path).path
        record = RecordedRequest(
            method=self.command,
            path=path,
            target=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            at=time.monotonic(),
            client_port=int(self.client_address[1]),
        )
        route = server._begin(record)
        sent = 0
        try:
            if route is None:
                self._simple(404, b"not found\n", send_body)
                return
            if route.delay and server._stopping.wait(route.delay):
                return
            if _not_modified(route, record.headers):
                self.send_response(304)
                self._validators(route)
                for name, value in route.headers.items():
                    if name.lower() not in {"content-encoding", "content-length"}:
                        self.send_header(name, value)
                self.end_headers()
                return
            sent = self._full(route, send_body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            server._end(path, sent)

    def _simple(self, status: int, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _validators(self, route: Route) -> None:
        if route.etag is not None:
            self.send_header("ETag", route.etag)
        if route.last_modified is not None:
            self.send_header("Last-Modified", route.last_modified)

    def _full(self, route: Route, send_body: bool) -> int:
        length = route.size if route.size is not None else len(route.body)
        self.send_response(route.status)
        if route.content_type is not None:
            self.send_header("Content-Type", route.content_type)
        self._validators(route)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if not send_body:
            return 0
        sent = 0
        for piece in self._pieces(route):
            if route.trickle is not None and self.feed_server._stopping.wait(
                len(piece) / route.trickle
            ):
                self.close_connection = True
                return sent
            if route.chunked:
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            else:
                self.wfile.write(piece)
            self.wfile.flush()
            sent += len(piece)
        if route.chunked:
            self.wfile.write(b"0\r\n\r\n")
        return sent

    @staticmethod
    def _pieces(route: Route) -> list[bytes] | _Filler:
        step = max(1, int(route.trickle / 10)) if route.trickle is not None else len(FILLER)
        if route.size is not None:
            return _Filler(route.size, min(step, len(FILLER)))
        return [route.body[i : i + step] for i in range(0, len(route.body), step)]


class _Filler:
    """`size` bytes of filler, produced lazily in 64 KiB pieces."""

    def __init__(self, size: int, step: int) -> None:
        self.size = size
        self.step = step

    def __iter__(self) -> Iterator[bytes]:
        left = self.size
        while left > 0:
            piece = FILLER[: min(left, self.step)]
            left -= len(piece)
            yield piece


def _not_modified(route: Route, headers: Mapping[str, str]) -> bool:
    """Whether a conditional request matches the route's validators (If-None-Match wins)."""
    if route.status != 200:
        return False
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip() for t in inm.split(",")}
        return route.etag is not None and ("*" in tags or route.etag in tags)
    ims = headers.get("if-modified-since")
    return ims is not None and route.last_modified is not None and ims == route.last_modified


def http_date(when: datetime | None = None) -> str:
    """An HTTP-date (RFC 9110 IMF-fixdate) for `when`, or now."""
    return format_datetime((when or datetime.now(UTC)).astimezone(UTC), usegmt=True)


def rss(
    items: list[dict[str, Any]],
    title: str = "Test feed",
    link: str = "https://example.org/",
    description: str = "A feed for tests",
    language: str | None = None,
) -> str:
    """An RSS 2.0 document; each item may have title, link, guid, description, pubDate, category
    and image (an image enclosure). ``language``: the channel's <language>."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title>",
        f"<link>{escape(link)}</link>",
        f"<description>{escape(description)}</description>",
    ]
    if language:
        parts.append(f"<language>{escape(language)}</language>")
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "description", "pubDate", "category"):
            if key not in item or item[key] is None:
                continue
            values = item[key] if isinstance(item[key], list | tuple) else [item[key]]
            for value in values:
                text = http_date(value) if isinstance(value, datetime) else str(value)
                parts.append(f"<{key}>{escape(text)}</{key}>")
        if item.get("image"):
            image = escape(str(item["image"]), {'"': "&quot;"})
            parts.append(f'<enclosure url="{image}" type="image/jpeg" length="1000"/>')
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts) + "\n"
