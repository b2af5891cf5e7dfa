"""The Bot API transport: a small python-telegram-bot ``BaseRequest`` on an aiohttp session.

PTB's own ``HTTPXRequest`` was measured side by side with this one (``bench/fanout.py
--transports``, ``bench/engine_ceiling.py``, docs/performance.md): on this machine httpx costs
about three times the CPU per Bot API call, which caps a 2-core machine well below the 1,000
messages per second paid broadcasts allow. aiohttp (connection pool, HTTP parsing, TLS) does
the work; this class only maps PTB's request to it and aiohttp's failures to PTB's errors, so PTB
still turns every answer into a ``telegram.error`` (see :mod:`bot.telegram.sender`).

``TELEGRAM_PROXY`` (``http://``, ``https://``, ``socks5://``, ``socks5h://``, optional
``user:password@``) routes every call; unset, the standard proxy variables decide
(:func:`bot.net.proxies.proxy_for`). HTTP(S) proxies are aiohttp's own; SOCKS goes through
aiohttp-socks (python-socks).
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp_socks import ProxyConnector
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.net import proxies

USER_AGENT = "teaserbot (python-telegram-bot, aiohttp)"


def _seconds(value: Any, default: float | None) -> float | None:
    """A PTB timeout argument as seconds: a number, None (no limit) or PTB's DEFAULT_NONE."""
    if value is None or isinstance(value, int | float):
        return None if value is None else float(value)
    return default


class AiohttpRequest(BaseRequest):
    """PTB requests over one aiohttp session with ``connections`` keep-alive connections."""

    def __init__(
        self,
        *,
        connections: int,
        proxy: str | None = None,
        read_timeout: float = 15.0,
        connect_timeout: float = 10.0,
        pool_timeout: float = 10.0,
    ) -> None:
        self._connections = connections
        self._proxy = proxy
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        """The default read timeout in seconds (PTB adds it to getUpdates' long-poll timeout)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (on the running loop)."""
        if self._session is not None and not self._session.closed:
            return
        scheme = urlsplit(self._proxy).scheme.lower() if self._proxy else ""
        options: dict[str, Any] = {"limit": self._connections, "keepalive_timeout": 30}
        connector: aiohttp.TCPConnector
        session_proxy: str | None = None
        if scheme.startswith("socks"):
            assert self._proxy is not None
            url = self._proxy.replace("socks5h://", "socks5://", 1)
            connector = ProxyConnector.from_url(url, rdns=scheme == "socks5h" or None, **options)
        else:
            connector = aiohttp.TCPConnector(**options)
            session_proxy = self._proxy
        self._session = aiohttp.ClientSession(
            connector=connector,
            proxy=session_proxy,
            trust_env=False,  # the proxy was chosen from the same variables by the caller
            headers={"User-Agent": USER_AGENT},
            timeout=aiohttp.ClientTimeout(
                total=None,
                connect=self._pool_timeout + self._connect_timeout,
                sock_read=self._read_timeout,
            ),
        )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(  # noqa: PLR0917 - the signature is BaseRequest's
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One Bot API call: PTB's parameters posted as a form (multipart with files)."""
        if self._session is None or self._session.closed:
            await self.initialize()
        assert self._session is not None
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=(_seconds(pool_timeout, self._pool_timeout) or 0)
            + (_seconds(connect_timeout, self._connect_timeout) or 0)
            or None,
            sock_read=_seconds(read_timeout, self._read_timeout),
        )
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data),
                headers=_headers(request_data),
                timeout=timeout,
            ) as response:
                return response.status, _bot_api_answer(response.status, await response.read())
        except TimeoutError as exc:
            raise TimedOut(f"Bot API call timed out ({type(exc).__name__})") from exc
        except aiohttp.ClientHttpProxyError as exc:  # an HTTPS tunnel the proxy refused
            raise NetworkError(f"{_phrase(exc.status)} from the proxy") from exc
        except (aiohttp.ClientError, asyncio.IncompleteReadError, OSError) as exc:
            raise NetworkError(_describe(exc)) from exc


def _phrase(status: int) -> str:
    """``Proxy Authentication Required (407)``: python-telegram-bot's wording of a status."""
    try:
        return f"{HTTPStatus(status).phrase} ({status})"
    except ValueError:
        return f"HTTP status {status}"


def _bot_api_answer(status: int, body: bytes) -> bytes:
    """The body, or for an error answer that is not the Bot API's JSON (a proxy's 407, a web
    server's HTML page) a Bot API error saying just the status: python-telegram-bot would log
    the unreadable body with a traceback on every try, and quote all of it in its error."""
    if status < HTTPStatus.BAD_REQUEST or body.lstrip().startswith(b"{"):
        return body
    description = f"{_phrase(status)}, not an answer of the Bot API"
    return json.dumps({"ok": False, "error_code": status, "description": description}).encode()


def _describe(exc: BaseException) -> str:
    """A failure in one line; only connection errors are quoted (others may carry the URL,
    which holds the token)."""
    name = f"aiohttp.{type(exc).__name__}"
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ServerDisconnectedError):
        return f"{name}: {exc}"
    return name


_JSON = {"Content-Type": "application/json"}


def _headers(request_data: RequestData | None) -> dict[str, str] | None:
    """The request's own headers: a JSON body says so."""
    return _JSON if request_data is not None and not request_data.contains_files else None


def _body(request_data: RequestData | None) -> aiohttp.FormData | bytes | None:
    """PTB's parameters as a JSON object (the Bot API reads it as it reads a form, each value
    as PTB serialised it), or multipart form data when files are sent.

    JSON, not a url-encoded form: urllib's quoting of a teaser (~500 characters, one Python
    step per byte) plus aiohttp's form machinery cost more than the rest of the request
    (profile in docs/performance.md, issue 27); ``json.dumps`` runs in C.
    """
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_payload
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content, mimetype = part[0], part[1], part[2] if len(part) > 2 else None
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


def telegram_request(
    api_root: str,
    proxy: str | None,
    *,
    connections: int,
    read_timeout: float = 15.0,
    connect_timeout: float = 10.0,
    pool_timeout: float = 10.0,
) -> BaseRequest:
    """The Bot API transport for ``api_root`` with ``connections`` keep-alive connections."""
    return AiohttpRequest(
        connections=connections,
        proxy=proxies.proxy_for(api_root, proxy),
        read_timeout=read_timeout,
        connect_timeout=connect_timeout,
        pool_timeout=pool_timeout,
    )
