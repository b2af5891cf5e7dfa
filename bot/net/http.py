"""The polite HTTP client for sources: conditional GET, limits, redirects, per-host limits.

Sources may not reach inside the operator's network: unless ``allow_private`` is set, every hop
(the source URL, a discovered feed URL, each redirect) has its host name resolved here, every
address checked, and the connection made to the checked address (the name is kept for the
``Host`` header and TLS), so a name that resolves differently a moment later cannot slip through.
Through a proxy the proxy connects; the name is still checked as it resolves here.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import math
import socket
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Self, TypeVar

import httpx
import python_socks

from bot.core.errors import FetchError
from bot.net import proxies

USER_AGENT = "teaserbot/0.1 (+https://github.com/teaserbot/teaserbot; Telegram news bot)"
"""How the bot names itself to news sites (the bot, `preview` and `sources import` alike)."""
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, "
    "text/html;q=0.7, */*;q=0.5"
)
ACCEPT_ENCODING = "gzip, deflate"  # decoded here, with the size cap applied to the decoded bytes
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({301, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
DRAIN_LIMIT = 65_536  # bodies of non-2xx answers up to this size are read to keep the connection
RESOLVED_TTL = 300.0  # seconds a checked address is reused for a host name
SLOW_FETCH = 1.0
"""Seconds after which a fetch still running gives its host's turn to the next (see _Gate)."""
LINGER_FACTOR = 4
"""Slow fetches a host may have running besides its turns: this many times ``per_host``."""
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CacheState:
    """The validators the store keeps per source between polls."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful exchange: a body (2xx) or "not modified" (304)."""

    status: int  # 200 (or another 2xx) or 304
    url: str  # final URL after redirects
    body: bytes  # b"" for 304
    content_type: str | None
    cache: CacheState  # validators to store (kept from the request on 304 when not resent)
    permanent_url: str | None  # where the source moved for good (301/308 from the start)
    max_age: float | None  # Cache-Control max-age in seconds, None if absent
    elapsed_ms: float
    links: str | None = None  # the Link header (a WebSub hub may be named there)


class FetchFailed(FetchError):  # noqa: N818  (the name the poller and store agreed on)
    """A fetch failed; `reason` is one short line fit for logs and the sources table."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        gone: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.gone = gone


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date), None if unreadable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - now).total_seconds())
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def parse_max_age(value: str | None) -> float | None:
    """The max-age of a Cache-Control value in seconds; None if absent, invalid or no-store."""
    if not value:
        return None
    max_age: float | None = None
    for part in value.split(","):
        name, _, arg = part.strip().partition("=")
        name = name.strip().lower()
        if name in {"no-store", "no-cache"}:
            return None
        if name == "max-age":
            try:
                max_age = max(0.0, float(int(arg.strip().strip('"'))))
            except ValueError:
                return None
    return max_age


def _size(n: int) -> str:
    """A byte count the way a person writes it."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


def _host_key(url: httpx.URL) -> str:
    """The politeness key of a URL: its host name and port (two servers on one machine are two
    hosts to be polite to)."""
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host.lower()}:{port}"


class _Gate:
    """One host's turns: at most ``per_host`` fetches at once, not counting slow ones.

    A fetch that has not ended after :data:`SLOW_FETCH` seconds (a host sending a byte every few
    seconds) gives its turn to the next fetch and finishes on its own, among at most
    ``per_host * LINGER_FACTOR`` such slow fetches of the host; so slow answers from one host
    delay its healthy ones by seconds, not by their whole timeout.
    """

    def __init__(self, per_host: int) -> None:
        self.turns = asyncio.Semaphore(per_host)
        self.slow = 0
        self.max_slow = per_host * LINGER_FACTOR

    async def run(self, work: Callable[[], Awaitable[_T]], budget: float) -> tuple[_T, float]:
        """``work()`` in a turn of this host, within ``budget`` seconds from the turn's start;
        its result and the seconds it took. TimeoutError once the budget is spent."""
        await self.turns.acquire()
        held, started = True, asyncio.get_running_loop().time()
        task = asyncio.ensure_future(asyncio.wait_for(work(), budget))
        try:
            await asyncio.wait([task], timeout=SLOW_FETCH)
            if not task.done() and self.slow < self.max_slow:
                self.turns.release()
                held = False
                self.slow += 1
                try:
                    await asyncio.wait([task])
                finally:
                    self.slow -= 1
            return await task, asyncio.get_running_loop().time() - started
        finally:
            if held:
                self.turns.release()
            if not task.done():
                task.cancel()


def _connect_reason(exc: BaseException) -> str:
    """A short reason for a failed connection, from the first telling cause."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, OSError) and type(seen).__name__ == "gaierror":
            return "host name not found"
        if isinstance(seen, ssl.SSLCertVerificationError):
            return "TLS certificate not valid"
        if isinstance(seen, ssl.SSLError):
            return "TLS error"
        if isinstance(seen, ConnectionResetError):
            return "connection reset"
        seen = seen.__cause__ or seen.__context__
    return f"connection failed: {_short(str(exc))}"


def _short(text: str, limit: int = 80) -> str:
    """One line of at most `limit` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _reason_for(exc: httpx.HTTPError | httpx.InvalidURL, fetcher: Fetcher) -> str:
    """Map an httpx exception to a one-line reason."""
    match exc:
        case httpx.ConnectTimeout():
            return f"connect timed out after {fetcher.connect_timeout:g} s"
        case httpx.ReadTimeout():
            return f"read timed out after {fetcher.read_timeout:g} s"
        case httpx.TimeoutException():
            return "timed out"
        case httpx.ConnectError():
            return _connect_reason(exc)
        case httpx.UnsupportedProtocol():
            return "unsupported URL scheme"
        case httpx.InvalidURL():
            return "invalid URL"
        case httpx.RemoteProtocolError():
            return f"protocol error: {_short(str(exc))}"
        case httpx.ReadError() | httpx.WriteError():
            return _connect_reason(exc).replace("connection failed", "connection broken")
        case _:
            return f"HTTP error: {_short(str(exc)) or type(exc).__name__}"


_SOCKS_ERRORS = (
    python_socks.ProxyError,
    python_socks.ProxyConnectionError,
    python_socks.ProxyTimeoutError,
)


def _socks_reason(exc: Exception) -> str:
    """A SOCKS proxy's failure in one line (its address, never its password)."""
    match exc:
        case python_socks.ProxyTimeoutError():
            return "SOCKS proxy timed out"
        case python_socks.ProxyConnectionError():
            return f"SOCKS proxy not reachable: {_connect_reason(exc)}"
        case _:
            return f"SOCKS proxy refused: {_short(str(exc))}"


async def _drain(response: httpx.Response) -> None:
    """Read a small unwanted body (304, redirect, error page) so the connection can be reused."""
    length = response.headers.get("Content-Length", "").strip()
    if length.isdigit() and int(length) > DRAIN_LIMIT:
        return
    drained = 0
    with contextlib.suppress(httpx.HTTPError):  # the connection is then discarded, nothing lost
        async for raw in response.aiter_raw():
            drained += len(raw)
            if drained > DRAIN_LIMIT:
                return


class _Decoder:
    """Content-Encoding decoding with a hard cap on the decoded size (no decompression bombs)."""

    def __init__(self, encoding: str, cap: int, status: int) -> None:
        self.encoding = encoding
        self.cap = cap
        self.status = status
        self.total = 0
        self.raw_total = 0
        self._first = True
        self._zlib: zlib._Decompress | None
        match encoding:
            case "" | "identity":
                self._zlib = None
            case "gzip" | "x-gzip":
                self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
            case "deflate":
                self._zlib = zlib.decompressobj()
            case _:
                raise FetchFailed(
                    f"unsupported content encoding {_short(encoding, 20)}", status=status
                )

    def feed(self, data: bytes) -> bytes:
        """Decode one raw chunk; raise once the decoded total passes the cap."""
        self.raw_total += len(data)
        if self.raw_total > self.cap:
            raise self._too_large()
        room = self.cap - self.total
        if self._zlib is None:
            out = data
        else:
            try:
                out = self._zlib.decompress(data, room + 1)
            except zlib.error as exc:
                if not (self._first and self.encoding == "deflate"):
                    raise self._undecodable() from exc
                # Some servers send raw deflate without the zlib header.
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data)
        self._first = False
        self.total += len(out)
        if self.total > self.cap:
            raise self._too_large()
        return out

    def finish(self) -> bytes:
        """Flush what the decompressor still holds."""
        if self._zlib is None:
            return b""
        try:
            out = self._zlib.flush()
        except zlib.error as exc:
            raise self._undecodable() from exc
        self.total += len(out)
        if self.total > self.cap:
            raise self._too_large()
        return out

    def _too_large(self) -> FetchFailed:
        return FetchFailed(f"response larger than {_size(self.cap)}", status=self.status)

    def _undecodable(self) -> FetchFailed:
        return FetchFailed(f"could not decode {self.encoding} body", status=self.status)


class _HostPools(httpx.AsyncBaseTransport):
    """One small connection pool per origin instead of one pool for every host.

    httpcore scans all of a pool's connections for each request it places; with hundreds of
    sources in one pool that scan cost more CPU than the rest of a 304. Pools of `per_host`
    connections keep it constant, and cap connections per origin as a second fence. The origin
    is read from the ``Host`` header, so a request pinned to a checked address still shares its
    host's pool (and its TLS name) and never another host's. Each pool connects directly or
    through the proxy :func:`bot.net.proxies.proxy_for` picks for its origin.
    """

    def __init__(self, per_host: int, proxy: str | None = None) -> None:
        self._ssl = httpx.create_ssl_context()  # built once, shared by every pool
        self._proxy = proxy
        self._limits = httpx.Limits(  # a host's turns and its slow fetches (see _Gate)
            max_connections=per_host * (1 + LINGER_FACTOR),
            max_keepalive_connections=per_host,
            keepalive_expiry=30,
        )
        self._pools: dict[tuple[bytes, str], httpx.AsyncBaseTransport] = {}

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy requests to ``url`` go through (None: direct)."""
        return proxies.proxy_for(str(url), self._proxy)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request through its origin's pool (created on first use)."""
        url = request.url
        key = (url.raw_scheme, request.headers.get("Host", ""))
        pool = self._pools.get(key)
        if pool is None:
            origin = httpx.URL(f"{url.scheme}://{key[1]}/") if key[1] else url
            pool = self._pools[key] = proxies.transport(
                self.proxy_for(origin), limits=self._limits, verify=self._ssl
            )
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        """Close every pool."""
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()


class _Unresolved(FetchFailed):
    """The host name did not resolve here."""


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# Site-local (deprecated) and local-use NAT64 (RFC 8215): inside someone's network by definition.
_LOCAL_ONLY = (ipaddress.IPv6Network("fec0::/10"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def _carried_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries: mapped, NAT64, 6to4 or IPv4-compatible."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, ...).

    An IPv6 address that carries an IPv4 one (NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``,
    IPv4-mapped or -compatible) is judged by that IPv4 address; site-local ``fec0::/10`` and
    local-use NAT64 ``64:ff9b:1::/48`` are private.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _LOCAL_ONLY):
            return False
        carried = _carried_ipv4(ip)
        if carried is not None:
            return carried.is_global and not carried.is_multicast
    return ip.is_global and not ip.is_multicast


def _refused(host: str, address: str) -> FetchFailed:
    where = host if host == address else f"{host} ({address})"
    return FetchFailed(
        f"refused: {where} is not a public address; set ALLOW_PRIVATE_SOURCES=true to allow it"
    )


class Fetcher:
    """Fetch sources politely: one shared client, per-host limits, every failure a FetchFailed."""

    def __init__(
        self,
        *,
        user_agent: str,
        connect_timeout: float = 10,
        read_timeout: float = 20,
        total_timeout: float = 60,
        max_bytes: int = 5_000_000,
        max_redirects: int = 5,
        per_host: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_private: bool = False,
        proxy: str | None = None,
    ) -> None:
        if per_host < 1:
            raise ValueError("per_host must be at least 1")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.per_host = per_host
        self.allow_private = allow_private
        self._hosts: dict[str, _Gate] = {}
        self._resolved: dict[tuple[str, int], tuple[float, str]] = {}
        # Requests go straight to the transport: this class does its own redirects, deadline,
        # decoding and size cap, so httpx's client layer (auth flow, cookie jar shared between
        # unrelated sites, event hooks) would only add CPU to every poll.
        self._pools = _HostPools(per_host, proxy)
        self._transport: httpx.AsyncBaseTransport = transport or self._pools
        self._headers = {
            "User-Agent": user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        self._timeouts = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=total_timeout
        ).as_dict()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pools."""
        await self._transport.aclose()

    async def fetch(self, url: str, cache: CacheState = CacheState()) -> FetchResult:
        """GET `url` conditionally, following redirects; raise FetchFailed on any failure."""
        started = time.perf_counter()
        budget = self.total_timeout
        try:
            current = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise FetchFailed("invalid URL") from exc
        headers: dict[str, str] = {}
        if cache.etag:
            headers["If-None-Match"] = cache.etag
        if cache.last_modified:
            headers["If-Modified-Since"] = cache.last_modified
        permanent: httpx.URL | None = None
        all_permanent = True
        for hop in range(self.max_redirects + 1):
            exchange = functools.partial(self._exchange, current, headers, cache)
            try:
                outcome, took = await self._gate(current).run(exchange, budget)
            except TimeoutError as exc:
                raise FetchFailed(f"timed out after {self.total_timeout:g} s") from exc
            # Time spent waiting for the host's turn does not count against the deadline.
            budget -= took
            if isinstance(outcome, _Redirect):
                if hop == self.max_redirects:
                    raise FetchFailed("too many redirects", status=outcome.status)
                if outcome.status in PERMANENT_STATUSES and all_permanent:
                    permanent = outcome.target
                else:
                    all_permanent = False
                current = outcome.target
                continue
            return FetchResult(
                status=outcome.status,
                url=str(current),
                body=outcome.body,
                content_type=outcome.content_type,
                cache=outcome.cache,
                permanent_url=str(permanent) if permanent is not None else None,
                max_age=outcome.max_age,
                elapsed_ms=(time.perf_counter() - started) * 1000,
                links=outcome.links,
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _gate(self, url: httpx.URL) -> _Gate:
        """The turns of the URL's host (host and port)."""
        key = _host_key(url)
        gate = self._hosts.get(key)
        if gate is None:
            gate = self._hosts[key] = _Gate(self.per_host)
        return gate

    async def _exchange(
        self, url: httpx.URL, headers: dict[str, str], cache: CacheState
    ) -> _Redirect | _Answer:
        """One request/response on one URL, the body read under the size cap."""
        target, extensions = url, dict[str, object](timeout=self._timeouts)
        if not self.allow_private:
            target, extensions = await self._pinned(url, extensions)
        try:
            request = httpx.Request(
                "GET",
                target,
                headers={"Host": url.netloc.decode("ascii"), **self._headers, **headers},
                extensions=extensions,
            )
            response = await self._transport.handle_async_request(request)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchFailed(_reason_for(exc, self)) from exc
        except _SOCKS_ERRORS as exc:  # httpx-socks does not wrap these
            raise FetchFailed(_socks_reason(exc)) from exc
        try:
            return await self._read(url, response, cache)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchFailed(_reason_for(exc, self), status=response.status_code) from exc
        finally:
            await response.aclose()

    async def _pinned(
        self, url: httpx.URL, extensions: dict[str, object]
    ) -> tuple[httpx.URL, dict[str, object]]:
        """``url`` with its host replaced by its checked public address, or FetchFailed.

        Through a proxy the proxy connects: the name is checked but kept in the URL.
        """
        host = url.host
        if not host:
            raise FetchFailed("invalid URL")
        port = url.port or (443 if url.scheme == "https" else 80)
        if self._pools.proxy_for(url) is not None:
            with contextlib.suppress(_Unresolved):  # names only the proxy knows are its business
                await self._public_address(host, port)
            return url, extensions
        address = await self._public_address(host, port)
        if address == host:
            return url, extensions
        return url.copy_with(host=address), {**extensions, "sni_hostname": host}

    async def _public_address(self, host: str, port: int) -> str:
        """The address to connect to for ``host``: every address it resolves to must be public."""
        try:
            literal = str(ipaddress.ip_address(host))
        except ValueError:
            literal = None
        if literal is not None:
            if not is_public_address(literal):
                raise _refused(host, literal)
            return literal
        loop = asyncio.get_running_loop()
        cached = self._resolved.get((host, port))
        if cached is not None and cached[0] > loop.time():
            return cached[1]
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise _Unresolved("host name not found") from exc
        addresses = [str(info[4][0]) for info in infos]
        if not addresses:
            raise _Unresolved("host name not found")
        for address in addresses:
            if not is_public_address(address):
                raise _refused(host, address)
        self._resolved[(host, port)] = (loop.time() + RESOLVED_TTL, addresses[0])
        return addresses[0]

    async def _read(
        self, url: httpx.URL, response: httpx.Response, cache: CacheState
    ) -> _Redirect | _Answer:
        """Interpret a response whose body has not been read yet."""
        status = response.status_code
        h = response.headers
        if not 200 <= status < 300:
            await _drain(response)
        if status in REDIRECT_STATUSES:
            location = h.get("Location")
            if not location:
                raise FetchFailed(f"HTTP {status} without Location", status=status)
            target = url.join(location.strip())
            if target.scheme not in {"http", "https"}:
                raise FetchFailed("redirect to a non-HTTP URL", status=status)
            return _Redirect(status, target.copy_with(fragment=None))
        max_age = parse_max_age(h.get("Cache-Control"))
        if status == 304:
            return _Answer(
                status=304,
                body=b"",
                content_type=h.get("Content-Type"),
                cache=CacheState(
                    etag=h.get("ETag") or cache.etag,
                    last_modified=h.get("Last-Modified") or cache.last_modified,
                ),
                max_age=max_age,
            )
        if not 200 <= status < 300:
            retry_after = None
            if status in RETRY_AFTER_STATUSES:
                retry_after = parse_retry_after(h.get("Retry-After"), datetime.now(UTC))
            reason = f"HTTP {status}" + (" Gone" if status == 410 else "")
            raise FetchFailed(reason, status=status, retry_after=retry_after, gone=status == 410)
        length = h.get("Content-Length")
        if length is not None and length.strip().isdigit() and int(length) > self.max_bytes:
            raise FetchFailed(f"response larger than {_size(self.max_bytes)}", status=status)
        decoder = _Decoder(h.get("Content-Encoding", "").strip().lower(), self.max_bytes, status)
        chunks = [decoder.feed(raw) async for raw in response.aiter_raw()]
        chunks.append(decoder.finish())
        return _Answer(
            status=status,
            body=b"".join(chunks),
            content_type=h.get("Content-Type"),
            cache=CacheState(etag=h.get("ETag"), last_modified=h.get("Last-Modified")),
            max_age=max_age,
            links=", ".join(h.get_list("Link")) or None,
        )


@dataclass(frozen=True, slots=True)
class _Redirect:
    status: int
    target: httpx.URL


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    content_type: str | None
    cache: CacheState
    max_age: float | None
    links: str | None = None
