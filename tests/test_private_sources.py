"""ALLOW_PRIVATE_SOURCES: sources cannot reach loopback, private or link-local addresses."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.net.http import Fetcher, FetchFailed, is_public_address
from tests.support.bot_process import REPO, BotProcess
from tests.support.deadlines import deadline
from tests.support.feed_server import FeedServer, rss
from tests.support.proxy_servers import HttpProxy

UA = "teaserbot-test"
FEED = rss([{"title": "Inside story", "link": "https://news.example/1"}])


@pytest.fixture
def http_proxy() -> Iterator[HttpProxy]:
    """A local HTTP proxy standing in for the internet: it maps invented names to local servers."""
    with HttpProxy() as proxy:
        yield proxy


async def refusal(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(FetchFailed) as caught:
        await fetcher.fetch(url)
    return caught.value.reason


async def test_a_loopback_source_is_refused_before_any_request(feeds: FeedServer) -> None:
    """A source on 127.0.0.1 is refused with a reason naming the setting; nothing is sent."""
    feeds.set("/feed.xml", FEED)
    async with Fetcher(user_agent=UA) as fetcher:
        reason = await refusal(fetcher, feeds.url("/feed.xml"))
    assert reason.startswith("refused: 127.0.0.1 is not a public address")
    assert "ALLOW_PRIVATE_SOURCES=true" in reason
    assert feeds.requests("/feed.xml") == []


async def test_a_name_resolving_to_loopback_is_refused(feeds: FeedServer) -> None:
    """The check is on the resolved address: localhost is refused as 127.0.0.1 or ::1."""
    async with Fetcher(user_agent=UA) as fetcher:
        reason = await refusal(fetcher, f"http://localhost:{feeds.port}/feed.xml")
    assert reason.startswith("refused: localhost (")
    assert feeds.requests() == []


@pytest.mark.parametrize(
    "host",
    ["10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254", "[::1]", "[fe80::1]", "0.0.0.0"],
)
async def test_private_and_link_local_literals_are_refused(host: str) -> None:
    """Private ranges, the cloud metadata address, IPv6 loopback and link-local are refused."""
    async with Fetcher(user_agent=UA) as fetcher:
        reason = await refusal(fetcher, f"http://{host}/feed.xml")
    assert reason.startswith("refused:")


@pytest.mark.parametrize(
    "host",
    [
        "[64:ff9b::a9fe:a9fe]",  # NAT64 of 169.254.169.254
        "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "[2002:a9fe:a9fe::1]",  # 6to4 of 169.254.169.254
        "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
        "[::7f00:1]",  # IPv4-compatible 127.0.0.1
        "[::a00:1]",  # IPv4-compatible 10.0.0.1
        "[fec0::1]",  # site-local
        "[64:ff9b:1::a00:1]",  # local-use NAT64
    ],
)
async def test_ipv6_addresses_carrying_a_private_ipv4_one_are_refused(host: str) -> None:
    """NAT64, 6to4, IPv4-compatible and site-local IPv6 literals are judged by what they carry."""
    async with Fetcher(user_agent=UA) as fetcher:
        reason = await refusal(fetcher, f"http://{host}/feed.xml")
    assert reason.startswith("refused:")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
        ("2606:4700::1111", True),
        ("64:ff9b::a9fe:a9fe", False),
        ("2002:c0a8:1::1", False),  # 6to4 of 192.168.0.1
        ("::7f00:1", False),
        ("::ffff:a9fe:a9fe", False),
        ("fec0::1", False),
        ("fe80::1%eth0", False),
        ("8.8.8.8", True),
    ],
)
def test_an_embedded_ipv4_address_decides_whether_an_ipv6_one_is_public(
    address: str, public: bool
) -> None:
    """A public IPv4 address carried by NAT64 or 6to4 stays allowed; a private one is refused."""
    assert is_public_address(address) is public


async def test_the_setting_allows_private_sources(feeds: FeedServer) -> None:
    """With allow_private (ALLOW_PRIVATE_SOURCES=true) the same source is fetched."""
    feeds.set("/feed.xml", FEED)
    async with Fetcher(user_agent=UA, allow_private=True) as fetcher:
        result = await fetcher.fetch(feeds.url("/feed.xml"))
    assert result.status == 200


async def test_a_redirect_into_a_private_address_is_refused(
    feeds: FeedServer, http_proxy: HttpProxy
) -> None:
    """A public-looking source whose redirect points at 127.0.0.1 is refused at the redirect."""
    http_proxy.routes["news.example"] = ("127.0.0.1", feeds.port)
    feeds.redirect("/moved", feeds.url("/feed.xml"), status=302)
    feeds.set("/feed.xml", FEED)
    async with Fetcher(user_agent=UA, proxy=http_proxy.url) as fetcher:
        reason = await refusal(fetcher, "http://news.example/moved")
    assert reason.startswith("refused: 127.0.0.1 is not a public address")
    assert len(feeds.requests("/moved")) == 1  # the first hop went out, through the proxy
    assert feeds.requests("/feed.xml") == []  # the private one did not


async def test_a_redirect_to_a_name_resolving_privately_is_refused(
    feeds: FeedServer, http_proxy: HttpProxy
) -> None:
    """The same for a redirect to a host name that resolves to loopback (localhost)."""
    http_proxy.routes["news.example"] = ("127.0.0.1", feeds.port)
    feeds.redirect("/moved", f"http://localhost:{feeds.port}/feed.xml", status=301)
    async with Fetcher(user_agent=UA, proxy=http_proxy.url) as fetcher:
        reason = await refusal(fetcher, "http://news.example/moved")
    assert reason.startswith("refused: localhost (")
    assert feeds.requests("/feed.xml") == []


def test_the_bot_refuses_a_private_source_unless_allowed(
    tmp_path: Path, feeds: FeedServer, bot_env: dict[str, str]
) -> None:
    """ALLOW_PRIVATE_SOURCES=false: the poll fails with the reason; true: the source is polled."""
    feeds.set("/feed.xml", FEED)
    with BotProcess({**bot_env, "ALLOW_PRIVATE_SOURCES": "false"}, cwd=tmp_path) as bot:
        line = bot.wait_for(r"poll source=127\.0\.0\.1 status=error")[0]
        assert bot.terminate() == 0
    assert "is not a public address" in line
    assert feeds.requests("/feed.xml") == []
    with BotProcess({**bot_env, "ALLOW_PRIVATE_SOURCES": "true"}, cwd=tmp_path) as bot:
        bot.wait_for(r"poll source=127\.0\.0\.1 status=ok .*baseline=True")
        assert bot.terminate() == 0


def test_preview_refuses_a_private_url_by_default(tmp_path: Path, feeds: FeedServer) -> None:
    """`python -m bot preview` applies the same rule: a loopback URL is refused in one line."""
    feeds.set("/feed.xml", FEED)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "ALLOW_"))}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "preview", feeds.url("/feed.xml")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(30),
        check=False,
    )
    assert result.returncode != 0
    assert "is not a public address" in result.stderr
    assert "Traceback" not in result.stderr
