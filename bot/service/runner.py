"""`python -m bot run`: wires the store, poller, delivery loop and Telegram application together."""

from __future__ import annotations

import asyncio
import contextlib
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
from bot.net.http import Fetcher
from bot.service.delivery import Deliverer, in_flight_for
from bot.service.healthcheck import Health
from bot.service.metrics import MeteredPoller, MeteredSender, Metrics, MetricsServer
from bot.service.notify import OutageNotifier
from bot.service.prune import run_pruning
from bot.service.reader import SourceReader
from bot.service.throttle import Throttle
from bot.store import Store, StoreVerbs, storage_fault
from bot.telegram.app import build_application, register_commands
from bot.telegram.handlers import Handlers
from bot.telegram.ratelimit import PriorityRateLimiter
from bot.telegram.sender import TelegramSender, delivery_bot
from bot.telegram.startup import connect
from bot.telegram.webhook import start_updates

log = logging.getLogger("bot")

USER_AGENT = "teaserbot/0.1 (+https://github.com/teaserbot/teaserbot; Telegram news bot)"
SHUTDOWN_GRACE = 8.0


async def run(settings: Settings, specs: Sequence[SourceSpec]) -> None:
    """Run the bot until SIGTERM or Ctrl-C."""
    started = time.monotonic()
    store = await Store.open(settings.database_path)
    fatal: list[str] = []
    try:
        sources = await store.sync_sources(specs)
        enabled = [source for source in sources if source.enabled]
        log.info(
            "start database=%s sources=%d poll_interval_s=%g",
            settings.database_path,
            len(enabled),
            settings.poll_interval_seconds,
        )
        await _serve(settings, store, fatal)
    finally:
        try:
            await store.close()
        except sqlite3.Error as exc:  # the disk that failed may fail the close too
            log.error("database not closed cleanly: %s", storage_fault(exc) or exc)  # noqa: TRY400 - one line
    if fatal:
        log.error("stopped after %.0f s: %s", time.monotonic() - started, fatal[0])
        raise FatalError(fatal[0])
    log.info("stopped cleanly after %.0f s", time.monotonic() - started)


@dataclass(frozen=True, slots=True)
class _Parts:
    """The long-lived parts of a running bot, wired to one another."""

    handlers: Handlers
    deliverer: Deliverer
    poller: MeteredPoller
    metrics_server: MetricsServer


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
    handlers = Handlers(
        store,
        operators=settings.admin_user_ids,
        channel_cleanup_after=settings.channel_cleanup_seconds,
        reader=SourceReader(fetcher),
    )
    handlers.install(app)
    deliverer = Deliverer(
        store,
        MeteredSender(TelegramSender(bot, paid=settings.broadcast_rate > 30), metrics),
        throttle=throttle,
        tags_for=hashtags,
        digest_after=settings.digest_after_seconds,
        give_up_after=settings.give_up_hours * 3600,
        max_in_flight=in_flight_for(throttle.pacer.effective_rate),
    )
    poller = MeteredPoller(
        store,
        fetcher,
        interval=settings.poll_interval_seconds,
        classify=classify_item,
        on_queued=deliverer.wake,
    )
    poller.observer = metrics.observe_poll
    health = Health(settings.health_stall_seconds)
    return _Parts(handlers, deliverer, poller, MetricsServer(store, metrics, health))


async def _serve(settings: Settings, store: StoreVerbs, fatal: list[str]) -> None:
    """Run every part until SIGTERM, or until one meets a fault that needs an operator.

    Such a fault's one-line description is appended to ``fatal``. Sources are polled from the
    start; handlers and delivery begin once the Bot API answers.
    """
    stop = asyncio.Event()

    def give_up(reason: str) -> None:
        fatal.append(reason)
        stop.set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
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
        polling.add_done_callback(
            lambda task: None if task.cancelled() or stop.is_set() else give_up(_ended(task))
        )
        try:
            me = await connect(app, settings.telegram_api_base_url, stop)
            if me is not None:
                async with app, bot:
                    await _with_telegram(
                        settings=settings,
                        store=store,
                        app=app,
                        me=me,
                        handlers=parts.handlers,
                        deliverer=parts.deliverer,
                        stop=stop,
                        polling=polling,
                        give_up=give_up,
                    )
        finally:
            stop.set()
            await _finish([polling], [])
            await parts.metrics_server.stop()


async def _with_telegram(
    *,
    settings: Settings,
    store: StoreVerbs,
    app: Application,  # type: ignore[type-arg]
    me: User,
    handlers: Handlers,
    deliverer: Deliverer,
    stop: asyncio.Event,
    polling: asyncio.Task[None],
    give_up: Callable[[str], None],
) -> None:
    """Run handlers, delivery and the helpers once Telegram answers, until ``stop``."""
    await register_commands(app)
    await handlers.register_operator_menu(app)
    notifier = OutageNotifier(
        store,
        lambda notice: handlers.tell(app, notice),
        after=settings.outage_notice_after_seconds,
    )
    await app.start()
    updates = await start_updates(app, settings, on_fatal=give_up)
    # Start-up objects live as long as the process: kept out of the collector's full passes,
    # which otherwise pause the loop long enough to bunch paced messages together.
    gc.collect()
    gc.freeze()
    log.info("running as @%s (%s); send it /start in Telegram", me.username, updates.mode)
    delivering = asyncio.create_task(deliverer.run(stop), name="delivery")
    period = max(0.2, min(30.0, settings.poll_interval_seconds))
    helpers = [
        asyncio.create_task(_logged(notifier.run(stop, period)), name="outage-notices"),
        asyncio.create_task(
            _logged(run_pruning(store, settings.prune_after_days, stop)), name="pruning"
        ),
    ]
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait(
        [polling, delivering, stopper], return_when=asyncio.FIRST_COMPLETED
    )
    if delivering in done and not stop.is_set():  # the poller reports through its callback
        give_up(_ended(delivering))
    stop.set()
    log.info("shutting down: finishing the message in flight")
    await _finish([polling, delivering], helpers)
    await updates.stop()
    await app.stop()


async def _finish(
    tasks: Sequence[asyncio.Task[None]], helpers: Sequence[asyncio.Task[None]]
) -> None:
    """Give ``tasks`` the shutdown grace, then cancel what is left and every helper."""
    _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE) if tasks else (set(), set())
    for task in [*pending, *helpers]:
        task.cancel()
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
