"""How updates arrive: long polling (the default) or a webhook with Telegram's secret-token header.

Webhook mode listens on WEBHOOK_LISTEN:WEBHOOK_PORT at the path of WEBHOOK_URL with tornado (the
server python-telegram-bot's own webhook uses), set up so that a stranger costs next to nothing:
the ``X-Telegram-Bot-Api-Secret-Token`` header is checked as soon as the headers arrive, before
any of the body is read (403, connection closed), and a body over :data:`MAX_UPDATE_BYTES` is
refused (413) from its Content-Length, or as soon as a chunked body passes the cap. A request's
headers must arrive within :data:`HEADER_TIMEOUT` seconds, and open connections are capped (in
all, and from one address), so half-open connections cannot pile up. Without
WEBHOOK_SECRET a new random secret is made at every start (Telegram learns it from setWebhook).

Long polling: python-telegram-bot retries a failed getUpdates with a growing pause (1 s up to
30 s); :class:`PollingErrors` turns each run of failures into one log line instead of a
traceback per attempt. A second instance polling with the same token (409 Conflict) is dealt with
by :class:`bot.telegram.polling.PollingBot`.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler, stream_request_body

from bot.config import Settings
from bot.telegram.app import ALLOWED_UPDATES
from bot.telegram.polling import PollingBot

log = logging.getLogger("bot.webhook")

LONG_POLL_TIMEOUT = 30
MAX_UPDATE_BYTES = 1024 * 1024
"""The largest webhook body read (Telegram's updates are a few kilobytes)."""
HEADER_TIMEOUT = 10.0
"""Seconds a connection may take to send a request's headers (or stay idle between requests)."""
MAX_CONNECTIONS_PER_ADDRESS = 100
"""Connections open at once from one address (Telegram opens at most 100, 40 by default)."""
MAX_CONNECTIONS = 400
"""Connections open at once in all."""
REFUSAL_LOG_EVERY = 60.0
"""Seconds between log lines about connections refused over a cap."""
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
EPISODE_GAP = 90.0
"""Errors further apart than this belong to different episodes (PTB waits at most 30 s)."""
REMIND_EVERY = 600.0
"""While errors go on, one more log line this often."""

Fatal = Callable[[str], None]


def webhook_path(url: str) -> str:
    """The path the local server answers on: WEBHOOK_URL's path without the leading slash."""
    return urlsplit(url).path.lstrip("/")


@dataclass(slots=True)
class PollingErrors:
    """PTB's polling error callback: one log line per run of errors, one more every
    :data:`REMIND_EVERY` while they go on. (A second instance's 409 Conflict is handled by
    :class:`bot.telegram.polling.PollingBot` and never arrives here.)"""

    clock: Callable[[], float] = time.monotonic
    _kind: str = ""
    _since: float = 0.0
    _last: float = -EPISODE_GAP - 1
    _reported: float = 0.0
    _count: int = 0

    def __call__(self, exc: TelegramError) -> None:
        """Called by PTB for every failed getUpdates (it waits, then retries)."""
        now = self.clock()
        kind = type(exc).__name__
        if kind != self._kind or now - self._last > EPISODE_GAP:
            self._kind, self._since, self._reported, self._count = kind, now, now, 0
            log.warning("updates: getUpdates failed (%s); retrying with backoff", exc.message)
        self._count += 1
        self._last = now
        if now - self._reported >= REMIND_EVERY:
            self._reported = now
            log.warning(
                "updates: still failing for %.0f s (%d errors): %s",
                now - self._since,
                self._count,
                exc.message,
            )


@stream_request_body
class _UpdateHandler(RequestHandler):
    """POST <path>: one update from Telegram. Refused before its body is read unless the secret
    header is right and the declared size fits."""

    def initialize(self, app: Application, secret: str) -> None:  # type: ignore[type-arg]
        """Bind the handler to the PTB application and the secret (tornado's hook)."""
        self.app = app
        self.secret = secret.encode()
        self.body = bytearray()
        self.received = 0
        self.refusal: tuple[int, str] | None = None
        self.done = False

    def _refuse(self, status: int, why: str) -> None:
        """Answer now; the connection closes if the body has not all been read."""
        log.warning(
            "webhook refused status=%d reason=%s from=%s", status, why, self.request.remote_ip
        )
        self.done = True
        self.set_status(status)
        self.finish()

    def prepare(self) -> None:
        """Runs once the headers are in, before any of the body is read.

        A refused request whose declared body is small is answered once that body has passed
        (discarded, never kept), so the client reads the answer; a large or chunked one at once.
        """
        length = self.request.headers.get("Content-Length")
        declared = int(length) if length is not None and length.isdigit() else None
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if self.request.method != "POST":
            self.refusal = (405, "not a POST")
        elif not hmac.compare_digest(given, self.secret):
            self.refusal = (403, "missing or wrong secret token")
        elif length is not None and (declared is None or declared > MAX_UPDATE_BYTES):
            self.refusal = (413, f"body of {length} bytes")
        if self.refusal is not None and (declared is None or declared > MAX_UPDATE_BYTES):
            self._refuse(*self.refusal)

    def data_received(self, chunk: bytes) -> None:
        """Collect the body (discard it when refused), refusing it once it passes the cap."""
        if self.done:
            return
        self.received += len(chunk)
        if self.received > MAX_UPDATE_BYTES:
            self.body.clear()
            self._refuse(*(self.refusal or (413, "body over the limit")))
        elif self.refusal is None:
            self.body += chunk

    async def post(self) -> None:
        """Hand a well-formed update to the application; 400 for anything else."""
        if self.done:
            return
        if self.refusal is not None:
            self._refuse(*self.refusal)
            return
        try:
            data = json.loads(self.body)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            self._refuse(400, "not an update")
            return
        try:
            update = Update.de_json(data, self.app.bot)
        except Exception as exc:  # whatever the library fails on: Telegram would resend it
            log.warning(
                "updates: skipped update_id=%s: it cannot be read (%s: %s)",
                data["update_id"],
                type(exc).__name__,
                str(exc)[:200],
            )
            self.set_status(200)
            self.finish()
            return
        await self.app.update_queue.put(update)
        self.set_status(200)
        self.finish()

    def get(self) -> None:
        """Refused in :meth:`prepare` (only POST is answered)."""
        self._refuse(*(self.refusal or (405, "not a POST")))

    def compute_etag(self) -> None:
        """No ETag on these answers."""


class _GuardedServer(HTTPServer):
    """tornado's HTTP server with a cap on open connections, in all and from one address.

    A connection over a cap is closed at once, unanswered. Together with the header timeout
    (:data:`HEADER_TIMEOUT`) a stranger holding connections open with unfinished requests can
    neither exhaust the process's file handles nor keep Telegram (another address) out.
    """

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        """tornado's constructor hook: also the per-address counts."""
        super().initialize(*args, **kwargs)
        self._from: dict[IOStream, str] = {}
        self._per_address: Counter[str] = Counter()
        self._refused_at = -REFUSAL_LOG_EVERY

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        """A new connection: served, or closed when a cap is reached."""
        where = str(address[0]) if address else ""
        if (
            len(self._from) >= MAX_CONNECTIONS
            or self._per_address[where] >= MAX_CONNECTIONS_PER_ADDRESS
        ):
            stream.close()
            now = time.monotonic()
            if now - self._refused_at >= REFUSAL_LOG_EVERY:
                self._refused_at = now
                log.warning(
                    "webhook refused connections reason=too many open from=%s open=%d",
                    where,
                    len(self._from),
                )
            return
        self._from[stream] = where
        self._per_address[where] += 1
        super().handle_stream(stream, address)

    def on_close(self, server_conn: object) -> None:
        """A connection ended: it no longer counts."""
        where = self._from.pop(getattr(server_conn, "stream", None), None)  # type: ignore[arg-type]
        if where is not None:
            self._per_address[where] -= 1
            if self._per_address[where] <= 0:
                del self._per_address[where]
        super().on_close(server_conn)


@dataclass(slots=True)
class Updates:
    """How updates arrive for this run; :meth:`stop` ends it."""

    mode: str  # "polling" or "webhook"
    app: Application  # type: ignore[type-arg]
    server: HTTPServer | None = None

    async def stop(self) -> None:
        """Stop receiving updates."""
        if self.server is not None:
            self.server.stop()
            await self.server.close_all_connections()
        elif self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()


async def start_updates(
    app: Application,  # type: ignore[type-arg]
    settings: Settings,
    *,
    on_fatal: Fatal = lambda _reason: None,
    conflicts_fatal: bool = True,
    routes: Sequence[tuple[str, type[RequestHandler], dict[str, object]]] = (),
) -> Updates:
    """Start receiving updates the configured way.

    Long polling: a second instance with the same token is arbitrated by ``PollingBot`` (the
    first keeps polling, the other calls ``on_fatal``); with ``conflicts_fatal`` false, a 409
    (a new leader meeting its predecessor's last long poll) and an outage at the start are
    waited out. ``routes`` are served beside the webhook's path (pings, WebSub callbacks).
    """
    if settings.webhook_url is None:
        updater = app.updater
        assert updater is not None
        if isinstance(app.bot, PollingBot):
            app.bot.arbitrate(on_fatal, may_yield=conflicts_fatal)
        await updater.start_polling(
            allowed_updates=ALLOWED_UPDATES,
            timeout=LONG_POLL_TIMEOUT,
            error_callback=PollingErrors(),
            bootstrap_retries=0 if conflicts_fatal else -1,
        )
        return Updates("polling", app)
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    path = "/" + webhook_path(settings.webhook_url)
    web = WebApplication([(path, _UpdateHandler, {"app": app, "secret": secret}), *routes])
    # tornado's own cap is the second fence (it closes the connection without an answer).
    # A request's headers must arrive within HEADER_TIMEOUT (also the keep-alive idle limit),
    # its body within body_timeout; connections are capped (_GuardedServer).
    server = _GuardedServer(
        web,
        max_body_size=2 * MAX_UPDATE_BYTES,
        body_timeout=30,
        idle_connection_timeout=HEADER_TIMEOUT,
    )
    # Our one line per refusal says it all; tornado's access log and its note about the
    # unread body of a refused request would repeat it.
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    logging.getLogger("tornado.general").setLevel(logging.WARNING)
    server.listen(settings.webhook_port, settings.webhook_listen)
    try:
        await app.bot.set_webhook(
            url=settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
    except BaseException:
        server.stop()
        raise
    log.info(
        "webhook listening on %s:%d%s for %s",
        settings.webhook_listen,
        settings.webhook_port,
        path,
        settings.webhook_url,
    )
    return Updates("webhook", app, server)
