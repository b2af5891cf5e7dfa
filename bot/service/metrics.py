"""Prometheus metrics, /healthz and the /stats page, served on METRICS_PORT by tornado.

Counters are fed by two hooks wired in :mod:`bot.app`: :class:`MeteredPoller` sees
each poll report and :class:`MeteredSender` every answer Telegram gives to a teaser. Gauges
(outbox depth, oldest due age, last successful poll per source) are read from the store at
each scrape.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import tornado.web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
)
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.core.errors import BotError, DatabaseUnreachableError
from bot.core.models import (
    Chat,
    ChatGone,
    ChatMoved,
    MessageRejected,
    RateLimited,
    SendOutcome,
    Sent,
    Source,
    TransientFailure,
)
from bot.core.stats_page import stats_page
from bot.service.delivery import Sender
from bot.service.healthcheck import Health, HealthReport
from bot.service.pings import Pings
from bot.service.poller import Poller, PollReport
from bot.store import StoreVerbs

log = logging.getLogger("bot.metrics")

_READ_LIMIT = 8192
_REQUEST_TIMEOUT = 5.0
_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


class Metrics:
    """The bot's Prometheus metrics, in a registry of their own."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.registry = CollectorRegistry()
        r = self.registry
        self.polls = Counter(
            "teaserbot_polls", "Polls by source and status.", ["source", "status"], registry=r
        )
        self.poll_errors = Counter(
            "teaserbot_poll_errors", "Failed polls by source.", ["source"], registry=r
        )
        self.articles = Counter(
            "teaserbot_articles_recorded",
            "New articles recorded, by source.",
            ["source"],
            registry=r,
        )
        self.sent = Counter("teaserbot_messages_sent", "Teasers Telegram accepted.", registry=r)
        self.retried = Counter(
            "teaserbot_messages_retried",
            "Sends to be tried again, by reason.",
            ["reason"],
            registry=r,
        )
        self.failed = Counter(
            "teaserbot_messages_failed",
            "Sends that failed for good or were refused, by reason.",
            ["reason"],
            registry=r,
        )
        self.too_many = Counter(
            "teaserbot_telegram_429", "429 Too Many Requests answers from Telegram.", registry=r
        )
        self.outbox_depth = Gauge("teaserbot_outbox_depth", "Queued outbox rows.", registry=r)
        self.oldest_due = Gauge(
            "teaserbot_outbox_oldest_due_age_seconds",
            "How long the oldest due outbox row has waited.",
            registry=r,
        )
        self.last_success = Gauge(
            "teaserbot_source_last_success_timestamp_seconds",
            "Unix time of each source's last successful poll.",
            ["source"],
            registry=r,
        )
        self.last_poll_success = Gauge(
            "teaserbot_last_successful_poll_timestamp_seconds",
            "Unix time of the last successful poll of any source.",
            registry=r,
        )
        self._state_gauges(r)
        self.last_send_attempt: float | None = None

    def _state_gauges(self, r: CollectorRegistry) -> None:
        """Gauges of the process's state: sources failing, health, leadership, the rate limit."""
        self.failing = Gauge(
            "teaserbot_source_failing_seconds",
            "How long each source has failed without a success in between (0: not failing).",
            ["source"],
            registry=r,
        )
        self.up = Gauge("teaserbot_healthy", "1 when /healthz answers 200.", registry=r)
        self.leader = Gauge(
            "teaserbot_leader",
            "1 while this process leads: it receives updates and delivers (SQLite: always).",
            registry=r,
        )
        self.rate_limit = Gauge(
            "teaserbot_broadcast_rate_limit",
            "Teasers per second the bot may send in all (BROADCAST_RATE).",
            registry=r,
        )

    def observe_poll(self, report: PollReport) -> None:
        """Count one poll report."""
        name = report.source.name
        self.polls.labels(name, report.status).inc()
        if report.status == "error":
            self.poll_errors.labels(name).inc()
            return
        self.last_success.labels(name).set(self.clock())
        self.last_poll_success.set(self.clock())
        if report.new:
            self.articles.labels(name).inc(report.new)

    def observe_send(self, outcome: SendOutcome) -> None:
        """Count one answer from Telegram to a teaser."""
        self.last_send_attempt = self.clock()
        match outcome:
            case Sent():
                self.sent.inc()
            case RateLimited():
                self.too_many.inc()
                self.retried.labels("rate_limited").inc()
            case TransientFailure():
                self.retried.labels("network").inc()
            case ChatGone():
                self.failed.labels("chat_gone").inc()
            case ChatMoved():
                self.retried.labels("chat_moved").inc()
            case MessageRejected():
                self.failed.labels("rejected").inc()

    async def refresh(self, store: StoreVerbs, health: Health) -> HealthReport:
        """Read the gauges from the store; returns the health verdict at the same time."""
        now = self.clock()
        figures = await store.stats.health_figures(now)
        self.outbox_depth.set(figures.queued)
        self.oldest_due.set(figures.oldest_due_age_s)
        for status in await store.sources.source_statuses():
            source = status.source
            if source.last_success_at is not None:
                self.last_success.labels(source.name).set(source.last_success_at)
            since = None if source.paused or not source.enabled else source.failing_since
            self.failing.labels(source.name).set(0.0 if since is None else max(0.0, now - since))
        report = health.judge(figures, now=now, last_send_at=self.last_send_attempt)
        if not report.ok and figures.oldest_due_age_s > health.stall_after:
            # Processes sharing PostgreSQL: the leader sends, a follower never does itself.
            sent = await store.stats.last_sent_at()
            last = max(t for t in (self.last_send_attempt, sent, -1.0) if t is not None)
            report = health.judge(figures, now=now, last_send_at=last)
        self.up.set(1 if report.ok else 0)
        return report

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)


class MeteredSender:
    """A :class:`bot.service.delivery.Sender` that counts every outcome of the sender it wraps."""

    def __init__(self, inner: Sender, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    async def send(
        self,
        chat: Chat,
        text: str,
        *,
        html: bool,
        link_preview: bool,
        preview_url: str | None = None,
        share: str | None = None,
        photo: str | None = None,
        read_url: str | None = None,
        silent: bool = False,
    ) -> SendOutcome:
        """Send through the wrapped sender and count the outcome."""
        outcome = await self.inner.send(
            chat,
            text,
            html=html,
            link_preview=link_preview,
            preview_url=preview_url,
            share=share,
            photo=photo,
            read_url=read_url,
            silent=silent,
        )
        self.metrics.observe_send(outcome)
        return outcome


class MeteredPoller(Poller):
    """A :class:`~bot.service.poller.Poller` handing each poll report to ``observer`` when set."""

    observer: Callable[[PollReport], None] | None = None

    async def poll(self, source: Source) -> PollReport:
        """Poll as the base class does, then report."""
        report = await super().poll(source)
        if self.observer is not None:
            self.observer(report)
        return report


class MetricsServer:
    """Serves GET /metrics, /healthz and /stats with tornado (PTB's webhook server); else 404."""

    def __init__(
        self, store: StoreVerbs, metrics: Metrics, health: Health, pings: Pings | None = None
    ) -> None:
        self.store = store
        self.metrics = metrics
        self.health = health
        self.pings = pings  # set: POST /ping/<id> is served here too (bot/service/pings.py)
        self._server: HTTPServer | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen; returns the port (useful with port 0)."""
        app = tornado.web.Application(
            [
                (r"/metrics", _MetricsHandler, {"owner": self}),
                (r"/healthz", _HealthHandler, {"owner": self}),
                (r"/stats", _StatsHandler, {"owner": self}),
                *([self.pings.route()] if self.pings is not None else []),
            ],
            default_handler_class=_NotFound,
        )
        try:
            sockets = bind_sockets(port, host)
        except OSError as exc:
            raise BotError(f"METRICS_PORT: cannot listen on {host}:{port}: {exc}") from exc
        self._server = HTTPServer(
            app,
            idle_connection_timeout=_REQUEST_TIMEOUT,
            body_timeout=_REQUEST_TIMEOUT,
            max_header_size=_READ_LIMIT,
            max_body_size=_READ_LIMIT,
        )
        self._server.add_sockets(sockets)
        bound: int = sockets[0].getsockname()[1]
        log.info("metrics listening on http://%s:%d/metrics, /healthz and /stats", host, bound)
        return bound

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


class _Handler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, owner: MetricsServer) -> None:
        self.owner = owner

    async def head(self) -> None:
        await self.get()

    async def get(self) -> None:
        raise NotImplementedError


class _MetricsHandler(_Handler):
    async def get(self) -> None:
        owner = self.owner
        try:
            await owner.metrics.refresh(owner.store, owner.health)
        except DatabaseUnreachableError:  # the counters as they are; the store's gauges stale
            owner.metrics.up.set(0)
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(owner.metrics.exposition())


class _HealthHandler(_Handler):
    async def get(self) -> None:
        owner = self.owner
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        try:
            report = await owner.metrics.refresh(owner.store, owner.health)
        except DatabaseUnreachableError as exc:
            self.set_status(503)
            self.finish(f"unhealthy: {exc}\n".encode())
            return
        self.set_status(200 if report.ok else 503)
        self.finish(report.text().encode())


class _StatsHandler(_Handler):
    """The read-only stats page: counts only (no chat ids, no names of people)."""

    async def get(self) -> None:
        owner = self.owner
        stats = await owner.store.stats.usage_stats(owner.metrics.clock())
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", _PAGE_POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")
        self.finish(stats_page(stats).encode())


class _NotFound(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "text/plain")
        self.finish(b"try /metrics, /healthz or /stats\n")
