"""The composition root of `python -m bot run`: wires the store, the services (poller, delivery,
notices, pings, WebSub, metrics) and the Telegram application together, and runs them.

Only here (and in ``bot/__main__.py``) do ``bot.service`` and ``bot.telegram`` meet: neither
imports the other, and what the handlers need of the services is handed to them here."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import signal
import sqlite3
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Bot, User
from telegram.ext import Application

from bot.config import Settings
from bot.core.errors import FatalError
from bot.core.models import SourceSpec
from bot.core.pacing import Pacer
from bot.core.routing import classify_item, hashtags
from bot.net.http import USER_AGENT, Fetcher
from bot.service.database import database_name, open_for_running, sync_for_running
from bot.service.delivery import TERM_SETTLE, Deliverer, in_flight_for
from bot.service.fanout import FanOut
from bot.service.healthcheck import Health
from bot.service.importing import SourceAdder
from bot.service.leadership import HANDOVER_PAUSE, DeliveryTerms, lead_when_elected
from bot.service.metrics import MeteredPoller, MeteredSender, Metrics, MetricsServer
from bot.service.notify import OutageNotifier
from bot.service.pings import Pings
from bot.service.prune import run_pruning
from bot.service.reader import SourceReader
from bot.service.throttle import Throttle
from bot.service.websub import WebSub
from bot.store import StoreVerbs, storage_fault
from bot.store.postgres import OUTBOX_CHANNEL, LeaderLock, connection_fault
from bot.telegram.app import build_application, register_commands
from bot.telegram.deps import Deps
from bot.telegram.handlers import install
from bot.telegram.operator import register_operator_menu, tell_operators
from bot.telegram.ratelimit import PriorityRateLimiter
from bot.telegram.sender import TelegramSender, delivery_bot
from bot.telegram.startup import connect, unless_stopped
from bot.telegram.webhook import Updates, start_updates

log = logging.getLogger("bot")

SHUTDOWN_GRACE = 7.0
"""Seconds the message in flight gets after SIGTERM (unanswered by then, it stays due)."""
UPDATES_STOP = 3.0
"""Seconds for the updater's last getUpdates (confirming the offset) after SIGTERM."""
APP_STOP = 1.5
"""Seconds for handlers still waiting for Telegram once delivery has stopped."""


async def run(settings: Settings, specs: Sequence[SourceSpec]) -> None:
    """Run the bot until SIGTERM or Ctrl-C."""
    started = time.monotonic()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    store = await open_for_running(settings, stop)
    if store is None:  # stopped while the database was out of reach
        log.info("stopped cleanly after %.0f s", time.monotonic() - started)
        return
    fatal: list[str] = []
    try:
        sources = await sync_for_running(settings, store, specs)
        enabled = [source for source in sources if source.enabled]
        log.info(
            "start database=%s sources=%d poll_interval_s=%g",
            database_name(settings),
            len(enabled),
            settings.poll_interval_seconds,
        )
        lock = LeaderLock(settings.database_url) if settings.database_url else None
        await _serve(settings, store, stop, fatal, lock)
    finally:
        try:
            await store.close()
        except (sqlite3.Error, OSError) as exc:  # the disk that failed may fail the close too
            log.error("database not closed cleanly: %s", storage_fault(exc) or exc)  # noqa: TRY400 - one line
    if fatal:
        log.error("stopped after %.0f s: %s", time.monotonic() - started, fatal[0])
        raise FatalError(fatal[0])
    log.info("stopped cleanly after %.0f s", time.monotonic() - started)


@dataclass(frozen=True, slots=True)
class _Parts:
    """The long-lived parts of a running bot, wired to one another."""

    deps: Deps  # what the handlers were given (the operators, to tell them of outages)
    delivery: DeliveryTerms
    poller: MeteredPoller
    fan_out: FanOut  # the rest of each new article's audience after the poll's first slice
    metrics_server: MetricsServer
    pings: Pings | None  # None: PING_SECRET unset
    websub: WebSub | None  # None: not in webhook mode


def _fetcher(settings: Settings) -> Fetcher:
    return Fetcher(
        user_agent=USER_AGENT,
        read_timeout=settings.http_timeout_seconds,
        max_bytes=settings.max_feed_bytes,
        allow_private=settings.allow_private_sources,
        proxy=settings.feed_proxy,
    )


def _parts(  # noqa: PLR0917 (the wiring: each part built from the ones before it)
    settings: Settings,
    store: StoreVerbs,
    fetcher: Fetcher,
    app: Application,  # type: ignore[type-arg]
    bot: Bot,
    throttle: Throttle,
) -> _Parts:
    """Build the handlers (installed on ``app``), delivery, the poller and the metrics server."""
    metrics = Metrics()
    metrics.rate_limit.set(settings.broadcast_rate)
    deps = Deps(
        store,
        operators=settings.admin_user_ids,
        channel_cleanup_after=settings.channel_cleanup_seconds,
        sources=SourceAdder(store, SourceReader(fetcher)),
    )
    install(app, deps)
    sender = MeteredSender(TelegramSender(bot, paid=settings.broadcast_rate > 30), metrics)
    delivery = DeliveryTerms(
        lambda: Deliverer(
            store,
            sender,
            throttle=throttle,
            tags_for=hashtags,
            digest_after=settings.digest_after_seconds,
            give_up_after=settings.give_up_hours * 3600,
            max_in_flight=in_flight_for(throttle.pacer.effective_rate),
            settle=TERM_SETTLE if settings.database_url else 0.0,  # terms among processes
        ),
        on_term=lambda leading: metrics.leader.set(1 if leading else 0),
    )
    fan_out = FanOut(store, on_queued=delivery.wake)
    poller = MeteredPoller(
        store,
        fetcher,
        interval=settings.poll_interval_seconds,
        classify=classify_item,
        on_queued=delivery.wake,
        on_fan_out=fan_out.wake,
    )
    poller.observer = metrics.observe_poll
    health = Health(settings.health_stall_seconds)
    pings = Pings(store, poller.wake, settings.ping_secret) if settings.ping_secret else None
    server = MetricsServer(store, metrics, health, pings)
    websub = _websub(settings, store, poller)
    return _Parts(deps, delivery, poller, fan_out, server, pings, websub)


def _websub(settings: Settings, store: StoreVerbs, poller: MeteredPoller) -> WebSub | None:
    """The WebSub subscriber, in webhook mode (hubs need a public callback URL)."""
    if settings.webhook_url is None:
        return None
    websub = WebSub(
        store,
        poller,
        key=settings.bot_token,
        public_url=settings.webhook_url,
        allow_private=settings.allow_private_sources,
    )
    poller.on_hub = websub.want
    poller.pushed = websub.pushed
    return websub


@dataclass(frozen=True, slots=True)
class _Running:
    """What the process-wide tasks share once Telegram answers."""

    settings: Settings
    store: StoreVerbs
    app: Application  # type: ignore[type-arg]
    parts: _Parts
    lock: LeaderLock | None  # PostgreSQL: leadership among processes; None: SQLite, always
    stop: asyncio.Event
    give_up: Callable[[str], None]

    @property
    def updates_everywhere(self) -> bool:
        """Updates are received from start to stop: the only process (SQLite), or a webhook
        that every process answers. Else only the leader polls for them."""
        return self.lock is None or self.settings.webhook_url is not None


async def _serve(
    settings: Settings,
    store: StoreVerbs,
    stop: asyncio.Event,
    fatal: list[str],
    lock: LeaderLock | None,
) -> None:
    """Run every part until SIGTERM, or until one meets a fault that needs an operator.

    Such a fault's one-line description is appended to ``fatal``. Sources are polled from the
    start; handlers and (on the leader) delivery begin once the Bot API answers.
    """

    def give_up(reason: str) -> None:
        fatal.append(reason)
        stop.set()

    throttle = Throttle(Pacer(overall_rate=settings.broadcast_rate))
    app = build_application(settings, rate_limiter=PriorityRateLimiter(throttle))
    bot = delivery_bot(
        settings.bot_token,
        settings.bot_api_url,
        connections=in_flight_for(throttle.pacer.effective_rate),
        proxy=settings.telegram_proxy,
    )
    async with _fetcher(settings) as fetcher:
        parts = _parts(settings, store, fetcher, app, bot, throttle)
        if settings.metrics_port is not None:
            await parts.metrics_server.start(settings.metrics_listen, settings.metrics_port)
        # Sources are polled while the Bot API is still out of reach; delivery waits for it.
        polling = asyncio.create_task(parts.poller.run(stop), name="poller")
        # The fan-outs in slices (every process; ended with the polls) and WebSub
        # subscriptions (in webhook mode).
        fanning = asyncio.create_task(parts.fan_out.run(stop), name="fan-out")
        pushing = [fanning]
        if parts.websub is not None:
            pushing.append(asyncio.create_task(_logged(parts.websub.run(stop)), name="websub"))
        for task in (polling, fanning):
            task.add_done_callback(
                lambda task: None if task.cancelled() or stop.is_set() else give_up(_ended(task))
            )
        running = _Running(settings, store, app, parts, lock, stop, give_up)
        try:
            me = await connect(app, settings.telegram_api_base_url, stop)
            if me is not None:
                try:
                    async with app:
                        await _with_telegram(running, me, polling, bot)
                finally:
                    await bot.shutdown()
        finally:
            stop.set()
            await _finish([polling], pushing)
            await parts.metrics_server.stop()


async def _with_telegram(r: _Running, me: User, polling: asyncio.Task[None], bot: Bot) -> None:
    """Run handlers and, while this process leads, delivery and its helpers, until ``stop``.

    Every step that waits for Telegram gives way to ``stop`` or has a time limit, so the
    process ends within 10 s of SIGTERM even while Telegram does not answer."""
    updates: list[Updates] = []
    leading: asyncio.Task[None] | None = None
    try:
        if await unless_stopped(_start_telegram(r, bot, updates), r.stop):
            # Start-up objects live as long as the process: kept out of the collector's full
            # passes, which otherwise pause the loop long enough to bunch paced messages.
            gc.collect()
            gc.freeze()
            mode = "webhook" if r.settings.webhook_url else "polling"
            log.info("running as @%s (%s); send it /start in Telegram", me.username, mode)
            leading = _leading(r)
            stopper = asyncio.create_task(r.stop.wait())
            await asyncio.wait([polling, leading, stopper], return_when=asyncio.FIRST_COMPLETED)
            if leading.done() and not r.stop.is_set():  # the poller reports via its callback
                r.give_up(_ended(leading))
    finally:
        r.stop.set()
        log.info("shutting down: finishing the message in flight")
        stopping = [
            asyncio.create_task(_within(u.stop(), UPDATES_STOP, "updates")) for u in updates
        ]
        await _finish([polling] if leading is None else [polling, leading], [])
        await asyncio.gather(*stopping)
        if r.app.running:
            await _within(r.app.stop(), APP_STOP, "the handlers")


async def _start_telegram(r: _Running, bot: Bot, updates: list[Updates]) -> None:
    """The calls before serving: the command menus, the handlers, updates where every process
    receives them, and the delivery bot."""
    await register_commands(r.app)
    await register_operator_menu(r.parts.deps, r.app.bot)
    await r.app.start()
    if r.updates_everywhere:
        updates.append(await _start_updates(r))
    await bot.initialize()


def _leading(r: _Running) -> asyncio.Task[None]:
    """Delivery (SQLite: from the start; PostgreSQL: while this process leads)."""
    if r.lock is None:
        return asyncio.create_task(_lead(r, r.stop), name="delivery")
    duties = functools.partial(_lead, r)
    return asyncio.create_task(lead_when_elected(r.lock, r.stop, duties), name="leader")


async def _within(job: Coroutine[Any, Any, None], seconds: float, what: str) -> None:
    """Give a shutdown step ``seconds``; one line if it is cut short (Telegram not answering)."""
    try:
        await asyncio.wait_for(job, seconds)
    except TimeoutError:
        log.warning("shutdown: %s did not stop within %g s (Telegram not answering)", what, seconds)


async def _start_updates(r: _Running) -> Updates:
    # Among processes sharing PostgreSQL, a 409 Conflict is the old leader's last long poll
    # (or an outside instance): logged, never a reason for the new leader to exit.
    pings, websub = r.parts.pings, r.parts.websub
    updates = await start_updates(
        r.app,
        r.settings,
        on_fatal=r.give_up,
        conflicts_fatal=r.lock is None,
        routes=[
            *([pings.route()] if pings is not None else []),
            *(websub.routes() if websub is not None else []),
        ],
    )
    if websub is not None and updates.server is not None:
        websub.ready.set()  # the callbacks are served: hubs can check intent
    return updates


async def _lead(r: _Running, resign: asyncio.Event) -> None:
    """The leader's duties until ``resign``: updates by long polling (unless they arrive
    everywhere), delivery, outage notices and pruning. Returns when delivery has stopped; when
    it stopped by itself (a fault), the whole process gives up."""
    updates = None if r.updates_everywhere else await _start_updates(r)
    deliverer = r.parts.delivery.begin()
    if r.lock is not None:  # rows a follower's poller queues wake this process's delivery
        await r.lock.listen(OUTBOX_CHANNEL, deliverer.wake)
        deliverer.throttle.block(deliverer.throttle.clock() + HANDOVER_PAUSE)
    deps = r.parts.deps
    notifier = OutageNotifier(
        r.store,
        lambda notice: tell_operators(deps, r.app.bot, notice),
        after=r.settings.outage_notice_after_seconds,
    )
    period = max(0.2, min(30.0, r.settings.poll_interval_seconds))
    delivering = asyncio.create_task(deliverer.run(resign), name="delivery")
    helpers = [
        asyncio.create_task(_logged(notifier.run(resign, period)), name="outage-notices"),
        asyncio.create_task(
            _logged(run_pruning(r.store, r.settings.prune_after_days, resign)), name="pruning"
        ),
    ]
    resigned = asyncio.ensure_future(resign.wait())
    try:
        await asyncio.wait([delivering, resigned], return_when=asyncio.FIRST_COMPLETED)
        if delivering.done() and not resign.is_set():  # a fault an operator must see to
            r.give_up(_ended(delivering))
    finally:
        resign.set()
        resigned.cancel()
        if updates is not None:
            await _within(updates.stop(), UPDATES_STOP, "updates")
        await _finish([delivering], helpers)
        r.parts.delivery.end()


async def _finish(
    tasks: Sequence[asyncio.Task[None]], helpers: Sequence[asyncio.Task[None]]
) -> None:
    """Give ``tasks`` the shutdown grace, then cancel what is left and every helper (also when
    this wait is itself cancelled: nothing is left running on a closed database)."""
    try:
        if tasks:
            await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE)
    finally:
        left = [task for task in tasks if not task.done()] + list(helpers)
        for task in left:
            task.cancel()
        for task in left:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _ended(task: asyncio.Task[Any]) -> str:
    """Why a task that should run until shutdown ended, in one line (a bug's traceback is
    logged here; a storage fault needs none)."""
    exc = task.exception()
    if exc is None:
        return f"{task.get_name()} ended unexpectedly"
    cause = _leaf(exc)
    fault = storage_fault(cause)
    if fault is not None:
        return f"{task.get_name()} stopped: {fault}; free the disk or repair the database"
    lost = connection_fault(cause)
    if lost is not None:  # started again, the bot waits for the database
        return f"{task.get_name()} stopped: {lost}; restart the bot"
    log.error("%s stopped by an unexpected error", task.get_name(), exc_info=exc)
    return f"{task.get_name()} stopped by an unexpected error: {type(cause).__name__}: {cause}"


def _leaf(exc: BaseException) -> BaseException:
    """The first error inside (nested) exception groups, or the error itself."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


async def _logged(job: Coroutine[object, object, None]) -> None:
    """Run a background job; an unexpected error is logged instead of stopping the bot."""
    try:
        await job
    except Exception:
        log.exception("background job failed")
