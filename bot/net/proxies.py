"""Which proxy a request goes through, and an httpx transport that uses it.

``TELEGRAM_PROXY`` and ``FEED_PROXY`` name a proxy for the two kinds of traffic; when one is unset,
the standard ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY`` variables decide, as
curl and most tools read them. HTTP(S) proxies are httpx's own; SOCKS proxies go through
httpx-socks (python-socks).
"""

from __future__ import annotations

import ssl
import urllib.request
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # imported where a transport is made: bot.config checks proxy URLs without
    import httpx  # them, so commands that make no HTTP request start without httpx

PROXY_SCHEMES = frozenset({"http", "https", "socks5", "socks5h", "socks4"})


def proxy_problem(value: str) -> str | None:
    """Why a proxy URL cannot be used, or None when it can."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in PROXY_SCHEMES:
        return "must start with http://, https://, socks5:// or socks5h://"
    try:
        port = parts.port
    except ValueError:
        return "has an invalid port"
    if not parts.hostname:
        return "has no host"
    if port is None and parts.scheme.lower().startswith("socks"):
        return "needs a port (socks5://host:1080)"
    return None


def environment_proxy(url: str) -> str | None:
    """The proxy the standard environment variables choose for ``url`` (NO_PROXY respected)."""
    proxies = urllib.request.getproxies_environment()
    host = urlsplit(url).hostname or ""
    if proxies.get("no") and urllib.request.proxy_bypass(host):  # reads NO_PROXY on Linux
        return None
    scheme = urlsplit(url).scheme.lower()
    return proxies.get(scheme) or proxies.get("all")


def proxy_for(url: str, configured: str | None) -> str | None:
    """The configured proxy, or else the environment's choice for ``url``."""
    return configured if configured else environment_proxy(url)


def transport(
    proxy: str | None,
    *,
    limits: httpx.Limits,
    verify: ssl.SSLContext | bool = True,
) -> httpx.AsyncBaseTransport:
    """An httpx transport connecting directly, or through an HTTP(S) or SOCKS proxy."""
    import httpx  # noqa: PLC0415 - see the imports above
    from httpx_socks import AsyncProxyTransport  # noqa: PLC0415

    if proxy is None:
        return httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False)
    scheme = urlsplit(proxy).scheme.lower()
    if scheme.startswith("socks"):
        rdns = scheme == "socks5h" or None
        url = proxy.replace("socks5h://", "socks5://", 1) if scheme == "socks5h" else proxy
        return AsyncProxyTransport.from_url(url, rdns=rdns, verify=verify, limits=limits)
    return httpx.AsyncHTTPTransport(proxy=proxy, verify=verify, limits=limits, trust_env=False)


def shown(proxy: str | None) -> str:
    """A proxy URL fit for logs: the password replaced by ``***``."""
    if proxy is None:
        return "none"
    parts = urlsplit(proxy)
    if parts.password is None:
        return proxy
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()
