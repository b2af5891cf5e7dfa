"""How updates arrive: long polling (the default) or a webhook with Telegram's secret-token header.

In webhook mode python-telegram-bot's own server listens on WEBHOOK_LISTEN:WEBHOOK_PORT at the
path of WEBHOOK_URL, and answers 403 to any request whose ``X-Telegram-Bot-Api-Secret-Token``
header is missing or wrong. Without WEBHOOK_SECRET a new random secret is made at every start
(Telegram learns it from setWebhook).
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from telegram.ext import Application

from bot.config import Settings
from bot.telegram.app import ALLOWED_UPDATES

log = logging.getLogger("bot.webhook")

LONG_POLL_TIMEOUT = 30


def webhook_path(url: str) -> str:
    """The path the local server answers on: WEBHOOK_URL's path without the leading slash."""
    return urlsplit(url).path.lstrip("/")


async def start_updates(app: Application, settings: Settings) -> str:  # type: ignore[type-arg]
    """Start receiving updates the configured way; returns "polling" or "webhook"."""
    updater = app.updater
    assert updater is not None
    if settings.webhook_url is None:
        await updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=LONG_POLL_TIMEOUT)
        return "polling"
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    await updater.start_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=webhook_path(settings.webhook_url),
        webhook_url=settings.webhook_url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
    )
    log.info(
        "webhook listening on %s:%d/%s for %s",
        settings.webhook_listen,
        settings.webhook_port,
        webhook_path(settings.webhook_url),
        settings.webhook_url,
    )
    return "webhook"
