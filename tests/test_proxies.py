"""TELEGRAM_PROXY and FEED_PROXY: the real bot through a local HTTP proxy and a SOCKS5 proxy."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.net.http import Fetcher
from bot.net.proxies import environment_proxy, proxy_for, shown
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.proxy_servers import HttpProxy, Socks5Proxy

READER = 3003


@pytest.fixture
def http_proxy() -> Iterator[HttpProxy]:
    """A local HTTP proxy (forwarding and CONNECT)."""
    with HttpProxy() as proxy:
        yield proxy


@pytest.fixture
def socks_proxy() -> Iterator[Socks5Proxy]:
    """A local SOCKS5 proxy that wants a user name and password."""
    with Socks5Proxy(username="reader", password="s3cret") as proxy:
        yield proxy


def item(n: int) -> dict[str, str]:
    return {
        "title": f"Proxied story {n}",
        "link": f"https://news.example/{n}",
        "guid": f"p-{n}",
        "description": f"What happened in story {n}.",
        "pubDate": f"Mon, {n:02d} Feb 2021 10:00:00 +0000",
    }


@pytest.mark.parametrize("telegram_via", ["http", "socks5"])
def test_the_bot_works_through_an_http_and_a_socks5_proxy(
    telegram_via: str,
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_process: BotProcess,
    http_proxy: HttpProxy,
    socks_proxy: Socks5Proxy,
) -> None:
    """Updates, replies and teasers go through one proxy, feed fetches through the other."""
    telegram_proxy, feed_proxy = (
        (http_proxy, socks_proxy) if telegram_via == "http" else (socks_proxy, http_proxy)
    )
    feeds.set("/feed.xml", rss([item(1)], title="Proxied News"))
    bot_process.env["TELEGRAM_PROXY"] = telegram_proxy.url
    bot_process.env["FEED_PROXY"] = feed_proxy.url
    telegram.add_private_chat(READER)
    bot_process.start()
    bot_process.wait_for(r"poll source=127\.0\.0\.1 status=ok .*baseline=True")
    telegram.send_message(READER, READER, "/start")
    telegram.wait_for_messages(READER, 1)
    feeds.set("/feed.xml", rss([item(2), item(1)], title="Proxied News"))
    messages = telegram.wait_for_messages(READER, 2, timeout=15)
    assert messages[-1].text.startswith("Proxied story 2")
    assert f"127.0.0.1:{telegram.port}" in telegram_proxy.targets
    assert f"127.0.0.1:{feeds.port}" in feed_proxy.targets
    assert f"127.0.0.1:{feeds.port}" not in telegram_proxy.targets
    assert f"127.0.0.1:{telegram.port}" not in feed_proxy.targets
    assert "s3cret" not in "\n".join(bot_process.lines)


async def test_fetcher_honours_all_proxy_from_the_environment(
    feeds: FeedServer, socks_proxy: Socks5Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With FEED_PROXY unset, ALL_PROXY routes feed fetches (here to a SOCKS5 proxy)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", socks_proxy.url)
    feeds.set("/feed.xml", rss([item(1)]))
    async with Fetcher(user_agent="teaserbot-test", allow_private=True) as fetcher:
        result = await fetcher.fetch(feeds.url("/feed.xml"))
    assert result.status == 200
    assert socks_proxy.targets == [f"127.0.0.1:{feeds.port}"]


def test_environment_proxy_respects_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTPS_PROXY applies to https URLs except hosts listed in NO_PROXY; a setting wins."""
    for name in ("ALL_PROXY", "HTTP_PROXY", "all_proxy", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.lan:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.lan,.corp.lan")
    assert environment_proxy("https://api.telegram.org/bot") == "http://proxy.lan:3128"
    assert environment_proxy("https://intranet.lan/feed") is None
    assert environment_proxy("https://news.corp.lan/feed") is None
    assert environment_proxy("http://news.example/feed") is None  # no HTTP_PROXY
    assert proxy_for("https://api.telegram.org", "socks5://h:1080") == "socks5://h:1080"


def test_a_proxy_password_is_not_shown() -> None:
    """Log output names the proxy without its password."""
    assert shown("socks5://u:pw@proxy.lan:1080") == "socks5://u:***@proxy.lan:1080"
    assert shown(None) == "none"


def test_bad_proxy_settings_are_reported(tmp_path: Path) -> None:
    """A proxy URL with another scheme or no port is a configuration problem, password hidden."""
    from bot.config import SettingsError, load_settings  # noqa: PLC0415

    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "BOT_TOKEN": "123456:" + "A" * 30,
                "TELEGRAM_PROXY": "ftp://u:hunter22@proxy.lan:21",
                "FEED_PROXY": "socks5://proxy.lan",
            },
            cwd=tmp_path,
        )
    text = str(caught.value)
    assert "TELEGRAM_PROXY" in text
    assert "FEED_PROXY" in text
    assert "hunter22" not in text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_socks_feed_proxy_is_one_line_per_poll_without_traceback(
    feeds: FeedServer, bot_process: BotProcess
) -> None:
    """FEED_PROXY names a SOCKS5 proxy nobody listens on: each poll logs the reason in one line
    (no "internal error", no traceback) and the bot runs on."""
    feeds.set("/feed.xml", rss([item(1)]))
    bot_process.env["FEED_PROXY"] = f"socks5://127.0.0.1:{_free_port()}"
    bot_process.start()
    failed = bot_process.wait_for(r"poll source=.* status=error", count=2)
    assert "reason='SOCKS proxy not reachable: connection refused'" in failed[0]
    assert bot_process.terminate() == 0
    assert "internal error" not in bot_process.output
    assert "Traceback" not in bot_process.output


def test_a_telegram_proxy_wanting_credentials_ends_the_start_with_one_line(
    telegram: FakeTelegram, bot_process: BotProcess
) -> None:
    """TELEGRAM_PROXY answers 407: one line saying to give the proxy's user name and password,
    exit status 2; no ERROR line per try, no traceback."""
    with HttpProxy(username="reader", password="s3cret") as proxy:
        bot_process.env["TELEGRAM_PROXY"] = f"http://127.0.0.1:{proxy.port}"
        bot_process.start()
        assert bot_process.wait_exit(60) == 2
    output = bot_process.output
    [line] = [row for row in output.splitlines() if row.startswith("teaserbot:")]
    assert "407 Proxy Authentication Required" in line
    assert "user name and password" in line
    assert " ERROR " not in output
    assert "Traceback" not in output
    assert telegram.calls() == []
