"""The Bot API transport: python-telegram-bot's own ``HTTPXRequest``, optionally through a proxy.

``TELEGRAM_PROXY`` (``http://``, ``https://``, ``socks5://``, with optional ``user:password@``)
routes every Bot API call; when it is unset the standard proxy variables decide
(:func:`bot.proxies.proxy_for`). The transport under PTB's httpx client is built here, so the same
code path serves direct, HTTP-proxied and SOCKS-proxied connections.
"""

from __future__ import annotations

import httpx
from telegram.request import HTTPXRequest

from bot import proxies


def telegram_request(
    api_root: str,
    proxy: str | None,
    *,
    connections: int,
    read_timeout: float = 15.0,
    connect_timeout: float = 10.0,
    pool_timeout: float = 10.0,
) -> HTTPXRequest:
    """An ``HTTPXRequest`` with ``connections`` keep-alive connections to ``api_root``."""
    limits = httpx.Limits(
        max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=30
    )
    chosen = proxies.proxy_for(api_root, proxy)
    return HTTPXRequest(
        connection_pool_size=connections,
        read_timeout=read_timeout,
        write_timeout=read_timeout,
        connect_timeout=connect_timeout,
        pool_timeout=pool_timeout,
        httpx_kwargs={
            "transport": proxies.transport(chosen, limits=limits),
            "trust_env": False,  # the proxy choice was made above, from the same variables
        },
    )
