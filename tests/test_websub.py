"""WebSub: the bot subscribes to the hub a feed names and takes the hub's signed notifications."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application

from bot.core.models import SourceSpec
from bot.core.websub import (
    FALLBACK_FACTOR,
    HubLink,
    callback_token,
    discover_hub,
    signature_ok,
    subscription_secret,
)
from bot.net.http import Fetcher
from bot.service.poller import Poller
from bot.service.websub import WebSub
from bot.store import Store
from tests.support.backends import BACKENDS, seed_subscribers
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

READER = 2702
FIRST = {
    "title": "Dockers Strike in Rotterdam",
    "link": "https://news.example/rotterdam",
    "guid": "https://news.example/?p=1",
    "description": "Dock workers in the Netherlands walked out on Monday.",
}
SECOND = {
    "title": "Teachers March in Lisbon",
    "link": "https://news.example/lisbon",
    "guid": "https://news.example/?p=2",
    "description": "Teachers in Portugal marched for higher pay.",
}
THIRD = {
    "title": "Nurses Rally in Madrid",
    "link": "https://news.example/madrid",
    "guid": "https://news.example/?p=3",
    "description": "Nurses in Spain rallied for more staff.",
}


class Hub:
    """A local WebSub hub: takes subscription requests, checks the subscriber's intent, and
    publishes (pushes) documents to the subscribers, signed with their secrets."""

    def __init__(self) -> None:
        self.subscriptions: dict[str, dict[str, str]] = {}  # callback -> the request's fields
        self.requests: list[dict[str, str]] = []
        self.verified = threading.Event()
        self.unsubscribed = threading.Event()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                hub.requests.append(fields)
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
                threading.Thread(target=hub.check_intent, args=(fields,), daemon=True).start()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def check_intent(self, fields: dict[str, str]) -> None:
        """Verify the subscriber's intent as a hub does: GET with a challenge to echo."""
        query = {
            "hub.mode": fields["hub.mode"],
            "hub.topic": fields["hub.topic"],
            "hub.challenge": "challenge-1234",
            "hub.lease_seconds": "600",
        }
        answer = httpx.get(f"{fields['hub.callback']}?{urlencode(query)}", timeout=10)
        if answer.status_code == 200 and answer.text == "challenge-1234":
            if fields["hub.mode"] == "subscribe":
                self.subscriptions[fields["hub.callback"]] = fields
                self.verified.set()
            else:
                self.subscriptions.pop(fields["hub.callback"], None)
                self.unsubscribed.set()

    def publish(self, body: bytes, *, secret: str | None = None) -> list[httpx.Response]:
        """Push ``body`` to every subscriber, signed with its secret (or with ``secret``)."""
        answers = []
        for callback, fields in self.subscriptions.items():
            key = (secret or fields["hub.secret"]).encode()
            signature = hmac.new(key, body, hashlib.sha256).hexdigest()
            answers.append(
                httpx.post(
                    callback,
                    content=body,
                    headers={
                        "Content-Type": "application/rss+xml",
                        "X-Hub-Signature-256": f"sha256={signature}",
                    },
                    timeout=10,
                )
            )
        return answers


@pytest.fixture
def hub() -> Iterator[Hub]:
    """A local WebSub hub on an ephemeral port."""
    running = Hub()
    running.thread.start()
    try:
        yield running
    finally:
        running.server.shutdown()
        running.server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def hubbed(items: list[dict[str, str]], hub_url: str, topic: str) -> str:
    """An RSS document naming its hub and its self URL with atom:link."""
    links = f'<atom:link rel="hub" href="{hub_url}"/><atom:link rel="self" href="{topic}"/><title>'
    document = rss(items, title="Example News")
    document = document.replace(
        '<rss version="2.0">', '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
    )
    return document.replace("<title>", links, 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_hub_pushes_a_new_item_and_the_chat_gets_it_within_two_seconds(
    telegram: FakeTelegram,
    feeds: FeedServer,
    hub: Hub,
    bot_env: dict[str, str],
    tmp_path: Path,
) -> None:
    """The bot subscribes to the feed's hub (intent verified), a signed push reaches the chat in
    under 2 s, and a push with a bad signature is refused (nothing sent)."""
    port = free_port()
    topic = feeds.url("/feed.xml")
    env = {
        **bot_env,
        "POLL_INTERVAL_SECONDS": "3600",
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/hook",
        "WEBHOOK_PORT": str(port),
    }
    feeds.set("/feed.xml", hubbed([FIRST], hub.url, topic))
    asyncio.run(seed_subscribers(env, telegram, [READER]))
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"poll source=.* status=ok .*baseline=True")
        assert hub.verified.wait(20), bot.output
        [request] = hub.requests
        assert request["hub.mode"] == "subscribe"
        assert request["hub.topic"] == topic
        assert request["hub.lease_seconds"].isdigit()
        assert len(request["hub.secret"]) >= 32
        assert request["hub.callback"].startswith(f"http://127.0.0.1:{port}/websub/1/")
        bot.wait_for(r"websub verified source_id=1 lease_s=600")

        forged = hub.publish(
            hubbed([THIRD, FIRST], hub.url, topic).encode(), secret="not-the-secret"
        )
        assert [a.status_code for a in forged] == [202]
        bot.wait_for(r"websub notification refused source_id=1 reason=bad or missing signature")

        started = time.monotonic()
        [answer] = hub.publish(hubbed([SECOND, FIRST], hub.url, topic).encode())
        [teaser] = telegram.wait_for_messages(READER, 1, timeout=10)
        elapsed = time.monotonic() - started
        assert answer.status_code == 202
        assert "Teachers March in Lisbon" in teaser.text
        assert elapsed <= 2.0, f"the story took {elapsed:.2f} s after the push"
        assert len(feeds.requests("/feed.xml")) == 1  # pushed, not polled
        time.sleep(0.5)
        assert all("Madrid" not in m.text for m in telegram.messages(READER))
        assert bot.terminate() == 0


def test_discovery_reads_the_document_and_the_link_header() -> None:
    """A hub is found in atom:link (with the self URL as topic) or in a Link header, which wins."""
    body = hubbed([FIRST], "https://hub.example/", "https://news.example/feed").encode()
    assert discover_hub(body, None, "https://x.example/f") == HubLink(
        "https://hub.example/", "https://news.example/feed"
    )
    header = '<https://other-hub.example/>; rel="hub", <https://news.example/self>; rel=self'
    assert discover_hub(body, header, "https://x.example/f") == HubLink(
        "https://other-hub.example/", "https://news.example/self"
    )
    plain = rss([FIRST]).encode()
    assert discover_hub(plain, None, "https://x.example/f") is None
    assert discover_hub(plain, '<https://h.example/>; rel="hub"', "https://x.example/f") == (
        HubLink("https://h.example/", "https://x.example/f")
    )


def test_signatures_and_secrets_are_per_subscription() -> None:
    """X-Hub-Signature-256 is checked against the body's HMAC-SHA256 under the source's secret."""
    secret = subscription_secret("key", 1)
    assert secret != subscription_secret("key", 2)
    assert callback_token("key", 1) != callback_token("other", 1)
    good = "sha256=" + hmac.new(secret.encode(), b"doc", hashlib.sha256).hexdigest()
    assert signature_ok(secret, b"doc", good)
    assert not signature_ok(secret, b"doc!", good)
    assert not signature_ok(secret, b"doc", None)
    assert not signature_ok(secret, b"doc", "sha1=" + good[7:])


async def test_a_removed_source_is_unsubscribed_and_a_renewal_comes_before_the_lease_ends(
    hub: Hub, tmp_path: Path
) -> None:
    """The subscriber asks again before its lease runs out, and unsubscribes (intent verified)
    once the source is removed."""
    store = await Store.open(tmp_path / "bot.sqlite3")
    fetcher = Fetcher(allow_private=True, user_agent="teaserbot-test")
    server: HTTPServer | None = None
    try:
        [sock] = bind_sockets(0, "127.0.0.1")
        port = sock.getsockname()[1]
        source, _ = await store.sources.add_operator_source(
            SourceSpec("News", "https://n.example/f")
        )
        poller = Poller(store, fetcher, interval=60)
        websub = WebSub(
            store,
            poller,
            key="key",
            public_url=f"http://127.0.0.1:{port}/hook",
            allow_private=True,
            look_every=0.1,
        )
        server = HTTPServer(Application(websub.routes()))
        server.add_sockets([sock])
        stop = asyncio.Event()
        running = asyncio.create_task(websub.run(stop))
        websub.want(source, HubLink(hub.url, "https://n.example/f"))
        websub.ready.set()
        assert await asyncio.to_thread(hub.verified.wait, 10)
        assert websub.pushed(source.id)
        assert poller.rules.interval == 60  # a pushed source is polled less often:
        assert poller._fallback.interval == 60 * FALLBACK_FACTOR
        hub.verified.clear()
        websub.subs[source.id].due = 0.0  # its lease is about to end
        assert await asyncio.to_thread(hub.verified.wait, 10)  # renewed
        assert [r["hub.mode"] for r in hub.requests] == ["subscribe", "subscribe"]
        assert await store.sources.remove_operator_source(source.id)
        assert await asyncio.to_thread(hub.unsubscribed.wait, 10)
        assert hub.requests[-1]["hub.mode"] == "unsubscribe"
        assert not websub.pushed(source.id)
        stop.set()
        await running
    finally:
        if server is not None:
            server.stop()
        await fetcher.aclose()
        await store.close()
