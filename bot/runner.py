"""`python -m bot run`: wires the store, poller, delivery loop and Telegram application together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Sequence

from bot import regions
from bot.config import Settings
from bot.delivery import Deliverer
from bot.models import Article, Chat, Classification, NewArticle, ParsedItem, Source, SourceSpec
from bot.pacing import Pacer
from bot.poller import Poller
from bot.sources.http import Fetcher
from bot.store import Store
from bot.telegram.app import ALLOWED_UPDATES, build_application, register_commands
from bot.telegram.handlers import Handlers
from bot.telegram.sender import TelegramSender

log = logging.getLogger("bot")

USER_AGENT = "teaserbot/0.1 (+https://github.com/teaserbot/teaserbot; Telegram news bot)"
SHUTDOWN_GRACE = 8.0


def classify_item(item: ParsedItem, source: Source) -> Classification:
    """Where a story happens, from its text, tags and the source's default region."""
    return regions.classify(item.title, item.summary, item.categories, source.region)


def route(entry: NewArticle, chats: Sequence[Chat]) -> list[int]:
    """The subscribed chats whose region filter lets this article through."""
    countries = entry.classification.countries
    return [chat.id for chat in chats if regions.matches(chat.region_filter, countries)]


def hashtags(article: Article) -> list[str]:
    """The region hashtags shown under a teaser: its countries, then their sub-regions."""
    return [regions.hashtag(code) for code in article.countries[:3]]


async def run(settings: Settings, specs: Sequence[SourceSpec]) -> None:
    """Run the bot until SIGTERM or Ctrl-C."""
    started = time.monotonic()
    store = await Store.open(settings.database_path)
    try:
        sources = await store.sync_sources(specs)
        enabled = [source for source in sources if source.enabled]
        log.info(
            "start database=%s sources=%d poll_interval_s=%g",
            settings.database_path,
            len(enabled),
            settings.poll_interval_seconds,
        )
        await _serve(settings, store)
    finally:
        await store.close()
    log.info("stopped cleanly after %.0f s", time.monotonic() - started)


async def _serve(settings: Settings, store: Store) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    app = build_application(settings)
    Handlers(store).install(app)
    async with (
        Fetcher(
            user_agent=USER_AGENT,
            read_timeout=settings.http_timeout_seconds,
            max_bytes=settings.max_feed_bytes,
        ) as fetcher,
        app,
    ):
        me = await app.bot.get_me()
        await register_commands(app)
        deliverer = Deliverer(
            store,
            TelegramSender(app.bot),
            pacer=Pacer(overall_rate=settings.broadcast_rate),
            tags_for=hashtags,
        )
        poller = Poller(
            store,
            fetcher,
            interval=settings.poll_interval_seconds,
            classify=classify_item,
            route=route,
            on_queued=deliverer.wake,
        )
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=30)
        log.info("running as @%s; send it /start in Telegram", me.username)
        tasks = [
            asyncio.create_task(poller.run(stop), name="poller"),
            asyncio.create_task(deliverer.run(stop), name="delivery"),
        ]
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not stopper and task.exception() is not None:
                log.error("%s stopped unexpectedly", task.get_name(), exc_info=task.exception())
        stop.set()
        log.info("shutting down: finishing the message in flight")
        _, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE)
        for task in pending:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await app.updater.stop()
        await app.stop()
