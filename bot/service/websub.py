"""WebSub subscriber: subscribe to the hubs feeds name, answer intent checks, take notifications.

Only in webhook mode (a public URL is needed). A poll that finds a hub (:mod:`bot.core.websub`)
hands it to :meth:`WebSub.want`; :meth:`WebSub.run` subscribes once the webhook server listens
(``hub.lease_seconds`` asked, a per-source ``hub.secret``), renews before the lease runs out, and
unsubscribes a source that was removed, paused or disabled. The callback
``/websub/<source id>/<token>`` is served on the webhook server: GET answers the hub's intent
check (``hub.challenge``) for an active source (subscribe) or a gone one (unsubscribe); POST is a
notification whose ``X-Hub-Signature-256`` must be the HMAC-SHA256 of the body under the
subscription's secret; a good one is handled as that source's poll result
(:meth:`Poller.apply_pushed`), a bad or missing one is ignored (answered 2xx, as WebSub asks, and
logged). A pushed source is still polled, :data:`FALLBACK_FACTOR` times less often.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from tornado.web import RequestHandler

from bot.core.models import Source
from bot.core.websub import (
    LEASE_SECONDS,
    HubLink,
    callback_token,
    renew_at,
    signature_ok,
    subscription_secret,
)
from bot.net.http import is_public_address
from bot.service.poller import Poller
from bot.store import StoreVerbs

log = logging.getLogger("bot.websub")

CALLBACK_ROUTE = r"/websub/([0-9]{1,18})/([0-9a-f]{32})"
RETRY_SECONDS = 3600.0
"""A hub that refused a subscription is asked again this much later."""
LOOK_EVERY = 60.0
"""Seconds between looks for leases to renew and sources gone."""
SIGNATURE_HEADER = "X-Hub-Signature-256"


@dataclass(slots=True)
class _Subscription:
    link: HubLink
    state: str  # "wanted", "pending" (asked, intent not checked yet), "active", "failed"
    due: float  # when to (re)subscribe


def _active(source: Source | None) -> bool:
    return source is not None and source.enabled and not source.paused


class WebSub:
    """The subscriptions of this process, kept in memory (a restart subscribes again)."""

    def __init__(
        self,
        store: StoreVerbs,
        poller: Poller,
        *,
        key: str,
        public_url: str,
        allow_private: bool = False,
        clock: Callable[[], float] = time.time,
        lease_seconds: int = LEASE_SECONDS,
        look_every: float = LOOK_EVERY,
    ) -> None:
        self.store = store
        self.poller = poller
        self.key = key
        parts = urlsplit(public_url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.allow_private = allow_private
        self.clock = clock
        self.lease_seconds = lease_seconds
        self.look_every = look_every
        self.subs: dict[int, _Subscription] = {}
        self.ready = asyncio.Event()  # set once the webhook server listens
        self._changed = asyncio.Event()

    def callback(self, source_id: int) -> str:
        """The callback URL of a source's subscription."""
        return f"{self.base}/websub/{source_id}/{callback_token(self.key, source_id)}"

    def want(self, source: Source, link: HubLink) -> None:
        """A poll found a hub: subscribe (again when the hub or topic changed)."""
        sub = self.subs.get(source.id)
        if sub is None or sub.link != link:
            self.subs[source.id] = _Subscription(link, "wanted", 0.0)
            self._changed.set()

    def pushed(self, source_id: int) -> bool:
        """True while a hub pushes this source (its subscription is verified)."""
        sub = self.subs.get(source_id)
        return sub is not None and sub.state == "active"

    async def run(self, stop: asyncio.Event) -> None:
        """Subscribe, renew and unsubscribe until ``stop``."""
        await _first(stop, self.ready)
        async with httpx.AsyncClient(timeout=10.0, follow_redirects=False) as client:
            while not stop.is_set():
                self._changed.clear()
                await self._look(client)
                waits = [sub.due - self.clock() for sub in self.subs.values()]
                wait = min([self.look_every, *waits])
                await _first(stop, self._changed, seconds=max(0.05, wait))

    async def _look(self, client: httpx.AsyncClient) -> None:
        now = self.clock()
        for source_id, sub in list(self.subs.items()):
            if not _active(await self.store.sources.source(source_id)):
                del self.subs[source_id]
                await self._ask(client, "unsubscribe", source_id, sub.link)
            elif sub.due <= now:  # new, to renew, refused before, or never verified
                sub.state, sub.due = "pending", now + RETRY_SECONDS
                if not await self._ask(client, "subscribe", source_id, sub.link):
                    sub.state = "failed"

    async def _ask(
        self, client: httpx.AsyncClient, mode: str, source_id: int, link: HubLink
    ) -> bool:
        """One subscription request to the hub; True when it took it (2xx)."""
        form = {
            "hub.mode": mode,
            "hub.topic": link.topic,
            "hub.callback": self.callback(source_id),
        }
        if mode == "subscribe":
            form["hub.lease_seconds"] = str(self.lease_seconds)
            form["hub.secret"] = subscription_secret(self.key, source_id)
        try:
            await self._check_public(link.hub)
            answer = await client.post(link.hub, data=form)
        except (httpx.HTTPError, OSError, ValueError) as exc:
            log.warning("websub %s source_id=%d hub=%s failed: %s", mode, source_id, link.hub, exc)
            return False
        took = 200 <= answer.status_code < 300
        log.info(
            "websub %s source_id=%d hub=%s status=%d", mode, source_id, link.hub, answer.status_code
        )
        return took

    async def _check_public(self, url: str) -> None:
        """Refuse a hub on a private address (unless ALLOW_PRIVATE_SOURCES), as for sources."""
        host = urlsplit(url).hostname or ""
        if self.allow_private:
            return
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
        for info in infos:
            address = str(info[4][0])
            if not is_public_address(address):
                raise ValueError(f"the hub {host} is on a private address ({address})")

    async def verify(self, source_id: int, mode: str, lease: float | None) -> bool:
        """The hub's intent check: True to confirm (echo the challenge)."""
        active = _active(await self.store.sources.source(source_id))
        sub = self.subs.get(source_id)
        if mode == "subscribe" and active:
            granted = lease if lease is not None else float(self.lease_seconds)
            if sub is not None:
                sub.state, sub.due = "active", renew_at(self.clock(), granted)
            log.info("websub verified source_id=%d lease_s=%.0f", source_id, granted)
            return True
        if mode == "unsubscribe" and not active:
            return True
        if mode == "denied" and sub is not None:
            sub.state, sub.due = "failed", self.clock() + RETRY_SECONDS
            log.warning("websub denied source_id=%d by the hub", source_id)
        return False

    def routes(self) -> list[tuple[str, type[RequestHandler], dict[str, object]]]:
        """The tornado route of the callbacks."""
        return [(CALLBACK_ROUTE, CallbackHandler, {"websub": self})]


class CallbackHandler(RequestHandler):
    """GET: the hub's intent check; POST: a notification (signed)."""

    SUPPORTED_METHODS = ("GET", "POST")

    def initialize(self, websub: WebSub) -> None:
        """Bind the handler to the subscriber (tornado's hook)."""
        self.websub = websub

    def _token_ok(self, source_id: str, token: str) -> bool:
        expected = callback_token(self.websub.key, int(source_id))
        return hmac.compare_digest(token.encode(), expected.encode())

    async def get(self, source_id: str, token: str) -> None:
        """Echo ``hub.challenge`` when the check is for what this bot asked."""
        mode = self.get_query_argument("hub.mode", "")
        challenge = self.get_query_argument("hub.challenge", "")
        lease = self.get_query_argument("hub.lease_seconds", "")
        if not self._token_ok(source_id, token) or (mode != "denied" and not challenge):
            self.set_status(404)
            return
        seconds = float(lease) if lease.isdigit() else None
        if await self.websub.verify(int(source_id), mode, seconds) and mode != "denied":
            self.set_header("Content-Type", "text/plain")
            self.finish(challenge.encode())
            return
        self.set_status(200 if mode == "denied" else 404)

    async def post(self, source_id: str, token: str) -> None:
        """A notification: with a good signature, the source's new document; else ignored."""
        if not self._token_ok(source_id, token):
            self.set_status(404)
            return
        sid = int(source_id)
        secret = subscription_secret(self.websub.key, sid)
        body = self.request.body
        if not signature_ok(secret, body, self.request.headers.get(SIGNATURE_HEADER)):
            log.warning(
                "websub notification refused source_id=%d reason=bad or missing signature from=%s",
                sid,
                self.request.remote_ip,
            )
            self.set_status(202)  # WebSub: acknowledge, but ignore it
            return
        source = await self.websub.store.sources.source(sid)
        if not _active(source):
            self.set_status(410)  # gone: the hub may drop the subscription
            return
        assert source is not None
        log.info("websub notification source=%s bytes=%d", source.name, len(body))
        await self.websub.poller.apply_pushed(
            source, body, self.request.headers.get("Content-Type")
        )
        self.set_status(202)

    def compute_etag(self) -> None:
        """No ETag on these answers."""


async def _first(stop: asyncio.Event, other: asyncio.Event, seconds: float | None = None) -> None:
    """Wait until either event is set (or ``seconds`` pass)."""
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(other.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
