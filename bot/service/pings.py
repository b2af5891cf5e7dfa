"""Pings: ``POST /ping/<source id>`` with the secret header makes that source due now.

A site's CMS calls it when it publishes (a publish hook), so the story goes out within a second
or two instead of at the next poll. The ping only moves the source's next poll time to now and
wakes the poller: the poll itself is the usual one (conditional GET, decide, apply), so a ping
can never send anything the feed does not hold, and a flood of pings costs one poll each at most.

Served on the webhook server (webhook mode) and on the metrics port (METRICS_PORT), and only
when PING_SECRET is set; the ``X-Teaserbot-Ping-Secret`` header is checked as soon as the
headers arrive, before any body is read (403, connection closed). Answers: 202 (due now), 404
(no such source, or it is paused or disabled), 403 (missing or wrong secret).
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from tornado.web import RequestHandler, stream_request_body

from bot.store import StoreVerbs

log = logging.getLogger("bot.ping")

PING_HEADER = "X-Teaserbot-Ping-Secret"
PING_ROUTE = r"/ping/([0-9]{1,18})"
"""The path pattern, the source id captured (as ``python -m bot sources`` lists it)."""
MAX_PING_BYTES = 64 * 1024
"""A ping's body is ignored; one larger than this is refused."""


@dataclass(frozen=True, slots=True)
class Pings:
    """What a ping needs: the store, the poller's wake-up and the secret."""

    store: StoreVerbs
    wake: Callable[[int], None]  # the poller's: look for due sources now
    secret: str
    clock: Callable[[], float] = time.time

    async def ping(self, source_id: int) -> bool:
        """Make the source due now and wake the poller; False when there is no such source."""
        if not await self.store.sources.make_source_due(source_id, self.clock()):
            return False
        self.wake(source_id)
        return True

    def route(self) -> tuple[str, type[RequestHandler], dict[str, object]]:
        """The tornado route that serves pings."""
        return (PING_ROUTE, PingHandler, {"pings": self})


@stream_request_body
class PingHandler(RequestHandler):
    """POST /ping/<id>: refused before its body is read unless the secret header is right."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, pings: Pings) -> None:
        """Bind the handler to the pings (tornado's hook)."""
        self.pings = pings
        self.received = 0
        self.done = False
        self.refused = False

    def _answer(self, status: int, text: str) -> None:
        self.done = True
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text.encode() + b"\n")

    def prepare(self) -> None:
        """Runs once the headers are in: a missing or wrong secret is refused before any body
        is read; at once (the connection closed) unless the declared body is small, which is
        discarded first so that the client reads the answer on a connection that stays usable.
        """
        given = self.request.headers.get(PING_HEADER, "").encode()
        if hmac.compare_digest(given, self.pings.secret.encode()):
            return
        self.refused = True
        length = self.request.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_PING_BYTES:
            self._refuse()

    def _refuse(self) -> None:
        log.warning(
            "ping refused status=403 reason=missing or wrong secret from=%s",
            self.request.remote_ip,
        )
        self._answer(403, "missing or wrong ping secret")

    def data_received(self, chunk: bytes) -> None:
        """The body is discarded; past :data:`MAX_PING_BYTES` the request is refused."""
        self.received += len(chunk)
        if not self.done and self.received > MAX_PING_BYTES:
            self._answer(413, "a ping needs no body")

    async def post(self, source_id: str) -> None:
        """Make the source due now: 202, or 404 when there is no such (active) source."""
        if self.done:
            return
        if self.refused:
            self._refuse()
            return
        if await self.pings.ping(int(source_id)):
            log.info("ping source_id=%s due now from=%s", source_id, self.request.remote_ip)
            self._answer(202, f"source {source_id} is due now")
        else:
            log.warning("ping source_id=%s refused: no such active source", source_id)
            self._answer(404, f"no active source {source_id}")

    def compute_etag(self) -> None:
        """No ETag on these answers."""
